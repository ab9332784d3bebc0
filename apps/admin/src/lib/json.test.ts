import { describe, expect, it } from 'vitest';
import { lineColumn, parseJsonObject, toEditorJson } from './json.ts';

describe('parseJsonObject', () => {
  it('treats blank text as an empty object unless told otherwise', () => {
    expect(parseJsonObject('  \n')).toEqual({ ok: true, value: {} });
    expect(parseJsonObject('', { emptyIsEmptyObject: false })).toEqual({
      ok: false,
      message: 'Enter a JSON object',
    });
  });

  it('parses an object', () => {
    expect(parseJsonObject('{"project": "billing", "n": 2}')).toEqual({
      ok: true,
      value: { project: 'billing', n: 2 },
    });
  });

  it.each([
    ['[1, 2]', 'an array'],
    ['null', 'null'],
    ['"text"', 'a string'],
    ['42', 'a number'],
  ])('refuses %s as %s', (text, kind) => {
    const r = parseJsonObject(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toBe(`Must be a JSON object ({...}), not ${kind}`);
  });

  it('says where a syntax error is, as line and column', () => {
    const r = parseJsonObject('{\n  "a": 1,\n  "b": \n}');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.line).toBe(4);
      expect(r.column).toBe(1);
      expect(r.message).toMatch(/^Invalid JSON at line 4, column 1: /);
    }
  });

  it('reports a trailing comma', () => {
    const r = parseJsonObject('{"a": 1,}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/line 1, column 9/);
  });
});

describe('lineColumn', () => {
  it('is 1-based', () => {
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('toEditorJson', () => {
  it('shows empty values as an empty editor and objects pretty-printed', () => {
    expect(toEditorJson(null)).toBe('');
    expect(toEditorJson({})).toBe('');
    expect(toEditorJson({ a: 1 })).toBe('{\n  "a": 1\n}');
  });
});

describe('syntax error reasons', () => {
  it.each([
    ['{"a": 1,}', 'trailing comma', 1, 9],
    ["{'a': 1}", 'expected a "quoted" property name, unexpected "\'"', 1, 2],
    ['{"a" 1}', 'expected ":", unexpected "1"', 1, 6],
    ['{"a": [1, 2,]}', 'trailing comma', 1, 13],
    ['{"a": tru}', 'expected a value, unexpected "t"', 1, 7],
    ['{"a": 1} x', 'unexpected text after the end, unexpected "x"', 1, 10],
    ['{"a": "x', 'unterminated string', 1, 9],
    ['{\n"a": 1\n"b": 2}', 'expected "," or "}", unexpected "\\""', 3, 1],
  ])('%j → %s at %i:%i', (text, reason, line, column) => {
    const r = parseJsonObject(text);
    expect(r).toEqual({
      ok: false,
      message: `Invalid JSON at line ${line}, column ${column}: ${reason}`,
      line,
      column,
    });
  });
});
