import type { Deployment, KeyContext, LimitScope } from '@warden/core';
import type { LimitCheck } from '@warden/ratelimit';

/** A check and the words a refusal uses for its scope (never the key hash). */
export interface LabelledCheck {
  check: LimitCheck;
  label: string;
}

function scopeCheck(scope: LimitScope): LabelledCheck {
  const budget =
    scope.maxBudgetMicros === null
      ? null
      : {
          maxMicros: scope.maxBudgetMicros,
          // The reset time is the period: when the budget resetter moves it forward (and zeroes the
          // database spend), the limiter starts fresh counters seeded from the new spend.
          periodId: scope.budgetResetAt === null ? 'none' : String(scope.budgetResetAt),
          baseSpentMicros: scope.spendMicros,
          resetAtMs: scope.budgetResetAt,
        };
  return {
    check: {
      id: `${scope.kind}:${scope.id}`,
      rpm: scope.rpmLimit,
      tpm: scope.tpmLimit,
      maxParallel: scope.maxParallelRequests,
      budget,
    },
    label: scope.kind === 'key' ? 'key' : `${scope.kind} ${scope.id}`,
  };
}

/** Checks of a request: every scope of its key (key, team, user), then the deployment's rpm/tpm. */
export function buildChecks(key: KeyContext | null, deployment: Deployment | null): LabelledCheck[] {
  const out: LabelledCheck[] = [];
  for (const scope of key?.scopes ?? []) {
    const c = scopeCheck(scope);
    const limited =
      c.check.rpm !== null || c.check.tpm !== null || c.check.maxParallel !== null || c.check.budget !== null;
    if (limited) out.push(c);
  }
  if (deployment && (deployment.rpm !== null || deployment.tpm !== null)) {
    out.push({
      check: {
        id: `deployment:${deployment.id}`,
        rpm: deployment.rpm,
        tpm: deployment.tpm,
        maxParallel: null,
        budget: null,
      },
      label: `deployment ${deployment.modelName}`,
    });
  }
  return out;
}
