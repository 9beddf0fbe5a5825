// Online affiliation requests in every status, with their events, documents and notifications.
import type { StoredForm } from '../../../src/domain/affiliation-form.js';
import { makeFrenchIban } from '../../../src/domain/iban.js';
import { FIRST_NAMES_FEMALE, LAST_NAMES } from '../french-data.js';
import { isoAt, isoDay } from '../random.js';
import type { DemoAccounts } from './accounts.js';
import { nextId, type Chunk, type College, type CompanyPlan, type Ctx, type EstablishmentPlan, type Sex } from './context.js';
import { DEMO_FACTS, DOMAIN } from './facts.js';
import { TOWN_CHOICES, addMonthsDay, atTime, demoMobile, sha256, slug, streetAddress, upperName } from './helpers.js';
import { birthPlace, firstNameFor, fundCode, makeNir } from './people.js';

interface RequestSpec {
  company: CompanyPlan;
  establishment: EstablishmentPlan;
  createdBy: number;
  mode: 'email' | 'courrier';
  status: 'sent' | 'started' | 'finalized' | 'abandoned' | 'cancelled';
  createdDaysAgo: number;
  decision?: 'validated' | 'refused';
  token?: string;
  person?: { sex: Sex; firstName: string; lastName: string; birthDate: string; birthPlace: string; email: string | null; nir?: string };
  memberId?: number;
  previousMemberId?: number | null;
  contractType?: 'CDI' | 'CDD';
  reminders?: number;
}

/** Requests in every status at Verdier, Horizon and Ponant, including the demo links of DEMO_FACTS. */
export function addAffiliationRequests(ctx: Ctx, chunk: Chunk, companies: CompanyPlan[], accounts: DemoAccounts, camilleNir: string) {
  for (const spec of requestSpecs(ctx, companies, accounts, camilleNir)) addAffiliationRequest(ctx, chunk, spec, accounts);
}

function requestSpecs(ctx: Ctx, companies: CompanyPlan[], accounts: DemoAccounts, camilleNir: string): RequestSpec[] {
  const verdier = companies.find((c) => c.key === 'verdier')!;
  const horizon = companies.find((c) => c.key === 'horizon')!;
  const ponant = companies.find((c) => c.key === 'ponant')!;
  return [
    {
      company: verdier,
      establishment: verdier.establishments[0],
      createdBy: accounts.hrAdmin,
      mode: 'email',
      status: 'sent',
      createdDaysAgo: 2,
      token: DEMO_FACTS.affiliationSent.token,
      person: {
        sex: 'M',
        firstName: 'Lucas',
        lastName: 'Bernard',
        birthDate: DEMO_FACTS.affiliationSent.birthDate,
        birthPlace: '69383',
        email: `lucas.bernard.rh@${DOMAIN}`,
      },
    },
    { company: verdier, establishment: verdier.establishments[1], createdBy: accounts.hrUser, mode: 'courrier', status: 'sent', createdDaysAgo: 6 },
    {
      company: verdier,
      establishment: verdier.establishments[0],
      createdBy: accounts.hrAdmin,
      mode: 'email',
      status: 'started',
      createdDaysAgo: 9,
      token: DEMO_FACTS.affiliationStarted.token,
      reminders: 1,
      person: {
        sex: 'F',
        firstName: 'Inès',
        lastName: 'Haddad',
        birthDate: DEMO_FACTS.affiliationStarted.birthDate,
        birthPlace: '99350',
        email: `ines.haddad@${DOMAIN}`,
      },
    },
    // Annecy is outside rh.utilisateur's perimeter (DEMO_FACTS.perimeterAddition): rh.admin pre-affiliated there.
    { company: verdier, establishment: verdier.establishments[2], createdBy: accounts.hrAdmin, mode: 'email', status: 'finalized', createdDaysAgo: 15 },
    {
      company: verdier,
      establishment: verdier.establishments[1],
      createdBy: accounts.hrAdmin,
      mode: 'email',
      status: 'finalized',
      createdDaysAgo: 52,
      decision: 'validated',
      memberId: 4,
      person: {
        sex: 'F',
        firstName: 'Camille',
        lastName: 'Roux',
        birthDate: '1997-10-02',
        birthPlace: '38185',
        email: `camille.roux@${DOMAIN}`,
        nir: camilleNir,
      },
    },
    {
      company: verdier,
      establishment: verdier.establishments[0],
      createdBy: accounts.hrAdmin,
      mode: 'email',
      status: 'abandoned',
      createdDaysAgo: 75,
      reminders: 2,
    },
    { company: verdier, establishment: verdier.establishments[3], createdBy: accounts.hrUser, mode: 'email', status: 'cancelled', createdDaysAgo: 30 },
    {
      company: horizon,
      establishment: horizon.establishments[0],
      createdBy: accounts.hrAdmin,
      mode: 'email',
      status: 'sent',
      createdDaysAgo: 1,
      contractType: 'CDD',
      previousMemberId: ctx.endedMembers.get(horizon.id)?.[0] ?? null,
    },
    { company: horizon, establishment: horizon.establishments[1], createdBy: accounts.hrAdmin, mode: 'email', status: 'started', createdDaysAgo: 12 },
    {
      company: horizon,
      establishment: horizon.establishments[2],
      createdBy: accounts.hrAdmin,
      mode: 'courrier',
      status: 'finalized',
      createdDaysAgo: 20,
      decision: 'refused',
    },
    { company: horizon, establishment: horizon.establishments[0], createdBy: accounts.hrAdmin, mode: 'email', status: 'finalized', createdDaysAgo: 4 },
    { company: horizon, establishment: horizon.establishments[0], createdBy: accounts.hrAdmin, mode: 'email', status: 'abandoned', createdDaysAgo: 48 },
    { company: horizon, establishment: horizon.establishments[1], createdBy: accounts.hrAdmin, mode: 'courrier', status: 'cancelled', createdDaysAgo: 25 },
    { company: ponant, establishment: ponant.establishments[0], createdBy: accounts.hrPonant, mode: 'email', status: 'sent', createdDaysAgo: 3 },
    { company: ponant, establishment: ponant.establishments[1], createdBy: accounts.hrPonant, mode: 'email', status: 'started', createdDaysAgo: 8 },
    { company: ponant, establishment: ponant.establishments[2], createdBy: accounts.hrPonant, mode: 'email', status: 'finalized', createdDaysAgo: 10 },
    { company: ponant, establishment: ponant.establishments[0], createdBy: accounts.hrPonant, mode: 'email', status: 'abandoned', createdDaysAgo: 60 },
    { company: ponant, establishment: ponant.establishments[1], createdBy: accounts.hrPonant, mode: 'courrier', status: 'cancelled', createdDaysAgo: 18 },
  ];
}

/** A request with its events; when finalized, its documents and the notification of the HR user. */
function addAffiliationRequest(ctx: Ctx, chunk: Chunk, spec: RequestSpec, accounts: DemoAccounts) {
  const rng = ctx.rng;
  const today = ctx.today;
  const id = nextId(ctx, 'affiliation_requests');
  const createdDay = today - spec.createdDaysAgo;
  const createdAt = atTime(ctx, createdDay, 8, 18);
  const sex: Sex = spec.person?.sex ?? (rng.chance(0.55) ? 'F' : 'M');
  const firstName = spec.person?.firstName ?? firstNameFor(rng, sex);
  const lastName = spec.person?.lastName ?? rng.pick(LAST_NAMES);
  const birthDate = spec.person?.birthDate ?? isoDay(today - rng.int(20, 55) * 365 - rng.int(0, 364));
  const place = spec.person?.birthPlace ?? birthPlace(rng);
  const nir = spec.person?.nir ?? makeNir(ctx, sex, birthDate, place);
  const email = spec.mode === 'courrier' ? null : (spec.person?.email ?? `${slug(firstName)}.${slug(lastName)}.${id}@${DOMAIN}`);
  const entryDay = createdDay + rng.int(-5, 10);
  const contractType = spec.contractType ?? 'CDI';
  const college: College = rng.chance(0.25) ? 'cadre' : 'non_cadre';
  const tokenLive = spec.status === 'sent' || spec.status === 'started' || spec.status === 'abandoned';
  const token = spec.token ?? `tok-${rng.hex(40)}`;
  // Links are valid 30 days; an abandoned request is one whose link expired.
  const tokenExpiresDay = createdDay + 30;
  const startedDay = spec.status === 'sent' ? null : createdDay + rng.int(0, Math.max(0, Math.min(5, spec.createdDaysAgo - 1)));
  const submittedDay = spec.status === 'finalized' && startedDay !== null ? Math.min(today, startedDay + rng.int(0, 3)) : null;
  const town = rng.weighted(TOWN_CHOICES);
  const iban = makeFrenchIban('30004', rng.digits(5), rng.digits(11));
  const formData =
    spec.status === 'sent' || (spec.status === 'cancelled' && rng.chance(0.5)) || spec.mode === 'courrier'
      ? null
      : ({
          identity: { sex, lastName, firstName, birthName: null, birthDate, nir },
          address: { line1: streetAddress(rng), line2: null, postalCode: town.postalCode, city: town.city },
          contact: { email, mobile: demoMobile(rng) },
          ...(spec.status === 'started'
            ? {}
            : {
                bank: { iban, bic: 'BNPAFRPPXXX', holder: `${sex === 'M' ? 'M.' : 'Mme'} ${firstName} ${upperName(lastName)}` },
                fundCode: fundCode(rng, town.department),
                teletransmission: true,
                beneficiaries: rng.chance(0.5)
                  ? [
                      {
                        relationship: 'enfant',
                        sex: 'F',
                        lastName,
                        firstName: rng.pick(FIRST_NAMES_FEMALE),
                        birthDate: isoDay(today - rng.int(1, 12) * 365),
                        nir: null,
                      },
                    ]
                  : [],
              }),
        } satisfies StoredForm);
  // « Démarré par le salarié » means a draft saved online (src/domain/affiliation-requests.ts):
  // a request has started_at and its « started » / « draft_saved » events exactly when its form
  // holds the employee's draft, saved before any cancellation.
  const cancelledDay = Math.min(today, createdDay + 3);
  const draftDay =
    spec.mode === 'email' && formData !== null && startedDay !== null ? (spec.status === 'cancelled' ? Math.min(startedDay, cancelledDay) : startedDay) : null;
  const draftAt = draftDay !== null ? atTime(ctx, draftDay) : null;
  const startedAt = draftAt !== null && draftAt < createdAt ? createdAt : draftAt;
  const submittedDraw = submittedDay !== null ? atTime(ctx, submittedDay) : null;
  const submittedAt = submittedDraw !== null && startedAt !== null && submittedDraw < startedAt ? startedAt : submittedDraw;
  let reminders = spec.reminders ?? 0;
  if (spec.status === 'sent' || spec.status === 'started') reminders = Math.min(reminders, Math.max(0, spec.createdDaysAgo - 1));
  const lastReminderDay = reminders > 0 ? Math.min(today - 1, createdDay + 7 * reminders) : null;
  const decidedDay = spec.decision && submittedDay !== null ? Math.min(today, submittedDay + rng.int(1, 4)) : null;
  chunk.add('affiliation_requests', {
    id,
    company_id: spec.company.id,
    establishment_id: spec.establishment.id,
    created_by_account_id: spec.createdBy,
    mode: spec.mode,
    status: spec.status,
    professional_status: college,
    previous_member_id: spec.previousMemberId ?? null,
    nir,
    last_name: lastName,
    first_name: firstName,
    email,
    birth_date: birthDate,
    entry_date: isoDay(entryDay),
    affiliation_date: isoDay(entryDay),
    employment_contract_type: contractType,
    employment_start_date: isoDay(entryDay),
    employment_end_date: contractType === 'CDD' ? isoDay(addMonthsDay(entryDay, 6) - 1) : null,
    company_status: 'salarie',
    token_hash: tokenLive && spec.mode === 'email' ? sha256(token) : null,
    token_expires_at: tokenLive && spec.mode === 'email' ? isoAt(tokenExpiresDay, 23 * 3600 + 3599) : null,
    dob_attempts: 0,
    form_data: formData ? JSON.stringify(formData) : null,
    started_at: startedAt,
    submitted_at: submittedAt,
    last_reminder_at: lastReminderDay !== null ? atTime(ctx, lastReminderDay, 9, 12) : null,
    reminder_count: reminders,
    decision: decidedDay !== null ? spec.decision : null,
    decision_reason: spec.decision === 'refused' ? 'Attestation de droits de la Sécurité sociale illisible : merci de transmettre un document lisible.' : null,
    decided_at: decidedDay !== null ? atTime(ctx, decidedDay) : null,
    decided_by_account_id: decidedDay !== null ? accounts.staff : null,
    member_id: spec.decision === 'validated' ? (spec.memberId ?? null) : null,
    created_at: createdAt,
    updated_at: createdAt,
  });
  const event = (kind: string, day: number, accountId: number | null, detail: Record<string, unknown> | null = null, at?: string) =>
    chunk.add('affiliation_request_events', {
      id: nextId(ctx, 'affiliation_request_events'),
      request_id: id,
      kind,
      at: at ?? (day === createdDay ? createdAt : atTime(ctx, day, 8, 20)),
      account_id: accountId,
      detail: detail ? JSON.stringify(detail) : null,
    });
  event('created', createdDay, spec.createdBy, { mode: spec.mode });
  event(spec.mode === 'email' ? 'email_sent' : 'courrier_ready', createdDay, spec.createdBy);
  for (let n = 1; n <= reminders; n++) event('reminder_sent', Math.min(today - 1, createdDay + 7 * n), spec.createdBy, { number: n });
  if (draftDay !== null && startedAt !== null) {
    // The first draft moves the request and is recorded at the same instant, as the app does.
    event('started', draftDay, null, null, startedAt);
    event('draft_saved', draftDay, null, null, startedAt);
  }
  if (submittedDay !== null && submittedAt !== null) event('submitted', submittedDay, null, null, submittedAt);
  if (spec.status === 'abandoned') event('abandoned', createdDay + 30, null, { reason: 'link_expired' });
  if (spec.status === 'cancelled') event('cancelled', cancelledDay, spec.createdBy);
  if (decidedDay !== null) event(spec.decision!, decidedDay, accounts.staff);

  if (spec.status === 'finalized' && ctx.uploadDir) {
    for (const [kind, title] of [
      ['rib', "Relevé d'identité bancaire"],
      ['attestation_droits', "Attestation de droits à l'assurance maladie"],
    ] as const) {
      chunk.add('affiliation_request_documents', {
        id: nextId(ctx, 'affiliation_request_documents'),
        request_id: id,
        kind,
        original_name: `${slug(title)}.pdf`,
        stored_name: `${rng.hex(32)}.pdf`,
        mime: 'application/pdf',
        size_bytes: 0,
        created_at: submittedDay !== null ? atTime(ctx, submittedDay) : createdAt,
        __file: {
          dir: 'affiliations',
          title,
          lines:
            kind === 'rib'
              ? [`Titulaire : ${firstName} ${upperName(lastName)}`, `IBAN : ${iban.replace(/(.{4})/g, '$1 ').trim()}`, 'BIC : BNPAFRPPXXX']
              : [
                  `Assuré : ${firstName} ${upperName(lastName)}`,
                  `Numéro de Sécurité sociale : ${nir.slice(0, 13)} ${nir.slice(13)}`,
                  'Droits ouverts au régime général.',
                ],
        },
      });
    }
  }
  if (spec.status === 'finalized' && spec.decision === undefined) {
    // What notifyHrOfFinalizedForm (src/affiliation-requests/lifecycle.ts) writes when the employee transmits
    // the form: to the HR user who pre-affiliated them, linking to the request they can open.
    chunk.add('notifications', {
      id: nextId(ctx, 'notifications'),
      account_id: spec.createdBy,
      kind: 'affiliation_finalized',
      title: "Formulaire d'affiliation transmis",
      body: `${firstName} ${lastName} a transmis son formulaire d'affiliation (${spec.establishment.name}).`,
      link: `/entreprise/suivi-affiliations/${id}`,
      created_at: submittedDay !== null ? atTime(ctx, submittedDay) : createdAt,
      read_at: null,
    });
  }
}
