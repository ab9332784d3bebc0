import { Router } from '@koa/router';
import { adminAuth } from './admin-auth.ts';
import { registerAuditRoutes } from './routes/audit.ts';
import { registerKeyRoutes } from './routes/keys.ts';
import { registerPolicyRoutes } from './routes/policies.ts';
import { registerTeamRoutes } from './routes/teams.ts';
import { registerUserRoutes } from './routes/users.ts';
import type { AdminDeps, AdminState } from './types.ts';

const PREFIXES = ['/key', '/team', '/user', '/policy', '/audit'];

/**
 * The LiteLLM-compatible admin API (SPEC 5) except /spend and /global/spend (packages/plugin-spend,
 * which reuses `adminAuth` and `requireAdmin`). Errors are thrown as GatewayError subclasses; the
 * gateway's outermost middleware maps them with `toOpenAIError`.
 *
 * @example
 * app.use(createAdminRouter({ database, keys, masterKey, logger }).routes());
 */
export function createAdminRouter(deps: AdminDeps): Router<AdminState> {
  const router = new Router<AdminState>();
  const auth = adminAuth(deps);
  for (const prefix of PREFIXES) {
    router.use(prefix, auth);
  }
  registerKeyRoutes(router, deps);
  registerTeamRoutes(router, deps);
  registerUserRoutes(router, deps);
  registerPolicyRoutes(router, deps);
  registerAuditRoutes(router, deps);
  return router;
}
