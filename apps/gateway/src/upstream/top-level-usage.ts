import type { Usage } from '@warden/core';
import { normaliseUsage, usageFromJson } from './usage.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const USAGE_KEY = Buffer.from('"usage"');

/**
 * `usage` of a non-streamed answer without parsing the answer: when no afterResponse hook wants the
 * body, parsing a whole completion (and decoding it to a string first) only to read three numbers
 * was ~2 % of the gateway's CPU. One pass tracks the nesting depth outside strings (strings are
 * skipped with the native indexOf, so long contents cost little) and only the value of the top-level
 * `"usage"` key is parsed. Returns undefined when the bytes are not a well-formed object as far as
 * this pass can tell: the caller then parses the whole answer as before.
 */
export function topLevelUsage(bytes: Buffer): Usage | null | undefined {
  const n = bytes.length;
  let depth = 0;
  let i = 0;
  while (i < n) {
    const c = bytes[i]!;
    if (c === QUOTE) {
      const end = stringEnd(bytes, i);
      if (end < 0) return undefined;
      if (
        depth === 1 &&
        end - i === USAGE_KEY.length - 1 &&
        bytes.compare(USAGE_KEY, 0, USAGE_KEY.length, i, end + 1) === 0
      ) {
        let v = skipSpace(bytes, end + 1);
        if (bytes[v] !== COLON) {
          i = end + 1; // a string value "usage", not the key
          continue;
        }
        v = skipSpace(bytes, v + 1);
        const valueEnd = valueEndOf(bytes, v);
        if (valueEnd < 0) return undefined;
        try {
          return normaliseUsage(JSON.parse(bytes.toString('utf8', v, valueEnd)));
        } catch {
          return undefined;
        }
      }
      i = end + 1;
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
    i++;
  }
  return depth === 0 ? null : undefined;
}

/** `usage` of an answer whose body nobody needs: the byte scan, or the full parse when it cannot tell. */
export function usageOnly(bytes: Buffer): Usage | null {
  const usage = topLevelUsage(bytes);
  return usage === undefined ? usageFromJson(bytes).usage : usage;
}

/** Index of the quote closing the string that opens at `start`, or -1. */
function stringEnd(bytes: Buffer, start: number): number {
  let j = start + 1;
  for (;;) {
    j = bytes.indexOf(QUOTE, j);
    if (j < 0) return -1;
    let backslashes = 0;
    for (let k = j - 1; bytes[k] === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return j;
    j++;
  }
}

function skipSpace(bytes: Buffer, i: number): number {
  while (i < bytes.length) {
    const c = bytes[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

/** End (exclusive) of the JSON value starting at `v`: an object/array by depth, else up to , or }. */
function valueEndOf(bytes: Buffer, v: number): number {
  const first = bytes[v];
  if (first !== 0x7b && first !== 0x5b) {
    let i = v;
    while (i < bytes.length && bytes[i] !== 0x2c && bytes[i] !== 0x7d) i++;
    return i < bytes.length ? i : -1;
  }
  let depth = 0;
  let i = v;
  while (i < bytes.length) {
    const c = bytes[i]!;
    if (c === QUOTE) {
      const end = stringEnd(bytes, i);
      if (end < 0) return -1;
      i = end + 1;
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}
