// Writes the security audit log (the events and the row: src/domain/audit.ts).
import type { Db } from '../db.js';
import { auditLogRow, type AuditEntry } from '../domain/audit.js';

export async function recordAudit(db: Db, now: Date, entry: AuditEntry): Promise<void> {
  await db('audit_log').insert(auditLogRow(now, entry));
}
