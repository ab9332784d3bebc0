import type { KeyContext, Logger } from '@warden/core';
import type { Database } from '@warden/db';
import type { KeyLookup } from '@warden/keys';
import type { PolicyEngine } from '@warden/policy';

export interface AdminDeps {
  database: Database;
  keys: KeyLookup;
  masterKey: string;
  logger: Logger;
  /** The gateway's engine (config policies + settings); /policy/test evaluates against it. */
  policyEngine?: PolicyEngine;
  /** Largest JSON body accepted by admin routes (default 1 MiB). */
  maxBodyBytes?: number;
}

/** Who is calling an admin route; set by `adminAuth` on `ctx.state.caller`. */
export interface Caller {
  isAdmin: boolean;
  /** What the audit log records: 'master' or the caller's key hash. */
  actor: string;
  key: KeyContext;
}

export interface AdminState {
  caller?: Caller;
}
