// The health professionals directory.
import type { Row } from '../bulk.js';
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

export function healthProfessionalRows(ctx: Ctx, count: number): Row[] {
  const rng = ctx.rng;
  const rows: Row[] = [];
  const specialtyChoices = SPECIALTIES.map((s) => [s, s.weight] as const);
  const created = atTime(ctx, ctx.today - 500);
  for (let i = 0; i < count; i++) {
    // Every town first (twice), then by size: the directory covers all of France.
    const town = i < TOWNS.length * 2 ? TOWNS[i % TOWNS.length] : rng.weighted(TOWN_CHOICES);
    const specialty = i < TOWNS.length ? (i % 2 === 0 ? SPECIALTIES[0] : SPECIALTIES[1]) : rng.weighted(specialtyChoices);
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
    });
  }
  return rows;
}
