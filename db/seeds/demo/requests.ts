// Member requests (remboursement, devis), message threads of members and HR, and the scripted
// activity of the demo accounts.
import type { Row } from '../bulk.js';
import { isoDay } from '../random.js';
import type { DemoAccounts } from './accounts.js';
import { nextId, type Chunk, type CompanyPlan, type Ctx } from './context.js';
import { atTime, pad, slug } from './helpers.js';

/** The member a request or a message belongs to (a FamilyResult of families.ts). */
interface RequestingMember {
  memberId: number;
  accountId: number | null;
  beneficiaryIds: number[];
}

const REMBOURSEMENT_OBJECTS = [
  ['medecine_douce', 'Séance d\'ostéopathie', 6000],
  ['optique', 'Lunettes achetées hors réseau', 42000],
  ['dentaire', 'Implant dentaire', 120000],
  ['hospitalisation', 'Chambre particulière', 24000],
  ['pharmacie', 'Médicaments prescrits non remboursés', 3500],
  ['autre', 'Vaccin du voyage', 8000],
] as const;

const DEVIS_OBJECTS = [
  ['optique', 'Devis pour des lunettes progressives', 65000],
  ['audio', 'Devis pour deux aides auditives', 340000],
  ['appareillage', 'Devis pour des semelles orthopédiques', 18000],
  ['hospitalisation', 'Devis pour une opération programmée', 150000],
  ['dentaire', 'Devis pour une couronne céramique', 75000],
  ['maternite', 'Devis pour une chambre particulière en maternité', 45000],
] as const;

const MEMBER_THREADS = [
  ['remboursements', 'Remboursement non reçu', 'Bonjour, j\'ai consulté un spécialiste il y a plus de trois semaines et je ne vois pas encore le remboursement complémentaire. Pouvez-vous vérifier ? Merci.', 'Bonjour, la Sécurité sociale ne nous a pas encore transmis ce décompte. Dès réception par télétransmission, le remboursement sera effectué sous 48 heures. Bien cordialement.'],
  ['tiers_payant', 'Carte de tiers payant refusée', 'Bonjour, ma pharmacie me dit que ma carte de tiers payant n\'est pas reconnue. Que dois-je faire ?', 'Bonjour, votre carte est bien valide. Le pharmacien doit utiliser le numéro AMC indiqué sur la carte. Vous pouvez aussi la télécharger de nouveau depuis votre espace. Bien cordialement.'],
  ['beneficiaires', 'Ajout de mon nouveau-né', 'Bonjour, notre fille est née le mois dernier. Comment l\'ajouter comme bénéficiaire ?', 'Bonjour et félicitations ! Merci de nous transmettre l\'acte de naissance ou une copie du livret de famille ainsi que l\'attestation de droits de la Sécurité sociale sur laquelle figure votre enfant.'],
  ['contrat', 'Question sur les options', 'Bonjour, puis-je souscrire l\'option 2 en cours d\'année ?', 'Bonjour, le changement d\'option prend effet au 1er janvier suivant votre demande, avec un préavis de deux mois. Nous vous adressons le formulaire par retour.'],
  ['remboursements', 'Décompte ostéopathe', 'Bonjour, je vous ai envoyé la facture de mon ostéopathe, pouvez-vous me confirmer sa réception ?', 'Bonjour, nous avons bien reçu votre facture. Le remboursement de 40 € a été effectué sur votre compte.'],
  ['informations', 'Changement de banque', 'Bonjour, j\'ai changé de banque. Le nouvel IBAN saisi dans mon espace est-il bien pris en compte ?', 'Bonjour, votre nouvel IBAN est enregistré : les prochains remboursements y seront versés.'],
] as const;

function addRequest(
  ctx: Ctx,
  chunk: Chunk,
  input: {
    memberId: number;
    beneficiaryId: number | null;
    kind: 'remboursement' | 'devis';
    object: string;
    message: string;
    status: 'received' | 'in_progress' | 'processed';
    answer: string | null;
    estimate: number | null;
    createdDay: number;
    attachment?: { title: string; lines: string[] };
  },
): number {
  const rng = ctx.rng;
  const id = nextId(ctx, 'requests');
  ctx.requestSeq += 1;
  const created = atTime(ctx, input.createdDay, 8, 22);
  const answered = input.status === 'processed' ? atTime(ctx, Math.min(ctx.today, input.createdDay + rng.int(1, 6))) : null;
  const year = isoDay(input.createdDay).slice(0, 4);
  chunk.add('requests', {
    id,
    member_id: input.memberId,
    beneficiary_id: input.beneficiaryId,
    kind: input.kind,
    object: input.object,
    reference: `${input.kind === 'devis' ? 'DV' : 'DR'}-${year}-${pad(ctx.requestSeq, 6)}`,
    message: input.message,
    status: input.status,
    answer: input.answer,
    estimated_amount_cents: input.estimate,
    handled_by_account_id: input.status === 'received' ? null : ctx.staffAccountId,
    expected_day: isoDay(input.createdDay + 14),
    answered_at: answered,
    created_at: created,
    updated_at: answered ?? created,
  });
  if (input.attachment && ctx.uploadDir) {
    const stored = `${ctx.rng.hex(32)}.pdf`;
    chunk.add('request_attachments', {
      id: nextId(ctx, 'request_attachments'),
      request_id: id,
      original_name: `${slug(input.attachment.title)}.pdf`,
      stored_name: stored,
      mime: 'application/pdf',
      size_bytes: 0,
      created_at: created,
      __file: { dir: 'requests', title: input.attachment.title, lines: input.attachment.lines },
    });
  }
  return id;
}

function addThread(
  ctx: Ctx,
  chunk: Chunk,
  input: {
    ownerKind: 'member' | 'hr';
    memberId: number | null;
    companyId: number | null;
    accountId: number;
    category: string;
    object: string;
    messages: { author: 'owner' | 'staff'; body: string }[];
    createdDay: number;
    status: 'open' | 'closed';
    ownerRead: boolean;
  },
): number {
  const rng = ctx.rng;
  const threadId = nextId(ctx, 'message_threads');
  let day = input.createdDay;
  let last = '';
  let lastStaff = '';
  let lastOwner = '';
  const rows: Row[] = [];
  for (const message of input.messages) {
    const at = atTime(ctx, day, 8, 19);
    last = at;
    if (message.author === 'staff') lastStaff = at;
    else lastOwner = at;
    rows.push({
      id: nextId(ctx, 'messages'),
      thread_id: threadId,
      author_kind: message.author === 'staff' ? 'staff' : input.ownerKind,
      author_account_id: message.author === 'staff' ? ctx.staffAccountId : input.accountId,
      body: message.body,
      created_at: at,
    });
    day = Math.min(ctx.today, day + rng.int(0, 3));
  }
  // Whose turn it is (src/domain/correspondence.ts): nobody at the insurer wrote yet, staff wrote last, or the owner did.
  const status = input.status === 'closed' ? 'closed' : !lastStaff ? 'new' : lastStaff >= lastOwner ? 'answered' : 'open';
  chunk.add('message_threads', {
    id: threadId,
    reference: `MS-${String(rows[0].created_at).slice(0, 4)}-${pad(threadId, 6)}`,
    owner_kind: input.ownerKind,
    member_id: input.memberId,
    company_id: input.companyId,
    account_id: input.accountId,
    category: input.category,
    object: input.object,
    status,
    expected_day: isoDay(Math.min(ctx.today, day) + 7),
    created_at: rows[0].created_at,
    last_message_at: last,
    last_staff_message_at: lastStaff || null,
    last_owner_message_at: lastOwner || null,
    owner_read_at: input.ownerRead ? last : lastOwner || null,
    staff_read_at: lastStaff && lastStaff >= lastOwner ? lastStaff : lastOwner && rng.chance(0.5) ? lastOwner : null,
  });
  for (const row of rows) chunk.add('messages', row);
  return threadId;
}

/** Some members with an account have sent a request or a message. */
export function randomActivity(ctx: Ctx, chunk: Chunk, r: RequestingMember) {
  const rng = ctx.rng;
  if (rng.chance(0.09)) {
    const devis = rng.chance(0.4);
    const [object, text, amount] = devis ? rng.pick(DEVIS_OBJECTS) : rng.pick(REMBOURSEMENT_OBJECTS);
    // Four weights as before, so that the draws that follow stay the same.
    const status = rng.weighted([['received', 2], ['in_progress', 2], ['processed', 4], ['processed', 2]] as const);
    const answered = status === 'processed';
    addRequest(ctx, chunk, {
      memberId: r.memberId,
      beneficiaryId: rng.pick(r.beneficiaryIds),
      kind: devis ? 'devis' : 'remboursement',
      object,
      message: `${text}. Merci de votre retour.`,
      status,
      answer: answered
        ? devis
          ? `Sur la base de ce devis, votre remboursement est estimé à ${(Math.round(amount * 0.55) / 100).toFixed(2).replace('.', ',')} €, Sécurité sociale incluse.`
          : 'Votre demande a été traitée : le remboursement figurera sur votre prochain décompte.'
        : null,
      estimate: devis && answered ? Math.round(amount * 0.55) : null,
      createdDay: rng.dayBetween(ctx.today - 200, ctx.today - 1),
      attachment: ctx.fileCount < 24 ? { title: devis ? 'Devis' : 'Facture acquittée', lines: [text, `Montant : ${(amount / 100).toFixed(2).replace('.', ',')} €`] } : undefined,
    });
    if (ctx.fileCount < 24) ctx.fileCount += 1;
  }
  if (rng.chance(0.06)) {
    const [category, object, question, reply] = rng.pick(MEMBER_THREADS);
    const answered = rng.chance(0.75);
    addThread(ctx, chunk, {
      ownerKind: 'member',
      memberId: r.memberId,
      companyId: null,
      accountId: r.accountId!,
      category,
      object,
      messages: answered ? [{ author: 'owner', body: question }, { author: 'staff', body: reply }] : [{ author: 'owner', body: question }],
      createdDay: rng.dayBetween(ctx.today - 300, ctx.today - 1),
      status: answered && rng.chance(0.5) ? 'closed' : 'open',
      ownerRead: rng.chance(0.6),
    });
  }
}

/** Marie's scripted activity: requests, messages and notifications to show on her pages. */
export function marieActivity(ctx: Ctx, chunk: Chunk, r: RequestingMember) {
  const today = ctx.today;
  addRequest(ctx, chunk, {
    memberId: r.memberId,
    beneficiaryId: r.beneficiaryIds[0],
    kind: 'remboursement',
    object: 'medecine_douce',
    message: 'Bonjour, voici la facture de ma séance d\'ostéopathie du mois dernier.',
    status: 'processed',
    answer: 'Votre séance d\'ostéopathie a été remboursée à hauteur de 40,00 € (forfait de votre contrat). Le virement apparaîtra sur votre prochain décompte.',
    estimate: null,
    createdDay: today - 21,
    attachment: { title: 'Facture ostéopathie', lines: ['Séance d\'ostéopathie — Marie Lefebvre', 'Montant acquitté : 60,00 €'] },
  });
  addRequest(ctx, chunk, {
    memberId: r.memberId,
    beneficiaryId: r.beneficiaryIds[2],
    kind: 'devis',
    object: 'optique',
    message: 'Bonjour, pouvez-vous me dire combien sera remboursé cet équipement pour ma fille Léa ?',
    status: 'in_progress',
    answer: null,
    estimate: null,
    createdDay: today - 3,
    attachment: { title: 'Devis optique', lines: ['Monture enfant : 89,00 €', 'Verres unifocaux amincis (x2) : 180,00 €', 'Total : 269,00 €'] },
  });
  addRequest(ctx, chunk, {
    memberId: r.memberId,
    beneficiaryId: r.beneficiaryIds[1],
    kind: 'devis',
    object: 'dentaire',
    message: 'Devis de couronne céramique pour mon mari.',
    status: 'processed',
    answer: 'Pour ce devis de 650,00 €, le remboursement total est estimé à 420,00 € (Sécurité sociale 72,00 € et complémentaire 348,00 €). Il vous resterait 230,00 € à charge.',
    estimate: 42000,
    createdDay: today - 60,
  });
  const hugoThread = addThread(ctx, chunk, {
    ownerKind: 'member',
    memberId: r.memberId,
    companyId: null,
    accountId: r.accountId!,
    category: 'beneficiaires',
    object: 'Télétransmission pour mon fils Hugo',
    messages: [
      { author: 'owner', body: 'Bonjour, j\'ai demandé l\'activation de la télétransmission pour Hugo. Combien de temps faut-il compter ?' },
      { author: 'staff', body: 'Bonjour Madame Lefebvre, la demande a bien été transmise à la caisse primaire. L\'activation prend en général une à deux semaines ; son état est visible dans la rubrique Situation. Bien cordialement, Claire.' },
    ],
    createdDay: today - 4,
    status: 'open',
    ownerRead: false,
  });
  addThread(ctx, chunk, {
    ownerKind: 'member',
    memberId: r.memberId,
    companyId: null,
    accountId: r.accountId!,
    category: 'tiers_payant',
    object: 'Nouvelle carte de tiers payant',
    messages: [
      { author: 'owner', body: 'Bonjour, ma carte de tiers payant expire bientôt. Vais-je en recevoir une nouvelle ?' },
      { author: 'staff', body: 'Bonjour, la nouvelle carte est disponible dans votre espace dès le 15 décembre et vous sera aussi envoyée par courrier.' },
      { author: 'owner', body: 'Merci beaucoup !' },
    ],
    createdDay: today - 70,
    status: 'closed',
    ownerRead: true,
  });
  const notify = (kind: string, title: string, body: string, link: string, daysAgo: number, read: boolean) =>
    chunk.add('notifications', {
      id: nextId(ctx, 'notifications'),
      account_id: r.accountId!,
      kind,
      title,
      body,
      link,
      created_at: atTime(ctx, today - daysAgo),
      read_at: read ? atTime(ctx, today - daysAgo + 1) : null,
    });
  notify('message_reply', 'Nouvelle réponse à votre message', 'Un conseiller a répondu à « Télétransmission pour mon fils Hugo ».', `/assure/messagerie/${hugoThread}`, 3, false);
  notify('request_answered', 'Votre demande de remboursement a été traitée', 'Séance d\'ostéopathie : 40,00 € remboursés.', '/assure/demarches/demandes', 18, true);
}

export function addHrThreads(ctx: Ctx, chunk: Chunk, companies: CompanyPlan[], accounts: DemoAccounts) {
  const today = ctx.today;
  const verdier = companies.find((c) => c.key === 'verdier')!;
  const horizon = companies.find((c) => c.key === 'horizon')!;
  const ponant = companies.find((c) => c.key === 'ponant')!;
  const cotisationsThread = addThread(ctx, chunk, {
    ownerKind: 'hr',
    memberId: null,
    companyId: verdier.id,
    accountId: accounts.hrAdmin,
    category: 'gerer_contrat',
    object: 'cotisations_collectives',
    messages: [
      { author: 'owner', body: 'Bonjour, pouvez-vous me confirmer le taux de cotisation 2027 pour le collège des non-cadres ?' },
      { author: 'staff', body: 'Bonjour Madame Marchand, le taux 2027 de la base conventionnelle est inchangé. Vous trouverez l\'avenant dans « Mes documents pratiques ». Bien cordialement.' },
    ],
    createdDay: today - 6,
    status: 'open',
    ownerRead: false,
  });
  addThread(ctx, chunk, {
    ownerKind: 'hr',
    memberId: null,
    companyId: verdier.id,
    accountId: accounts.hrUser,
    category: 'mes_salaries',
    object: 'radiation_salarie',
    messages: [{ author: 'owner', body: 'Bonjour, notre salarié M. Girard quitte l\'entreprise le 31 du mois (rupture conventionnelle). Merci de procéder à sa radiation avec maintien au titre de la portabilité.' }],
    createdDay: today - 2,
    status: 'open',
    ownerRead: true,
  });
  addThread(ctx, chunk, {
    ownerKind: 'hr',
    memberId: null,
    companyId: horizon.id,
    accountId: accounts.hrAdmin,
    category: 'mes_salaries',
    object: 'documents_salarie',
    messages: [
      { author: 'owner', body: 'Bonjour, vous trouverez ci-joint la demande de dispense signée de notre nouvelle salariée.' },
      { author: 'staff', body: 'Bonjour, nous avons bien reçu la demande de dispense, elle est enregistrée. Bien cordialement.' },
    ],
    createdDay: today - 40,
    status: 'closed',
    ownerRead: true,
  });
  addThread(ctx, chunk, {
    ownerKind: 'hr',
    memberId: null,
    companyId: ponant.id,
    accountId: accounts.hrPonant,
    category: 'gerer_contrat',
    object: 'autre_demande',
    messages: [{ author: 'owner', body: 'Bonjour, pouvons-nous recevoir une attestation de régime frais de santé pour notre appel d\'offres ?' }],
    createdDay: today - 1,
    status: 'open',
    ownerRead: true,
  });
  chunk.add('notifications', {
    id: nextId(ctx, 'notifications'),
    account_id: accounts.hrAdmin,
    kind: 'message_reply',
    title: 'Nouvelle réponse à votre message',
    body: 'Réponse à « Information sur les cotisations collectives ».',
    link: `/entreprise/messagerie/${cotisationsThread}`,
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
}
