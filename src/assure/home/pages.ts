// Espace Assuré — Accueil (guide « Présentation des fonctionnalités »).
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import { addDays, addMonths, isoToday } from '../../domain/dates.js';
import { donutArcs, donutSvg, donutSwatch, formatShare, type DonutSegment } from '../../domain/donut.js';
import { formatEuros } from '../../domain/money.js';
import { memberIdOf } from '../member.js';
import { profileCompletion } from './profile-completion.js';
import { currentBeneficiaries, latestLines, paymentsBetween } from './queries.js';

/** The six tiles of the guide, word for word (the last one carries the brand's care network). */
function homeTiles(networkName: string): { label: string; href: string }[] {
  return [
    { label: 'Ma carte de tiers payant', href: '/assure/tiers-payant' },
    { label: 'Mes bénéficiaires', href: '/assure/beneficiaires' },
    { label: 'Mes contrats', href: '/assure/contrats' },
    { label: 'Demande de remboursements', href: '/assure/demarches/remboursement' },
    { label: 'Transmettre un devis', href: '/assure/demarches/devis' },
    { label: `Mes services ${networkName}`, href: '/assure/services' },
  ];
}

export function showHome(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const memberId = memberIdOf(req);
    const today = isoToday(ctx.clock);
    // The last 12 months: from the same day a year ago (excluded) to today.
    const since = addDays(addMonths(today, -12), 1);
    const [lines, payments, beneficiaries] = await Promise.all([
      latestLines(ctx.db, memberId),
      paymentsBetween(ctx.db, memberId, since, today),
      currentBeneficiaries(ctx.db, memberId, today),
    ]);
    const { colours, networkName } = ctx.config.brand;
    const total = payments.assure + payments.tiers;
    const segments: DonutSegment[] = [
      { label: "Payé à l'assuré", value: payments.assure, colour: colours.accent, hatched: true },
      { label: 'Payé aux tiers', value: payments.tiers, colour: colours.primary },
    ];
    const arcs = donutArcs(segments);
    const legend = arcs.map((a, i) => ({
      label: a.label,
      amount: formatEuros(a.value),
      share: formatShare(a.percent),
      swatch: donutSwatch(a, `legende-reglements-${i}`),
    }));
    await res.renderPage({
      page: 'assure/home',
      layout: 'assure',
      title: 'Accueil',
      locals: {
        completion: profileCompletion(req.member!, beneficiaries),
        lines,
        synthesis: {
          since,
          today,
          total,
          legend,
          svg: total > 0 ? donutSvg(segments, { id: 'donut-reglements', centre: ['Total', formatEuros(total)] }) : null,
        },
        tiles: homeTiles(networkName),
      },
    });
  };
}
