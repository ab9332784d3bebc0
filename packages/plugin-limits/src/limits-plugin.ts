import {
  BudgetExceededError,
  type Deployment,
  definePlugin,
  type FinishSummary,
  type Logger,
  type PluginDefinition,
  RateLimitError,
  type RequestContext,
} from '@warden/core';
import {
  estimateRequestTokens,
  maxOutputTokensFor,
  type Price,
  priceFor,
  worstCaseMicros,
} from '@warden/pricing';
import type { Admission, RateLimiter } from '@warden/ratelimit';
import { buildChecks } from './checks.ts';

/** How the plugin prices a deployment; defaults to @warden/pricing's table and config overrides. */
export interface LimitsPricing {
  priceFor(deployment: Deployment): Price | null;
  maxOutputTokensFor(deployment: Deployment): number | null;
}

export interface LimitsPluginOptions {
  limiter: RateLimiter;
  pricing?: LimitsPricing;
  logger: Logger;
  /**
   * When the limiter itself fails (Redis unreachable): false (default) refuses the request with a
   * 500, true serves it unlimited and logs an error. Closed by default because an open failure
   * lets budgets overspend.
   */
  failOpen?: boolean;
}

interface Pending {
  admission: Promise<Admission | null>;
  tokens: number;
}

const PENDING = Symbol('warden.limits.pending');

const defaultPricing: LimitsPricing = { priceFor, maxOutputTokensFor };

const usd = (micros: number) => (micros / 1_000_000).toFixed(6).replace(/\.?0+$/, '');

/**
 * The built-in limits plugin (SPEC 7): before the upstream call it admits the request against the
 * rpm, tpm, parallel and budget limits of its key, team and user and the deployment's rpm/tpm, all
 * at once (a refusal consumes nothing); when the request finishes it settles the real tokens and
 * cost, or releases what it held.
 *
 * @example
 * createLimitsPlugin({ limiter: createRateLimiter({ redisUrl: process.env.REDIS_URL, logger }), logger })
 */
export function createLimitsPlugin(options: LimitsPluginOptions): PluginDefinition {
  const { limiter, logger } = options;
  const pricing = options.pricing ?? defaultPricing;
  // Prices are per deployment and the deployment list is fixed at start-up: look them up once.
  const prices = new WeakMap<Deployment, { price: Price | null; maxOutput: number | null }>();
  const priceOf = (d: Deployment) => {
    let p = prices.get(d);
    if (!p) {
      p = { price: pricing.priceFor(d), maxOutput: pricing.maxOutputTokensFor(d) };
      prices.set(d, p);
    }
    return p;
  };

  return definePlugin({
    name: 'warden-limits',
    version: '0.1.0',
    apiVersion: '1.0',

    async beforeUpstream(ctx: RequestContext) {
      if (ctx.endpoint === null) return;
      const labelled = buildChecks(ctx.key, ctx.deployment);
      if (labelled.length === 0) return;
      const p = ctx.deployment ? priceOf(ctx.deployment) : null;
      const worstCostMicros = p?.price ? worstCaseMicros(ctx.body, ctx.endpoint, p.price, p.maxOutput) : 0;
      const tokens = estimateRequestTokens(ctx.body, ctx.endpoint);
      const admission = limiter.admit(
        labelled.map((l) => l.check),
        { tokens, worstCostMicros },
      );
      // Stored before awaiting: if this hook times out, onFinish still finds the admission and
      // gives back whatever it reserved.
      const pending: Pending = { admission: admission.catch(() => null), tokens };
      ctx.state.set(PENDING, pending);
      let result: Admission;
      try {
        result = await admission;
      } catch (err) {
        if (!options.failOpen) throw err;
        logger.error('rate limiter unavailable; request served without limits', {
          requestId: ctx.requestId,
          err,
        });
        return;
      }
      if (!result.ok) {
        const label = labelled.find((l) => l.check.id === result.scopeId)?.label ?? result.scopeId;
        throw refusalError(result, label);
      }
      for (const [name, value] of Object.entries(result.headers)) ctx.setResponseHeader(name, value);
    },

    async onFinish(ctx: RequestContext, summary: FinishSummary) {
      const pending = ctx.state.get(PENDING) as Pending | undefined;
      if (!pending) return;
      ctx.state.delete(PENDING);
      const admission = await pending.admission;
      if (!admission?.ok) return;
      if (summary.upstreamCalled && summary.usage) {
        await limiter.settle(admission.ticket, {
          tokens: summary.usage.total_tokens ?? pending.tokens,
          costMicros: summary.costMicros,
        });
      } else {
        // Refused before the upstream (later hook, timeout, client gone): it consumed nothing.
        // Called but no answer (upstream error): the request counts, the reservation goes back.
        await limiter.release(admission.ticket, { refund: !summary.upstreamCalled });
      }
    },
  });
}

function refusalError(refusal: Extract<Admission, { ok: false }>, label: string): Error {
  const retry = refusal.retryAfterSeconds;
  switch (refusal.reason) {
    case 'budget':
      return new BudgetExceededError(
        `Budget has been exceeded for ${label}! Current cost: ${usd(refusal.current)}, Max budget: ${usd(refusal.limit)}`,
        retry,
      );
    case 'rpm':
      return new RateLimitError(
        `Rate limit exceeded for ${label}: ${refusal.limit} requests per minute. Retry after ${retry ?? 1}s.`,
        retry ?? 1,
        refusal.headers,
      );
    case 'tpm':
      return new RateLimitError(
        `Rate limit exceeded for ${label}: ${refusal.limit} tokens per minute (${refusal.current} used). Retry after ${retry ?? 1}s.`,
        retry ?? 1,
        refusal.headers,
      );
    case 'parallel':
      return new RateLimitError(
        `Max parallel request limit reached for ${label}: ${refusal.limit} requests in flight.`,
        retry ?? 1,
        refusal.headers,
      );
  }
}
