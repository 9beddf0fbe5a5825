// The navigation of each space, word for word from the insurer's user guides (docs/domain.md#where-the-wording-comes-from).
export interface NavItem {
  label: string;
  href: string;
  adminOnly?: boolean;
  /** Espace Gestion: shown to a « superviseur » only (src/gestion/roles.ts). */
  supervisorOnly?: boolean;
  /** Other pages under which this entry is the current one (the pages it groups). */
  also?: readonly string[];
}

export const assureNav: NavItem[] = [
  { label: 'Accueil', href: '/assure/accueil' },
  { label: 'Situation', href: '/assure/situation' },
  { label: 'Remboursements', href: '/assure/remboursements' },
  { label: 'Tiers payant', href: '/assure/tiers-payant' },
  { label: 'Démarches', href: '/assure/demarches' },
  { label: 'Prévention', href: '/assure/prevention' },
];

export const entrepriseNav: NavItem[] = [
  { label: 'Mes salariés', href: '/entreprise/salaries' },
  { label: 'Mes documents pratiques', href: '/entreprise/documents' },
  { label: 'Mes habilitations', href: '/entreprise/habilitations', adminOnly: true },
  { label: 'Mes démarches', href: '/entreprise/demarches' },
];

export const entrepriseIcons: (NavItem & { icon: 'help' | 'mail' | 'bell' | 'user' })[] = [
  { label: 'Aide', href: '/entreprise/aide', icon: 'help' },
  { label: 'Messagerie', href: '/entreprise/messagerie', icon: 'mail' },
  { label: 'Notifications', href: '/entreprise/notifications', icon: 'bell' },
  { label: 'Mon profil', href: '/entreprise/profil', icon: 'user' },
];

/** The superviseur's pages that « Administration » gathers (src/gestion/administration.ts). */
export const ADMINISTRATION_PAGES = [
  { label: 'Comptes', href: '/gestion/comptes', text: 'Les comptes du personnel : ajouter un membre, changer son rôle, suspendre ou désactiver un compte.' },
  { label: "Journal d'audit", href: '/gestion/audit', text: 'Les événements de sécurité et les actions du personnel, des plus récents aux plus anciens.' },
  {
    label: 'Données personnelles',
    href: '/gestion/donnees-personnelles',
    text: "Les demandes d'effacement des assurés et des utilisateurs RH, à accepter ou à refuser.",
  },
  { label: 'Envois en échec', href: '/gestion/envois', text: "Les e-mails et SMS que le serveur d'envoi a refusés plusieurs fois, à renvoyer." },
] as const;

export const gestionNav: NavItem[] = [
  { label: 'Accueil', href: '/gestion/accueil' },
  // « Demandes et messages »: every request and thread; « Messages » and « Télétransmission » are its views.
  { label: 'Demandes', href: '/gestion/demandes', also: ['/gestion/messages', '/gestion/teletransmission'] },
  { label: 'Affiliations', href: '/gestion/affiliations' },
  { label: 'Assurés', href: '/gestion/assures' },
  { label: 'Entreprises', href: '/gestion/entreprises' },
  { label: 'Décomptes', href: '/gestion/decomptes' },
  { label: 'Documents', href: '/gestion/documents' },
  { label: 'Administration', href: '/gestion/administration', supervisorOnly: true, also: ADMINISTRATION_PAGES.map((p) => p.href) },
];
