/**
 * One spend-log row: exactly the columns of `spend_logs`. Money is integer micro-dollars; times are
 * Unix milliseconds (plain numbers, so that a row survives the JSON spill file unchanged).
 */
export interface SpendRow {
  /** Gateway-made UUIDv7: the idempotency key of the insert (a replayed row is a no-op). */
  id: string;
  /** The client's `x-request-id`, else the gateway's own request id. */
  requestId: string;
  keyHash: string | null;
  teamId: string | null;
  userId: string | null;
  /** Public model name (after the key's aliases). */
  model: string;
  deploymentId: string | null;
  /** Model name sent upstream. */
  providerModel: string | null;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  costMicros: number;
  /** HTTP status sent to the client. */
  status: number;
  stream: boolean;
  usageEstimated: boolean;
  unpriced: boolean;
  aborted: boolean;
  /** OpenAI error type when the request ended in an error. */
  errorType: string | null;
  startedAt: number;
  durationMs: number;
  ttfbMs: number | null;
  /** The request body's `metadata` (bounded in size); `{}` when absent. */
  metadata: Record<string, unknown>;
}
