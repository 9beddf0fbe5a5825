// How the assistant reads French: the same steps for the knowledge base and for a question, so
// that « Bénéficiaires », « beneficiaire » and « bénéficiaire » meet on one term.
//
// 1. fold: lowercase, accents and ligatures folded (src/domain/name-search.ts, the portal's one
//    folding), so a question typed without accents finds the accented answer;
// 2. split into words, dropping the elisions (« l'attestation » → « attestation », « qu'il »);
// 3. synonyms (question side only, `expandSynonyms`): words people type for the words the answers
//    use (« mutuelle » → « complémentaire », « mdp » → « mot de passe »), added to the question at
//    half weight;
// 4. stop words out (articles, pronouns, « comment », « faire »…);
// 5. stem with the Snowball French stemmer (@orama/stemmers), after folding, so an accented and an
//    unaccented spelling always give the same stem: « remboursements », « rembourser »,
//    « remboursé », « remboursée » → « rembours ».
import { stemmer } from '@orama/stemmers/french';
import { nameSearchKey } from '../domain/name-search.js';

/** Elided articles and pronouns glued to the next word by an apostrophe. */
const ELISION = /^(?:l|d|j|m|t|s|n|c|qu|jusqu|lorsqu|puisqu|quoiqu)'/;

/**
 * Words that say nothing about the topic of a question (folded). The Snowball French list, plus the
 * words of a question's frame: « comment », « faire », « pouvoir », « bonjour »…
 */
const STOP_WORDS = new Set(
  `a ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez aurions aurons auront aux avaient avais avait
  avec avez aviez avions avons ayant ayez ayons c ce ceci cela celle celles celui ces cet cette ceux chez d dans de des du elle elles
  en es est et etaient etais etait etant ete etee etees etes etiez etions eu eue eues eumes eurent eus eusse eussent eusses eussiez
  eussions eut eutes eux fumes furent fus fusse fussent fusses fussiez fussions fut futes ici il ils j je l la le les leur leurs lui
  m ma mais me meme memes mes moi mon n ne nos notre nous on ont ou par pas pour qu que quel quelle quelles quels qui s sa sans se
  sera serai seraient serais serait seras serez seriez serions serons seront ses si soi soient sois soit sommes son sont soyez soyons
  suis sur t ta te tes toi ton tu un une vos votre vous y
  comment quoi quand pourquoi combien ou estce faire fait faut dois doit doivent peux peut peuvent pouvez puis puisse veux
  veut voudrais voulais souhaite souhaiterais aimerais bonjour merci svp stp plait madame monsieur alors donc bien tres trop plus
  moins aussi deja encore toujours jamais rien tout tous toute toutes autre autres chose ca cas quelqu quelque quelques avoir etre
  aller vais va faire savoir sais sait connaitre besoin cest jai lequel laquelle lesquels lesquelles`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * Words people type → words the answers use (folded; several words on either side). The question
 * keeps its own words and gains these, so an answer written with either form is found.
 */
const SYNONYMS: Readonly<Record<string, string>> = {
  mutuelle: 'complementaire',
  mutuelles: 'complementaire',
  complementaire: 'mutuelle',
  assurance: 'complementaire',
  mdp: 'mot de passe',
  password: 'mot de passe',
  identifiant: 'mot de passe connexion',
  identifiants: 'mot de passe connexion',
  login: 'connexion',
  connecter: 'connexion',
  lunettes: 'optique',
  lunette: 'optique',
  verres: 'optique',
  lentilles: 'optique',
  monture: 'optique',
  opticien: 'optique',
  dentiste: 'dentaire',
  dents: 'dentaire',
  dent: 'dentaire',
  couronne: 'dentaire prothese',
  implant: 'dentaire',
  implants: 'dentaire',
  orthodontie: 'dentaire',
  'appareil auditif': 'audio',
  'appareils auditifs': 'audio',
  auditif: 'audio',
  auditives: 'audio',
  bebe: 'naissance enfant',
  accouchement: 'naissance maternite',
  enceinte: 'naissance maternite',
  grossesse: 'maternite naissance',
  adoption: 'naissance enfant',
  mariage: 'conjoint',
  marie: 'conjoint',
  pacs: 'conjoint',
  pacse: 'conjoint',
  epoux: 'conjoint',
  epouse: 'conjoint',
  femme: 'conjoint',
  mari: 'conjoint',
  concubin: 'conjoint',
  compagne: 'conjoint',
  compagnon: 'conjoint',
  fils: 'enfant',
  fille: 'enfant',
  gamin: 'enfant',
  hopital: 'hospitalisation',
  clinique: 'hospitalisation',
  operation: 'hospitalisation',
  operer: 'hospitalisation',
  opere: 'hospitalisation',
  operee: 'hospitalisation',
  chirurgie: 'hospitalisation',
  rib: 'coordonnees bancaires iban',
  iban: 'coordonnees bancaires rib',
  banque: 'coordonnees bancaires',
  bancaire: 'coordonnees bancaires',
  'compte bancaire': 'coordonnees bancaires',
  mail: 'e-mail',
  email: 'e-mail',
  courriel: 'e-mail',
  portable: 'mobile telephone',
  telephone: 'mobile',
  tel: 'telephone',
  joindre: 'contact telephone',
  appeler: 'telephone',
  conseiller: 'contact telephone',
  demenagement: 'adresse',
  demenage: 'adresse',
  demenager: 'adresse',
  '2fa': 'double authentification',
  sms: 'code',
  secu: 'securite sociale',
  cpam: 'securite sociale caisse',
  ameli: 'securite sociale caisse',
  noemie: 'teletransmission',
  decompte: 'remboursement',
  decomptes: 'remboursement',
  paiement: 'remboursement',
  virement: 'remboursement',
  rembourse: 'remboursement',
  argent: 'remboursement',
  facture: 'justificatif remboursement',
  factures: 'justificatif remboursement',
  ordonnance: 'prescription',
  envoyer: 'transmettre',
  envoie: 'transmettre',
  restera: 'reste a charge',
  'reste a payer': 'reste a charge',
  adhesion: 'affiliation',
  adherer: 'affiliation',
  agence: 'etablissement',
  succursale: 'etablissement',
  filiale: 'etablissement',
  documents: 'justificatifs',
  pieces: 'justificatifs documents',
  papiers: 'justificatifs documents',
  arrive: 'nouveau embauche',
  arrivee: 'nouveau embauche',
  tp: 'tiers payant',
  'tiers-payant': 'tiers payant',
  avance: 'tiers payant',
  avancer: 'tiers payant',
  medecin: 'professionnel sante',
  docteur: 'professionnel sante',
  praticien: 'professionnel sante',
  kine: 'professionnel sante',
  generaliste: 'professionnel sante',
  specialiste: 'professionnel sante',
  ophtalmo: 'professionnel sante ophtalmologue',
  visio: 'teleconsultation',
  bloque: 'bloque verrouille',
  verrouille: 'bloque',
  rgpd: 'donnees personnelles',
  cnil: 'donnees personnelles',
  plainte: 'reclamation',
  contester: 'reclamation',
  mecontent: 'reclamation',
  litige: 'reclamation',
  licenciement: 'depart portabilite',
  licencie: 'depart portabilite',
  demission: 'depart',
  chomage: 'portabilite',
  'chambre seule': 'chambre particuliere',
  'pole emploi': 'portabilite',
  'france travail': 'portabilite',
  retraite: 'depart',
  quitte: 'depart',
  quitter: 'depart',
  prix: 'cotisation',
  'chaque mois': 'cotisation',
  'par mois': 'cotisation',
  mensuel: 'cotisation',
  quand: 'delai',
  'combien de temps': 'delai',
  tarif: 'cotisation',
  cout: 'cotisation',
  'fiche de paie': 'cotisation',
  salaire: 'cotisation',
  collegue: 'utilisateur habilitation',
  habiliter: 'habilitation',
  acces: 'habilitation',
  embauche: 'pre-affiliation salarie',
  recrue: 'pre-affiliation salarie',
  nouvel: 'nouveau',
  siret: 'etablissement',
  export: 'exporter liste',
  excel: 'exporter fichier',
  csv: 'exporter fichier',
};

const SYNONYM_RULES: { from: string[]; to: string[] }[] = Object.entries(SYNONYMS).map(([from, to]) => ({
  from: words(from),
  to: words(to),
}));

/** The folded words of a text, elisions dropped: « L'Attestation d'affiliation » → attestation, affiliation. */
export function words(text: string): string[] {
  return nameSearchKey(text)
    .replace(/[‘`´]/g, "'")
    .split(/[^a-z0-9']+/)
    .map((word) => word.replace(ELISION, '').replace(/'/g, ''))
    .filter(Boolean);
}

/** The question's words followed by the words of every synonym rule it matches (a rule's words in a row). */
export function expandSynonyms(list: readonly string[]): string[] {
  const added: string[] = [];
  for (const rule of SYNONYM_RULES) {
    for (let i = 0; i + rule.from.length <= list.length; i++) {
      if (rule.from.every((word, k) => list[i + k] === word)) {
        added.push(...rule.to);
        break;
      }
    }
  }
  return [...list, ...added];
}

function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

/** A folded word's stem (Snowball French); numbers and very short words stay as they are. */
export function stem(word: string): string {
  if (word.length <= 2 || /^\d+$/.test(word)) return word;
  // Folded, « remboursée » reads « remboursee », an ending Snowball (written for accented French)
  // does not know: back to « rembourse », as « remboursé » folds.
  return stemmer(word.replace(/(?<=..)ees?$/, 'e'));
}

/**
 * A word's terms: its stem, and the folded word itself when it differs. The stem joins the forms
 * of a word; the whole word lets a typo that breaks the stemmer's suffixes (« habilitaton ») still
 * come within MiniSearch's fuzzy distance of the word written (« habilitations »).
 */
function termsOf(word: string): string[] {
  const stemmed = stem(word);
  return stemmed === word ? [word] : [stemmed, word];
}

/** The terms a text is indexed by: folded words, stop words out, each word's stem and the word itself. */
export function indexTerms(text: string): string[] {
  return words(text)
    .filter((word) => !isStopWord(word))
    .flatMap(termsOf);
}

/** A term of a question and its weight: 1 for the question's own words, SYNONYM_WEIGHT for those synonyms added. */
export interface QuestionTerm {
  term: string;
  weight: number;
}

/** A synonym says less than the word typed: it helps find an answer, it should not decide between two. */
export const SYNONYM_WEIGHT = 0.5;

/** The terms a question is searched with: like `indexTerms`, with the synonyms added (weighing less). */
export function questionTerms(question: string): QuestionTerm[] {
  const typed = words(question);
  const weights = new Map<string, number>();
  const add = (list: string[], weight: number) => {
    for (const word of list) {
      if (isStopWord(word)) continue;
      for (const term of termsOf(word)) weights.set(term, Math.max(weights.get(term) ?? 0, weight));
    }
  };
  add(typed, 1);
  add(expandSynonyms(typed).slice(typed.length), SYNONYM_WEIGHT);
  return [...weights].map(([term, weight]) => ({ term, weight }));
}
