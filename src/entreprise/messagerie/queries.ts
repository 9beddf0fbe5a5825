// Knex only: the employees « Transmettre des documents pour mon salarié » offers — those of the HR
// user's « périmètre suivi » (src/entreprise/queries.ts), never another establishment's — and the
// names a company's thread page shows.
import type { Db } from '../../db.js';
import { visibleEstablishments } from '../queries.js';

export interface PerimeterEmployee {
  member_id: number;
  company_id: number;
  last_name: string;
  first_name: string;
  member_number: string;
}

/**
 * The employees affiliated (now or before) to an establishment the HR user follows, one row per
 * employee and company, by name; null when there are more than `max` (the form then asks for the
 * member number instead of offering a list nobody can read).
 */
export async function perimeterEmployees(db: Db, accountId: number, max: number): Promise<PerimeterEmployee[] | null> {
  const rows: PerimeterEmployee[] = await visibleEstablishments(db, accountId)
    .join('affiliations as a', 'a.establishment_id', 'e.id')
    .join('members as m', 'm.id', 'a.member_id')
    .distinct('m.id as member_id', 'e.company_id', 'm.last_name', 'm.first_name', 'm.member_number')
    .orderBy([{ column: 'm.last_name' }, { column: 'm.first_name' }, { column: 'm.id' }])
    .limit(max + 1);
  return rows.length > max ? null : rows;
}

/** An employee of the HR user's perimeter in that company, by member number (the form's text field past the list's size). */
export async function perimeterEmployeeByNumber(db: Db, accountId: number, companyId: number, memberNumber: string): Promise<number | null> {
  const row = await visibleEstablishments(db, accountId, companyId)
    .join('affiliations as a', 'a.establishment_id', 'e.id')
    .join('members as m', 'm.id', 'a.member_id')
    .where('m.member_number', memberNumber)
    .first('m.id');
  return row ? Number(row.id) : null;
}

/** The name of the employee a company's thread is about, when the HR user's perimeter on that company holds them; null otherwise. */
export async function employeeName(db: Db, accountId: number, companyId: number, memberId: number): Promise<string | null> {
  const row = await visibleEstablishments(db, accountId, companyId)
    .join('affiliations as a', 'a.establishment_id', 'e.id')
    .join('members as m', 'm.id', 'a.member_id')
    .where('m.id', memberId)
    .first('m.first_name', 'm.last_name');
  return row ? `${row.first_name} ${row.last_name}` : null;
}
