// Knex only, no req/res: what the two activation wizards read and write — the establishment an
// HR user activates for and the new HR account (auth/activation-hr.ts); the member and the new
// member account (auth/activation-member.ts).
import { insertedId, isUniqueViolation, type Db } from '../db.js';
import { normalizeEmail } from './queries.js';

// ------------------------------------------------------------------ HR activation (auth/activation-hr.ts)
export interface EstablishmentMatch {
  establishment_id: number;
  establishment_name: string;
  siret: string;
  company_id: number;
  company_name: string;
  insurer_company_number: string;
}

function establishmentQuery(db: Db) {
  return db('establishments')
    .join('companies', 'companies.id', 'establishments.company_id')
    .select(
      'establishments.id as establishment_id',
      'establishments.name as establishment_name',
      'establishments.siret',
      'companies.id as company_id',
      'companies.name as company_name',
      'companies.insurer_company_number',
    );
}

/** The establishment with this SIRET whose company carries this insurer number (case-insensitive). */
export async function findEstablishmentByPair(db: Db, siret: string, companyNumber: string): Promise<EstablishmentMatch | undefined> {
  return establishmentQuery(db)
    .where('establishments.siret', siret)
    .whereRaw('lower(trim(companies.insurer_company_number)) = ?', [companyNumber.trim().toLowerCase()])
    .first();
}

export async function findEstablishment(db: Db, id: number): Promise<EstablishmentMatch | undefined> {
  return establishmentQuery(db).where('establishments.id', id).first();
}

/** Who the new HR account is (the wizard's identity step). */
export interface NewHrAccount {
  lastName: string;
  firstName: string;
  email: string;
  mobileE164: string;
}

export type CreateResult = { kind: 'existing'; accountId: number } | { kind: 'created'; accountId: number; role: 'admin' | 'user'; adminEmails: string[] };

/** Active administrators (habilitation and account both active) of a company. */
function activeAdmins(db: Db, companyId: number) {
  return db('hr_habilitations')
    .join('accounts', 'accounts.id', 'hr_habilitations.account_id')
    .where({ 'hr_habilitations.company_id': companyId, 'hr_habilitations.role': 'admin', 'hr_habilitations.status': 'active', 'accounts.status': 'active' });
}

async function findHrAccountId(db: Db, email: string): Promise<number | undefined> {
  const row = await db('accounts')
    .where({ kind: 'hr', email: normalizeEmail(email) })
    .first('id');
  return row?.id;
}

/** In one transaction: the account, its perimeter and its habilitation — or nothing when the email is taken. */
export async function createHrAccount(
  db: Db,
  establishment: EstablishmentMatch,
  identity: NewHrAccount,
  passwordHash: string,
  now: Date,
): Promise<CreateResult> {
  try {
    return await db.transaction(async (trx): Promise<CreateResult> => {
      const existing = await findHrAccountId(trx, identity.email);
      if (existing) return { kind: 'existing', accountId: existing };
      const iso = now.toISOString();
      const [row] = await trx('accounts')
        .insert({
          kind: 'hr',
          email: normalizeEmail(identity.email),
          password_hash: passwordHash,
          status: 'active',
          first_name: identity.firstName,
          last_name: identity.lastName,
          mobile: identity.mobileE164,
          member_id: null,
          staff_role: null,
          activated_at: iso,
          cgu_accepted_at: iso,
          created_at: iso,
          updated_at: iso,
        })
        .returning('id');
      const accountId = insertedId(row);
      await trx('hr_perimeter').insert({ account_id: accountId, establishment_id: establishment.establishment_id, added_at: iso });
      const admins: { email: string }[] = await activeAdmins(trx, establishment.company_id).select('accounts.email');
      const role = admins.length === 0 ? 'admin' : 'user';
      await trx('hr_habilitations').insert({
        account_id: accountId,
        company_id: establishment.company_id,
        role,
        status: 'active',
        granted_by_account_id: null,
        created_at: iso,
        updated_at: iso,
      });
      return { kind: 'created', accountId, role, adminEmails: admins.map((a) => a.email) };
    });
  } catch (err) {
    // Two submissions racing for the same email: the loser is treated like an existing account.
    if (!isUniqueViolation(err)) throw err;
    const existing = await findHrAccountId(db, identity.email);
    if (!existing) throw err;
    return { kind: 'existing', accountId: existing };
  }
}

// ------------------------------------------------------------------ member activation (auth/activation-member.ts)
export interface ActivationMember {
  id: number;
  email: string | null;
  mobile: string | null;
  first_name: string;
  last_name: string;
}

/** Emails are stored lowercased; several members sharing one address is a data error: the oldest wins. */
export async function findMemberByEmail(db: Db, email: string): Promise<ActivationMember | undefined> {
  return db('members')
    .where({ email: normalizeEmail(email) })
    .orderBy('id', 'asc')
    .first();
}

export async function findMemberById(db: Db, id: number): Promise<ActivationMember | undefined> {
  return db('members').where({ id }).first();
}

/** The member's account, found by the member link or by the same email. */
export async function findMemberAccount(db: Db, memberId: number | null, email: string): Promise<{ id: number; email: string } | undefined> {
  return db('accounts')
    .where({ kind: 'member' })
    .andWhere((q) => {
      q.where({ email: normalizeEmail(email) });
      if (memberId) q.orWhere({ member_id: memberId });
    })
    .first('id', 'email');
}

/** Creates the member's account unless one appeared meanwhile; returns its id, or null. */
export async function createMemberAccount(db: Db, member: ActivationMember, email: string, passwordHash: string, now: Date): Promise<number | null> {
  return db.transaction(async (trx) => {
    const existing = await findMemberAccount(trx, member.id, email);
    if (existing) return null;
    const iso = now.toISOString();
    const [row] = await trx('accounts')
      .insert({
        kind: 'member',
        email: normalizeEmail(email),
        password_hash: passwordHash,
        status: 'active',
        first_name: member.first_name,
        last_name: member.last_name,
        mobile: member.mobile,
        member_id: member.id,
        staff_role: null,
        activated_at: iso,
        created_at: iso,
        updated_at: iso,
      })
      .returning('id');
    return insertedId(row);
  });
}
