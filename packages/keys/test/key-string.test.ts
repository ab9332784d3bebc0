import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  constantTimeEqual,
  displayKeyName,
  generateRawKey,
  globMatch,
  hashKey,
  intersectModels,
  keyRefToHash,
  modelInList,
  nextBudgetReset,
  NO_MODELS,
  ownerTypeOf,
} from '../src/index.ts';

describe('key strings', () => {
  it('generates sk- + at least 32 URL-safe characters, unique', () => {
    const a = generateRawKey();
    expect(a).toMatch(/^sk-[A-Za-z0-9_-]{32,}$/);
    expect(generateRawKey()).not.toBe(a);
  });
  it('hashes the whole string with SHA-256 hex (LiteLLM-compatible)', () => {
    expect(hashKey('sk-1234')).toBe(createHash('sha256').update('sk-1234').digest('hex'));
    expect(displayKeyName('sk-abcdefgh')).toBe('sk-...efgh');
  });
  it('resolves raw keys and hashes, rejects the rest', () => {
    const h = hashKey('sk-x');
    expect(keyRefToHash('sk-x')).toBe(h);
    expect(keyRefToHash(h)).toBe(h);
    expect(keyRefToHash('nope')).toBeNull();
  });
  it('compares in constant time', () => {
    expect(constantTimeEqual('sk-1234', 'sk-1234')).toBe(true);
    expect(constantTimeEqual('sk-1234', 'sk-12345')).toBe(false);
  });
});

describe('owner type and models', () => {
  it('computes the owner type', () => {
    expect(ownerTypeOf({ userId: null, metadata: { service_account_id: 'x' } })).toBe('service_account');
    expect(ownerTypeOf({ userId: 'u', metadata: {} })).toBe('user');
    expect(ownerTypeOf({ userId: null, teamId: 't', metadata: {} })).toBe('team');
    // No team and no user: a personal key whose person is not recorded, never a team key.
    expect(ownerTypeOf({ userId: null, teamId: null, metadata: {} })).toBe('user');
  });
  it('intersects key and team models with globs', () => {
    expect(intersectModels([], ['a'])).toEqual(['a']);
    expect(intersectModels(['a'], [])).toEqual(['a']);
    expect(intersectModels(['gpt-4*'], ['gpt-4o', 'claude'])).toEqual(['gpt-4o']);
    expect(intersectModels(['a'], ['b'])).toEqual([NO_MODELS]);
    expect(modelInList([NO_MODELS], 'a')).toBe(false);
    expect(modelInList([], 'a')).toBe(true);
    // LiteLLM's special entries, as migrated keys carry them.
    expect(modelInList(['all-proxy-models'], 'anything')).toBe(true);
    expect(intersectModels(['all-team-models'], ['gpt-4o'])).toEqual(['gpt-4o']);
    expect(intersectModels(['all-proxy-models'], [])).toEqual([]);
    expect(globMatch('gpt-*', 'gpt-4o')).toBe(true);
    expect(globMatch('gpt-*', 'xgpt-4o')).toBe(false);
    expect(globMatch('a.b', 'axb')).toBe(false);
  });
  it('aligns budget resets', () => {
    const from = new Date('2024-05-10T13:00:00Z');
    expect(nextBudgetReset('30s', from).toISOString()).toBe('2024-05-10T13:00:30.000Z');
    expect(nextBudgetReset('1d', from).toISOString()).toBe('2024-05-11T00:00:00.000Z');
    expect(nextBudgetReset('1mo', from).toISOString()).toBe('2024-06-01T00:00:00.000Z');
  });
});
