import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from './logger.ts';
import { PgliteWorkerClient } from './pglite-worker-client.ts';
import { fromWireError, type Reply } from './pglite-worker-wire.ts';

/**
 * Opens the embedded database in a worker thread: PGlite executes every statement synchronously on
 * the thread that owns it (~30-90 µs per spend row, ~250 µs per statement), which used to stall
 * every request on the gateway's single JS thread. Here the request thread only posts messages.
 * `dataDir` holds the files under `${dataDir}/pgdata`; without it the database is in memory, empty
 * or loaded from `loadDataDir` (a `dumpDataDir()` of another PGlite: how tests clone a template).
 */
export async function openPgliteWorker(
  options: { dataDir?: string; loadDataDir?: Blob; logger?: Logger } = {},
): Promise<PgliteWorkerClient> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const pgdata = options.dataDir ? join(options.dataDir, 'pgdata') : null;
  if (pgdata !== null && !existsSync(join(pgdata, 'PG_VERSION'))) {
    // First start on this directory: PGlite runs initdb, whose WebAssembly memory (~500 MB resident)
    // is never given back while the thread lives. Create the cluster in a thread of its own, stop it,
    // and serve from a fresh one: ~360 MB instead of ~870 MB for the life of the process.
    const init = await startWorker({ dataDir: pgdata }, pgdata);
    await new PgliteWorkerClient(init, options.logger).close();
  }
  const worker = await startWorker(
    { dataDir: pgdata, loadDataDir: options.loadDataDir },
    pgdata ?? '(in memory)',
  );
  return new PgliteWorkerClient(worker, options.logger);
}

async function startWorker(
  data: { dataDir: string | null; loadDataDir?: Blob },
  where: string,
): Promise<Worker> {
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData: data });
  await ready(worker, where);
  return worker;
}

/** Resolves once PGlite is open in the worker; rejects (and stops the thread) if it cannot be. */
function ready(worker: Worker, where: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onMessage = (msg: Reply) => {
      if (msg.type !== 'ready' && msg.type !== 'failed') return;
      done();
      if (msg.type === 'ready') return resolve();
      void worker.terminate();
      const cause = fromWireError(msg.error);
      reject(new Error(`the embedded database could not open ${where}: ${cause.message}`, { cause }));
    };
    const onError = (error: Error) => {
      done();
      reject(new Error('the embedded database worker failed to start', { cause: error }));
    };
    const onExit = (code: number) => {
      done();
      reject(new Error(`the embedded database worker exited while starting (exit code ${code})`));
    };
    const done = () => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}
