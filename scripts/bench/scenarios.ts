// Bench scenarios: each loads one page of the running portal. Later features add theirs here.
export interface Scenario {
  name: string;
  path: string;
  /** Optional: logs in (or anything else) and returns headers for every request, e.g. a cookie. */
  prepare?: (baseUrl: string) => Promise<Record<string, string>>;
}

export const scenarios: Scenario[] = [
  { name: 'Accueil public (/)', path: '/' },
  { name: 'Connexion Espace Assuré (/assure)', path: '/assure' },
  { name: 'Connexion Espace Entreprise (/entreprise)', path: '/entreprise' },
];
