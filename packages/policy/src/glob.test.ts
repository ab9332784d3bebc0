import { describe, expect, it } from 'vitest';
import { compileGlob, compileGlobs } from './glob.ts';

describe('glob', () => {
  it.each([
    ['gpt-4*', 'gpt-4o', true],
    ['gpt-4*', 'gpt-3.5', false],
    ['gpt-4', 'gpt-4o', false],
    ['*-mini', 'gpt-4o-mini', true],
    ['claude-*-sonnet', 'claude-3.5-sonnet', true],
    ['a.b*', 'axb', false],
    ['*', '', true],
  ])('%s ~ %s → %s', (pattern, value, expected) => {
    expect(compileGlob(pattern)(value)).toBe(expected);
  });
  it('matches any of a list', () => {
    const m = compileGlobs(['claude-*', 'gpt-4o*']);
    expect([m('gpt-4o-mini'), m('claude-3'), m('gpt-3.5')]).toEqual([true, true, false]);
  });
});
