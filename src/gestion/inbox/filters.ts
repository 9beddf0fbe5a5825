// The staff inbox's filters, read from the query string of a plain GET form (so a filtered list is
// a link: the Tableau de bord's queues point into it) and written back into links. A value that
// is not one of the choices gets a French message next to its field and is left out of the search.
import type { CorrespondenceLists } from '../../brand.js';
import { requestKindLabels, threadStatusFilterLabels, THREAD_STATUSES, type ThreadStatus } from '../../domain/correspondence.js';
import type { InboxFilters } from '../../correspondence/queries.js';
import { queryText, unsafeQueryErrors, type FieldErrors } from '../../validation.js';
import { INBOX_TEXTS, TELETRANSMISSION_OBJECT_LABELS } from './labels.js';

/** The form's fields, in page order; each is one query-string key. */
const INBOX_KEYS = ['espace', 'objet', 'statut', 'attribue', 'retard', 'tri'] as const;
export type RawInboxQuery = Record<(typeof INBOX_KEYS)[number], string>;

/** « À traiter » (everything but what is closed) unless the staff member asks otherwise. */
const DEFAULT_STATUS = 'a_traiter';
export const STATUS_CHOICES: readonly [string, string][] = [
  [DEFAULT_STATUS, 'À traiter (tous sauf clos)'],
  ['tous', 'Tous les statuts'],
  ...THREAD_STATUSES.map((s): [string, string] => [s, threadStatusFilterLabels[s]]),
];
export const SPACE_CHOICES: readonly [string, string][] = [
  ['', 'Les deux espaces'],
  ['assure', 'Espace Assuré'],
  ['entreprise', 'Espace Entreprise'],
];
export const SORT_CHOICES: readonly [string, string][] = [
  ['', "La plus ancienne d'abord"],
  ['recent', "La plus récente d'abord"],
];

export interface ObjectGroup {
  label: string;
  options: [string, string][];
}

/**
 * The « Catégorie ou objet » choices: a request's kind or kind and object, a thread's space,
 * category, or category and object. Values are `kind[:object]` and `messages[:space[:category[:object]]]`.
 */
export function objectChoices(lists: CorrespondenceLists): ObjectGroup[] {
  const requests: [string, string][] = [['demandes', 'Toutes les demandes']];
  const kinds = [
    ['remboursement', lists.remboursement, 'Remboursement'],
    ['devis', lists.devis, 'Devis'],
  ] as const;
  for (const [kind, list, short] of kinds) {
    requests.push([kind, `${requestKindLabels[kind]} : tous les objets`]);
    for (const o of list) requests.push([`${kind}:${o.code}`, `${short} : ${o.label}`]);
  }
  requests.push(['teletransmission', `${requestKindLabels.teletransmission} : toutes`]);
  for (const [code, label] of Object.entries(TELETRANSMISSION_OBJECT_LABELS))
    requests.push([`teletransmission:${code}`, `Télétransmission : ${label.toLowerCase()}`]);
  const threads = (
    space: 'assure' | 'entreprise',
    categories: CorrespondenceLists['messagerie'] | CorrespondenceLists['contact'],
    all: string,
  ): [string, string][] => {
    const options: [string, string][] = [[`messages:${space}`, all]];
    for (const c of categories) {
      options.push([`messages:${space}:${c.code}`, `${c.label} : tous les objets`]);
      for (const o of c.objects) options.push([`messages:${space}:${c.code}:${o.code}`, `${c.label} : ${o.label}`]);
    }
    return options;
  };
  return [
    { label: 'Demandes des assurés', options: requests },
    {
      label: 'Messagerie des assurés',
      options: [['messages', 'Tous les messages (assurés et entreprises)'], ...threads('assure', lists.messagerie, 'Tous les messages des assurés')],
    },
    { label: 'Nous contacter (entreprises)', options: threads('entreprise', lists.contact, 'Tous les messages des entreprises') },
  ];
}

/** What an « objet » value selects. */
function objectFilter(value: string): Pick<InboxFilters, 'type' | 'category' | 'object' | 'space'> {
  const [head, ...rest] = value.split(':');
  if (head === 'demandes') return { type: 'request' };
  if (head === 'messages') {
    const [space, category, object] = rest as ['assure' | 'entreprise' | undefined, string | undefined, string | undefined];
    return { type: 'thread', ...(space ? { space } : {}), ...(category ? { category } : {}), ...(object ? { object } : {}) };
  }
  return { type: 'request', category: head, ...(rest[0] ? { object: rest[0] } : {}) };
}

export interface InboxQuery {
  raw: RawInboxQuery;
  filters: InboxFilters;
  order: 'asc' | 'desc';
  errors: FieldErrors;
}

/**
 * Query string → filters. `presetObject` is the « objet » of the page when the query does not say
 * (« Messages » lists the threads, « Télétransmission » its requests); an empty « objet » sent by
 * the form means every item. `me` is the staff member (« attribué à moi »).
 */
export function readInboxQuery(
  query: Record<string, unknown>,
  lists: CorrespondenceLists,
  staffIds: ReadonlySet<number>,
  me: number,
  presetObject: string,
): InboxQuery {
  const raw = {} as RawInboxQuery;
  for (const key of INBOX_KEYS) raw[key] = queryText(query[key], 120);
  if (query.objet === undefined) raw.objet = presetObject;
  if (query.statut === undefined) raw.statut = DEFAULT_STATUS;
  const errors = unsafeQueryErrors(query, INBOX_KEYS);
  const filters: InboxFilters = {};

  if (raw.espace) {
    if (raw.espace === 'assure' || raw.espace === 'entreprise') filters.space = raw.espace;
    else errors.espace ??= INBOX_TEXTS.badSpace;
  }
  if (raw.objet) {
    if (objectChoices(lists).some((g) => g.options.some(([value]) => value === raw.objet))) {
      const selected = objectFilter(raw.objet);
      if (selected.space && filters.space && selected.space !== filters.space) errors.objet = INBOX_TEXTS.objectOtherSpace;
      else Object.assign(filters, selected);
    } else errors.objet ??= INBOX_TEXTS.badObject;
  }
  if (raw.statut === DEFAULT_STATUS || raw.statut === '') {
    filters.openOnly = true;
    raw.statut = DEFAULT_STATUS;
  } else if ((THREAD_STATUSES as readonly string[]).includes(raw.statut)) filters.status = raw.statut as ThreadStatus;
  else if (raw.statut !== 'tous') errors.statut ??= INBOX_TEXTS.badStatus;

  if (raw.attribue === 'moi') filters.assignedTo = me;
  else if (raw.attribue === 'aucun') filters.assignedTo = 'none';
  else if (raw.attribue) {
    const id = /^\d{1,10}$/.test(raw.attribue) ? Number(raw.attribue) : null;
    if (id !== null && staffIds.has(id)) filters.assignedTo = id;
    else errors.attribue ??= INBOX_TEXTS.badAssignee;
  }
  if (raw.retard) {
    filters.late = true;
    raw.retard = '1';
  }
  if (raw.tri && raw.tri !== 'recent') errors.tri ??= INBOX_TEXTS.badSort;
  return { raw, filters, order: raw.tri === 'recent' ? 'desc' : 'asc', errors };
}

/**
 * The address of the inbox page `path` with these criteria and page. « objet » is written when it
 * differs from the page's own, even empty (every item on a page that has one); the default status
 * and the first page are left out.
 */
export function inboxHref(path: string, presetObject: string, raw: Partial<RawInboxQuery>, page = 1): string {
  const params = new URLSearchParams();
  for (const key of INBOX_KEYS) {
    const value = raw[key] ?? '';
    if (key === 'objet') {
      if (value !== presetObject) params.set(key, value);
    } else if (key === 'statut') {
      if (value && value !== DEFAULT_STATUS) params.set(key, value);
    } else if (value) params.set(key, value);
  }
  if (page > 1) params.set('page', String(page));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
