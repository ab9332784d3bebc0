import type { MockModelKind } from '../chain/models.ts';
import type { BenchProcess } from '../processes.ts';
import type { RequestSpec } from '../request.ts';

/** Something the load generator can be pointed at: the mock itself, or a gateway in front of it. */
export interface Target {
  /** Stable id used in results (`direct`, `portkey`, `warden`, `warden-w2`). */
  name: string;
  /** The gateway process (null for the direct path); its tree is sampled for memory. */
  process: BenchProcess | null;
  /** Workers serving requests (1 unless started with --workers). */
  workers: number;
  spec(kind: MockModelKind): RequestSpec;
  /** Facts worth recording with the results (versions, config hash, database...). */
  info: Record<string, unknown>;
  stop(): Promise<void>;
}

/** Shared by every target factory. */
export interface TargetContext {
  repoRoot: string;
  runDir: string;
  mockPort: number;
  mockApiKey: string;
  gatewayCore: number | null;
}

export const JSON_HEADERS = { 'content-type': 'application/json' } as const;
