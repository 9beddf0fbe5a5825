// Companies, establishments, contracts with their guarantees, and the HR habilitations on them.
import { generateSiren, generateSiret } from '../../../src/domain/siret.js';
import {
  COMPANY_CORES,
  COMPANY_PREFIXES,
  COMPANY_SUFFIXES,
  GUARANTEE_TEMPLATES,
  LEGAL_FORMS,
  LEVEL_NAMES,
  coverageAt,
  type Level,
  type Town,
} from '../french-data.js';
import { dayNumber, isoDay } from '../random.js';
import type { DemoAccounts } from './accounts.js';
import { nextId, type Chunk, type College, type CompanyPlan, type Ctx, type EstablishmentPlan } from './context.js';
import { DEMO_FACTS, SIREN_HORIZON, SIREN_MARCEAU, SIREN_PONANT, SIREN_VERDIER } from './facts.js';
import { METRO_TOWN_CHOICES, TOWN_CHOICES, apportion, atTime, pad, streetAddress, townOf } from './helpers.js';

interface BaseCompanyDef {
  key: string;
  name: string;
  siren: string;
  number: string;
  addressLine: string;
  town: Town;
  levels: Record<College, Level>;
  admin: CompanyPlan['admin'];
  share: number;
  establishments: { name: string; nic: string; code: string; addressLine: string; town: Town; weight: number }[];
}

function baseCompanies(): BaseCompanyDef[] {
  return [
    {
      key: 'verdier',
      name: 'Cabinet Verdier Immobilier',
      siren: SIREN_VERDIER,
      number: '40125873',
      addressLine: '18 quai Saint-Antoine',
      town: townOf('Lyon', '69002'),
      levels: { cadre: 2, non_cadre: 0 },
      admin: 'rh.admin',
      share: 0.35,
      establishments: [
        {
          name: 'Cabinet Verdier Immobilier — Lyon Bellecour',
          nic: '0001',
          code: 'VER1001',
          addressLine: '18 quai Saint-Antoine',
          town: townOf('Lyon', '69002'),
          weight: 45,
        },
        {
          name: 'Cabinet Verdier Immobilier — Villeurbanne Gratte-Ciel',
          nic: '0002',
          code: 'VER1002',
          addressLine: '7 avenue Henri Barbusse',
          town: townOf('Villeurbanne', '69100'),
          weight: 25,
        },
        { name: 'Cabinet Verdier Immobilier — Annecy', nic: '0003', code: 'VER1003', addressLine: '3 rue Royale', town: townOf('Annecy', '74000'), weight: 20 },
        {
          name: 'Cabinet Verdier Immobilier — Saint-Denis de La Réunion',
          nic: '0004',
          code: 'VER1004',
          addressLine: '45 rue de Paris',
          town: townOf('Saint-Denis', '97400'),
          weight: 10,
        },
      ],
    },
    {
      key: 'horizon',
      name: 'Syndic Horizon Gestion',
      siren: SIREN_HORIZON,
      number: '40236915',
      addressLine: '112 boulevard Voltaire',
      town: townOf('Paris', '75011'),
      levels: { cadre: 3, non_cadre: 1 },
      admin: 'rh.admin',
      share: 0.3,
      establishments: [
        {
          name: 'Syndic Horizon Gestion — Paris Voltaire',
          nic: '0001',
          code: 'HOR2001',
          addressLine: '112 boulevard Voltaire',
          town: townOf('Paris', '75011'),
          weight: 50,
        },
        {
          name: 'Syndic Horizon Gestion — Boulogne-Billancourt',
          nic: '0002',
          code: 'HOR2002',
          addressLine: '25 route de la Reine',
          town: townOf('Boulogne-Billancourt', '92100'),
          weight: 30,
        },
        {
          name: 'Syndic Horizon Gestion — Versailles',
          nic: '0003',
          code: 'HOR2003',
          addressLine: '8 rue de la Paroisse',
          town: townOf('Versailles', '78000'),
          weight: 20,
        },
        // Just opened (nobody employed there yet) and not followed by rh.admin: DEMO_FACTS.newEstablishments.
        {
          name: 'Syndic Horizon Gestion — Nanterre',
          nic: '0004',
          code: 'HOR2004',
          addressLine: '21 rue Salvador Allende',
          town: townOf('Nanterre', '92000'),
          weight: 0,
        },
        {
          name: 'Syndic Horizon Gestion — Saint-Germain-en-Laye',
          nic: '0005',
          code: 'HOR2005',
          addressLine: '4 rue au Pain',
          town: townOf('Saint-Germain-en-Laye', '78100'),
          weight: 0,
        },
      ],
    },
    {
      key: 'marceau',
      name: 'Administration de Biens Marceau',
      siren: SIREN_MARCEAU,
      number: '40318426',
      addressLine: '56 quai des Chartrons',
      town: townOf('Bordeaux', '33000'),
      levels: { cadre: 1, non_cadre: 0 },
      admin: null,
      share: 0.15,
      establishments: [
        {
          name: 'Marceau Bordeaux Chartrons',
          nic: '0001',
          code: 'MAR3001',
          addressLine: '56 quai des Chartrons',
          town: townOf('Bordeaux', '33000'),
          weight: 60,
        },
        { name: 'Marceau Arcachon', nic: '0002', code: 'MAR3002', addressLine: '14 boulevard de la Plage', town: townOf('Arcachon', '33120'), weight: 25 },
        { name: 'Marceau Ajaccio', nic: '0003', code: 'MAR3003', addressLine: '9 cours Napoléon', town: townOf('Ajaccio', '20000'), weight: 15 },
      ],
    },
    {
      key: 'ponant',
      name: 'Immobilière du Ponant',
      siren: SIREN_PONANT,
      number: '40457209',
      addressLine: '31 rue de Siam',
      town: townOf('Brest', '29200'),
      levels: { cadre: 2, non_cadre: 1 },
      admin: 'rh.ponant',
      share: 0.2,
      establishments: [
        { name: 'Immobilière du Ponant — Brest', nic: '0001', code: 'PON4001', addressLine: '31 rue de Siam', town: townOf('Brest', '29200'), weight: 40 },
        {
          name: 'Immobilière du Ponant — Rennes',
          nic: '0002',
          code: 'PON4002',
          addressLine: '4 place de la République',
          town: townOf('Rennes', '35000'),
          weight: 35,
        },
        {
          name: 'Immobilière du Ponant — Nantes',
          nic: '0003',
          code: 'PON4003',
          addressLine: '12 cours des Cinquante Otages',
          town: townOf('Nantes', '44000'),
          weight: 25,
        },
      ],
    },
  ];
}

export function contractLabel(college: College): string {
  return `BASE CCN ${college === 'cadre' ? 'C' : 'NC'} RG Oblig/Options 1 2 3 Fac`;
}

/** Companies, establishments and how many generated members each establishment receives. */
export function planCompanies(ctx: Ctx, generatedMembers: number): CompanyPlan[] {
  const rng = ctx.rng;
  const baseMembers = Math.min(generatedMembers, 1200);
  const extraMembers = generatedMembers - baseMembers;
  const companies: CompanyPlan[] = [];
  const defs = baseCompanies();
  const baseQuotas = apportion(
    baseMembers,
    defs.map((d) => d.share),
  );
  defs.forEach((def, i) => {
    const companyId = nextId(ctx, 'companies');
    const quotas = apportion(
      baseQuotas[i],
      def.establishments.map((e) => e.weight),
    );
    companies.push({
      id: companyId,
      key: def.key,
      name: def.name,
      siren: def.siren,
      number: def.number,
      addressLine: def.addressLine,
      town: def.town,
      createdDay: dayNumber('2015-10-01') + i * 17,
      contractStart: '2016-01-01',
      levels: def.levels,
      contractIds: { cadre: 0, non_cadre: 0 },
      admin: def.admin,
      establishments: def.establishments.map((e, j) => ({
        id: nextId(ctx, 'establishments'),
        companyId,
        siret: generateSiret(def.siren, e.nic),
        name: e.name,
        code: e.code,
        addressLine: e.addressLine,
        town: e.town,
        quota: quotas[j],
      })),
    });
  });

  if (extraMembers > 0) {
    // Large scales: more companies; rh.admin administers those of pool A (58 % of the extra
    // members), so one HR administrator reaches more than half of all employees.
    const companyCount = Math.max(2, Math.round(extraMembers / 1200));
    const weights = Array.from({ length: companyCount }, () => rng.float(0.5, 1.5));
    const poolA = weights.map((_, i) => i % 2 === 0);
    const poolATotal = Math.round(extraMembers * 0.58);
    const quotaA = apportion(
      poolATotal,
      weights.filter((_, i) => poolA[i]),
    );
    const quotaB = apportion(
      extraMembers - poolATotal,
      weights.filter((_, i) => !poolA[i]),
    );
    let ia = 0;
    let ib = 0;
    const sirens = new Set(companies.map((c) => c.siren));
    const names = new Set(companies.map((c) => c.name));
    for (let i = 0; i < companyCount; i++) {
      const quota = poolA[i] ? quotaA[ia++] : quotaB[ib++];
      let siren = '';
      do siren = generateSiren(`${rng.int(3, 9)}${rng.digits(7)}`);
      while (sirens.has(siren) || siren.startsWith('356'));
      sirens.add(siren);
      let name = '';
      do name = `${rng.pick(COMPANY_PREFIXES)} ${rng.pick(COMPANY_CORES)}${rng.pick(COMPANY_SUFFIXES)}`;
      while (names.has(name));
      names.add(name);
      const companyId = nextId(ctx, 'companies');
      const hq = rng.weighted(METRO_TOWN_CHOICES);
      const establishmentCount = Math.max(1, Math.round(quota / 25));
      const estQuotas = apportion(
        quota,
        Array.from({ length: establishmentCount }, () => rng.float(0.3, 1.7)),
      );
      const establishments: EstablishmentPlan[] = [];
      for (let j = 0; j < establishmentCount; j++) {
        const town = j === 0 ? hq : rng.chance(0.5) ? hq : rng.weighted(TOWN_CHOICES);
        establishments.push({
          id: nextId(ctx, 'establishments'),
          companyId,
          siret: generateSiret(siren, pad(j + 1, 4)),
          name: `${name} — ${town.city}${j > 0 ? ` ${pad(j + 1, 2)}` : ''}`,
          code: `X${pad(companyId, 3)}${pad(j + 1, 3)}`,
          addressLine: streetAddress(rng),
          town,
          quota: estQuotas[j],
        });
      }
      companies.push({
        id: companyId,
        key: `extra-${i + 1}`,
        name: `${name} ${rng.pick(LEGAL_FORMS)}`,
        siren,
        number: String(41_000_000 + companyId * 37),
        addressLine: establishments[0].addressLine,
        town: hq,
        createdDay: rng.dayBetween(dayNumber('2010-01-01'), dayNumber('2020-12-31')),
        contractStart: isoDay(rng.pick([dayNumber('2016-01-01'), dayNumber('2018-01-01'), dayNumber('2021-01-01')])),
        levels: { cadre: rng.pick([1, 2, 3] as const), non_cadre: rng.pick([0, 0, 1, 2] as const) },
        contractIds: { cadre: 0, non_cadre: 0 },
        admin: poolA[i] ? 'rh.admin' : null,
        establishments,
      });
    }
  }
  return companies;
}

export function addCompanies(ctx: Ctx, chunk: Chunk, companies: CompanyPlan[], accounts: DemoAccounts) {
  const rng = ctx.rng;
  for (const company of companies) {
    const created = atTime(ctx, company.createdDay);
    chunk.add('companies', {
      id: company.id,
      name: company.name,
      siren: company.siren,
      insurer_company_number: company.number,
      address_line: company.addressLine,
      postal_code: company.town.postalCode,
      city: company.town.city,
      created_at: created,
    });
    for (const e of company.establishments) {
      chunk.add('establishments', {
        id: e.id,
        company_id: company.id,
        siret: e.siret,
        name: e.name,
        insurer_code: e.code,
        address_line: e.addressLine,
        postal_code: e.town.postalCode,
        city: e.town.city,
        created_at: created,
      });
    }
    for (const college of ['non_cadre', 'cadre'] as const) {
      const contractId = nextId(ctx, 'contracts');
      company.contractIds[college] = contractId;
      const level = company.levels[college];
      chunk.add('contracts', {
        id: contractId,
        company_id: company.id,
        reference: `CT${pad(company.id, 5)}-${college === 'cadre' ? 'C' : 'NC'}`,
        label: contractLabel(college),
        college,
        formula: LEVEL_NAMES[level],
        options: level < 3 ? `Options ${[1, 2, 3].filter((o) => o > level).join(', ')} facultatives, à la charge du salarié` : 'Toutes options incluses',
        start_date: company.contractStart,
        end_date: null,
        created_at: created,
      });
      GUARANTEE_TEMPLATES.forEach((template, position) => {
        const coverage = coverageAt(template, level);
        chunk.add('guarantee_lines', {
          id: nextId(ctx, 'guarantee_lines'),
          contract_id: contractId,
          category: template.category,
          label: template.label,
          coverage: coverage.coverage,
          br_percent: coverage.brPercent,
          flat_amount_cents: coverage.flatAmountCents,
          yearly_cap_cents: coverage.yearlyCapCents,
          position: position + 1,
        });
      });
    }
  }

  // Habilitations and followed establishments.
  const grant = (
    accountId: number,
    company: CompanyPlan,
    role: 'admin' | 'user',
    status: 'active' | 'suspended',
    grantedBy: number | null,
    skip: string[] = [],
  ) => {
    const at = atTime(ctx, ctx.today - rng.int(30, 380));
    chunk.add('hr_habilitations', {
      id: nextId(ctx, 'hr_habilitations'),
      account_id: accountId,
      company_id: company.id,
      role,
      status,
      granted_by_account_id: grantedBy,
      created_at: at,
      updated_at: at,
    });
    for (const e of company.establishments) {
      if (skip.includes(e.siret)) continue;
      chunk.add('hr_perimeter', { id: nextId(ctx, 'hr_perimeter'), account_id: accountId, establishment_id: e.id, added_at: at });
    }
  };
  const byKey = (key: string) => companies.find((c) => c.key === key)!;
  const newSirets = DEMO_FACTS.newEstablishments.map((e) => e.siret);
  for (const company of companies) {
    if (company.admin === 'rh.admin') grant(accounts.hrAdmin, company, 'admin', 'active', null, newSirets);
    if (company.admin === 'rh.ponant') grant(accounts.hrPonant, company, 'admin', 'active', null);
  }
  grant(accounts.hrUser, byKey('verdier'), 'user', 'active', accounts.hrAdmin, [DEMO_FACTS.perimeterAddition.siret]);
  grant(accounts.hrPending, byKey('horizon'), 'user', 'active', accounts.hrAdmin, newSirets);
  grant(accounts.hrSuspended, byKey('horizon'), 'user', 'suspended', accounts.hrAdmin, newSirets);
}
