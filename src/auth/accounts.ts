// Account lifecycle events that must always be audited together with the change.
import type { Db } from '../db.js';
import { recordAudit } from '../stores/audit.js';
import { disableAccount, findAccountById, revokeTrustedDevices } from './queries.js';

export interface Origin {
  byAccountId?: number | null;
  ip?: string | null;
  userAgent?: string | null;
}

/** Disables an account: every one of its sessions ends at its next request, and both facts are audited. */
export async function disableAccountAndEndSessions(db: Db, now: Date, accountId: number, origin: Origin = {}): Promise<void> {
  const account = await findAccountById(db, accountId);
  if (!account) return;
  await disableAccount(db, accountId, now);
  await recordAccountDisabled(db, now, account, origin);
}

/**
 * The audit of an account already disabled by the caller (in the same statement that checked it
 * should be, e.g. the habilitations' closing of an account left with no access): closed, and its
 * sessions ended.
 */
export async function recordAccountDisabled(db: Db, now: Date, account: { id: number; kind: string }, origin: Origin = {}): Promise<void> {
  const base = { accountId: account.id, accountKind: account.kind, ip: origin.ip ?? null, userAgent: origin.userAgent ?? null };
  await recordAudit(db, now, { ...base, event: 'account_disabled', detail: { by: origin.byAccountId ?? null } });
  await recordAudit(db, now, { ...base, event: 'session_ended_by_disable' });
}

/** Forgets every trusted browser of an account: its next login asks for the double authentification. */
export async function revokeTrustedBrowsers(db: Db, now: Date, accountId: number, origin: Origin = {}): Promise<void> {
  const account = await findAccountById(db, accountId);
  if (!account) return;
  await revokeTrustedDevices(db, accountId, now);
  await recordAudit(db, now, {
    accountId,
    accountKind: account.kind,
    ip: origin.ip ?? null,
    userAgent: origin.userAgent ?? null,
    event: 'trusted_device_revoked',
  });
}
