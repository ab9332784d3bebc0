import type { FinishSummary, PluginDefinition, RequestContext } from '@warden/core';
import { definePlugin, isGatewayError } from '@warden/core';
import type { SpendRow } from './spend-row.ts';
import type { SpendSink } from './spend-sink.ts';
import { uuidv7 } from './uuidv7.ts';

export interface SpendPluginOptions {
  sink: SpendSink;
  /** Larger request `metadata` (as JSON) is replaced by a marker (default 8 KiB). */
  maxMetadataBytes?: number;
}

const DONE = Symbol('warden.spend.logged');
const MAX_REQUEST_ID = 200;

/**
 * The built-in spend plugin: on finish, one spend row per LLM call goes to the sink. `push` is
 * synchronous and never waits for the database, so the hook costs nothing measurable.
 *
 * @example
 * const sink = createPostgresSpendSink({ database, dataDir });
 * const plugin = createSpendPlugin({ sink });
 */
export function createSpendPlugin(options: SpendPluginOptions): PluginDefinition {
  const { sink } = options;
  const maxMetadataBytes = options.maxMetadataBytes ?? 8192;
  return definePlugin({
    name: 'spend',
    version: '0.1.0',
    apiVersion: '1.0',
    onFinish(ctx: RequestContext, summary: FinishSummary): void {
      if (ctx.endpoint === null || ctx.state.has(DONE)) return;
      ctx.state.set(DONE, true);
      sink.push(toSpendRow(ctx, summary, maxMetadataBytes));
    },
    close: () => sink.close(),
  });
}

/** Builds the row for a finished request. Exported for the gateway's own tests. */
export function toSpendRow(ctx: RequestContext, summary: FinishSummary, maxMetadataBytes = 8192): SpendRow {
  const usage = summary.usage;
  return {
    id: uuidv7(),
    requestId: clientRequestId(ctx.headers['x-request-id']) ?? ctx.requestId,
    keyHash: ctx.key?.hash ?? null,
    teamId: ctx.key?.teamId ?? null,
    userId: ctx.key?.userId ?? null,
    model: ctx.model,
    deploymentId: ctx.deployment?.id ?? null,
    providerModel: ctx.deployment?.model ?? null,
    promptTokens: usage?.prompt_tokens ?? 0,
    completionTokens: usage?.completion_tokens ?? 0,
    totalTokens: usage?.total_tokens ?? 0,
    costMicros: Math.max(0, Math.round(summary.costMicros)),
    status: summary.status,
    stream: summary.stream,
    usageEstimated: summary.usageEstimated,
    unpriced: summary.unpriced,
    aborted: summary.aborted,
    errorType: errorType(summary.error),
    startedAt: wallClock(summary.startedAt),
    durationMs: Math.max(0, Math.round(summary.durationMs)),
    ttfbMs: summary.ttfbMs === null ? null : Math.max(0, Math.round(summary.ttfbMs)),
    metadata: boundedMetadata(ctx.body.metadata, maxMetadataBytes),
  };
}

function clientRequestId(value: string | string[] | undefined): string | null {
  const id = Array.isArray(value) ? value[0] : value;
  if (id === undefined || id === '') return null;
  // A client-chosen string: bounded so that it cannot bloat the table.
  return id.length > MAX_REQUEST_ID ? id.slice(0, MAX_REQUEST_ID) : id;
}

function errorType(error: unknown): string | null {
  if (error === null || error === undefined) return null;
  return isGatewayError(error) ? error.type : 'internal_server_error';
}

/** Request times are `performance.now()` values; the row stores Unix milliseconds. */
function wallClock(startedAt: number): number {
  return Math.round(startedAt < 1e12 ? performance.timeOrigin + startedAt : startedAt);
}

/**
 * The request body's `metadata` (the gateway's own field, never forwarded upstream) as given by the
 * client, or a marker when it is too large: a row must not carry unbounded client data.
 */
function boundedMetadata(value: unknown, maxBytes: number): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch {
    return { truncated: true, reason: 'not serializable' };
  }
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > maxBytes) return { truncated: true, bytes };
  return JSON.parse(json) as Record<string, unknown>;
}
