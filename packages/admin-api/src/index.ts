export { adminAuth, callerOf, extractApiKey, requireAdmin } from './admin-auth.ts';
export { writeAudit } from './audit.ts';
export type { AuditEntry } from './audit.ts';
export { readJsonObject } from './body.ts';
export { dollarsToMicros, microsToDollars } from './money.ts';
export { loadApiPolicies, POLICIES_CHANNEL } from './policies.ts';
export { createAdminRouter } from './router.ts';
export type { AdminDeps, AdminState, Caller } from './types.ts';
export { keyToWire, teamToWire, userToWire } from './wire.ts';
