// Bench scenarios: each loads one page of the running portal. Later features add theirs here.
// Targets of issue 16 (per-request cost): req/s at 32 connections as a share of the session
// yardstick's in the same run (scripts/bench/session-server.ts), and p99 at 8 connections.
import { DEMO_FACTS } from '../../db/seeds/demo/index.js';
import { benchHrAdminHeaders, benchMemberHeaders, benchStaffHeaders } from './login.js';

export interface Scenario {
  name: string;
  /** The page; a function finds it once logged in (e.g. the id of a décompte of the bench member). */
  path: string | ((baseUrl: string, headers: Record<string, string>) => Promise<string>);
  /** Optional: logs in (or anything else) and returns headers for every request, e.g. a cookie. */
  prepare?: (baseUrl: string) => Promise<Record<string, string>>;
  /** Target: req/s at 32 connections, in % of the session yardstick's. */
  minShareOfSession?: number;
  /** Target: p99 latency at 8 connections, in ms (strictly below). */
  maxP99At8?: number;
}

/** The first « Télécharger le décompte (PDF) » link of the bench member's Remboursements. */
async function firstStatementPdf(baseUrl: string, headers: Record<string, string>): Promise<string> {
  const html = await (await fetch(`${baseUrl}/assure/remboursements`, { headers })).text();
  const link = html.match(/href="(\/assure\/remboursements\/decomptes\/\d+\/pdf)"/);
  if (!link) throw new Error("Aucun décompte PDF dans les Remboursements de l'assuré de bench");
  return link[1];
}

export const scenarios: Scenario[] = [
  { name: 'Accueil public (/)', path: '/' },
  { name: 'Connexion Espace Assuré (/assure)', path: '/assure' },
  { name: 'Connexion Espace Entreprise (/entreprise)', path: '/entreprise' },
  // The floor of each private space: « Aide » runs no query of its own (its questions fréquentes
  // are a Markdown file, re-read only when it changes), only what every private page does
  // (session, account, the member or the HR companies and notifications badge, layout).
  { name: 'Page assuré sans requête propre (/assure/aide)', path: '/assure/aide', prepare: benchMemberHeaders, minShareOfSession: 60 },
  { name: 'Page entreprise sans requête propre (/entreprise/aide)', path: '/entreprise/aide', prepare: benchHrAdminHeaders, minShareOfSession: 60 },
  // The bench member (~500 lines, 53 décomptes): home with its latest lines and 12-month synthesis.
  { name: 'Accueil assuré (/assure/accueil)', path: '/assure/accueil', prepare: benchMemberHeaders, minShareOfSession: 40, maxP99At8: 10 },
  // 50 décomptes between these dates: page 2 of 5.
  {
    name: 'Remboursements filtrés, page 2 (/assure/remboursements)',
    path: '/assure/remboursements?du=01%2F01%2F2025&au=31%2F12%2F2026&page=2',
    prepare: benchMemberHeaders,
    minShareOfSession: 25,
    maxP99At8: 20,
  },
  // One décompte as a PDF (issue 16, target 5: its p99 at 8 connections is reported).
  { name: 'Décompte PDF (/assure/remboursements/decomptes/:id/pdf)', path: firstStatementPdf, prepare: benchMemberHeaders },
  // « Mes salariés » of rh.admin (59,000 affiliations visible at scale 334): page 3 of the largest
  // establishment (Lyon Bellecour, ~190 affiliations, chosen by its SIRET), and page 3 of a
  // name search (« lefevre » finds Lefèvre and Lefevre: ~290 visible).
  {
    name: 'Mes salariés par établissement, page 3 (/entreprise/salaries)',
    path: `/entreprise/salaries?siret=${DEMO_FACTS.companies.verdier.siret}&page=3`,
    prepare: benchHrAdminHeaders,
    minShareOfSession: 25,
    maxP99At8: 20,
  },
  {
    name: 'Mes salariés par nom, page 3 (/entreprise/salaries)',
    path: '/entreprise/salaries?assure=lefevre&page=3',
    prepare: benchHrAdminHeaders,
    minShareOfSession: 20,
    maxP99At8: 20,
  },
  // The staff inbox (≈ 200,000 requests and threads at scale 334, two years of them; most are
  // closed): the default « À traiter », then filtered by status and late, then the closed ones.
  // Names say « Inbox » and not the address, so that `--only inbox` and `--only demandes` part them.
  { name: 'Inbox gestion : à traiter, page 1', path: '/gestion/demandes', prepare: benchStaffHeaders },
  { name: 'Inbox gestion : nouveaux en retard (statut=new&retard=1)', path: '/gestion/demandes?statut=new&retard=1', prepare: benchStaffHeaders },
  { name: 'Inbox gestion : en cours en retard (statut=open&retard=1)', path: '/gestion/demandes?statut=open&retard=1', prepare: benchStaffHeaders },
  { name: 'Inbox gestion : clos, les plus récents (statut=closed&tri=recent)', path: '/gestion/demandes?statut=closed&tri=recent', prepare: benchStaffHeaders },
  // The bench member's « Mes demandes » (≈ 70 requests): page 1, each request with its timeline.
  { name: 'Mes demandes, page 1 (/assure/demarches/demandes)', path: '/assure/demarches/demandes', prepare: benchMemberHeaders },
  // « Professionnels de santé » (≈ 200,000 professionals at scale 334): ophthalmologists within
  // 10 km of Lyon 3e, page 1 (the bounding box on the specialty index, then the exact distance).
  {
    name: 'Professionnels : Ophtalmologue à 10 km de 69003',
    path: '/assure/professionnels?lieu=69003&specialite=ophtalmologue',
    prepare: benchMemberHeaders,
  },
];
