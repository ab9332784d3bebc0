import { fileURLToPath } from 'node:url';
import type Router from '@koa/router';
import { createAdminRouter, loadApiPolicies, POLICIES_CHANNEL } from '@warden/admin-api';
import { HookDriver, type Logger, loadPlugins, type PluginEntry } from '@warden/core';
import { createDatabase, type Database } from '@warden/db';
import { createKeyLookup, type KeyLookup } from '@warden/keys';
import { createAuthPlugin } from '@warden/plugin-auth';
import { createLimitsPlugin } from '@warden/plugin-limits';
import { createPolicyPlugin } from '@warden/plugin-policy';
import {
  createPostgresSpendSink,
  createSpendPlugin,
  createSpendRouter,
  type SpendSink,
  startBudgetResetter,
} from '@warden/plugin-spend';
import { createPolicyEngine } from '@warden/policy';
import { priceFor } from '@warden/pricing';
import { ProviderRegistry } from '@warden/providers';
import { createRateLimiter, type RateLimiter } from '@warden/ratelimit';
import type Koa from 'koa';
import { createApp } from './app.ts';
import type { ResolvedConfig } from './config/load.ts';
import { importPlugin } from './plugins/resolve-plugin.ts';
import { createCostFn } from './pricing.ts';
import { ModelRouter } from './routing/model-router.ts';

export interface GatewayOptions {
  config: ResolvedConfig;
  masterKey: string;
  logger: Logger;
  /** `DATABASE_URL` (or general_settings.database_url); null = embedded PGlite under dataDir. */
  databaseUrl: string | null;
  /** `REDIS_URL`; null = limits and budgets held in this process. */
  redisUrl: string | null;
  dataDir: string;
  /** An already open database (tests share one per file). */
  database?: Database;
  /** Folder of the built admin UI; defaults to apps/admin/dist. */
  uiDir?: string | null;
  hookTimeoutMs?: number;
  /** Key cache TTL override (tests). */
  keyCacheTtlMs?: number;
  /** Run migrations at start (default true; a cluster primary runs them once before forking). */
  migrate?: boolean;
}

export interface Gateway {
  app: Koa;
  database: Database;
  keys: KeyLookup;
  spend: SpendSink;
  limiter: RateLimiter;
  /** Flushes spend logs and closes every connection; call after the server stopped accepting. */
  close(): Promise<void>;
}

const DEFAULT_UI_DIR = fileURLToPath(new URL('../../admin/dist', import.meta.url));

/**
 * Wires Warden together: database, key cache, policy engine, limiter, spend sink, the built-in
 * plugins (auth → policy → limits → spend, exactly through the public plugin API), the config's
 * third-party plugins, and the admin routers.
 */
export async function createGateway(o: GatewayOptions): Promise<Gateway> {
  const { config, logger } = o;
  const closers: Array<() => Promise<void> | void> = [];
  const close = async () => {
    for (const fn of closers.reverse()) {
      try {
        await fn();
      } catch (err) {
        logger.error('error while closing', { err });
      }
    }
  };
  for (const d of config.deployments) {
    if (priceFor(d) === null) {
      logger.warn('no price known for this model: its calls cost 0 and spend rows are marked unpriced', {
        deployment: d.id,
        model: `${d.provider}/${d.model}`,
      });
    }
  }
  try {
    const database =
      o.database ?? (await createDatabase({ url: o.databaseUrl ?? undefined, dataDir: o.dataDir, logger }));
    if (!o.database) closers.push(() => database.close());
    if (o.migrate !== false) await database.migrate();

    const keys = await createKeyLookup({ database, ttlMs: o.keyCacheTtlMs ?? config.keyCacheTtlMs, logger });
    closers.push(() => keys.close());

    const engine = createPolicyEngine({ settings: config.policySettings, configPolicies: config.policies });
    const reloadPolicies = async () => engine.setApiPolicies(await loadApiPolicies(database));
    await reloadPolicies();
    const reload = () => void reloadPolicies().catch((err) => logger.error('policy reload failed', { err }));
    const unlisten = await database.listen(POLICIES_CHANNEL, reload, reload);
    closers.push(unlisten);

    const limiter = createRateLimiter({ redisUrl: o.redisUrl ?? undefined, logger });
    closers.push(() => limiter.close());

    const spend = createPostgresSpendSink({ database, dataDir: o.dataDir, logger });
    closers.push(() => spend.close());
    const resetter = startBudgetResetter({ database, logger });
    closers.push(() => resetter.stop());

    const entries: PluginEntry[] = [
      { source: 'built-in', definition: createAuthPlugin({ masterKey: o.masterKey, lookup: keys }) },
      { source: 'built-in', definition: createPolicyPlugin({ engine }) },
      { source: 'built-in', definition: createLimitsPlugin({ limiter, logger }) },
      { source: 'built-in', definition: createSpendPlugin({ sink: spend }) },
    ];
    for (const p of config.plugins) {
      entries.push({
        source: p.package,
        definition: await importPlugin(p.package, [config.dir, process.cwd()]),
        options: p.options,
      });
    }
    const loaded = await loadPlugins(entries, logger);
    closers.push(async () => {
      for (const p of loaded) await p.definition.close?.();
    });
    const driver = new HookDriver(loaded, { logger, hookTimeoutMs: o.hookTimeoutMs });

    const providers = new ProviderRegistry();
    closers.push(() => providers.close());
    const auth = { database, keys, masterKey: o.masterKey, logger };
    const adminRouters: Router[] = [
      createAdminRouter({ ...auth, policyEngine: engine }),
      createSpendRouter({ database, auth }),
    ];
    const app = createApp({
      driver,
      providers,
      router: new ModelRouter(config.deployments),
      logger,
      cost: createCostFn(),
      readiness: {
        async check() {
          const db = await database.ping();
          return { ready: db, details: { database: database.kind, cache: o.redisUrl ? 'redis' : 'memory' } };
        },
      },
      maxRequestBytes: config.maxRequestBytes,
      numRetries: config.numRetries,
      adminRouters,
      uiDir: o.uiDir === undefined ? DEFAULT_UI_DIR : o.uiDir,
    });
    return { app, database, keys, spend, limiter, close };
  } catch (err) {
    await close();
    throw err;
  }
}
