import { describe, expect, it } from 'vitest';
import { checkRegex } from './safe-regex.ts';

describe('checkRegex', () => {
  it.each([
    ['^[a-z0-9-]{3,32}$', ''],
    ['ignore (all )?previous instructions', 'i'],
    ['^(?:foo|bar)$', ''],
    ['^sk-[A-Za-z0-9_-]+$', ''],
    ['(ab)+', ''],
    ['[(+*)]+', ''],
    ['^(a+)?b$', ''],
  ])('accepts %s', (pattern, flags) => {
    expect(checkRegex(pattern, flags)).toBeNull();
  });

  it.each([
    ['^(a+)+$', /nested quantifier/],
    ['(a*)*', /nested quantifier/],
    ['(a|aa)+', /nested quantifier/],
    ['((ab)*c)+', /nested quantifier/],
    ['(?:x+y?){2,}', /nested quantifier/],
    ['(a)\\1', /backreference/],
    ['a*a*a*a*a*a*a*a*a*b', /more than 8 quantifiers/],
    ['x'.repeat(257), /longer than 256/],
    ['(unclosed', /invalid regex/],
  ])('refuses %s', (pattern, why) => {
    expect(checkRegex(pattern)).toMatch(why);
  });

  it('refuses stateful or unknown flags', () => {
    expect(checkRegex('a', 'g')).toMatch(/flags/);
    expect(checkRegex('a', 'y')).toMatch(/flags/);
    expect(checkRegex('a', 'ii')).toMatch(/flags/);
  });
});
