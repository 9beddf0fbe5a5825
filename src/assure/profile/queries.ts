// Knex only: the member's own contact and bank details, and the login of their account.
import type { Db } from '../../db.js';

export interface AddressInput {
  address_line1: string;
  address_line2: string | null;
  postal_code: string;
  city: string;
}

export interface BankDetailsInput {
  iban: string;
  bic: string | null;
  iban_holder: string;
}

export async function updateMemberAddress(db: Db, memberId: number, address: AddressInput, now: Date): Promise<void> {
  await db('members')
    .where({ id: memberId })
    .update({ ...address, updated_at: now.toISOString() });
}

export async function updateMemberBankDetails(db: Db, memberId: number, details: BankDetailsInput, now: Date): Promise<void> {
  const at = now.toISOString();
  await db('members')
    .where({ id: memberId })
    .update({ ...details, iban_updated_at: at, updated_at: at });
}

/** The contact email and the login change together, or not at all. */
export async function changeMemberEmail(db: Db, memberId: number, accountId: number, email: string, now: Date): Promise<void> {
  const at = now.toISOString();
  await db.transaction(async (trx) => {
    await trx('members').where({ id: memberId }).update({ email, updated_at: at });
    await trx('accounts').where({ id: accountId, member_id: memberId }).update({ email, updated_at: at });
  });
}

/** The contact mobile and the 2FA number of the account change together. */
export async function changeMemberMobile(db: Db, memberId: number, accountId: number, mobile: string, now: Date): Promise<void> {
  const at = now.toISOString();
  await db.transaction(async (trx) => {
    await trx('members').where({ id: memberId }).update({ mobile, updated_at: at });
    await trx('accounts').where({ id: accountId, member_id: memberId }).update({ mobile, updated_at: at });
  });
}
