// Member requests (remboursement, devis, télétransmission) and the message threads of members and
// companies, written through the plans of ./correspondence.ts (the portal's rules decide every
// status, timeline row, expected day and read marker):
// - marieActivity: what the demo member finds — a request in every status, devis with the
//   reste-à-charge estimate computed on her own guarantees (src/domain/reste-a-charge.ts), one of
//   them answered per line, threads in every status with files, unread answers and a late one;
// - addHrThreads: « Nous contacter » threads of the demo companies in every status, some unread
//   by one HR user and read by another, with the staff's internal notes;
// - randomActivity: the generated members' history over two years (≈ 3.4 requests and 1.9
//   threads per member account), and teletransmissionRequests: one request per télétransmission
//   change asked (pending, or processed in the last two years). About 600 items per unit of scale:
//   ≈ 200,000 at the bench's scale 334 (npm run bench -- --only inbox).
// Work is shared between the two demo staff accounts; the draws come from ctx.activity.
import { CARE_ACTS, type QuoteObject } from '../../../src/domain/care-acts.js';
import { addBusinessDays } from '../../../src/domain/business-days.js';
import { estimateResteACharge, usedThisYearByGuarantee, type GuaranteeLine, type QuoteLineInput } from '../../../src/domain/reste-a-charge.js';
import { toStoredEstimate, type StoredEstimate } from '../../../src/domain/stored-estimate.js';
import { formatEuros } from '../../../src/domain/money.js';
import { requestNotice, threadReplyNotice } from '../../../src/correspondence/notices.js';
import { coverageAt, GUARANTEE_TEMPLATES, type Level } from '../french-data.js';
import { isoDay, type Random } from '../random.js';
import type { DemoAccounts } from './accounts.js';
import { nextId, type Chunk, type CompanyPlan, type Ctx, type FamilyResult } from './context.js';
import {
  emitRequest,
  emitThread,
  type AnswerLine,
  type FileSpec,
  type RequestPlan,
  type RequestStep,
  type ThreadPlan,
  type ThreadStep,
} from './correspondence.js';
import { atTime } from './helpers.js';

/** Files written for the generated members' items (the demo accounts' own items always have theirs). */
const RANDOM_FILE_BUDGET = 40;
/** Télétransmission changes processed within this many days become processed requests. */
const HISTORY_DAYS = 730;
/** Marie (Cabinet Verdier Immobilier — Lyon) and Julien Moreau (Syndic Horizon Gestion — Paris Voltaire), families.ts, specialFamilies: employees in the demo HR users' perimeters. */
const MARIE_MEMBER_ID = 1;
const JULIEN_MEMBER_ID = 2;

// ------------------------------------------------------------------ what members write
interface RemboursementContent {
  message: string;
  file: string;
  minCents: number;
  maxCents: number;
  /** What the contract pays back, as a share of the invoice, or a flat amount. */
  share?: number;
  flatCents?: number;
}

const REMBOURSEMENTS: Readonly<Record<string, RemboursementContent>> = {
  medecine_douce: {
    message: "Bonjour, voici la facture de ma séance d'ostéopathie.",
    file: 'Facture ostéopathe',
    minCents: 5500,
    maxCents: 8000,
    flatCents: 4000,
  },
  optique: {
    message: "Bonjour, j'ai acheté mes lunettes chez un opticien hors réseau : voici la facture.",
    file: 'Facture opticien',
    minCents: 25000,
    maxCents: 60000,
    share: 0.6,
  },
  dentaire: {
    message: 'Bonjour, vous trouverez ci-joint la facture de mon implant dentaire.',
    file: 'Facture chirurgien-dentiste',
    minCents: 90000,
    maxCents: 200000,
    share: 0.35,
  },
  hospitalisation: {
    message: 'Bonjour, voici la facture de la chambre particulière de mon hospitalisation.',
    file: 'Facture clinique',
    minCents: 15000,
    maxCents: 45000,
    share: 0.8,
  },
  pharmacie: {
    message: 'Bonjour, voici la facture de médicaments prescrits que la Sécurité sociale ne rembourse pas.',
    file: 'Facture pharmacie',
    minCents: 2000,
    maxCents: 8000,
    share: 0.5,
  },
  autre: {
    message: 'Bonjour, voici la facture de mon vaccin du voyage, prescrit par mon médecin.',
    file: 'Facture vaccin',
    minCents: 6000,
    maxCents: 9000,
    share: 0.5,
  },
};

const DEVIS_MESSAGES: Readonly<Record<QuoteObject, string>> = {
  optique: 'Bonjour, pouvez-vous me dire combien sera remboursé cet équipement optique ?',
  audio: 'Bonjour, voici le devis de mon audioprothésiste pour deux aides auditives.',
  appareillage: 'Bonjour, voici le devis de semelles orthopédiques prescrites par mon podologue.',
  hospitalisation: 'Bonjour, je dois être opéré le mois prochain : voici le devis de la clinique.',
  dentaire: 'Bonjour, voici le devis de mon dentiste : que prendrez-vous en charge ?',
  maternite: 'Bonjour, voici le devis de la maternité pour mon accouchement.',
};

const REFUSALS = [
  "Cet acte n'est couvert par aucune garantie de votre contrat.",
  'Le plafond annuel de cette garantie est déjà atteint pour ce bénéficiaire.',
  "La facture est antérieure à la date d'affiliation du bénéficiaire.",
] as const;
const NOTHING_CAME =
  'Les documents demandés ne nous sont pas parvenus : la demande est close. Vous pouvez en transmettre une nouvelle avec tous les documents.';
const STAFF_NOTES = [
  'Vérifié avec le service prestations : le décompte de la Sécurité sociale est bien arrivé.',
  'Assuré rappelé ce jour, il enverra le document par la messagerie.',
  "Cas particulier : voir avec la responsable d'équipe avant de répondre.",
  'Doublon possible avec une demande précédente, vérifié : ce n’en est pas un.',
] as const;

/** Member threads: category and object codes of the brand, the member's words, the insurer's answer. */
const MEMBER_THREADS = [
  [
    'remboursements',
    'remboursement_non_recu',
    "Bonjour, j'ai consulté un spécialiste il y a plus de trois semaines et je ne vois pas encore le remboursement complémentaire. Pouvez-vous vérifier ? Merci.",
    'Bonjour, la Sécurité sociale ne nous a pas encore transmis ce décompte. Dès réception par télétransmission, le remboursement sera effectué sous 48 heures. Bien cordialement.',
  ],
  [
    'remboursements',
    'question_decompte',
    "Bonjour, je ne comprends pas le montant remboursé sur mon dernier décompte de kinésithérapie. Pouvez-vous m'expliquer ?",
    'Bonjour, votre contrat rembourse 100 % de la base de la Sécurité sociale pour la kinésithérapie : le dépassement du praticien reste à votre charge. Bien cordialement.',
  ],
  [
    'tiers_payant',
    'carte_refusee',
    "Bonjour, ma pharmacie me dit que ma carte de tiers payant n'est pas reconnue. Que dois-je faire ?",
    'Bonjour, votre carte est bien valide. Le pharmacien doit utiliser le numéro AMC indiqué sur la carte. Vous pouvez aussi la télécharger de nouveau depuis votre espace. Bien cordialement.',
  ],
  [
    'tiers_payant',
    'obtenir_carte',
    'Bonjour, je ne trouve plus ma carte de tiers payant. Comment en obtenir une ?',
    'Bonjour, votre carte est téléchargeable à tout moment dans « Ma carte de tiers payant ». Bien cordialement.',
  ],
  [
    'beneficiaires',
    'ajout_beneficiaire',
    "Bonjour, notre fille est née le mois dernier. Comment l'ajouter comme bénéficiaire ?",
    "Bonjour et félicitations ! Merci de nous transmettre l'acte de naissance ou une copie du livret de famille ainsi que l'attestation de droits de la Sécurité sociale sur laquelle figure votre enfant.",
  ],
  [
    'contrat',
    'options',
    "Bonjour, puis-je souscrire l'option 2 en cours d'année ?",
    "Bonjour, le changement d'option prend effet au 1er janvier suivant votre demande, avec un préavis de deux mois. Nous vous adressons le formulaire par retour.",
  ],
  [
    'contrat',
    'garanties',
    'Bonjour, mon contrat rembourse-t-il les séances de psychologue ?',
    'Bonjour, oui : votre contrat prévoit un forfait de 4 séances par an, en complément du dispositif Mon soutien psy. Bien cordialement.',
  ],
  [
    'informations',
    'coordonnees_bancaires',
    "Bonjour, j'ai changé de banque. Le nouvel IBAN saisi dans mon espace est-il bien pris en compte ?",
    'Bonjour, votre nouvel IBAN est enregistré : les prochains remboursements y seront versés.',
  ],
  [
    'informations',
    'adresse',
    "Bonjour, nous avons déménagé : l'adresse de mon espace est à jour, faut-il faire autre chose ?",
    'Bonjour, non, rien de plus : votre nouvelle adresse est enregistrée. Bien cordialement.',
  ],
] as const;
const ASKS = [
  'Bonjour, pour traiter votre demande, pouvez-vous nous transmettre une copie de votre attestation de droits de la Sécurité sociale ?',
  'Bonjour, pouvez-vous nous préciser la date des soins et le nom du praticien ?',
] as const;
const OWNER_FOLLOW_UPS = [
  'Merci beaucoup pour votre réponse.',
  "Merci. Une dernière question : faut-il vous renvoyer l'original par courrier ?",
  'Voici le document demandé.',
] as const;
const STAFF_FOLLOW_UPS = [
  "Bonjour, non, la copie suffit : inutile d'envoyer l'original. Bien cordialement.",
  'Bonjour, nous avons bien reçu le document, merci. Bien cordialement.',
] as const;

/** Company threads: category and object codes of « Nous contacter », the HR user's words, the answer. */
const HR_THREADS = [
  [
    'gerer_contrat',
    'cotisations_collectives',
    'Bonjour, pouvez-vous nous confirmer le taux de cotisation de l’an prochain pour nos deux collèges ?',
    'Bonjour, les taux sont inchangés pour l’an prochain : l’avenant est dans « Mes documents pratiques ». Bien cordialement.',
  ],
  [
    'gerer_contrat',
    'autre_demande',
    "Bonjour, pouvons-nous recevoir une attestation de régime frais de santé pour un appel d'offres ?",
    "Bonjour, vous trouverez l'attestation ci-jointe. Bien cordialement.",
  ],
  [
    'mes_salaries',
    'affiliation_salarie',
    "Bonjour, un salarié arrivé ce mois-ci n'a pas reçu son lien d'affiliation. Pouvez-vous vérifier ?",
    'Bonjour, le lien lui a été renvoyé ce jour ; il est valable 30 jours. Bien cordialement.',
  ],
  [
    'mes_salaries',
    'radiation_salarie',
    'Bonjour, notre salariée quitte l’entreprise à la fin du mois (démission). Merci de procéder à sa radiation.',
    'Bonjour, la radiation est enregistrée à la date de fin de contrat. Bien cordialement.',
  ],
] as const;

// ------------------------------------------------------------------ helpers
function poisson(rng: Random, mean: number): number {
  // Knuth: fine for the small means used here.
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rng.next(); p > limit; p *= rng.next()) k += 1;
  return k;
}

function cents(rng: Random, min: number, max: number): number {
  return Math.round(rng.int(min, max) / 100) * 100;
}

/** A file for a generated item, while the budget lasts. */
function budgetFile(ctx: Ctx, file: FileSpec): FileSpec[] {
  if (!ctx.uploadDir || ctx.fileCount >= RANDOM_FILE_BUDGET) return [];
  ctx.fileCount += 1;
  return [file];
}

/** One of the two demo staff accounts: gestion@ takes most of the work. */
function someStaff(ctx: Ctx): number {
  return ctx.activity.chance(0.65) ? ctx.staffAccountId : ctx.colleagueAccountId;
}

/** The guarantee table of a level, as estimateResteACharge reads it (ids: the template's position). */
const guaranteeTables = new Map<Level, GuaranteeLine[]>();
function guaranteesOf(level: Level): GuaranteeLine[] {
  let table = guaranteeTables.get(level);
  if (!table) {
    table = GUARANTEE_TEMPLATES.map((template, i) => {
      const c = coverageAt(template, level);
      return {
        id: i + 1,
        category: template.category,
        label: template.label,
        coverage: c.coverage,
        br_percent: c.brPercent,
        flat_amount_cents: c.flatAmountCents,
        yearly_cap_cents: c.yearlyCapCents,
      };
    });
    guaranteeTables.set(level, table);
  }
  return table;
}

/** The lines of a quote of this object, with plausible prices (and the base where the act has none). */
function quoteLines(rng: Random, object: QuoteObject): QuoteLineInput[] {
  const withBase = (actCode: string, amountCents: number, share: number): QuoteLineInput => ({
    actCode,
    amountCents,
    baseCents: Math.round(amountCents * share),
  });
  switch (object) {
    case 'optique':
      return rng.chance(0.5)
        ? [{ actCode: 'optique_simples', amountCents: cents(rng, 26000, 45000) }]
        : [{ actCode: 'optique_complexes', amountCents: cents(rng, 45000, 78000) }];
    case 'audio': {
      const each = cents(rng, 130000, 180000);
      return [
        { actCode: 'audio_classe_2', amountCents: each },
        { actCode: 'audio_classe_2', amountCents: each },
      ];
    }
    case 'appareillage':
      return [withBase('appareillage_orthese', cents(rng, 12000, 26000), 0.5)];
    case 'hospitalisation': {
      const nights = rng.int(2, 4);
      return [
        withBase('hospi_honoraires_non_optam', cents(rng, 80000, 150000), 0.4),
        { actCode: 'hospi_chambre_particuliere', amountCents: nights * cents(rng, 8000, 12000), days: nights },
      ];
    }
    case 'dentaire':
      return rng.chance(0.6)
        ? [{ actCode: 'dentaire_couronne', amountCents: cents(rng, 55000, 90000) }]
        : [
            { actCode: 'dentaire_implant', amountCents: cents(rng, 100000, 180000) },
            { actCode: 'dentaire_couronne', amountCents: cents(rng, 55000, 80000) },
          ];
    case 'maternite': {
      const nights = rng.int(3, 5);
      return [
        { actCode: 'maternite_chambre', amountCents: nights * cents(rng, 9000, 13000), days: nights },
        withBase('maternite_honoraires', cents(rng, 30000, 70000), 0.5),
      ];
    }
  }
}

function estimateOf(lines: QuoteLineInput[], level: Level, used?: ReadonlyMap<number, number>): StoredEstimate {
  return toStoredEstimate(estimateResteACharge({ lines, guarantees: guaranteesOf(level), usedThisYearCents: used }));
}

/** Staff confirm the estimate line by line (the devis answer form is pre-filled with it). */
function answerLinesOf(estimate: StoredEstimate): AnswerLine[] {
  return estimate.lines.map((l) => ({ label: l.label, amountCents: l.amountCents, reimbursedCents: l.reimbursedCents }));
}

function devisAnswer(estimate: StoredEstimate): string {
  const t = estimate.total;
  const reimbursed = t.securiteSocialeCents + t.complementaryCents;
  return `Pour ce devis de ${formatEuros(t.amountCents)}, le remboursement total est estimé à ${formatEuros(reimbursed)} (Sécurité sociale ${formatEuros(t.securiteSocialeCents)} et complémentaire ${formatEuros(t.complementaryCents)}). Il vous resterait ${formatEuros(t.resteAChargeCents)} à charge.`;
}

function paymentDayAfter(day: number): string {
  return addBusinessDays(isoDay(day), 2);
}

// ------------------------------------------------------------------ generated members
/**
 * A request's life as it would go: taken within days, sometimes a document asked for (most
 * members send it), a decision within (or past) the service level; emitRequest cuts it at today.
 */
function randomRequest(ctx: Ctx, chunk: Chunk, r: FamilyResult, createdDay: number) {
  const rng = ctx.activity;
  const devis = rng.chance(0.3);
  const staff = someStaff(ctx);
  const steps: RequestStep[] = [];
  let day = createdDay + rng.int(0, 3);
  if (rng.chance(0.1)) steps.push({ action: 'assign', day: createdDay, by: ctx.staffAccountId, to: staff });
  steps.push({ action: 'start', day, by: staff });
  const beneficiaryId = rng.pick(r.beneficiaryIds);
  let plan: RequestPlan;
  if (devis) {
    const object = rng.pick(ctx.lists.devis).code;
    const estimate = estimateOf(quoteLines(rng, object), r.level);
    const withEstimate = rng.chance(0.7);
    if (rng.chance(0.04)) steps.push({ action: 'note', day, by: staff, text: rng.pick(STAFF_NOTES) });
    day += rng.int(0, 8);
    steps.push(
      rng.chance(0.05)
        ? { action: 'refuse', day, by: staff, reason: 'Ce devis concerne un acte que votre contrat ne couvre pas.' }
        : { action: 'accept', day, by: staff, lines: answerLinesOf(estimate), answer: devisAnswer(estimate) },
    );
    plan = {
      memberId: r.memberId,
      beneficiaryId,
      accountId: r.accountId,
      kind: 'devis',
      object,
      message: DEVIS_MESSAGES[object],
      createdDay,
      files: budgetFile(ctx, { name: 'devis.pdf', title: 'Devis', lines: estimate.lines.map((l) => `${l.label} : ${formatEuros(l.amountCents)}`) }),
      estimate: withEstimate ? estimate : null,
      steps,
    };
  } else {
    const object = rng.pick(ctx.lists.remboursement);
    const content = REMBOURSEMENTS[object.code];
    const amount = cents(rng, content.minCents, content.maxCents);
    const reimbursed = content.flatCents !== undefined ? Math.min(amount, content.flatCents) : Math.round(amount * (content.share ?? 0.5));
    let decided = false;
    if (rng.chance(0.18)) {
      day += rng.int(0, 2);
      steps.push({ action: 'ask_document', day, by: staff, documents: object.documents[object.documents.length - 1] });
      if (rng.chance(0.85)) {
        day += rng.int(1, 12);
        steps.push({
          action: 'add_document',
          day,
          message: rng.chance(0.5) ? 'Voici le document demandé.' : null,
          files: budgetFile(ctx, { name: 'justificatif.pdf', title: object.documents[object.documents.length - 1], lines: ['Document complémentaire'] }),
        });
      } else if (rng.chance(0.6)) {
        day += rng.int(30, 45);
        steps.push({ action: 'refuse', day, by: staff, reason: NOTHING_CAME });
        decided = true;
      } else decided = true; // still waiting for the member
    }
    if (rng.chance(0.04)) steps.push({ action: 'note', day, by: staff, text: rng.pick(STAFF_NOTES) });
    if (!decided) {
      day += rng.int(0, object.serviceDays + 6);
      steps.push(
        rng.chance(0.08)
          ? { action: 'refuse', day, by: staff, reason: rng.pick(REFUSALS) }
          : { action: 'accept', day, by: staff, amountCents: reimbursed, paymentDay: paymentDayAfter(day) },
      );
    }
    plan = {
      memberId: r.memberId,
      beneficiaryId,
      accountId: r.accountId,
      kind: 'remboursement',
      object: object.code,
      message: rng.chance(0.8) ? content.message : null,
      createdDay,
      files: budgetFile(ctx, { name: 'facture.pdf', title: content.file, lines: [`Montant acquitté : ${formatEuros(amount)}`] }),
      steps,
    };
  }
  emitRequest(ctx, chunk, plan);
}

/** A member's thread: answered within (or past) the service level, sometimes a question back, often closed later. */
function randomMemberThread(ctx: Ctx, chunk: Chunk, r: FamilyResult, createdDay: number) {
  const rng = ctx.activity;
  const [category, object, question, reply] = rng.pick(MEMBER_THREADS);
  const staff = someStaff(ctx);
  const steps: ThreadStep[] = [];
  let day = createdDay;
  if (rng.chance(0.15)) steps.push({ action: 'assign', day, by: ctx.staffAccountId, to: staff });
  if (rng.chance(0.05)) steps.push({ action: 'note', day, by: staff, body: rng.pick(STAFF_NOTES) });
  day += rng.int(0, 8);
  if (rng.chance(0.15)) {
    steps.push({ action: 'reply', day, by: staff, body: rng.pick(ASKS), ask: true });
    if (rng.chance(0.8)) {
      day += rng.int(1, 10);
      steps.push({ action: 'owner', day, body: OWNER_FOLLOW_UPS[2] });
      day += rng.int(0, 7);
      steps.push({ action: 'reply', day, by: staff, body: STAFF_FOLLOW_UPS[1] });
    }
  } else {
    steps.push({ action: 'reply', day, by: staff, body: reply });
    if (rng.chance(0.3)) {
      const followUp = rng.int(0, 1);
      day += rng.int(0, 6);
      steps.push({ action: 'owner', day, body: OWNER_FOLLOW_UPS[followUp] });
      if (followUp === 1) {
        day += rng.int(0, 7);
        steps.push({ action: 'reply', day, by: staff, body: STAFF_FOLLOW_UPS[0] });
      }
    }
  }
  // A « merci » after the answer is closed; otherwise three threads in four are, some days later.
  const thanked = steps.at(-1)?.action === 'owner';
  if (thanked || rng.chance(0.75)) steps.push({ action: 'close', day: day + rng.int(thanked ? 0 : 3, 20), by: staff });
  emitThread(ctx, chunk, {
    ownerKind: 'member',
    memberId: r.memberId,
    companyId: null,
    accountId: r.accountId!,
    category,
    object,
    createdDay,
    body: question,
    steps,
    readBy: rng.chance(0.8) ? [r.accountId!] : [],
    staffRead: rng.chance(0.5),
  });
}

/**
 * A generated member's two years with the insurer (`rate` scales it: the bench member is a heavy
 * user). Days are drawn within the cover.
 */
export function randomActivity(ctx: Ctx, chunk: Chunk, r: FamilyResult, rate = 1) {
  const rng = ctx.activity;
  const from = Math.max(r.coverFrom, ctx.today - HISTORY_DAYS);
  const to = r.coverTo;
  if (to < from) return;
  const requests = poisson(rng, 3.4 * rate);
  for (let i = 0; i < requests; i++) randomRequest(ctx, chunk, r, rng.dayBetween(from, to));
  const threads = poisson(rng, 1.9 * rate);
  for (let i = 0; i < threads; i++) randomMemberThread(ctx, chunk, r, rng.dayBetween(from, to));
}

/**
 * Every pending télétransmission change is a request of the inbox (as the migration made of
 * them), received or taken; a change the member asked from their space in the last two years and
 * staff processed is a processed request, decided when the change was.
 */
export function teletransmissionRequests(ctx: Ctx, chunk: Chunk, r: FamilyResult) {
  const rng = ctx.activity;
  for (const change of r.teletransmission) {
    const createdDay = Math.floor(Date.parse(change.at) / 86_400_000);
    // A processed change the member did not ask from their space came from the fund: no request.
    if (change.processedAt !== null && (change.accountId === null || createdDay < ctx.today - HISTORY_DAYS)) continue;
    const staff = change.processedAt !== null ? ctx.staffAccountId : someStaff(ctx);
    const steps: RequestStep[] = [];
    if (change.processedAt !== null) {
      steps.push({ action: 'accept', day: Math.floor(Date.parse(change.processedAt) / 86_400_000), at: change.processedAt, by: staff });
    } else if (rng.chance(0.5)) steps.push({ action: 'start', day: createdDay + rng.int(1, 6), by: staff });
    emitRequest(ctx, chunk, {
      memberId: r.memberId,
      beneficiaryId: change.beneficiaryId,
      accountId: change.accountId,
      kind: 'teletransmission',
      object: change.toStatus === 'activation_requested' ? 'activation' : 'deactivation',
      message: null,
      createdDay,
      createdAt: change.at,
      teletransmissionEventId: change.eventId,
      steps,
    });
  }
}

// ------------------------------------------------------------------ marie
/**
 * Marie's items, one in every status, so that « Mes demandes », the messagerie and the staff
 * inbox show each case: days are counted back from today.
 */
export function marieActivity(ctx: Ctx, chunk: Chunk, r: FamilyResult) {
  const today = ctx.today;
  const claire = ctx.staffAccountId;
  const antoine = ctx.colleagueAccountId;
  const [marie, thomas, lea, hugo] = r.beneficiaryIds;
  const request = (plan: Omit<RequestPlan, 'memberId' | 'accountId'>) => emitRequest(ctx, chunk, { memberId: r.memberId, accountId: r.accountId, ...plan });

  // Remboursements: traitée, document manquant, complétée, en cours (late), reçue, refusée.
  const osteo = request({
    beneficiaryId: marie,
    kind: 'remboursement',
    object: 'medecine_douce',
    message: "Bonjour, voici la facture de ma séance d'ostéopathie du mois dernier.",
    createdDay: today - 21,
    files: [{ name: 'facture-osteopathe.pdf', title: 'Facture ostéopathie', lines: ["Séance d'ostéopathie — Marie Lefebvre", 'Montant acquitté : 60,00 €'] }],
    steps: [
      { action: 'start', day: today - 20, by: claire },
      { action: 'accept', day: today - 18, by: claire, amountCents: 4000, paymentDay: paymentDayAfter(today - 18) },
    ],
  });
  const optique = request({
    beneficiaryId: lea,
    kind: 'remboursement',
    object: 'optique',
    message: 'Bonjour, voici la facture des lunettes de Léa, achetées chez un opticien hors réseau.',
    createdDay: today - 9,
    files: [
      {
        name: 'facture-opticien.pdf',
        title: 'Facture opticien',
        lines: ['Monture enfant : 89,00 €', 'Verres unifocaux amincis (x2) : 180,00 €', 'Total acquitté : 269,00 €'],
      },
    ],
    steps: [
      { action: 'start', day: today - 8, by: antoine },
      { action: 'ask_document', day: today - 7, by: antoine, documents: 'Prescription médicale de moins de 5 ans (ordonnance de l’ophtalmologiste)' },
    ],
  });
  request({
    beneficiaryId: thomas,
    kind: 'remboursement',
    object: 'dentaire',
    message: "Bonjour, voici la facture de l'implant de mon mari.",
    createdDay: today - 16,
    files: [
      { name: 'facture-implant.pdf', title: 'Facture chirurgien-dentiste', lines: ['Implant dentaire — Thomas Lefebvre', 'Montant acquitté : 1 200,00 €'] },
    ],
    steps: [
      { action: 'start', day: today - 15, by: claire },
      { action: 'ask_document', day: today - 14, by: claire, documents: 'Décompte de la Sécurité sociale' },
      {
        action: 'add_document',
        day: today - 3,
        message: 'Voici le décompte de la Sécurité sociale.',
        files: [
          { name: 'decompte-securite-sociale.pdf', title: 'Décompte de la Sécurité sociale', lines: ['Thomas Lefebvre', 'Acte hors nomenclature : 0,00 €'] },
        ],
      },
    ],
  });
  request({
    beneficiaryId: marie,
    kind: 'remboursement',
    object: 'hospitalisation',
    message: 'Bonjour, voici la facture de la chambre particulière de mon hospitalisation de septembre.',
    createdDay: today - 19,
    files: [{ name: 'facture-clinique.pdf', title: 'Facture clinique', lines: ['Chambre particulière, 3 nuits : 270,00 €'] }],
    steps: [
      { action: 'assign', day: today - 18, by: claire, to: antoine },
      { action: 'start', day: today - 17, by: antoine },
      { action: 'note', day: today - 12, by: antoine, text: 'Facture de la clinique demandée au service prestations pour vérifier les dates du séjour.' },
    ],
  });
  request({
    beneficiaryId: hugo,
    kind: 'remboursement',
    object: 'pharmacie',
    message: 'Bonjour, voici la facture du traitement prescrit à Hugo, non remboursé par la Sécurité sociale.',
    createdDay: today - 1,
    files: [
      { name: 'facture-pharmacie.pdf', title: 'Facture pharmacie', lines: ['Hugo Lefebvre', 'Montant acquitté : 34,50 €'] },
      { name: 'ordonnance.pdf', title: 'Prescription médicale', lines: ['Hugo Lefebvre', 'Traitement de 10 jours'] },
    ],
    steps: [],
  });
  const vaccin = request({
    beneficiaryId: marie,
    kind: 'remboursement',
    object: 'autre',
    message: 'Bonjour, voici la facture de mon vaccin contre la fièvre jaune.',
    createdDay: today - 45,
    files: [{ name: 'facture-vaccin.pdf', title: 'Facture vaccin', lines: ['Vaccin contre la fièvre jaune', 'Montant acquitté : 78,00 €'] }],
    steps: [
      { action: 'start', day: today - 44, by: claire },
      {
        action: 'refuse',
        day: today - 40,
        by: claire,
        reason: "Les vaccins du voyage ne sont pas couverts par la formule de votre contrat (garantie « Prévention » de l'option 2).",
      },
    ],
  });

  // Devis with Marie's estimate on her guarantees (this year's décomptes count against the caps):
  // one waiting (en cours), one answered per line.
  const used = (beneficiaryId: number) => {
    const year = isoDay(today).slice(0, 4);
    const lines = (chunk.rows('statement_lines') ?? []).filter((l) => l.beneficiary_id === beneficiaryId && String(l.care_date).startsWith(year));
    return usedThisYearByGuarantee(lines as { care_type: string; complementary_amount_cents: number }[], guaranteesOf(r.level), CARE_ACTS);
  };
  const leaGlasses = estimateOf([{ actCode: 'optique_complexes', amountCents: 52000 }], r.level, used(lea));
  request({
    beneficiaryId: lea,
    kind: 'devis',
    object: 'optique',
    message: 'Bonjour, pouvez-vous me dire combien sera remboursé cet équipement pour ma fille Léa ?',
    createdDay: today - 2,
    estimate: leaGlasses,
    files: [
      { name: 'devis-optique.pdf', title: 'Devis optique', lines: ['Monture enfant : 120,00 €', 'Verres progressifs (x2) : 400,00 €', 'Total : 520,00 €'] },
    ],
    steps: [{ action: 'start', day: today - 1, by: claire }],
  });
  const crown = estimateOf(
    [
      { actCode: 'dentaire_couronne', amountCents: 65000 },
      { actCode: 'dentaire_implant', amountCents: 120000 },
    ],
    r.level,
    used(thomas),
  );
  const crownDevis = request({
    beneficiaryId: thomas,
    kind: 'devis',
    object: 'dentaire',
    message: 'Devis de couronne et implant pour mon mari.',
    createdDay: today - 60,
    estimate: crown,
    files: [{ name: 'devis-dentaire.pdf', title: 'Devis dentaire', lines: crown.lines.map((l) => `${l.label} : ${formatEuros(l.amountCents)}`) }],
    steps: [
      { action: 'start', day: today - 59, by: claire },
      { action: 'accept', day: today - 57, by: claire, lines: answerLinesOf(crown), answer: devisAnswer(crown) },
    ],
  });

  // Télétransmission: Hugo's pending activation is a request of teletransmissionRequests.

  // Threads: répondu (unread), clos, nouveau, en cours (late, with an internal note), en attente.
  const thread = (plan: Omit<ThreadPlan, 'ownerKind' | 'memberId' | 'companyId' | 'accountId'>) =>
    emitThread(ctx, chunk, { ownerKind: 'member', memberId: r.memberId, companyId: null, accountId: r.accountId!, ...plan });
  const hugoThread = thread({
    category: 'beneficiaires',
    object: 'teletransmission',
    createdDay: today - 4,
    body: "Bonjour, j'ai demandé l'activation de la télétransmission pour Hugo. Combien de temps faut-il compter ?",
    steps: [
      {
        action: 'reply',
        day: today - 3,
        by: claire,
        body: "Bonjour Madame Lefebvre, la demande a bien été transmise à la caisse primaire. L'activation prend en général une à deux semaines ; son état est visible dans la rubrique Situation. Bien cordialement, Claire.",
      },
    ],
    readBy: [],
    staffRead: true,
  });
  thread({
    category: 'tiers_payant',
    object: 'obtenir_carte',
    createdDay: today - 70,
    body: 'Bonjour, ma carte de tiers payant expire bientôt. Vais-je en recevoir une nouvelle ?',
    steps: [
      {
        action: 'reply',
        day: today - 69,
        by: claire,
        body: 'Bonjour, la nouvelle carte est disponible dans votre espace dès le 15 décembre et vous sera aussi envoyée par courrier.',
      },
      { action: 'owner', day: today - 68, body: 'Merci beaucoup !' },
      { action: 'close', day: today - 60, by: claire },
    ],
    readBy: [r.accountId!],
    staffRead: true,
  });
  thread({
    category: 'remboursements',
    object: 'question_decompte',
    createdDay: today - 1,
    body: 'Bonjour, sur mon décompte du mois dernier, la consultation du dermatologue est remboursée 23 € : est-ce normal ? Je joins le décompte.',
    files: [
      {
        name: 'decompte.pdf',
        title: 'Décompte de la Sécurité sociale',
        lines: ['Consultation dermatologue : 60,00 €', 'Remboursement Sécurité sociale : 20,00 €'],
      },
    ],
    steps: [],
    readBy: [],
    staffRead: false,
  });
  thread({
    category: 'contrat',
    object: 'options',
    createdDay: today - 20,
    body: "Bonjour, puis-je souscrire l'option 2 pour toute la famille en cours d'année ?",
    steps: [
      { action: 'assign', day: today - 20, by: claire, to: claire },
      {
        action: 'reply',
        day: today - 18,
        by: claire,
        body: "Bonjour, le changement d'option prend effet au 1er janvier suivant votre demande, avec un préavis de deux mois. Souhaitez-vous recevoir le formulaire ?",
      },
      { action: 'owner', day: today - 12, body: 'Oui, merci de me l’envoyer. Le changement couvrira-t-il aussi mon mari et mes enfants ?' },
      {
        action: 'note',
        day: today - 11,
        by: claire,
        body: 'Vérifier avec le service contrats si l’option familiale est ouverte sur ce contrat collectif avant de répondre.',
      },
    ],
    readBy: [r.accountId!],
    staffRead: true,
  });
  thread({
    category: 'informations',
    object: 'coordonnees_bancaires',
    createdDay: today - 6,
    body: "Bonjour, j'ai changé de banque : comment faire prendre en compte mon nouveau compte ?",
    steps: [
      {
        action: 'reply',
        day: today - 5,
        by: antoine,
        ask: true,
        body: 'Bonjour, merci de nous retourner le formulaire ci-joint, signé, avec un RIB à votre nom. Bien cordialement, Antoine.',
        files: [
          {
            name: 'formulaire-coordonnees-bancaires.pdf',
            title: 'Changement de coordonnées bancaires',
            lines: ['Nom, prénom :', 'IBAN :', 'Date et signature :'],
          },
        ],
      },
    ],
    readBy: [],
    staffRead: true,
  });

  const notify = (notice: { kind: string; title: string; body: string; link: string }, daysAgo: number, read: boolean) =>
    chunk.add('notifications', {
      id: nextId(ctx, 'notifications'),
      account_id: r.accountId!,
      ...notice,
      created_at: atTime(ctx, today - daysAgo),
      read_at: read ? atTime(ctx, today - daysAgo + 1) : null,
    });
  notify(threadReplyNotice({ id: hugoThread.id, reference: hugoThread.reference, owner_kind: 'member' }), 3, false);
  notify(requestNotice('missing_document', { id: optique.id, reference: optique.reference, kind: 'remboursement' }), 7, false);
  notify(requestNotice('processed', { id: osteo.id, reference: osteo.reference, kind: 'remboursement' }), 18, true);
  notify(requestNotice('refused', { id: vaccin.id, reference: vaccin.reference, kind: 'remboursement' }), 40, true);
  notify(requestNotice('processed', { id: crownDevis.id, reference: crownDevis.reference, kind: 'devis' }), 57, true);
}

// ------------------------------------------------------------------ companies
/**
 * « Nous contacter » threads of the demo companies (Cabinet Verdier Immobilier: one in every
 * status, written by rh.admin or rh.utilisateur), then the history of
 * every company with an HR administrator (≈ one thread a year per 60 employees). Written once the
 * members exist: « Transmettre des documents pour mon salarié » names one of them.
 */
export function addHrThreads(ctx: Ctx, chunk: Chunk, companies: CompanyPlan[], accounts: DemoAccounts) {
  const today = ctx.today;
  const claire = ctx.staffAccountId;
  const antoine = ctx.colleagueAccountId;
  const verdier = companies.find((c) => c.key === 'verdier')!;
  const horizon = companies.find((c) => c.key === 'horizon')!;
  const ponant = companies.find((c) => c.key === 'ponant')!;
  const hr = (company: CompanyPlan, accountId: number, plan: Omit<ThreadPlan, 'ownerKind' | 'memberId' | 'companyId' | 'accountId'>) =>
    emitThread(ctx, chunk, { ownerKind: 'hr', memberId: null, companyId: company.id, accountId, ...plan });

  const cotisations = hr(verdier, accounts.hrAdmin, {
    category: 'gerer_contrat',
    object: 'cotisations_collectives',
    createdDay: today - 6,
    body: 'Bonjour, pouvez-vous me confirmer le taux de cotisation 2027 pour le collège des non-cadres ?',
    steps: [
      {
        action: 'reply',
        day: today - 5,
        by: claire,
        body: "Bonjour Madame Marchand, le taux 2027 de la base conventionnelle est inchangé. Vous trouverez l'avenant ci-joint et dans « Mes documents pratiques ». Bien cordialement.",
        files: [{ name: 'avenant-cotisations-2027.pdf', title: 'Avenant — cotisations 2027', lines: ['Collège des non-cadres', 'Taux inchangé'] }],
      },
    ],
    // rh.utilisateur has read the answer; rh.admin has not yet.
    readBy: [accounts.hrUser],
    staffRead: true,
  });
  hr(verdier, accounts.hrUser, {
    category: 'mes_salaries',
    object: 'radiation_salarie',
    createdDay: today - 2,
    body: "Bonjour, notre salarié M. Girard quitte l'entreprise le 31 du mois (rupture conventionnelle). Merci de procéder à sa radiation avec maintien au titre de la portabilité.",
    steps: [],
    readBy: [],
    staffRead: false,
  });
  hr(verdier, accounts.hrAdmin, {
    category: 'mes_salaries',
    object: 'affiliation_salarie',
    createdDay: today - 10,
    body: 'Bonjour, nous avons embauché une salariée en CDD de trois mois : doit-elle être affiliée ?',
    steps: [
      { action: 'assign', day: today - 10, by: claire, to: antoine },
      {
        action: 'note',
        day: today - 9,
        by: antoine,
        body: 'CDD de moins de 3 mois : dispense possible si la salariée a une autre couverture. Demander le contrat.',
      },
      {
        action: 'reply',
        day: today - 9,
        by: antoine,
        ask: true,
        body: 'Bonjour, pouvez-vous nous transmettre son contrat de travail ? Un CDD de moins de trois mois peut ouvrir droit à une dispense. Bien cordialement.',
      },
    ],
    readBy: [accounts.hrAdmin, accounts.hrUser],
    staffRead: true,
  });
  hr(verdier, accounts.hrAdmin, {
    category: 'gerer_contrat',
    object: 'autre_demande',
    createdDay: today - 12,
    body: 'Bonjour, notre siège déménage le mois prochain : faut-il vous communiquer la nouvelle adresse pour le contrat ?',
    steps: [
      {
        action: 'reply',
        day: today - 11,
        by: claire,
        body: "Bonjour, oui : merci de nous envoyer l'extrait Kbis mis à jour dès qu'il sera disponible. Bien cordialement.",
      },
      {
        action: 'owner',
        day: today - 9,
        by: accounts.hrUser,
        body: "Bonjour, voici l'extrait Kbis à jour. Hugo Lambert, pour Mme Marchand.",
        files: [{ name: 'extrait-kbis.pdf', title: 'Extrait Kbis', lines: ['Cabinet Verdier Immobilier', 'Nouveau siège social'] }],
      },
    ],
    // A colleague followed up: the thread is the company's; rh.admin has read it since.
    readBy: [accounts.hrAdmin],
    staffRead: false,
  });
  hr(verdier, accounts.hrUser, {
    category: 'mes_salaries',
    object: 'documents_salarie',
    subjectMemberId: MARIE_MEMBER_ID,
    createdDay: today - 35,
    body: "Bonjour, vous trouverez ci-joint l'attestation employeur de Mme Lefebvre pour la mise à jour de son dossier.",
    files: [{ name: 'attestation-employeur.pdf', title: 'Attestation employeur', lines: ['Marie Lefebvre', 'Salariée en CDI depuis le 2 septembre 2019'] }],
    steps: [
      { action: 'reply', day: today - 34, by: antoine, body: 'Bonjour, nous avons bien reçu l’attestation, le dossier est à jour. Bien cordialement.' },
      { action: 'close', day: today - 27, by: antoine },
    ],
    readBy: [accounts.hrUser, accounts.hrAdmin],
    staffRead: true,
  });
  hr(horizon, accounts.hrAdmin, {
    category: 'mes_salaries',
    object: 'documents_salarie',
    subjectMemberId: JULIEN_MEMBER_ID,
    createdDay: today - 40,
    body: 'Bonjour, vous trouverez ci-joint la demande de dispense signée de notre nouveau salarié.',
    files: [
      {
        name: 'demande-dispense-signee.pdf',
        title: "Demande de dispense d'affiliation",
        lines: ['Signée par le salarié', 'Motif : couverture par le contrat du conjoint'],
      },
    ],
    steps: [
      { action: 'reply', day: today - 38, by: claire, body: 'Bonjour, nous avons bien reçu la demande de dispense, elle est enregistrée. Bien cordialement.' },
      { action: 'close', day: today - 30, by: claire },
    ],
    readBy: [accounts.hrAdmin],
    staffRead: true,
  });
  hr(horizon, accounts.hrAdmin, {
    category: 'gerer_contrat',
    object: 'autre_demande',
    createdDay: today - 16,
    body: 'Bonjour, nous ouvrons deux agences : faut-il faire un avenant au contrat pour les nouveaux établissements ?',
    steps: [
      {
        action: 'reply',
        day: today - 15,
        by: antoine,
        body: 'Bonjour, non : les établissements de la même entreprise sont couverts par le contrat. Ajoutez-les à votre périmètre depuis « Mon profil ». Bien cordialement.',
      },
      { action: 'owner', day: today - 14, body: 'Merci. Et pour les salariés déjà embauchés dans ces agences, faut-il les pré-affilier un par un ?' },
    ],
    readBy: [accounts.hrAdmin],
    staffRead: false,
  });
  hr(ponant, accounts.hrPonant, {
    category: 'gerer_contrat',
    object: 'autre_demande',
    createdDay: today - 1,
    body: "Bonjour, pouvons-nous recevoir une attestation de régime frais de santé pour notre appel d'offres ?",
    steps: [],
    readBy: [],
    staffRead: false,
  });
  chunk.add('notifications', {
    id: nextId(ctx, 'notifications'),
    account_id: accounts.hrAdmin,
    ...threadReplyNotice({ id: cotisations.id, reference: cotisations.reference, owner_kind: 'hr' }),
    created_at: atTime(ctx, today - 5),
    read_at: null,
  });
  chunk.add('notifications', {
    id: nextId(ctx, 'notifications'),
    account_id: accounts.hrAdmin,
    kind: 'habilitation_activated',
    title: 'Nouvel utilisateur sur votre espace',
    body: 'Hugo Lambert a activé son accès Utilisateur sur Cabinet Verdier Immobilier.',
    link: '/entreprise/habilitations',
    created_at: atTime(ctx, today - 200),
    read_at: atTime(ctx, today - 199),
  });

  // History of every company that has an HR administrator.
  const rng = ctx.activity;
  for (const company of companies) {
    const author = company.admin === 'rh.admin' ? accounts.hrAdmin : company.admin === 'rh.ponant' ? accounts.hrPonant : null;
    if (author === null) continue;
    const readers = company.key === 'verdier' ? [author, accounts.hrUser] : [author];
    const size = company.establishments.reduce((sum, e) => sum + e.quota, 0);
    const count = poisson(rng, (size / 60) * (HISTORY_DAYS / 365));
    for (let i = 0; i < count; i++) {
      const [category, object, question, reply] = rng.pick(HR_THREADS);
      const createdDay = rng.dayBetween(today - HISTORY_DAYS, today);
      const staff = someStaff(ctx);
      const answerDay = createdDay + rng.int(0, 7);
      hr(company, rng.pick(readers), {
        category,
        object,
        createdDay,
        body: question,
        steps: [
          { action: 'reply', day: answerDay, by: staff, body: reply },
          ...(rng.chance(0.8) ? [{ action: 'close' as const, day: answerDay + rng.int(2, 15), by: staff }] : []),
        ],
        readBy: readers.filter(() => rng.chance(0.85)),
        staffRead: true,
      });
    }
  }
}
