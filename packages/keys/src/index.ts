export { isBudgetDuration, nextBudgetReset } from './budget-duration.ts';
export { anyGlobMatch, globMatch } from './glob.ts';
export { KEYS_CHANNEL, notifyKeyChange, parseKeyChange } from './invalidation.ts';
export type { KeyChange } from './invalidation.ts';
export { buildKeyContext, masterKeyContext } from './key-context.ts';
export { extractApiKey } from './key-header.ts';
export { createKeyLookup } from './key-lookup.ts';
export type { KeyLookup, KeyLookupOptions, VerifyFailure, VerifyResult } from './key-lookup.ts';
export {
  constantTimeEqual,
  displayKeyName,
  generateRawKey,
  hashKey,
  isKeyHash,
  isRawKey,
  keyRefToHash,
} from './key-string.ts';
export {
  createKey,
  deleteKeyRows,
  deleteKeys,
  regenerateKey,
  SERVICE_ACCOUNT_TEAM_REQUIRED,
  setKeyBlocked,
  updateKey,
} from './key-verbs.ts';
export type { CreateKeyOptions, KeyInput } from './key-verbs.ts';
export { intersectModels, modelInList, NO_MODELS } from './models.ts';
export { ownerTypeOf, serviceAccountIdOf } from './owner.ts';
export { isUniqueViolation } from './db-errors.ts';
