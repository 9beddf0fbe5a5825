// Knex only, no req/res: the logged-in member of the Espace Assuré (loaded by assure/member.ts).
import { preparedQuery, type Db } from '../db.js';

export interface MemberRow {
  id: number;
  member_number: string;
  nir: string;
  sex: 'M' | 'F';
  last_name: string;
  first_name: string;
  birth_name: string | null;
  birth_date: string;
  email: string | null;
  mobile: string | null;
  phone: string | null;
  address_line1: string;
  address_line2: string | null;
  postal_code: string;
  city: string;
  iban: string | null;
  bic: string | null;
  iban_holder: string | null;
  iban_updated_at: string | null;
}

/** The columns of MemberRow (not the bookkeeping and search-key columns of the table): every key, or it does not compile. */
const MEMBER_COLUMNS = Object.keys({
  id: true,
  member_number: true,
  nir: true,
  sex: true,
  last_name: true,
  first_name: true,
  birth_name: true,
  birth_date: true,
  email: true,
  mobile: true,
  phone: true,
  address_line1: true,
  address_line2: true,
  postal_code: true,
  city: true,
  iban: true,
  bic: true,
  iban_holder: true,
  iban_updated_at: true,
} satisfies Record<keyof MemberRow, true>);

/** The member of a member account, with the columns of MemberRow. */
const memberById = preparedQuery((db, id: number) => db('members').where({ id }).first(MEMBER_COLUMNS));

/** Read on every request of the Espace Assuré (loadMember). */
export async function findMember(db: Db, id: number): Promise<MemberRow | undefined> {
  const [row] = await memberById<MemberRow>(db, id);
  return row;
}
