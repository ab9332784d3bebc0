import type { Context } from 'koa';

export interface Readiness {
  /** True once migrations ran and the database answers a query now. */
  check(): Promise<{ ready: boolean; details: Record<string, unknown> }>;
}

export function createHealthRoutes(readiness: Readiness) {
  return {
    live(ctx: Context): void {
      ctx.body = { status: 'alive' };
    },
    async ready(ctx: Context): Promise<void> {
      const { ready, details } = await readiness.check();
      ctx.status = ready ? 200 : 503;
      ctx.body = {
        status: ready ? 'healthy' : 'unhealthy',
        db: ready ? 'connected' : 'disconnected',
        ...details,
      };
    },
  };
}
