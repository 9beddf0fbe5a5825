// Families: a member with spouse and children, their affiliations, account, beneficiaries,
// télétransmission history and décomptes.
import { makeFrenchIban } from '../../../src/domain/iban.js';
import { ADDRESS_COMPLEMENTS, BANKS, END_REASONS, LAST_NAMES, PHARMACY_NAMES, PORTABILITY_REASONS, type Town } from '../french-data.js';
import { dayNumber, isoDay } from '../random.js';
import type { Row } from '../bulk.js';
import { addStatements, type BeneficiaryLines, type FamilyProfessionals } from './care.js';
import {
  nextId,
  type Chunk,
  type College,
  type CompanyPlan,
  type Ctx,
  type EstablishmentPlan,
  type FamilyResult,
  type Sex,
  type TeleStatus,
  type TeletransmissionChange,
} from './context.js';
import { DEMO_FACTS, DOMAIN } from './facts.js';
import { TOWN_CHOICES, addMonthsDay, atTime, demoMobile, landline, streetAddress, townOf, upperName, yearsBetween } from './helpers.js';
import { birthPlace, doctorName, firstNameFor, fundCode, makeNir, teleStatus, uniqueEmail, type PersonInput } from './people.js';
import { randomActivity, teletransmissionRequests } from './requests.js';

// Tuned so that the average family has ≈ 20 décompte lines over 24 months.
const LINES_FACTOR = 1.28;

interface FamilyInput {
  id: number;
  member: PersonInput;
  establishment: EstablishmentPlan;
  company: CompanyPlan;
  college: College;
  companyStatus: string;
  contractType: 'CDI' | 'CDD' | 'apprentissage' | 'professionnalisation';
  entryDay: number;
  employmentEndDay: number | null;
  endDay: number | null;
  endReason: string | null;
  /** A previous affiliation in another establishment of the company, ended by a mutation. */
  mutationTo: EstablishmentPlan | null;
  mutationDay: number | null;
  addressLine1: string;
  addressLine2: string | null;
  town: Town;
  iban: boolean;
  phone: string | null;
  spouse: PersonInput | null;
  children: PersonInput[];
  account: boolean;
  /** Exact line counts per beneficiary (member, spouse, children), or null for random ones. */
  lineCounts: number[] | null;
  randomActivity: boolean;
}

function randomPerson(ctx: Ctx, sex: Sex, birthDay: number, lastName: string): PersonInput {
  return { sex, firstName: firstNameFor(ctx.rng, sex), lastName, birthDate: isoDay(birthDay), birthPlace: birthPlace(ctx.rng) };
}

/** A random employee with a random family, in the given establishment. */
export function randomFamily(ctx: Ctx, id: number, company: CompanyPlan, establishment: EstablishmentPlan): FamilyInput {
  const rng = ctx.rng;
  const today = ctx.today;
  const sex: Sex = rng.chance(0.56) ? 'F' : 'M';
  const age = Math.min(66, Math.max(18, Math.round(40 + rng.gaussian() * 11)));
  const birthDay = today - age * 365 - rng.int(0, 364);
  const ownLastName = rng.pick(LAST_NAMES);
  let member = randomPerson(ctx, sex, birthDay, ownLastName);

  let spouse: PersonInput | null = null;
  if (age >= 24 && rng.chance(0.55)) {
    const spouseSex: Sex = rng.chance(0.96) ? (sex === 'M' ? 'F' : 'M') : sex;
    const spouseBirth = Math.min(today - 20 * 365, birthDay + Math.round(rng.gaussian() * 4 * 365));
    const married = rng.chance(0.6);
    const spouseLast = married ? ownLastName : rng.pick(LAST_NAMES);
    spouse = randomPerson(ctx, spouseSex, spouseBirth, spouseLast);
    if (married && spouseSex !== sex && sex === 'F' && rng.chance(0.7)) {
      // She took her spouse's name: her own becomes the birth name.
      const husbandName = rng.pick(LAST_NAMES);
      member = { ...member, lastName: husbandName, birthName: ownLastName };
      spouse = { ...spouse, lastName: husbandName };
    } else if (married && spouseSex !== sex && sex === 'M') {
      spouse = { ...spouse, birthName: rng.pick(LAST_NAMES) };
    }
    spouse.email = rng.chance(0.3) ? uniqueEmail(ctx, spouse.firstName, spouse.lastName) : null;
    spouse.mobile = rng.chance(0.45) ? demoMobile(rng) : null;
    spouse.tele = teleStatus(rng, 'conjoint');
  }

  const children: PersonInput[] = [];
  if (age >= 22) {
    const count = rng.weighted([
      [0, 34],
      [1, 25],
      [2, 28],
      [3, 10],
      [4, 3],
    ] as const);
    const earliest = Math.max(birthDay + 20 * 365, today - 25 * 365);
    const latest = today - 30;
    for (let i = 0; i < count && earliest < latest; i++) {
      const childSex: Sex = rng.chance(0.5) ? 'F' : 'M';
      const childBirth = rng.dayBetween(earliest, latest);
      const child = randomPerson(ctx, childSex, childBirth, member.lastName);
      child.birthPlace = rng.chance(0.85) ? establishment.town.insee : rng.weighted(TOWN_CHOICES).insee;
      child.noNir = rng.chance(0.12);
      child.tele = teleStatus(rng, 'enfant');
      children.push(child);
    }
  }

  member.email = rng.chance(0.88) ? uniqueEmail(ctx, member.firstName, member.lastName) : null;
  member.mobile = rng.chance(0.78) ? demoMobile(rng) : null;
  member.tele = teleStatus(rng, 'assure');

  // Employment: apprentices are young, most contracts are open-ended.
  const contractType =
    age < 26 && rng.chance(0.35)
      ? rng.weighted([
          ['apprentissage', 3],
          ['professionnalisation', 1],
        ] as const)
      : rng.weighted([
          ['CDI', 86],
          ['CDD', 14],
        ] as const);
  const companyStatus =
    contractType === 'apprentissage'
      ? 'apprenti'
      : rng.weighted([
          ['salarie', 88],
          ['negociateur_vrp', 9],
          ['mandataire', 1.5],
          ['stagiaire', 0.5],
        ] as const);
  const college: College =
    contractType === 'apprentissage' || contractType === 'professionnalisation' ? 'non_cadre' : rng.chance(age > 35 ? 0.32 : 0.15) ? 'cadre' : 'non_cadre';
  const workStart = birthDay + 18 * 365;
  const recent = rng.chance(0.6);
  let entryDay = recent ? rng.dayBetween(Math.max(workStart, today - 6 * 365), today - 10) : rng.dayBetween(Math.max(workStart, today - 30 * 365), today - 10);
  if (contractType === 'CDD' || contractType === 'apprentissage' || contractType === 'professionnalisation') {
    entryDay = rng.dayBetween(Math.max(workStart, today - 3 * 365), today - 10);
  }
  let employmentEndDay: number | null = null;
  let endDay: number | null = null;
  let endReason: string | null = null;
  if (contractType === 'CDD') {
    employmentEndDay = addMonthsDay(entryDay, rng.int(3, 18)) - 1;
  } else if (contractType === 'apprentissage' || contractType === 'professionnalisation') {
    employmentEndDay = addMonthsDay(entryDay, rng.pick([12, 24, 24, 36])) - 1;
  }
  if (employmentEndDay !== null && employmentEndDay < today) {
    endDay = employmentEndDay;
    endReason = contractType === 'CDD' ? 'fin_cdd' : rng.chance(0.5) ? 'fin_cdd' : 'demission';
  } else if (employmentEndDay === null && entryDay < today - 200 && rng.chance(0.1)) {
    endDay = rng.dayBetween(entryDay + 180, today - 1);
    endReason = rng.weighted(END_REASONS.filter(([reason]) => reason !== 'fin_cdd' && (reason !== 'retraite' || age >= 60)));
    employmentEndDay = endDay;
  }

  let mutationTo: EstablishmentPlan | null = null;
  let mutationDay: number | null = null;
  if (endDay === null && company.establishments.length > 1 && entryDay < today - 400 && rng.chance(0.03)) {
    const others = company.establishments.filter((e) => e.id !== establishment.id);
    mutationTo = rng.pick(others);
    mutationDay = rng.dayBetween(entryDay + 180, today - 30);
  }

  const town = rng.chance(0.7) ? establishment.town : rng.weighted(TOWN_CHOICES);
  return {
    id,
    member,
    establishment,
    company,
    college,
    companyStatus,
    contractType,
    entryDay,
    employmentEndDay,
    endDay,
    endReason,
    mutationTo,
    mutationDay,
    addressLine1: streetAddress(rng),
    addressLine2: rng.chance(0.2) ? rng.pick(ADDRESS_COMPLEMENTS) : null,
    town,
    iban: rng.chance(0.92),
    phone: rng.chance(0.15) ? landline(rng, town.department) : null,
    spouse,
    children,
    account: member.email !== null && rng.chance(0.38),
    lineCounts: null,
    randomActivity: true,
  };
}

/** Writes a family: member, affiliations, beneficiaries, account, télétransmission, décomptes. */
export function emitFamily(ctx: Ctx, chunk: Chunk, f: FamilyInput): FamilyResult {
  const cover = coverDays(f);
  const createdAt = atTime(ctx, Math.min(cover.startDay, ctx.today));
  const memberNir = makeNir(ctx, f.member.sex, f.member.birthDate, f.member.birthPlace, f.member.nirOrder);
  addMember(ctx, chunk, f, memberNir, createdAt);
  addAffiliations(ctx, chunk, f, cover, createdAt);
  const accountId = addMemberAccount(ctx, chunk, f, cover.startDay);
  const family: FamilyProfessionals = {
    gp: doctorName(ctx.rng),
    pharmacy: ctx.rng.pick(PHARMACY_NAMES),
    city: f.town.city,
  };
  const teletransmission: TeletransmissionChange[] = [];
  const { beneficiaryIds, beneficiaries, lineWork } = addBeneficiaries(ctx, chunk, f, cover, memberNir, accountId, teletransmission);
  addStatements(ctx, chunk, f.id, lineWork, f.company.levels[f.college], family);

  const result: FamilyResult = {
    memberId: f.id,
    nir: memberNir,
    accountId,
    beneficiaryIds,
    beneficiaries,
    level: f.company.levels[f.college],
    coverFrom: Math.min(cover.startDay, ctx.today),
    coverTo: Math.min(cover.coverEndDay ?? ctx.today, ctx.today),
    teletransmission,
  };
  teletransmissionRequests(ctx, chunk, result);
  if (f.randomActivity && accountId !== null) randomActivity(ctx, chunk, result);
  return result;
}

/** When the family is covered: from entry (not before the contract), up to the end of portability if any. */
interface CoverDays {
  startDay: number;
  portabilityEndDay: number | null;
  /** Last day of cover (end of portability, else end of affiliation), or null while covered. */
  coverEndDay: number | null;
}

function coverDays(f: FamilyInput): CoverDays {
  const contractStartDay = dayNumber(f.company.contractStart);
  const startDay = Math.max(f.entryDay, contractStartDay);
  const portabilityEndDay =
    f.endDay !== null && f.endReason !== null && PORTABILITY_REASONS.has(f.endReason)
      ? Math.min(addMonthsDay(f.endDay, Math.min(12, Math.max(1, Math.ceil((f.endDay - f.entryDay) / 30.4)))), addMonthsDay(f.endDay, 12))
      : null;
  return { startDay, portabilityEndDay, coverEndDay: portabilityEndDay ?? f.endDay };
}

function addMember(ctx: Ctx, chunk: Chunk, f: FamilyInput, memberNir: string, createdAt: string) {
  const rng = ctx.rng;
  const memberId = f.id;
  let iban: string | null = null;
  let bic: string | null = null;
  if (f.iban) {
    const [bank, bankBic] = rng.weighted(BANKS.map((b) => [[b[0], b[1]] as const, b[2]] as const));
    iban = makeFrenchIban(bank, rng.digits(5), rng.digits(11));
    bic = bankBic;
  }
  chunk.add('members', {
    id: memberId,
    member_number: String(100_000_000 + memberId),
    nir: memberNir,
    sex: f.member.sex,
    last_name: f.member.lastName,
    first_name: f.member.firstName,
    birth_name: f.member.birthName ?? null,
    birth_date: f.member.birthDate,
    email: f.member.email ?? null,
    mobile: f.member.mobile ?? null,
    phone: f.phone,
    address_line1: f.addressLine1,
    address_line2: f.addressLine2,
    postal_code: f.town.postalCode,
    city: f.town.city,
    iban,
    bic,
    iban_holder: iban ? `${f.member.sex === 'M' ? 'M.' : 'Mme'} ${f.member.firstName} ${upperName(f.member.lastName)}` : null,
    iban_updated_at: iban ? createdAt : null,
    created_at: createdAt,
    updated_at: createdAt,
  });
}

/** One affiliation, or two around a mutation; an ended one is remembered for « déjà affilié » requests. */
function addAffiliations(ctx: Ctx, chunk: Chunk, f: FamilyInput, cover: CoverDays, createdAt: string) {
  const memberId = f.id;
  const { startDay, portabilityEndDay } = cover;
  const affiliationBase = {
    member_id: memberId,
    contract_id: f.company.contractIds[f.college],
    professional_status: f.college,
    company_status: f.companyStatus,
    employment_contract_type: f.contractType,
    employment_start_date: isoDay(f.entryDay),
    entry_date: isoDay(f.entryDay),
    created_at: createdAt,
  };
  if (f.mutationTo && f.mutationDay !== null) {
    chunk.add('affiliations', {
      id: nextId(ctx, 'affiliations'),
      ...affiliationBase,
      establishment_id: f.establishment.id,
      employment_end_date: null,
      start_date: isoDay(startDay),
      end_date: isoDay(f.mutationDay),
      end_reason: 'mutation',
      portability_end_date: null,
    });
    chunk.add('affiliations', {
      id: nextId(ctx, 'affiliations'),
      ...affiliationBase,
      establishment_id: f.mutationTo.id,
      employment_end_date: null,
      start_date: isoDay(f.mutationDay + 1),
      end_date: null,
      end_reason: null,
      portability_end_date: null,
      created_at: atTime(ctx, f.mutationDay),
    });
  } else {
    chunk.add('affiliations', {
      id: nextId(ctx, 'affiliations'),
      ...affiliationBase,
      establishment_id: f.establishment.id,
      employment_end_date: f.employmentEndDay !== null ? isoDay(f.employmentEndDay) : null,
      start_date: isoDay(startDay),
      end_date: f.endDay !== null ? isoDay(f.endDay) : null,
      end_reason: f.endReason,
      portability_end_date: portabilityEndDay !== null ? isoDay(portabilityEndDay) : null,
    });
  }
  if (f.endDay !== null) {
    const list = ctx.endedMembers.get(f.company.id) ?? [];
    if (list.length < 20) list.push(memberId);
    ctx.endedMembers.set(f.company.id, list);
  }
}

/** The member's account, when the family has one; returns its id. */
function addMemberAccount(ctx: Ctx, chunk: Chunk, f: FamilyInput, startDay: number): number | null {
  const rng = ctx.rng;
  const today = ctx.today;
  const memberId = f.id;
  let accountId: number | null = null;
  if (f.account && f.member.email) {
    accountId = nextId(ctx, 'accounts');
    const activated = atTime(ctx, rng.dayBetween(Math.min(startDay + 5, today), today));
    const lastLogin = rng.chance(0.7) ? atTime(ctx, rng.dayBetween(today - 120, today)) : null;
    chunk.add('accounts', {
      id: accountId,
      kind: 'member',
      email: f.member.email,
      password_hash: ctx.demoHash,
      status: 'active',
      first_name: f.member.firstName,
      last_name: f.member.lastName,
      mobile: f.member.mobile ?? null,
      member_id: memberId,
      staff_role: null,
      last_login_at: lastLogin,
      last_verified_login_at: null,
      last_verified_ip: null,
      sessions_revoked_at: null,
      activated_at: activated,
      cgu_accepted_at: activated,
      created_at: activated,
      updated_at: activated,
      disabled_at: null,
    });
  }
  return accountId;
}

/** Days without care of a beneficiary whose télétransmission is silent (PersonInput.noemieSilent). */
const SILENT_DAYS = 160;

/** Member, spouse and children as beneficiaries, with their télétransmission history and how many care lines each gets. */
function addBeneficiaries(
  ctx: Ctx,
  chunk: Chunk,
  f: FamilyInput,
  cover: CoverDays,
  memberNir: string,
  accountId: number | null,
  changes: TeletransmissionChange[],
) {
  const rng = ctx.rng;
  const today = ctx.today;
  const memberId = f.id;
  const { startDay, coverEndDay } = cover;
  const people: { person: PersonInput; relationship: 'assure' | 'conjoint' | 'enfant' }[] = [
    { person: f.member, relationship: 'assure' },
    ...(f.spouse ? [{ person: f.spouse, relationship: 'conjoint' as const }] : []),
    ...f.children.map((c) => ({ person: c, relationship: 'enfant' as const })),
  ];
  const beneficiaryIds: number[] = [];
  const beneficiaries: FamilyResult['beneficiaries'] = [];
  const lineWork: BeneficiaryLines[] = [];
  let spouseNirValue: string | null = null;
  people.forEach(({ person, relationship }, index) => {
    const beneficiaryId = nextId(ctx, 'beneficiaries');
    beneficiaryIds.push(beneficiaryId);
    beneficiaries.push({ id: beneficiaryId, firstName: person.firstName, relationship });
    const birthDay = dayNumber(person.birthDate);
    const benStart = Math.max(startDay, birthDay);
    const age = yearsBetween(birthDay, today);
    let nir: string | null = null;
    let attachedNir: string | null = null;
    if (relationship === 'assure') nir = memberNir;
    else if (relationship === 'conjoint') {
      nir = makeNir(ctx, person.sex, person.birthDate, person.birthPlace);
      spouseNirValue = nir;
    } else {
      if (!person.noNir) nir = makeNir(ctx, person.sex, person.birthDate, person.birthPlace);
      // Under 16 a child is usually attached to a parent's NIR (« ayant droit »).
      if (age < 16 || nir === null) attachedNir = spouseNirValue !== null && rng.chance(0.3) ? spouseNirValue : memberNir;
    }
    const tele = person.tele ?? 'inactive';
    // A silent télétransmission began before its silence (same single draw, a narrower range).
    const teleSince = tele === 'inactive' ? null : rng.dayBetween(benStart, Math.max(benStart, today - (person.noemieSilent ? SILENT_DAYS : 1)));
    const department = relationship === 'assure' || relationship === 'enfant' ? f.town.department : rng.weighted(TOWN_CHOICES).department;
    const created = atTime(ctx, Math.min(benStart, today));
    chunk.add('beneficiaries', {
      id: beneficiaryId,
      member_id: memberId,
      relationship,
      sex: person.sex,
      last_name: person.lastName,
      first_name: person.firstName,
      birth_date: person.birthDate,
      nir,
      attached_nir: attachedNir,
      email: person.email ?? null,
      mobile: person.mobile ?? null,
      address_line1: null,
      address_line2: null,
      postal_code: null,
      city: null,
      fund_code: fundCode(rng, department),
      teletransmission_status: tele,
      teletransmission_since: teleSince !== null ? isoDay(teleSince) : null,
      on_card: coverEndDay === null || coverEndDay >= today,
      start_date: isoDay(benStart),
      end_date: coverEndDay !== null ? isoDay(coverEndDay) : null,
      created_at: created,
      updated_at: created,
    });
    if (teleSince !== null) addTeletransmissionHistory(ctx, chunk, beneficiaryId, tele, teleSince, benStart, accountId, changes);
    const lines = plannedLines(ctx, f, index, benStart, age, coverEndDay, person.noemieSilent === true);
    if (lines !== null) lineWork.push({ beneficiaryId, ...lines, sex: person.sex });
  });
  return { beneficiaryIds, beneficiaries, lineWork };
}

/** Télétransmission history: the requests the back office processed or still has to. */
function addTeletransmissionHistory(
  ctx: Ctx,
  chunk: Chunk,
  beneficiaryId: number,
  tele: TeleStatus,
  teleSince: number,
  benStart: number,
  accountId: number | null,
  changes: TeletransmissionChange[],
) {
  const rng = ctx.rng;
  const requestedDay = Math.max(benStart, teleSince - rng.int(2, 20));
  let row: Row | null = null;
  if (tele === 'active' || tele === 'blocked') {
    row = {
      id: nextId(ctx, 'teletransmission_events'),
      beneficiary_id: beneficiaryId,
      from_status: 'inactive',
      to_status: tele === 'active' ? 'activation_requested' : 'blocked',
      at: atTime(ctx, requestedDay),
      account_id: tele === 'active' && accountId !== null && rng.chance(0.3) ? accountId : null,
      processed_at: atTime(ctx, teleSince),
      processed_by: ctx.staffAccountId,
    };
  } else if (tele === 'activation_requested') {
    row = {
      id: nextId(ctx, 'teletransmission_events'),
      beneficiary_id: beneficiaryId,
      from_status: 'inactive',
      to_status: 'activation_requested',
      at: atTime(ctx, teleSince),
      account_id: accountId,
      processed_at: null,
      processed_by: null,
    };
  } else if (tele === 'deactivation_requested') {
    row = {
      id: nextId(ctx, 'teletransmission_events'),
      beneficiary_id: beneficiaryId,
      from_status: 'active',
      to_status: 'deactivation_requested',
      at: atTime(ctx, teleSince),
      account_id: accountId,
      processed_at: null,
      processed_by: null,
    };
  }
  if (!row) return;
  chunk.add('teletransmission_events', row);
  // A « blocked » status is the fund's decision, not a request.
  if (row.to_status === 'blocked') return;
  changes.push({
    eventId: row.id as number,
    beneficiaryId,
    toStatus: row.to_status as TeletransmissionChange['toStatus'],
    at: row.at as string,
    accountId: row.account_id as number | null,
    processedAt: row.processed_at as string | null,
  });
}

/** Décompte lines: in the last 24 months of cover, up to two days ago; null when there are none. */
function plannedLines(
  ctx: Ctx,
  f: FamilyInput,
  index: number,
  benStart: number,
  age: number,
  coverEndDay: number | null,
  silent: boolean,
): Omit<BeneficiaryLines, 'beneficiaryId' | 'sex'> | null {
  const rng = ctx.rng;
  const today = ctx.today;
  const from = Math.max(benStart, today - 730);
  // A décompte is paid at most ~3 weeks after the care: 160 days keeps the last one over 4 months ago.
  const to = Math.min(coverEndDay ?? today, today - (silent ? SILENT_DAYS : 2));
  if (to < from) return null;
  let count: number;
  if (f.lineCounts) count = f.lineCounts[index] ?? 0;
  else {
    const base = age < 16 ? 6.5 : age < 50 ? 7.5 : 11;
    const personal = rng.chance(0.15) ? rng.float(1.5, 3) : rng.float(0.2, 1.4);
    const expected = base * personal * ((to - from + 1) / 730) * LINES_FACTOR;
    count = Math.floor(expected) + (rng.next() < expected - Math.floor(expected) ? 1 : 0);
  }
  return count > 0 ? { from, to, age, count } : null;
}

// ---------------------------------------------------------------------------- special families

export function specialFamilies(ctx: Ctx, companies: CompanyPlan[]): FamilyInput[] {
  const today = ctx.today;
  const verdier = companies.find((c) => c.key === 'verdier')!;
  const horizon = companies.find((c) => c.key === 'horizon')!;
  const lyon = verdier.establishments[0];
  const villeurbanne = verdier.establishments[1];
  for (const email of [DEMO_FACTS.member.email, DEMO_FACTS.memberWithoutAccount.email, DEMO_FACTS.benchMember.email, `camille.roux@${DOMAIN}`]) {
    ctx.emails.add(email);
  }
  const common = {
    mutationTo: null,
    mutationDay: null,
    employmentEndDay: null,
    endDay: null,
    endReason: null,
    iban: true,
    phone: null,
    randomActivity: false,
  };
  const marie: FamilyInput = {
    ...common,
    id: 1,
    member: {
      sex: 'F',
      firstName: 'Marie',
      lastName: 'Lefebvre',
      birthName: 'Dumont',
      birthDate: DEMO_FACTS.member.birthDate,
      birthPlace: '69383',
      nirOrder: 45,
      email: DEMO_FACTS.member.email,
      mobile: DEMO_FACTS.member.mobile,
      tele: 'active',
    },
    establishment: lyon,
    company: verdier,
    college: 'cadre',
    companyStatus: 'salarie',
    contractType: 'CDI',
    entryDay: dayNumber('2019-09-02'),
    addressLine1: '24 rue Paul Bert',
    addressLine2: 'Bâtiment B',
    town: townOf('Lyon', '69006'),
    phone: '+33465710142',
    spouse: {
      sex: 'M',
      firstName: 'Thomas',
      lastName: 'Lefebvre',
      birthDate: '1984-09-02',
      birthPlace: '2B033',
      nirOrder: 112,
      mobile: '+262639980143',
      tele: 'active',
    },
    children: [
      // Léa: télétransmission active but silent for months (« Situation NOEMIE » says so).
      { sex: 'F', firstName: 'Léa', lastName: 'Lefebvre', birthDate: '2014-06-11', birthPlace: '69383', nirOrder: 231, tele: 'active', noemieSilent: true },
      { sex: 'M', firstName: 'Hugo', lastName: 'Lefebvre', birthDate: '2017-02-23', birthPlace: '69383', nirOrder: 87, tele: 'activation_requested' },
    ],
    account: true,
    lineCounts: [18, 12, 10, 9],
  };
  const julien: FamilyInput = {
    ...common,
    id: 2,
    member: {
      sex: 'M',
      firstName: 'Julien',
      lastName: 'Moreau',
      birthDate: DEMO_FACTS.memberWithoutAccount.birthDate,
      birthPlace: '44109',
      nirOrder: 318,
      email: DEMO_FACTS.memberWithoutAccount.email,
      mobile: DEMO_FACTS.memberWithoutAccount.mobile,
      tele: 'inactive',
    },
    establishment: horizon.establishments[0],
    company: horizon,
    college: 'non_cadre',
    companyStatus: 'negociateur_vrp',
    contractType: 'CDI',
    entryDay: dayNumber('2023-03-01'),
    addressLine1: '5 rue de la Roquette',
    addressLine2: null,
    town: townOf('Paris', '75011'),
    spouse: null,
    children: [],
    account: false,
    lineCounts: [14],
  };
  const bench: FamilyInput = {
    ...common,
    id: 3,
    member: {
      sex: 'M',
      firstName: 'Alexandre',
      lastName: 'Bernard',
      birthDate: '1979-01-30',
      birthPlace: '97411',
      nirOrder: 64,
      email: DEMO_FACTS.benchMember.email,
      mobile: '+262639980390',
      tele: 'active',
    },
    establishment: lyon,
    company: verdier,
    college: 'cadre',
    companyStatus: 'salarie',
    contractType: 'CDI',
    entryDay: dayNumber('2012-05-14'),
    addressLine1: '9 avenue Jean Jaurès',
    addressLine2: null,
    town: townOf('Villeurbanne', '69100'),
    spouse: { sex: 'F', firstName: 'Sophie', lastName: 'Bernard', birthName: 'Colin', birthDate: '1981-08-09', birthPlace: '2A004', tele: 'active' },
    children: [
      { sex: 'M', firstName: 'Nathan', lastName: 'Bernard', birthDate: '2009-03-03', birthPlace: '69123', tele: 'active' },
      { sex: 'F', firstName: 'Chloé', lastName: 'Bernard', birthDate: '2012-12-19', birthPlace: '69123', tele: 'blocked' },
    ],
    account: true,
    lineCounts: [200, 150, 75, 75],
  };
  const camille: FamilyInput = {
    ...common,
    id: 4,
    member: {
      sex: 'F',
      firstName: 'Camille',
      lastName: 'Roux',
      birthDate: '1997-10-02',
      birthPlace: '38185',
      nirOrder: 509,
      email: `camille.roux@${DOMAIN}`,
      mobile: '+262639980412',
      tele: 'activation_requested',
    },
    establishment: villeurbanne,
    company: verdier,
    college: 'non_cadre',
    companyStatus: 'salarie',
    contractType: 'CDI',
    entryDay: today - 45,
    addressLine1: '17 rue Francis de Pressensé',
    addressLine2: null,
    town: townOf('Villeurbanne', '69100'),
    spouse: null,
    children: [],
    account: false,
    lineCounts: [1],
  };
  return [marie, julien, bench, camille];
}
