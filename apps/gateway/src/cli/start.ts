import cluster from 'node:cluster';
import { resolve } from 'node:path';
import { createLogger, type Logger, type LogLevel } from '@warden/core';
import { createDatabase } from '@warden/db';
import { ConfigError, loadConfigFile, type ResolvedConfig } from '../config/load.ts';
import { createGateway } from '../gateway.ts';
import { listen } from '../server.ts';
import { resolveMasterKey } from './master-key.ts';

export interface StartOptions {
  configPath: string;
  port: number;
  host: string;
  workers: number;
  quickstart: boolean;
}

export function makeLogger(env: NodeJS.ProcessEnv): Logger {
  const level = (env.LOG_LEVEL?.toLowerCase() ?? 'info') as LogLevel;
  return createLogger({
    level: ['debug', 'info', 'warn', 'error', 'silent'].includes(level) ? level : 'info',
  });
}

/** Loads the config or exits with one line per problem (each naming its path). */
export function loadOrExit(path: string, logger: Logger): ResolvedConfig {
  try {
    const config = loadConfigFile(path);
    for (const w of config.warnings) logger.warn(`config: ${w}`);
    return config;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

export async function start(o: StartOptions, env: NodeJS.ProcessEnv): Promise<void> {
  const logger = makeLogger(env).child(cluster.isWorker ? { worker: cluster.worker?.id } : {});
  const config = loadOrExit(o.configPath, logger);
  const dataDir = resolve(env.WARDEN_DATA_DIR ?? './.warden');
  const databaseUrl = env.DATABASE_URL ?? config.databaseUrl;
  const redisUrl = env.REDIS_URL ?? null;
  const master = resolveMasterKey(env, config.masterKey, o.quickstart, dataDir);
  if (!master) {
    fail(
      'no master key: set WARDEN_MASTER_KEY or general_settings.master_key (Warden never runs without one)',
    );
  }

  if (o.workers > 1 && cluster.isPrimary) {
    if (!databaseUrl) {
      fail(
        `--workers ${o.workers} needs DATABASE_URL: the embedded database lives inside one process. Set DATABASE_URL=postgres://... or run one worker.`,
      );
    }
    if (!redisUrl)
      logger.warn('several workers without REDIS_URL: rate limits and budgets are then held per process');
    // Migrations run once, here, before any worker starts.
    const database = await createDatabase({ url: databaseUrl, dataDir, logger });
    await database.migrate();
    await database.close();
    return runPrimary(o.workers, { ...env, WARDEN_MASTER_KEY: master.key }, logger);
  }

  const gateway = await createGateway({
    config,
    masterKey: master.key,
    logger,
    databaseUrl,
    redisUrl,
    dataDir,
    migrate: !cluster.isWorker,
  });
  const server = await listen(gateway, o.port, o.host, logger);
  const stop = async (signal: string) => {
    logger.info('shutting down', { signal });
    await server.shutdown();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  if (cluster.isWorker) return;
  const base = `http://${o.host === '0.0.0.0' ? 'localhost' : o.host}:${server.port}`;
  logger.info('warden listening', { url: base, models: config.deployments.map((d) => d.modelName) });
  process.stdout.write(`\nWarden is running on ${base}\n  Admin UI: ${base}/ui/\n`);
  if (master.source === 'generated' || master.source === 'stored') {
    process.stdout.write(`  Master key (sign in with it; kept in ${dataDir}/master-key): ${master.key}\n`);
  } else {
    process.stdout.write(
      `  Sign in with the master key (from ${master.source === 'env' ? 'WARDEN_MASTER_KEY' : 'the config'}).\n`,
    );
  }
  process.stdout.write(
    `  Try: curl ${base}/v1/chat/completions -H 'Authorization: Bearer <master key>' -H 'content-type: application/json' -d '{"model":"${config.deployments[0]?.modelName ?? 'gpt-4o-mini'}","messages":[{"role":"user","content":"hi"}]}'\n\n`,
  );
}

function runPrimary(workers: number, env: NodeJS.ProcessEnv, logger: Logger): void {
  let stopping = false;
  for (let i = 0; i < workers; i++) cluster.fork(env);
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error('worker exited; starting another', { worker: worker.id, code, signal });
    cluster.fork(env);
  });
  const stop = () => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  logger.info('warden primary started', { workers });
}

function fail(message: string): never {
  process.stderr.write(`warden: ${message}\n`);
  process.exit(1);
}
