export { scopedChannel } from './channels.ts';
export { createDatabase } from './create-database.ts';
export { MIGRATIONS_FOLDER } from './migrations-folder.ts';
export * as schema from './schema/index.ts';
export {
  auditLog,
  keys,
  policies,
  spendLogs,
  teamMembers,
  teams,
  users,
} from './schema/index.ts';
export type {
  AuditRow,
  KeyRow,
  NewKeyRow,
  NewSpendLogRow,
  NewTeamRow,
  NewUserRow,
  PolicyRow,
  SpendLogRow,
  TeamMemberRow,
  TeamRow,
  UserRow,
} from './schema/index.ts';
export type { Database, DatabaseOptions, Db, Executor, Schema, Tx } from './types.ts';
export type { Logger } from './logger.ts';
