import { describe, expect, it } from 'vitest';
import { invalidParamNames, parseDollars, parseDuration, parseLimit, parseList } from './fields.ts';

describe('field parsers', () => {
  it('parseDollars: blank, numbers, a leading $, and refusals', () => {
    expect(parseDollars('')).toEqual({ ok: true, value: undefined });
    expect(parseDollars('12.5')).toEqual({ ok: true, value: 12.5 });
    expect(parseDollars('$3')).toEqual({ ok: true, value: 3 });
    expect(parseDollars('0')).toEqual({ ok: true, value: 0 });
    expect(parseDollars('-1').ok).toBe(false);
    expect(parseDollars('ten').ok).toBe(false);
  });

  it('parseLimit: whole numbers only', () => {
    expect(parseLimit(' 60 ')).toEqual({ ok: true, value: 60 });
    expect(parseLimit('1.5').ok).toBe(false);
    expect(parseLimit('-3').ok).toBe(false);
  });

  it.each([
    ['30s', true],
    ['30m', true],
    ['12h', true],
    ['30d', true],
    ['1mo', true],
    ['0d', false],
    ['30', false],
    ['1w', false],
    ['d30', false],
  ])('parseDuration(%s) ok=%s', (text, ok) => {
    expect(parseDuration(text).ok).toBe(ok);
  });

  it('parseList splits on commas and newlines, trims and de-duplicates', () => {
    expect(parseList('user, metadata.project\nuser,,')).toEqual(['user', 'metadata.project']);
  });

  it('invalidParamNames flags names that are not dotted identifiers', () => {
    expect(invalidParamNames(['user', 'metadata.project', 'a..b', '1x', 'has space'])).toEqual([
      'a..b',
      '1x',
      'has space',
    ]);
  });
});
