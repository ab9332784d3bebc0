import { existsSync } from 'node:fs';

export type Service = 'pg' | 'redis' | 'browser';

const WHAT: Record<Service, string> = {
  pg: 'DATABASE_URL',
  redis: 'REDIS_URL',
  browser: '/usr/bin/chromium',
};

export const CHROMIUM_PATH = '/usr/bin/chromium';

function available(service: Service): string | null {
  switch (service) {
    case 'pg':
      return process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : null;
    case 'redis':
      return process.env.REDIS_URL ? process.env.REDIS_URL : null;
    case 'browser':
      return existsSync(CHROMIUM_PATH) ? CHROMIUM_PATH : null;
  }
}

function required(): Set<string> {
  return new Set(
    (process.env.WARDEN_TEST_REQUIRE ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

/**
 * Gate for a suite that needs an outside service (SPEC section 1). Missing → one `SKIPPED (needs X)`
 * line and `ok: false` (use with `describe.skipIf(!x.ok)`), unless WARDEN_TEST_REQUIRE names the
 * service, in which case this throws and the run fails instead of silently skipping.
 *
 * @example
 * const pg = needs('pg', 'two replicas share one Postgres');
 * describe.skipIf(!pg.ok)('replicas', () => { ... pg.url ... });
 */
export function needs(service: Service, suite = ''): { ok: boolean; url: string } {
  const url = available(service);
  if (url) return { ok: true, url };
  const label = suite ? `${suite}: ` : '';
  if (required().has(service)) {
    throw new Error(`${label}WARDEN_TEST_REQUIRE includes ${service} but ${WHAT[service]} is not available`);
  }
  process.stdout.write(`${label}SKIPPED (needs ${WHAT[service]})\n`);
  return { ok: false, url: '' };
}
