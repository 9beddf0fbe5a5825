// Writes a télétransmission change (the rule: teletransmissionTransition in src/domain/teletransmission.ts).
import type { Knex } from 'knex';
import type { Db } from '../db.js';
import { teletransmissionTransition, type TeletransmissionAction, type TeletransmissionActor, type TransitionResult } from '../domain/teletransmission.js';

export interface ApplyRequest {
  beneficiaryId: number;
  /** The family the beneficiary must belong to (members act on their own family only). */
  memberId?: number;
  accountId: number | null;
  action: TeletransmissionAction;
  actor?: TeletransmissionActor;
}

export type ApplyResult = TransitionResult | { ok: false; reason: 'not_found' };

/**
 * Reads the status, applies the rule and writes the change in one transaction: the
 * `teletransmission_events` row (unprocessed, for the back office) and the beneficiary's
 * status and date. Reading inside the transaction keeps a double click from writing twice.
 * Inside a caller's transaction (a validated affiliation) it becomes part of it.
 */
export async function applyTeletransmissionChange(db: Db | Knex.Transaction, now: Date, request: ApplyRequest): Promise<ApplyResult> {
  return db.transaction(async (trx) => {
    const query = trx('beneficiaries').where({ id: request.beneficiaryId });
    if (request.memberId !== undefined) query.andWhere({ member_id: request.memberId });
    const row = await query.first('id', 'teletransmission_status');
    if (!row) return { ok: false as const, reason: 'not_found' as const };
    const result = teletransmissionTransition(row.teletransmission_status, request.action, now, request.actor ?? 'member');
    if (!result.ok) return result;
    const at = now.toISOString();
    const byStaff = request.actor === 'staff';
    // A back-office decision settles the requests still waiting for this beneficiary.
    if (byStaff) {
      await trx('teletransmission_events')
        .where({ beneficiary_id: row.id })
        .whereNull('processed_at')
        .update({ processed_at: at, processed_by: request.accountId });
    }
    await trx('teletransmission_events').insert({
      beneficiary_id: row.id,
      from_status: result.from,
      to_status: result.to,
      at,
      account_id: request.accountId,
      processed_at: byStaff ? at : null,
      processed_by: byStaff ? request.accountId : null,
    });
    await trx('beneficiaries')
      .where({ id: row.id, teletransmission_status: result.from })
      .update({ teletransmission_status: result.to, teletransmission_since: result.since, updated_at: at });
    return result;
  });
}
