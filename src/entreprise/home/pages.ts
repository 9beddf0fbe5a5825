// Espace Entreprise — Accueil (guide « Présentation des fonctionnalités »): the five
// tiles, « Vos Affiliations » with its « Entreprise » filter, « Mes salariés assurés » drawn as two
// server-side gauges (par établissement, par collège) with the same figures in text, and
// « Conseils et astuces » from the brand file.
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import { isoToday } from '../../domain/dates.js';
import { donutArcs, donutSvg, donutSwatch, formatShare, type DonutSegment } from '../../domain/donut.js';
import { formatInteger } from '../../domain/text.js';
import { messages } from '../../messages.js';
import { insuredCounts, type InsuredCountRow } from './queries.js';

/** The five tiles of the guide, word for word. */
const ENTREPRISE_TILES = [
  { label: 'Mes salariés', href: '/entreprise/salaries' },
  { label: 'Pré-affiliation', href: '/entreprise/pre-affiliation' },
  { label: "Suivi des demandes d'affiliations", href: '/entreprise/suivi-affiliations' },
  { label: 'Mes documents pratiques', href: '/entreprise/documents' },
  { label: 'Nous contacter', href: '/entreprise/messagerie/nouveau' },
];

const HOME_TEXTS = {
  unknownCompany: 'Cette entreprise ne fait pas partie de celles que vous suivez : toutes vos entreprises sont affichées.',
};

/** Beyond this many establishments the gauge groups the smallest ones under « Autres établissements ». */
const GAUGE_SLICES = 5;
/**
 * The table under a gauge lists this many groups, the largest; « Afficher les N établissements »
 * (?etablissements=tous) lists them all. A company with thousands of establishments made the page
 * weigh 200 KB (20 KB compressed) for a table most visits leave closed (issue 16, light pages).
 */
const DETAIL_ROWS = 20;

export interface Gauge {
  id: string;
  title: string;
  total: number;
  svg: string | null;
  legend: { label: string; count: string; share: string; swatch: string }[];
  /** The groups with their count, for the text table (not only the gauge's slices): the largest DETAIL_ROWS, or all. */
  rows: { label: string; count: number }[];
  /** How many groups there are: more than `rows` when the table is cut. */
  rowCount: number;
}

function gauge(id: string, title: string, groups: { label: string; count: number }[], palette: DonutSegment[], allRows: boolean): Gauge {
  const sorted = [...groups].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'fr'));
  const shown = sorted.length > GAUGE_SLICES + 1 ? sorted.slice(0, GAUGE_SLICES) : sorted;
  const rest = sorted.slice(shown.length);
  const slices = rest.length ? [...shown, { label: `Autres établissements (${rest.length})`, count: rest.reduce((s, g) => s + g.count, 0) }] : shown;
  const segments: DonutSegment[] = slices.map((g, i) => ({ ...palette[i % palette.length], label: g.label, value: g.count }));
  const total = groups.reduce((s, g) => s + g.count, 0);
  const arcs = donutArcs(segments);
  return {
    id,
    title,
    total,
    svg: total > 0 ? donutSvg(segments, { id, centre: ['Total', formatInteger(total)] }) : null,
    legend: arcs.map((a, i) => ({
      label: a.label,
      count: formatInteger(a.value),
      share: formatShare(a.percent),
      swatch: donutSwatch(a, `${id}-legende-${i}`),
    })),
    rows: allRows ? sorted : sorted.slice(0, DETAIL_ROWS),
    rowCount: sorted.length,
  };
}

function insuredGauges(rows: InsuredCountRow[], colours: { primary: string; accent: string }, allRows: boolean): Gauge[] {
  // Dark enough against white (3:1, WCAG 1.4.11), and every other slice hatched: colour is never the only cue.
  const palette: DonutSegment[] = [
    { label: '', value: 0, colour: colours.primary },
    { label: '', value: 0, colour: colours.accent, hatched: true },
    { label: '', value: 0, colour: '#4b3b8f' },
    { label: '', value: 0, colour: '#8a5a00', hatched: true },
    { label: '', value: 0, colour: '#1f5f8b' },
    { label: '', value: 0, colour: '#5c5c5c', hatched: true },
  ];
  const byEstablishment = new Map<number, { label: string; count: number }>();
  const byCollege = new Map<string, { label: string; count: number }>();
  for (const r of rows) {
    const e = byEstablishment.get(r.establishment_id) ?? { label: r.establishment_name, count: 0 };
    e.count += r.insured;
    byEstablishment.set(r.establishment_id, e);
    const c = byCollege.get(r.college) ?? { label: messages.colleges[r.college] ?? r.college, count: 0 };
    c.count += r.insured;
    byCollege.set(r.college, c);
  }
  return [
    gauge('jauge-etablissements', 'Par établissement', [...byEstablishment.values()], palette, allRows),
    gauge('jauge-colleges', 'Par collège', [...byCollege.values()], palette, allRows),
  ];
}

export function showHome(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const companies = req.hrCompanies!;
    const raw = typeof req.query.entreprise === 'string' ? req.query.entreprise.trim() : '';
    const chosen = raw ? companies.find((c) => String(c.id) === raw) : undefined;
    const errors: Record<string, string> = raw && !chosen ? { entreprise: HOME_TEXTS.unknownCompany } : {};
    const rows = await insuredCounts(ctx.db, req.account!.id, chosen?.id ?? null, isoToday(ctx.clock));
    await res.renderPage({
      page: 'entreprise/home',
      fragment: 'entreprise/home-affiliations',
      layout: 'entreprise',
      title: 'Accueil',
      locals: {
        tiles: ENTREPRISE_TILES,
        companies,
        selectedCompany: chosen?.id ?? null,
        errors,
        gauges: insuredGauges(rows, ctx.config.brand.colours, req.query.etablissements === 'tous'),
        allRows: req.query.etablissements === 'tous',
        tips: ctx.config.brand.tips,
      },
    });
  };
}
