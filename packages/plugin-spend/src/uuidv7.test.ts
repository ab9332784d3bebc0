import { describe, expect, it } from 'vitest';
import { uuidv7, uuidv7Timestamp } from './uuidv7.ts';

const SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('has the RFC 9562 version and variant bits', () => {
    for (let i = 0; i < 1000; i++) expect(uuidv7()).toMatch(SHAPE);
  });

  it('encodes the Unix milliseconds in the first 48 bits', () => {
    const ms = Date.UTC(2030, 0, 2, 3, 4, 5, 678);
    const id = uuidv7(ms);
    expect(uuidv7Timestamp(id)).toBe(ms);
    expect(id.slice(0, 13)).toBe(
      `${ms.toString(16).padStart(12, '0').slice(0, 8)}-${ms.toString(16).slice(-4)}`,
    );
  });

  it('is strictly increasing within one millisecond and across a clock going back', () => {
    const ms = Date.UTC(2031, 5, 6);
    const ids = Array.from({ length: 10_000 }, () => uuidv7(ms));
    ids.push(uuidv7(ms - 1000));
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // 10k ids in one millisecond overflow the 12-bit counter: the timestamp moves forward, never back.
    expect(uuidv7Timestamp(ids.at(-1)!)).toBeGreaterThan(ms);
  });
});
