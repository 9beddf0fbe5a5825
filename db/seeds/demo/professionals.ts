// The health professionals directory (« Professionnels de santé »): every demo town twice, then
// towns by size, drawn with the seed's main random sequence (so the members after them do not
// change); then, from a random sequence of their own, a cluster around Lyon 3e (69003: the
// ophthalmologists of the browser test), the convention sectors, and at scale the rows up to
// 600 a unit of scale (200,000 at scale 334, the bench's « Professionnels de santé » search).
import { specialtyByCode, type Sector } from '../../../src/domain/health-professionals.js';
import type { Row } from '../bulk.js';
import { Random } from '../random.js';
import {
  AUDIO_NAMES,
  CLINIC_NAMES,
  DENTAL_CENTRE_NAMES,
  LAB_NAMES,
  OPTICIAN_NAMES,
  PHARMACY_NAMES,
  RADIOLOGY_NAMES,
  SPECIALTIES,
  TOWNS,
} from '../french-data.js';
import { nextId, type Ctx } from './context.js';
import { TOWN_CHOICES, atTime, landline, streetAddress } from './helpers.js';
import { doctorName, personName } from './people.js';

/** Lyon 3e Arrondissement (src/geo/communes.tsv), where the demo's ophthalmologists are. */
const LYON_3 = { city: 'Lyon', postalCode: '69003', department: '69', lat: 45.7612, lon: 4.8518 };
const LYON_CLUSTER = 80;

type TownLike = Pick<(typeof TOWNS)[number], 'city' | 'postalCode' | 'department' | 'lat' | 'lon'>;

/** `base` rows from the seed's sequence (as before identifiers existed), then `target - base` and the Lyon cluster from their own. */
export function healthProfessionalRows(ctx: Ctx, base: number, target: number): Row[] {
  const rows = professionalRows(
    ctx,
    ctx.rng,
    base,
    (i) => (i < TOWNS.length * 2 ? TOWNS[i % TOWNS.length] : null),
    (i) => (i < TOWNS.length ? (i % 2 === 0 ? SPECIALTIES[0] : SPECIALTIES[1]) : null),
  );
  const own = new Random(0x9e05 ^ base);
  const ophthalmologist = SPECIALTIES.find((s) => s.code === 'ophtalmologue')!;
  // Appended one by one: spreading 200,000 rows into push() overflows the call stack.
  const rest = [
    ...professionalRows(
      ctx,
      own,
      LYON_CLUSTER,
      () => LYON_3,
      (i) => (i % 4 === 0 ? ophthalmologist : null),
    ),
    ...professionalRows(
      ctx,
      own,
      Math.max(0, target - base),
      () => null,
      () => null,
    ),
  ];
  for (const row of rest) rows.push(row);
  const physicianSectors: [Sector, number][] = [
    ['1', 0.55],
    ['optam', 0.3],
    ['2', 0.15],
  ];
  for (const row of rows) {
    const specialty = specialtyByCode(String(row.specialty))!;
    row.specialty_label = specialty.label;
    row.sector = specialty.physician ? own.weighted(physicianSectors) : null;
    // Made-up numbers of the right shape: RPPS 11 digits, FINESS the département then 7 digits.
    row.identifier = ESTABLISHMENT_NAMINGS.has(String(row.naming)) ? finessOf(String(row.department), Number(row.id)) : String(10_000_000_000 + Number(row.id));
    delete row.naming;
    delete row.department;
  }
  return rows;
}

/** Namings of establishments, which have a FINESS number rather than an RPPS one. */
const ESTABLISHMENT_NAMINGS = new Set(['pharmacy', 'lab', 'radiology', 'clinic', 'dental_centre']);

function finessOf(department: string, id: number): string {
  return department.slice(0, 2) + String(id % 10_000_000).padStart(7, '0');
}

function professionalRows(
  ctx: Ctx,
  rng: Random,
  count: number,
  townAt: (i: number) => TownLike | null,
  specialtyAt: (i: number) => (typeof SPECIALTIES)[number] | null,
): Row[] {
  const rows: Row[] = [];
  const specialtyChoices = SPECIALTIES.map((s) => [s, s.weight] as const);
  const created = atTime(ctx, ctx.today - 500);
  for (let i = 0; i < count; i++) {
    // Every town first (twice), then by size: the directory covers all of France.
    const town = townAt(i) ?? rng.weighted(TOWN_CHOICES);
    const specialty = specialtyAt(i) ?? rng.weighted(specialtyChoices);
    let name: string;
    switch (specialty.naming) {
      case 'doctor':
        name = doctorName(rng);
        break;
      case 'person':
        name = personName(rng);
        break;
      case 'pharmacy':
        name = rng.pick(PHARMACY_NAMES);
        break;
      case 'optician':
        name = rng.pick(OPTICIAN_NAMES);
        break;
      case 'audio':
        name = rng.pick(AUDIO_NAMES);
        break;
      case 'lab':
        name = `${rng.pick(LAB_NAMES)} — ${town.city}`;
        break;
      case 'radiology':
        name = `${rng.pick(RADIOLOGY_NAMES)} de ${town.city}`;
        break;
      case 'clinic':
        name = rng.pick(CLINIC_NAMES) + (rng.chance(0.5) ? ` de ${town.city}` : '');
        break;
      case 'dental_centre':
        name = rng.pick(DENTAL_CENTRE_NAMES);
        break;
    }
    const spread = town.city === 'Paris' ? 0.012 : 0.03;
    rows.push({
      id: nextId(ctx, 'health_professionals'),
      name,
      specialty: specialty.code,
      specialty_label: specialty.label,
      address_line: streetAddress(rng),
      postal_code: town.postalCode,
      city: town.city,
      latitude: Math.round((town.lat + rng.gaussian() * spread) * 1e6) / 1e6,
      longitude: Math.round((town.lon + rng.gaussian() * spread * 1.4) * 1e6) / 1e6,
      phone: landline(rng, town.department),
      tiers_payant: rng.chance(specialty.tiersPayantRate),
      network_member: rng.chance(specialty.networkRate),
      created_at: created,
      // Read by healthProfessionalRows, then removed.
      naming: specialty.naming,
      department: town.department,
    });
  }
  return rows;
}
