import type { Logger } from './logger.ts';
import postgres from 'postgres';
import { withTimeout } from './query-counter.ts';

interface Subscriber {
  onMessage: (payload: string) => void;
  onReset?: () => void;
}

export interface PgListener {
  listen(
    channel: string,
    onMessage: (payload: string) => void,
    onReset?: () => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const HEARTBEAT_MS = 5_000;
const HEARTBEAT_TIMEOUT_MS = 3_000;
const MAX_BACKOFF_MS = 5_000;

/**
 * LISTEN on one dedicated connection that survives reconnects. postgres.js's own `listen` re-listens
 * after a drop but gives up silently if the database is still down at that moment, and never tells
 * the caller that notifications were lost; caches built on NOTIFY need both. So:
 * - on loss (connection closed, or a heartbeat that fails or hangs: half-open TCP) every subscriber's
 *   `onReset` runs, and a new connection is opened with backoff until all channels are listened again;
 * - once re-listened, `onReset` runs again: entries cached during the gap may have missed a NOTIFY.
 */
export function createPgListener(options: {
  url: string;
  applicationName: string;
  logger: Logger;
}): PgListener {
  const { url, applicationName, logger } = options;
  const channels = new Map<string, Set<Subscriber>>();
  let sql: postgres.Sql | null = null;
  let ready: Promise<void> | null = null;
  let closed = false;
  let heartbeat: NodeJS.Timeout | null = null;

  const resetAll = () => {
    for (const subs of channels.values()) for (const s of subs) safe(() => s.onReset?.());
  };
  const safe = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      logger.error('listener callback failed', { err });
    }
  };

  const open = () => {
    const instance: postgres.Sql = postgres(url, {
      max: 1,
      idle_timeout: 0,
      max_lifetime: null,
      fetch_types: false,
      connect_timeout: 5,
      connection: { application_name: applicationName },
      onnotice: () => {},
      // Undocumented in the typings but stable since postgres.js 3.0: its own listen() uses it.
      onnotify(channel: string, payload: string) {
        const subs = channels.get(channel);
        if (subs) for (const s of subs) safe(() => s.onMessage(payload));
      },
      onclose() {
        if (instance === sql) lost('listener connection closed');
      },
    } as postgres.Options<Record<string, postgres.PostgresType>>);
    return instance;
  };

  const lost = (reason: string) => {
    if (closed || sql === null) return;
    logger.warn('database listener lost; dropping caches and reconnecting', { reason });
    const old = sql;
    sql = null;
    ready = null;
    void old.end({ timeout: 0 }).catch(() => {});
    resetAll();
    void connect(true);
  };

  const listenAll = async (instance: postgres.Sql) => {
    for (const name of channels.keys()) await instance.unsafe(`LISTEN "${name}"`);
  };

  // Opens the connection and listens to every channel; retries with backoff until it works or close().
  const connect = (afterLoss: boolean): Promise<void> => {
    ready = (async () => {
      let delay = 100;
      while (!closed) {
        const instance = open();
        sql = instance;
        try {
          await listenAll(instance);
          if (afterLoss) {
            logger.info('database listener re-established');
            resetAll();
          }
          return;
        } catch (err) {
          if (sql === instance) sql = null;
          await instance.end({ timeout: 0 }).catch(() => {});
          logger.warn('database listener connect failed; retrying', { err, retryInMs: delay });
          await new Promise((r) => setTimeout(r, delay).unref());
          delay = Math.min(delay * 2, MAX_BACKOFF_MS);
        }
      }
    })();
    return ready;
  };

  const startHeartbeat = () => {
    if (heartbeat) return;
    heartbeat = setInterval(() => {
      const instance = sql;
      if (!instance || closed) return;
      withTimeout(instance`select 1`.execute(), HEARTBEAT_TIMEOUT_MS).catch((err) => {
        if (instance === sql) lost(`heartbeat failed: ${(err as Error).message}`);
      });
    }, HEARTBEAT_MS);
    heartbeat.unref();
  };

  return {
    async listen(channel, onMessage, onReset) {
      if (closed) throw new Error('listener closed');
      const sub: Subscriber = onReset ? { onMessage, onReset } : { onMessage };
      const isNew = !channels.has(channel);
      const subs = channels.get(channel) ?? new Set<Subscriber>();
      channels.set(channel, subs);
      subs.add(sub);
      startHeartbeat();
      if (!ready) await connect(false);
      else {
        await ready;
        if (isNew && sql) await sql.unsafe(`LISTEN "${channel}"`);
      }
      return async () => {
        subs.delete(sub);
        if (subs.size === 0 && channels.get(channel) === subs) {
          channels.delete(channel);
          if (sql && !closed) await sql.unsafe(`UNLISTEN "${channel}"`).catch(() => {});
        }
      };
    },
    async close() {
      closed = true;
      if (heartbeat) clearInterval(heartbeat);
      const instance = sql;
      sql = null;
      if (instance) await instance.end({ timeout: 2 }).catch(() => {});
    },
  };
}
