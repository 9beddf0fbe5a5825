// Members (each with their own beneficiary line) for a décompte feed to name: numbered
// `<prefix>0000000`, `<prefix>0000001`…, inserted 500 at a time. Used by the feed bench
// (scripts/bench/decomptes.ts) and the crash checks (scripts/fault.ts).
import type { Db } from '../../src/db.js';

export async function insertFeedMembers(
  db: Db,
  count: number,
  options: { prefix: string; lastName: string; iso: string; address: { line1: string; postalCode: string }; email?: (i: number) => string },
): Promise<void> {
  const { prefix, lastName, iso } = options;
  for (let i = 0; i < count; i += 500) {
    const members = Array.from({ length: Math.min(500, count - i) }, (_, k) => ({
      member_number: `${prefix}${String(i + k).padStart(7, '0')}`,
      nir: '185037511204866',
      sex: 'F',
      last_name: lastName,
      first_name: 'Camille',
      birth_date: '1985-03-12',
      email: options.email ? options.email(i + k) : null,
      address_line1: options.address.line1,
      postal_code: options.address.postalCode,
      city: 'Paris',
      created_at: iso,
      updated_at: iso,
    }));
    const ids: { id: number }[] = await db('members').insert(members).returning('id');
    await db('beneficiaries').insert(
      ids.map(({ id }) => ({
        member_id: id,
        relationship: 'assure',
        sex: 'F',
        last_name: lastName,
        first_name: 'Camille',
        birth_date: '1985-03-12',
        fund_code: '011751234',
        start_date: '2020-01-01',
        created_at: iso,
        updated_at: iso,
      })),
    );
  }
}
