import { fileURLToPath } from 'node:url';
import { createDatabase } from '@warden/db';
import { ConfigError, loadConfigFile } from '../config/load.ts';
import { parseArgs } from './args.ts';
import { makeLogger, start } from './start.ts';

const QUICKSTART = fileURLToPath(new URL('../../quickstart.yaml', import.meta.url));

const USAGE = `Usage:
  warden start --config FILE [--port N] [--host H] [--workers N]
  warden start --quickstart            the repo's quick-start config (mock models), generated master key
  warden migrate [--config FILE]       apply database migrations (DATABASE_URL, else embedded PGlite)
  warden config check FILE             validate a config; one line per problem
`;

async function main(argv: string[]): Promise<void> {
  const { positional, flags } = parseArgs(argv);
  const [command, sub] = positional;
  const env = process.env;
  if (command === 'start') {
    const quickstart = flags.quickstart === true;
    const configPath = typeof flags.config === 'string' ? flags.config : quickstart ? QUICKSTART : null;
    if (!configPath) return usage('start needs --config FILE (or --quickstart)');
    const port = Number(flags.port ?? env.PORT ?? 4000);
    const workers = Number(flags.workers ?? 1);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      return usage(`invalid --port ${String(flags.port)}`);
    if (!Number.isInteger(workers) || workers < 1) return usage(`invalid --workers ${String(flags.workers)}`);
    return start(
      {
        configPath,
        port,
        host: typeof flags.host === 'string' ? flags.host : '127.0.0.1',
        workers,
        quickstart,
      },
      env,
    );
  }
  if (command === 'migrate') {
    const logger = makeLogger(env);
    const config = typeof flags.config === 'string' ? loadConfigFile(flags.config) : null;
    const url = env.DATABASE_URL ?? config?.databaseUrl ?? undefined;
    const database = await createDatabase({ url, dataDir: env.WARDEN_DATA_DIR ?? './.warden', logger });
    await database.migrate();
    await database.close();
    process.stdout.write(`migrations applied (${database.kind})\n`);
    return;
  }
  if (command === 'config' && sub === 'check') {
    const file = positional[2];
    if (!file) return usage('config check needs FILE');
    try {
      const config = loadConfigFile(file);
      for (const w of config.warnings) process.stdout.write(`warning: ${w}\n`);
      process.stdout.write(
        `${file}: OK (${config.deployments.length} deployments, ${config.policies.length} policies, ${config.plugins.length} plugins)\n`,
      );
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 1;
    }
    return;
  }
  usage(command ? `unknown command "${command}"` : null);
}

function usage(problem: string | null): void {
  if (problem) process.stderr.write(`warden: ${problem}\n`);
  process.stderr.write(USAGE);
  process.exitCode = problem ? 2 : 0;
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`warden: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
