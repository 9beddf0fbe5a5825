// Espace Assuré — Accueil (SPEC §2.1, guide « Présentation des fonctionnalités »).
import type { Request, Response } from 'express';
import type { AppContext } from '../../app.js';
import { addMonths, isoToday } from '../../domain/dates.js';
import { donutArcs } from '../../domain/donut.js';
import { memberIdOf } from '../member.js';
import { profileCompletion } from './profile-completion.js';
import { beneficiaryStatuses, latestLines, paymentsSince } from './queries.js';

export function showHome(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const memberId = memberIdOf(req);
    const today = isoToday(ctx.clock);
    const [lines, payments, statuses] = await Promise.all([
      latestLines(ctx.db, memberId),
      paymentsSince(ctx.db, memberId, addMonths(today, -12)),
      beneficiaryStatuses(ctx.db, memberId),
    ]);
    const { colours, networkName } = ctx.config.brand;
    const arcs = donutArcs([
      { label: "Payé à l'assuré", value: payments.assure, colour: colours.accent },
      { label: 'Payé aux tiers', value: payments.tiers, colour: colours.primary },
    ]);
    await res.renderPage({
      page: 'assure/home',
      layout: 'assure',
      title: 'Accueil',
      locals: {
        completion: profileCompletion(req.member!, statuses),
        lines,
        payments: { ...payments, total: payments.assure + payments.tiers },
        arcs,
        tiles: [
          { label: 'Ma carte de tiers payant', href: '/assure/tiers-payant' },
          { label: 'Mes bénéficiaires', href: '/assure/beneficiaires' },
          { label: 'Mes contrats', href: '/assure/contrats' },
          { label: 'Demande de remboursements', href: '/assure/demarches/remboursement' },
          { label: 'Transmettre un devis', href: '/assure/demarches/devis' },
          { label: `Mes services ${networkName}`, href: '/assure/services' },
        ],
      },
    });
  };
}
