import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Warden never runs without a master key: WARDEN_MASTER_KEY, else general_settings.master_key, else
 * (quick start only) one generated on first run and kept under the data dir, readable by its owner only.
 */
export function resolveMasterKey(
  env: NodeJS.ProcessEnv,
  fromConfig: string | null,
  quickstart: boolean,
  dataDir: string,
): { key: string; source: 'env' | 'config' | 'generated' | 'stored' } | null {
  if (env.WARDEN_MASTER_KEY) return { key: env.WARDEN_MASTER_KEY, source: 'env' };
  if (fromConfig) return { key: fromConfig, source: 'config' };
  if (!quickstart) return null;
  const file = join(dataDir, 'master-key');
  if (existsSync(file)) return { key: readFileSync(file, 'utf8').trim(), source: 'stored' };
  mkdirSync(dataDir, { recursive: true });
  const key = `sk-${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, source: 'generated' };
}
