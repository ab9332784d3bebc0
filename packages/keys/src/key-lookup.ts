import type { KeyContext } from '@warden/core';
import type { Database, Logger } from '@warden/db';
import { keys, teams, users } from '@warden/db';
import { eq } from 'drizzle-orm';
import { type KeyChange, KEYS_CHANNEL, parseKeyChange } from './invalidation.ts';
import { buildKeyContext } from './key-context.ts';
import { hashKey, isRawKey } from './key-string.ts';

export type VerifyFailure = 'not_found' | 'blocked' | 'expired' | 'team_blocked' | 'user_blocked';
export type VerifyResult = { valid: true; key: KeyContext } | { valid: false; code: VerifyFailure };

export interface KeyLookup {
  /** Cached: a hit makes no database query. Expiry is checked on every call. */
  verify(rawKey: string): Promise<VerifyResult>;
  /**
   * The same for a caller that already hashed a raw `sk-` key with `hashKey` (auth hashes once per
   * request for both the master-key comparison and this lookup). Never pass a client-sent hash.
   */
  verifyHash(hash: string): Promise<VerifyResult>;
  /**
   * The cached answer for a hash, synchronously, or null when it is not cached (or stale): lets the
   * auth hook finish without a promise (and the driver without a timeout timer) on a cache hit.
   */
  cachedHash(hash: string): VerifyResult | null;
  /** Drops the entries a change affects, in this process only (NOTIFY does it on every replica). */
  invalidate(change: KeyChange): void;
  invalidateAll(): void;
  /** Number of cached entries (positive and negative). */
  size(): number;
  close(): Promise<void>;
}

export interface KeyLookupOptions {
  database: Database;
  /** How long a found key is trusted without NOTIFY. Default 60 s. */
  ttlMs?: number;
  maxEntries?: number;
  /** How long "no such key" is remembered (creation also invalidates it). Default 30 s. */
  negativeTtlMs?: number;
  /**
   * While the database cannot be asked, a key seen within this long is still served from what was
   * last known about it (default 15 min; 0 turns it off). See `lastKnown` below.
   */
  maxStaleMs?: number;
  logger: Logger;
}

/** How long a cache miss waits for the database before serving what was last known (if anything). */
const STALE_AFTER_MS = 300;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`database did not answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

type Entry =
  | { found: false; until: number }
  | {
      found: true;
      until: number;
      loadedAt: number;
      key: KeyContext;
      blocked: boolean;
      teamBlocked: boolean;
      userBlocked: boolean;
      expiresAt: number | null;
    };

/**
 * The hot-path key lookup: bounded LRU + TTL + negative caching in front of one joined query
 * (key ⋈ team ⋈ user). Every replica LISTENs on KEYS_CHANNEL and drops affected entries when any
 * key, team or user changes; a lost listener connection drops everything.
 *
 * A load racing an invalidation must not put stale data back: every invalidation bumps
 * `generation`, and a load only caches its result when the generation did not move meanwhile.
 */
export async function createKeyLookup(options: KeyLookupOptions): Promise<KeyLookup> {
  const { database, logger } = options;
  const ttlMs = options.ttlMs ?? 60_000;
  const negativeTtlMs = options.negativeTtlMs ?? 30_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const maxStaleMs = options.maxStaleMs ?? 15 * 60_000;
  const cache = new Map<string, Entry>();
  const inflight = new Map<string, Promise<Entry>>();
  /**
   * What was last known about keys whose cache entry was dropped because notifications may have
   * been lost (a listener reset), not because a change was announced. It is never trusted while the
   * database answers; it is the fallback when it does not, so that a database outage (which is also
   * what resets the listener) does not turn every virtual-key call into an error while spend rows
   * keep being queued. An announced change removes the key from here too.
   */
  let lastKnown = new Map<string, Entry>();
  let generation = 0;
  let lastStaleWarning = 0;

  const invalidateAll = () => {
    generation++;
    cache.clear();
    inflight.clear();
  };

  const invalidate = (change: KeyChange) => {
    if (change.kind === 'key') {
      generation++;
      cache.delete(change.id);
      inflight.delete(change.id);
      lastKnown.delete(change.id);
    } else {
      // A team or user change can touch any number of keys; dropping everything is simple and correct.
      invalidateAll();
      lastKnown.clear();
    }
  };

  const unlisten = await database.listen(
    KEYS_CHANNEL,
    (payload) => invalidate(parseKeyChange(payload)),
    () => {
      logger.warn('key cache dropped: invalidation listener reset');
      if (maxStaleMs > 0) {
        const known = new Map(lastKnown);
        for (const [hash, entry] of cache) if (entry.found) known.set(hash, entry);
        // Bounded like the cache: the oldest knowledge goes first.
        for (const hash of known.keys()) {
          if (known.size <= maxEntries) break;
          known.delete(hash);
        }
        lastKnown = known;
      }
      invalidateAll();
    },
  );

  /** The entry to serve when the database cannot be asked, or null. */
  const staleEntry = (hash: string): Entry | null => {
    const entry = cache.get(hash) ?? lastKnown.get(hash);
    if (!entry?.found || Date.now() - entry.loadedAt > maxStaleMs) return null;
    if (Date.now() - lastStaleWarning > 10_000) {
      lastStaleWarning = Date.now();
      logger.warn('database unreachable: serving keys from what was last known about them');
    }
    return entry;
  };

  const remember = (hash: string, entry: Entry) => {
    cache.delete(hash);
    cache.set(hash, entry);
    if (cache.size > maxEntries) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
  };

  const load = async (hash: string): Promise<Entry> => {
    const started = generation;
    let row: Awaited<ReturnType<typeof query>>[number] | undefined;
    const pending = query(hash);
    try {
      // With something to fall back on, do not wait for a database that may be gone: a pool whose
      // server vanished keeps reconnecting instead of failing, which would stall the request.
      const fallback = maxStaleMs > 0 && (cache.get(hash)?.found || lastKnown.has(hash));
      [row] = fallback ? await withTimeout(pending, STALE_AFTER_MS) : await pending;
    } catch (err) {
      const stale = maxStaleMs > 0 ? staleEntry(hash) : null;
      if (stale) {
        pending.catch(() => {}); // it may still fail later; nobody waits for it any more
        return stale;
      }
      throw err;
    }
    const now = Date.now();
    if (row) lastKnown.delete(hash);
    const entry: Entry = row
      ? {
          found: true,
          until: now + ttlMs,
          loadedAt: now,
          key: buildKeyContext(row.key, row.team, row.user),
          blocked: row.key.blocked,
          teamBlocked: row.team?.blocked ?? false,
          userBlocked: row.user?.blocked ?? false,
          expiresAt: row.key.expires ? row.key.expires.getTime() : null,
        }
      : { found: false, until: now + negativeTtlMs };
    if (generation === started) remember(hash, entry);
    return entry;
  };

  const query = (hash: string) =>
    database.db
      .select({ key: keys, team: teams, user: users })
      .from(keys)
      .leftJoin(teams, eq(keys.teamId, teams.teamId))
      .leftJoin(users, eq(keys.userId, users.userId))
      .where(eq(keys.token, hash))
      .limit(1);

  const judge = (entry: Entry): VerifyResult => {
    if (!entry.found) return { valid: false, code: 'not_found' };
    if (entry.blocked) return { valid: false, code: 'blocked' };
    if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) return { valid: false, code: 'expired' };
    if (entry.teamBlocked) return { valid: false, code: 'team_blocked' };
    if (entry.userBlocked) return { valid: false, code: 'user_blocked' };
    return { valid: true, key: entry.key };
  };

  const cachedHash = (hash: string): VerifyResult | null => {
    const cached = cache.get(hash);
    if (!cached || cached.until <= Date.now()) return null;
    // LRU: move to the newest position.
    cache.delete(hash);
    cache.set(hash, cached);
    return judge(cached);
  };

  const verifyHash = async (hash: string): Promise<VerifyResult> => {
    const hit = cachedHash(hash);
    if (hit !== null) return hit;
    let pending = inflight.get(hash);
    if (!pending) {
      pending = load(hash).finally(() => {
        if (inflight.get(hash) === pending) inflight.delete(hash);
      });
      inflight.set(hash, pending);
    }
    return judge(await pending);
  };

  return {
    verify(rawKey) {
      if (!isRawKey(rawKey)) return Promise.resolve({ valid: false, code: 'not_found' });
      return verifyHash(hashKey(rawKey));
    },
    verifyHash,
    cachedHash,
    invalidate,
    invalidateAll,
    size: () => cache.size,
    async close() {
      invalidateAll();
      lastKnown.clear();
      await unlisten();
    },
  };
}
