import { defineConfig } from 'drizzle-kit';

// `pnpm --filter @warden/db generate` writes a new migration after a schema change. Migrations are
// committed and applied by `warden migrate` / start-up; never `push`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './migrations',
});
