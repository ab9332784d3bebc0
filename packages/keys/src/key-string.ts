import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes → 43 URL-safe base64 characters (SPEC 4: at least 32). */
export function generateRawKey(): string {
  return `sk-${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 hex of the whole raw string, `sk-` included: LiteLLM's hashing, so its hashes stay valid. */
export function hashKey(rawKey: string): string {
  return hash('sha256', rawKey, 'hex');
}

/** `sk-...abcd`: what lists and logs show instead of the key. */
export function displayKeyName(rawKey: string): string {
  return `sk-...${rawKey.slice(-4)}`;
}

/** Only a raw `sk-` key authenticates (a hash sent as a key must not). */
export function isRawKey(value: string): boolean {
  return value.startsWith('sk-') && value.length > 3;
}

export function isKeyHash(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}

/**
 * Admin routes take `{"key": <raw key or hash>}`: a raw key is hashed, a hash is used as-is.
 * Returns null for anything else.
 */
export function keyRefToHash(ref: string): string | null {
  if (isRawKey(ref)) return hashKey(ref);
  if (isKeyHash(ref.toLowerCase())) return ref.toLowerCase();
  return null;
}

/**
 * Constant-time comparison (for the master key). Both sides are hashed first so that neither the
 * content nor the length of the secret leaks through timing.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = hash('sha256', a, 'buffer');
  const hb = hash('sha256', b, 'buffer');
  return timingSafeEqual(ha, hb);
}
