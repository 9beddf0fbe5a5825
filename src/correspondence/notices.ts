// What members and HR users are told when their request or message moves: the bell's
// notification and the email notice. An email never carries the content of an answer, a health
// detail or an amount (it may be read by anyone with the mailbox): it says that something is
// waiting in the secure space and gives the reference.
import type { Brand } from '../brand.js';
import { requestKindLabels, type RequestKind } from '../domain/correspondence.js';
import { formatDateFr } from '../domain/dates.js';
import { brandedEmail } from '../domain/email-templates.js';
import type { NotificationKind } from '../domain/notifications.js';
import type { EmailMessage } from '../domain/outbox.js';

/** Where each notice leads (the pages that answer at these addresses). */
export const CORRESPONDENCE_LINKS = {
  memberRequest: (id: number) => `/assure/demarches/demandes/${id}`,
  memberThread: (id: number) => `/assure/messagerie/${id}`,
  hrThread: (id: number) => `/entreprise/messagerie/${id}`,
} as const;

export interface Notice {
  kind: NotificationKind;
  title: string;
  body: string;
  link: string;
}

/** The request moves a member is told about. */
export type RequestNoticeEvent = 'missing_document' | 'processed' | 'refused';

const REQUEST_NOTICE_TITLES: Readonly<Record<RequestNoticeEvent, (reference: string) => string>> = {
  missing_document: (reference) => `Document manquant pour votre demande ${reference}`,
  processed: (reference) => `Votre demande ${reference} a été traitée`,
  refused: (reference) => `Votre demande ${reference} a reçu une réponse`,
};

export function requestNotice(event: RequestNoticeEvent, request: { id: number; reference: string; kind: RequestKind }): Notice {
  return {
    kind: 'request_answered',
    title: REQUEST_NOTICE_TITLES[event](request.reference),
    body: `${requestKindLabels[request.kind]} ${request.reference} : consultez le détail dans « Mes demandes ».`,
    link: CORRESPONDENCE_LINKS.memberRequest(request.id),
  };
}

export function threadReplyNotice(thread: { id: number; reference: string | null; owner_kind: 'member' | 'hr' }): Notice {
  return {
    kind: 'message_reply',
    title: 'Nouvelle réponse à votre message',
    body: thread.reference ? `Réponse dans la conversation ${thread.reference}.` : 'Réponse dans votre messagerie.',
    link: thread.owner_kind === 'member' ? CORRESPONDENCE_LINKS.memberThread(thread.id) : CORRESPONDENCE_LINKS.hrThread(thread.id),
  };
}

/** « Nous avons bien reçu votre demande… »: the reference and the expected answer date, nothing of the request itself. */
export function requestReceivedEmail(
  brand: Brand,
  publicUrl: string,
  to: string,
  input: { firstName: string; kind: RequestKind; reference: string; expectedDay: string; id: number },
): EmailMessage {
  return brandedEmail(brand, to, {
    subject: `Votre ${requestKindLabels[input.kind].toLowerCase()} ${input.reference} est bien reçue`,
    greeting: `Bonjour ${input.firstName},`,
    paragraphs: [
      `Nous avons bien reçu votre ${requestKindLabels[input.kind].toLowerCase()}, enregistrée sous la référence ${input.reference}.`,
      `Nous vous répondrons au plus tard le ${formatDateFr(input.expectedDay)}. Vous pouvez suivre son avancement dans « Mes demandes » de votre espace assuré.`,
    ],
    action: { label: 'Suivre ma demande', url: new URL(CORRESPONDENCE_LINKS.memberRequest(input.id), publicUrl).toString() },
  });
}

/** Staff answered (a request or a message): an invitation to read it in the secure space, without the content. */
export function answerWaitingEmail(
  brand: Brand,
  publicUrl: string,
  to: string,
  input: { firstName: string; reference: string | null; link: string; space: 'assure' | 'entreprise' },
): EmailMessage {
  const where = input.space === 'assure' ? 'votre espace assuré' : 'votre espace entreprise';
  return brandedEmail(brand, to, {
    subject: input.reference ? `Une réponse vous attend (${input.reference})` : 'Une réponse vous attend',
    greeting: `Bonjour ${input.firstName},`,
    paragraphs: [
      `${input.reference ? `Votre dossier ${input.reference} a évolué` : 'Vous avez reçu une réponse'} : pour votre sécurité, son contenu n'est consultable que dans ${where}.`,
    ],
    action: { label: 'Me connecter pour la lire', url: new URL(input.link, publicUrl).toString() },
    space: input.space,
  });
}
