// The acts a member can pick when typing a quote's lines (« Transmettre un devis »),
// per object of the guide (optique, audio, appareillage, hospitalisation, dentaire, maternité), with
// what the Sécurité sociale pays for each and which line of a guarantee table covers it.
//
// The figures are ESTIMATES for a quote, as published by the Assurance Maladie for 2025–2026; an
// insurer's brand or configuration may override them later (nothing reads them but
// src/domain/reste-a-charge.ts). Where the base varies from one act to the next (dental care, a
// hospital stay) no default is given: the devis normalisé the professional must hand out shows the
// « base de remboursement » of each act, and the member types it. Sources, by field:
// - Optique (LPP, réforme « 100 % Santé » in force since 1 January 2020): equipment of classe B
//   (tarifs libres) has a base of 0,05 € per lens and 0,05 € for the frame for adults, reimbursed at
//   60 % — 0,15 € of base and 0,09 € paid for a pair of glasses. Lentilles prescrites remboursées: a
//   base of 39,48 € per eye and per year, at 60 %. Réfractive surgery: not reimbursed.
// - Audio (100 % Santé since 1 January 2021): a base of 400 € per ear for over-20s, at 60 % (240 €),
//   for classe I (prix limite de vente 950 €) and classe II alike; a contrat responsable pays at most
//   1 700 € per ear for classe II, Sécurité sociale included (Code de la sécurité sociale, R871-2).
// - Appareillage (LPP titre II: orthèses, semelles, fauteuils, prothèses capillaires…): 60 % of the
//   LPP tarif, which differs for each item (typed from the quote).
// - Hospitalisation: 80 % of the base for the stay and the fees; when an act's tariff is 120 € or
//   more, the Sécurité sociale pays 100 % of it less a participation forfaitaire of 24 € (CSS
//   R160-16). The forfait journalier hospitalier (20 € a day in hospital or clinic, 15 € in a
//   psychiatric unit) and a private room are not reimbursed by the Sécurité sociale. Not modelled:
//   the exemption of the whole stay when a heavy act is performed, the 31st day, ALD and maternity
//   exemptions — staff confirm the estimate.
// - Dentaire: soins conservateurs at 60 % since 1 October 2023 (70 % before); prothèses at 60 % of
//   the base, 120 € for a crown; orthodontie started before 16 at 100 % of 193,50 € per semester;
//   implants and parodontologie are not reimbursed.
// - Maternité: the assurance maternité pays 100 % of the base from the 6th month of pregnancy and
//   for the delivery; a sage-femme consultation has a base of 30 €. A private room is not reimbursed.
//
// `guarantee` finds the line of a guarantee table that covers the act: the demo tables' labels
// (db/seeds/french-data.ts, GUARANTEE_TEMPLATES) begin this way. A table with other labels finds no
// line, and the estimate falls back on the ticket modérateur every contrat responsable must pay.
// `careTypes` are the statement lines' care_type codes that draw on the same guarantee, to count
// what a yearly allowance has already paid this year.

export const QUOTE_OBJECTS = ['optique', 'audio', 'appareillage', 'hospitalisation', 'dentaire', 'maternite'] as const;
export type QuoteObject = (typeof QUOTE_OBJECTS)[number];
/** The guide's objects (« Transmettre un devis »), the one place the UI takes them from. */
export const quoteObjectLabels: Readonly<Record<QuoteObject, string>> = {
  optique: 'Optique',
  audio: 'Audio',
  appareillage: 'Appareillage',
  hospitalisation: 'Hospitalisation',
  dentaire: 'Dentaire',
  maternite: 'Maternité',
};

/**
 * How the Sécurité sociale pays: `percent` of the base; with `heavyAct`, a base of at least
 * `thresholdCents` is paid at 100 % less `participationCents` instead (« acte lourd »).
 */
interface SecuriteSocialeRule {
  percent: number;
  heavyAct?: { thresholdCents: number; participationCents: number };
  /** Why nothing is paid, when percent is 0: shown to the member. */
  notReimbursed?: string;
}

export interface CareAct {
  code: string;
  object: QuoteObject;
  label: string;
  ss: SecuriteSocialeRule;
  /** The base of one act, or of one day for per-day acts; null when it depends on the act (typed from the quote). */
  defaultBaseCents: number | null;
  /** Counted per day (hospital days, nights in a private room): the quote line says how many. */
  perDay: boolean;
  /** The guarantee line that covers it: its category and how its label begins. */
  guarantee: { category: string; labelStartsWith: string };
  /** A legal ceiling of Sécurité sociale plus complementary per act (contrat responsable). */
  totalCeilingCents?: number;
  careTypes: readonly string[];
}

const SS_60: SecuriteSocialeRule = { percent: 60 };
const HOSPITAL: SecuriteSocialeRule = { percent: 80, heavyAct: { thresholdCents: 12_000, participationCents: 2_400 } };
const notReimbursed = (why: string): SecuriteSocialeRule => ({ percent: 0, notReimbursed: why });

export const CARE_ACTS: readonly CareAct[] = [
  // Optique
  {
    code: 'optique_classe_a',
    object: 'optique',
    label: 'Lunettes 100 % Santé (classe A) – verres et monture',
    ss: SS_60,
    defaultBaseCents: null,
    perDay: false,
    guarantee: { category: 'optique', labelStartsWith: 'Équipement 100 % Santé' },
    careTypes: ['optique_100_sante'],
  },
  {
    code: 'optique_simples',
    object: 'optique',
    label: 'Lunettes classe B – verres simples et monture',
    ss: SS_60,
    defaultBaseCents: 15,
    perDay: false,
    guarantee: { category: 'optique', labelStartsWith: 'Équipement classe B – verres simples' },
    careTypes: ['optique'],
  },
  {
    code: 'optique_complexes',
    object: 'optique',
    label: 'Lunettes classe B – verres complexes et monture',
    ss: SS_60,
    defaultBaseCents: 15,
    perDay: false,
    guarantee: { category: 'optique', labelStartsWith: 'Équipement classe B – verres complexes' },
    careTypes: [],
  },
  {
    code: 'optique_tres_complexes',
    object: 'optique',
    label: 'Lunettes classe B – verres très complexes et monture',
    ss: SS_60,
    defaultBaseCents: 15,
    perDay: false,
    guarantee: { category: 'optique', labelStartsWith: 'Équipement classe B – verres très complexes' },
    careTypes: [],
  },
  {
    code: 'lentilles',
    object: 'optique',
    label: 'Lentilles prescrites remboursées (par œil)',
    ss: SS_60,
    defaultBaseCents: 3_948,
    perDay: false,
    guarantee: { category: 'optique', labelStartsWith: 'Lentilles prescrites' },
    careTypes: ['lentilles'],
  },
  {
    code: 'lentilles_non_remboursees',
    object: 'optique',
    label: 'Lentilles prescrites non remboursées',
    ss: notReimbursed('La Sécurité sociale ne rembourse pas ces lentilles.'),
    defaultBaseCents: null,
    perDay: false,
    guarantee: { category: 'optique', labelStartsWith: 'Lentilles prescrites' },
    careTypes: [],
  },
  {
    code: 'chirurgie_refractive',
    object: 'optique',
    label: 'Chirurgie réfractive (par œil)',
    ss: notReimbursed('La Sécurité sociale ne rembourse pas la chirurgie réfractive.'),
    defaultBaseCents: null,
    perDay: false,
    guarantee: { category: 'optique', labelStartsWith: 'Chirurgie réfractive' },
    careTypes: [],
  },
  // Audio
  {
    code: 'audio_classe_1',
    object: 'audio',
    label: 'Aide auditive 100 % Santé (classe I), par oreille',
    ss: SS_60,
    defaultBaseCents: 40_000,
    perDay: false,
    guarantee: { category: 'aides_auditives', labelStartsWith: 'Équipement 100 % Santé' },
    careTypes: [],
  },
  {
    code: 'audio_classe_2',
    object: 'audio',
    label: 'Aide auditive classe II, par oreille',
    ss: SS_60,
    defaultBaseCents: 40_000,
    perDay: false,
    guarantee: { category: 'aides_auditives', labelStartsWith: 'Aides auditives classe II' },
    totalCeilingCents: 170_000,
    careTypes: ['audio'],
  },
  {
    code: 'audio_entretien',
    object: 'audio',
    label: 'Piles, entretien et accessoires',
    ss: SS_60,
    defaultBaseCents: null,
    perDay: false,
    guarantee: { category: 'aides_auditives', labelStartsWith: 'Piles, entretien' },
    careTypes: [],
  },
  // Appareillage
  {
    code: 'appareillage_orthese',
    object: 'appareillage',
    label: 'Orthèse, attelle, semelles orthopédiques',
    ss: SS_60,
    defaultBaseCents: null,
    perDay: false,
    guarantee: { category: 'soins_courants', labelStartsWith: 'Appareillage' },
    careTypes: [],
  },
  {
    code: 'appareillage_materiel',
    object: 'appareillage',
    label: 'Fauteuil roulant, matériel médical',
    ss: SS_60,
    defaultBaseCents: null,
    perDay: false,
    guarantee: { category: 'soins_courants', labelStartsWith: 'Appareillage' },
    careTypes: [],
  },
  {
    code: 'appareillage_prothese',
    object: 'appareillage',
    label: 'Prothèse externe ou capillaire',
    ss: SS_60,
    defaultBaseCents: null,
    perDay: false,
    guarantee: { category: 'soins_courants', labelStartsWith: 'Appareillage' },
    careTypes: [],
  },
  // Hospitalisation
  {
    code: 'hospi_sejour',
    object: 'hospitalisation',
    label: 'Frais de séjour',
    ss: { percent: 80 },
    defaultBaseCents: null,
    perDay: false,
    guarantee: { category: 'hospitalisation', labelStartsWith: 'Frais de séjour' },
    careTypes: [],
  },
  {
    code: 'hospi_honoraires_optam',
    object: 'hospitalisation',
    label: 'Honoraires (chirurgien, anesthésiste) – médecin OPTAM',
    ss: HOSPITAL,
    defaultBaseCents: null,
    perDay: false,
    guarantee: { category: 'hospitalisation', labelStartsWith: 'Honoraires – médecins adhérents OPTAM' },
    careTypes: ['honoraires_chirurgicaux'],
  },
  {
    code: 'hospi_honoraires_non_optam',
    object: 'hospitalisation',
    label: 'Honoraires (chirurgien, anesthésiste) – médecin non OPTAM',
    ss: HOSPITAL,
    defaultBaseCents: null,
    perDay: false,
    guarantee: { category: 'hospitalisation', labelStartsWith: 'Honoraires – médecins non adhérents OPTAM' },
    careTypes: [],
  },
  {
    code: 'hospi_forfait_journalier',
    object: 'hospitalisation',
    label: 'Forfait journalier hospitalier (20 € par jour)',
    ss: notReimbursed('La Sécurité sociale ne rembourse pas le forfait journalier hospitalier.'),
    defaultBaseCents: null,
    perDay: true,
    guarantee: { category: 'hospitalisation', labelStartsWith: 'Forfait journalier' },
    careTypes: ['hospitalisation'],
  },
  {
    code: 'hospi_chambre_particuliere',
    object: 'hospitalisation',
    label: 'Chambre particulière (par nuit)',
    ss: notReimbursed('La Sécurité sociale ne rembourse pas la chambre particulière.'),
    defaultBaseCents: null,
    perDay: true,
    guarantee: { category: 'hospitalisation', labelStartsWith: 'Chambre particulière' },
    careTypes: ['chambre_particuliere'],
  },
  {
    code: 'hospi_accompagnant',
    object: 'hospitalisation',
    label: "Lit d'accompagnant d'un enfant de moins de 12 ans (par nuit)",
    ss: notReimbursed("La Sécurité sociale ne rembourse pas les frais d'accompagnement."),
    defaultBaseCents: null,
    perDay: true,
    guarantee: { category: 'hospitalisation', labelStartsWith: "Frais d'accompagnement" },
    careTypes: [],
  },
  // Dentaire
  {
    code: 'dentaire_soins',
    object: 'dentaire',
    label: 'Soins dentaires (carie, dévitalisation, détartrage)',
    ss: SS_60,
    defaultBaseCents: null,
    perDay: false,
    guarantee: { category: 'dentaire', labelStartsWith: 'Soins dentaires conservateurs' },
    careTypes: ['dentaire'],
  },
  {
    code: 'dentaire_100_sante',
    object: 'dentaire',
    label: 'Couronne ou bridge 100 % Santé',
    ss: SS_60,
    defaultBaseCents: 12_000,
    perDay: false,
    guarantee: { category: 'dentaire', labelStartsWith: 'Soins et prothèses 100 % Santé' },
    careTypes: [],
  },
  {
    code: 'dentaire_couronne',
    object: 'dentaire',
    label: 'Couronne (paniers maîtrisé et libre)',
    ss: SS_60,
    defaultBaseCents: 12_000,
    perDay: false,
    guarantee: { category: 'dentaire', labelStartsWith: 'Prothèses dentaires remboursées' },
    careTypes: ['prothese_dentaire'],
  },
  {
    code: 'dentaire_orthodontie',
    object: 'dentaire',
    label: 'Orthodontie commencée avant 16 ans (semestre)',
    ss: { percent: 100 },
    defaultBaseCents: 19_350,
    perDay: false,
    guarantee: { category: 'dentaire', labelStartsWith: 'Orthodontie remboursée' },
    careTypes: ['orthodontie'],
  },
  {
    code: 'dentaire_implant',
    object: 'dentaire',
    label: 'Implant dentaire',
    ss: notReimbursed('La Sécurité sociale ne rembourse pas les implants dentaires.'),
    defaultBaseCents: null,
    perDay: false,
    guarantee: { category: 'dentaire', labelStartsWith: 'Implantologie' },
    careTypes: [],
  },
  {
    code: 'dentaire_parodontologie',
    object: 'dentaire',
    label: 'Parodontologie',
    ss: notReimbursed('La Sécurité sociale ne rembourse pas ces soins de parodontologie.'),
    defaultBaseCents: null,
    perDay: false,
    guarantee: { category: 'dentaire', labelStartsWith: 'Parodontologie' },
    careTypes: [],
  },
  // Maternité
  {
    code: 'maternite_honoraires',
    object: 'maternite',
    label: "Honoraires de l'accouchement – médecin OPTAM",
    ss: { percent: 100 },
    defaultBaseCents: null,
    perDay: false,
    guarantee: { category: 'maternite', labelStartsWith: "Dépassements d'honoraires liés à l'accouchement" },
    careTypes: [],
  },
  {
    code: 'maternite_sage_femme',
    object: 'maternite',
    label: 'Consultation de sage-femme',
    ss: { percent: 100 },
    defaultBaseCents: 3_000,
    perDay: false,
    guarantee: { category: 'maternite', labelStartsWith: 'Consultations de sage-femme' },
    careTypes: ['sage_femme'],
  },
  {
    code: 'maternite_chambre',
    object: 'maternite',
    label: 'Chambre particulière en maternité (par nuit)',
    ss: notReimbursed('La Sécurité sociale ne rembourse pas la chambre particulière.'),
    defaultBaseCents: null,
    perDay: true,
    guarantee: { category: 'maternite', labelStartsWith: 'Chambre particulière en maternité' },
    careTypes: [],
  },
];

const BY_CODE = new Map(CARE_ACTS.map((act) => [act.code, act]));

export function findCareAct(code: string): CareAct | undefined {
  return BY_CODE.get(code);
}

/** The acts offered for an object, in the catalogue's order (the form's list). */
export function careActsFor(object: QuoteObject): CareAct[] {
  return CARE_ACTS.filter((act) => act.object === object);
}
