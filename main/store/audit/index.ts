export { createAuditRecorder } from './recorder';
export type { AuditRecorder, AuditRecorderOptions } from './recorder';
export { listAudit, writeAudit } from './log';
export type { AuditAction, AuditEntry, AuditInput, EntityKind, ListAuditOptions } from './log';
export { MINUTE_MS } from './coalesce';
