// The navigation of each space, word for word from the insurer's user guides (docs/domain.md#where-the-wording-comes-from).
export interface NavItem {
  label: string;
  href: string;
  adminOnly?: boolean;
  /** Espace Gestion: shown to a « superviseur » only (src/gestion/roles.ts). */
  supervisorOnly?: boolean;
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

export const gestionNav: NavItem[] = [
  { label: 'Accueil', href: '/gestion/accueil' },
  { label: 'Messages', href: '/gestion/messages' },
  { label: 'Demandes', href: '/gestion/demandes' },
  { label: 'Affiliations', href: '/gestion/affiliations' },
  { label: 'Assurés', href: '/gestion/assures' },
  { label: 'Entreprises', href: '/gestion/entreprises' },
  { label: 'Télétransmission', href: '/gestion/teletransmission' },
  { label: 'Décomptes', href: '/gestion/decomptes' },
  { label: 'Documents', href: '/gestion/documents' },
  { label: 'Comptes', href: '/gestion/comptes', supervisorOnly: true },
  { label: "Journal d'audit", href: '/gestion/audit', supervisorOnly: true },
  { label: 'Données personnelles', href: '/gestion/donnees-personnelles', supervisorOnly: true },
];
