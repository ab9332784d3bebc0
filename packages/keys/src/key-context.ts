import type { KeyContext, LimitScope } from '@warden/core';
import type { KeyRow, TeamRow, UserRow } from '@warden/db';
import { hashKey } from './key-string.ts';
import { intersectModels } from './models.ts';
import { ownerTypeOf, serviceAccountIdOf } from './owner.ts';

type ScopeRow = Pick<
  KeyRow,
  | 'rpmLimit'
  | 'tpmLimit'
  | 'maxParallelRequests'
  | 'maxBudgetMicros'
  | 'budgetDuration'
  | 'budgetResetAt'
  | 'spendMicros'
>;

function scope(kind: LimitScope['kind'], id: string, row: ScopeRow): LimitScope {
  return {
    kind,
    id,
    rpmLimit: row.rpmLimit,
    tpmLimit: row.tpmLimit,
    maxParallelRequests: row.maxParallelRequests,
    maxBudgetMicros: row.maxBudgetMicros,
    budgetDuration: row.budgetDuration,
    budgetResetAt: row.budgetResetAt ? row.budgetResetAt.getTime() : null,
    spendMicros: row.spendMicros,
  };
}

/** Builds what the request path sees from a key row and its team and user rows (when they exist). */
export function buildKeyContext(key: KeyRow, team: TeamRow | null, user: UserRow | null): KeyContext {
  const scopes: LimitScope[] = [scope('key', key.token, key)];
  if (team) scopes.push(scope('team', team.teamId, team));
  if (user) scopes.push(scope('user', user.userId, user));
  return {
    hash: key.token,
    alias: key.keyAlias,
    keyName: key.keyName,
    ownerType: ownerTypeOf(key),
    keyType: key.keyType,
    teamId: key.teamId,
    userId: key.userId,
    serviceAccountId: serviceAccountIdOf(key.metadata),
    isAdmin: user?.userRole === 'proxy_admin',
    models: intersectModels(key.models, team?.models ?? []),
    aliases: key.aliases,
    metadata: key.metadata,
    enforcedParams: key.enforcedParams,
    allowedRoutes: key.allowedRoutes,
    scopes,
  };
}

/** The master key's context: owner type admin, every model, no limits. */
export function masterKeyContext(masterKey: string): KeyContext {
  return {
    hash: hashKey(masterKey),
    alias: null,
    keyName: null,
    ownerType: 'admin',
    keyType: 'default',
    teamId: null,
    userId: null,
    serviceAccountId: null,
    isAdmin: true,
    models: [],
    aliases: {},
    metadata: {},
    enforcedParams: [],
    allowedRoutes: [],
    scopes: [],
  };
}
