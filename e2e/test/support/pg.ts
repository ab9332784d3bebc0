import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/**
 * A throw-away database on the shared Postgres for tests that start several Warden processes (each
 * process migrates `public` of its DATABASE_URL, so they need a database of their own).
 */
export async function createTempDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `warden_e2e_${randomBytes(5).toString('hex')}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end({ timeout: 5 });
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const a = postgres(baseUrl, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end({ timeout: 5 });
      }
    },
  };
}

/** Same database, reached through another host:port (a TCP proxy in front of Postgres). */
export function viaPort(url: string, port: number): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString();
}
