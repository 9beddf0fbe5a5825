// The fixed facts of the demo data set that the README, the tests and the benchmarks rely on.
import { generateSiren, generateSiret } from '../../../src/domain/siret.js';

export const DEMO_PASSWORD = 'Tilleul-Demo-2026!';
export const DOMAIN = 'demo.example';

export const SIREN_VERDIER = generateSiren('81452367');
export const SIREN_HORIZON = generateSiren('79231845');
export const SIREN_MARCEAU = generateSiren('83367120');
export const SIREN_PONANT = generateSiren('80914562');

/**
 * What the README, the tests and the benchmarks may rely on. Every demo password is DEMO_PASSWORD;
 * every demo mobile is in the range ARCEP keeps for fiction (06 39 98 xx xx).
 */
export const DEMO_FACTS = {
  password: DEMO_PASSWORD,
  /** Fictional range (ARCEP); E.164 is +262 639 98 xx xx because 0639 numbers belong to Mayotte's plan. */
  mobileRange: '06 39 98 xx xx',
  /** Member with an active account, a spouse and two children. */
  member: {
    email: 'marie.lefebvre@demo.example',
    memberNumber: '100000001',
    firstName: 'Marie',
    lastName: 'Lefebvre',
    birthDate: '1986-04-17',
    mobile: '+262639980142',
    mobileDisplay: '06 39 98 01 42',
    companyName: 'Cabinet Verdier Immobilier',
  },
  /** Member without an account but with an email and a mobile on file: try « Activer mon espace ». */
  memberWithoutAccount: {
    email: 'julien.moreau@demo.example',
    memberNumber: '100000002',
    firstName: 'Julien',
    lastName: 'Moreau',
    birthDate: '1992-11-05',
    mobile: '+262639980278',
    mobileDisplay: '06 39 98 02 78',
  },
  /** Member with ~500 décompte lines, for the benchmarks. */
  benchMember: { email: 'bench.member@demo.example', memberNumber: '100000003', lines: 500 },
  /** Member created by the validation of an online affiliation (no account yet). */
  affiliatedOnline: { memberNumber: '100000004', firstName: 'Camille', lastName: 'Roux' },
  hrAdmin: { email: 'rh.admin@demo.example', firstName: 'Eugénie', lastName: 'Marchand', companies: ['Cabinet Verdier Immobilier', 'Syndic Horizon Gestion'] },
  hrUser: { email: 'rh.utilisateur@demo.example', firstName: 'Hugo', lastName: 'Lambert', company: 'Cabinet Verdier Immobilier' },
  /** Administrator of another company: rh.admin must never see its employees. */
  otherHrAdmin: { email: 'rh.ponant@demo.example', company: 'Immobilière du Ponant' },
  staff: { email: 'gestion@demo.example', staffRole: 'gestionnaire' },
  /** A colleague of gestion@: some requests and threads of the demo are assigned to them. */
  colleague: { email: 'gestion.martin@demo.example', firstName: 'Antoine', lastName: 'Martin', staffRole: 'gestionnaire' },
  /** The superviseur: « Comptes » (the staff accounts) and the audit log, which gestionnaires do not see. */
  supervisor: { email: 'superviseur@demo.example', firstName: 'Sophie', lastName: 'Renaud', staffRole: 'superviseur' },
  /** A company with no HR account yet: try the HR activation with these identifiers. */
  companyWithoutHr: {
    name: 'Administration de Biens Marceau',
    siren: SIREN_MARCEAU,
    siret: generateSiret(SIREN_MARCEAU, '0001'),
    insurerCompanyNumber: '40318426',
    establishmentName: 'Marceau Bordeaux Chartrons',
  },
  /** The four companies present at every scale (head-office SIRET = NIC 0001). */
  companies: {
    verdier: {
      name: 'Cabinet Verdier Immobilier',
      siren: SIREN_VERDIER,
      siret: generateSiret(SIREN_VERDIER, '0001'),
      insurerCompanyNumber: '40125873',
      admins: ['rh.admin@demo.example'],
    },
    horizon: {
      name: 'Syndic Horizon Gestion',
      siren: SIREN_HORIZON,
      siret: generateSiret(SIREN_HORIZON, '0001'),
      insurerCompanyNumber: '40236915',
      admins: ['rh.admin@demo.example'],
    },
    marceau: {
      name: 'Administration de Biens Marceau',
      siren: SIREN_MARCEAU,
      siret: generateSiret(SIREN_MARCEAU, '0001'),
      insurerCompanyNumber: '40318426',
      admins: [],
    },
    ponant: {
      name: 'Immobilière du Ponant',
      siren: SIREN_PONANT,
      siret: generateSiret(SIREN_PONANT, '0001'),
      insurerCompanyNumber: '40457209',
      admins: ['rh.ponant@demo.example'],
    },
  },
  /** An establishment of rh.utilisateur's company that is not in their « périmètre suivi » yet. */
  perimeterAddition: { siret: generateSiret(SIREN_VERDIER, '0003'), insurerCode: 'VER1003', name: 'Cabinet Verdier Immobilier — Annecy' },
  /** Two establishments of Syndic Horizon Gestion that rh.admin does not follow yet: try « Ajouter plusieurs établissements (fichier) ». */
  newEstablishments: [
    { siret: generateSiret(SIREN_HORIZON, '0004'), insurerCode: 'HOR2004', name: 'Syndic Horizon Gestion — Nanterre' },
    { siret: generateSiret(SIREN_HORIZON, '0005'), insurerCode: 'HOR2005', name: 'Syndic Horizon Gestion — Saint-Germain-en-Laye' },
  ],
  /** Online affiliation links (/affiliation/<token>): the identity check asks for the birth date. */
  affiliationSent: { token: 'demo-affiliation-envoye-Tq7Vw2Lx9Pz4Kc8Rm3Hs', firstName: 'Lucas', lastName: 'Bernard', birthDate: '1998-03-14' },
  affiliationStarted: { token: 'demo-affiliation-demarre-Nf5Gy8Qb2Wd6Jt1Xe7Ua', firstName: 'Inès', lastName: 'Haddad', birthDate: '1995-07-22' },
} as const;
