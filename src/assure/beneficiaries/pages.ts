// Not built yet (Espace Assuré issue): the pages answer « bientôt disponible », never a 404.
import type { AppContext } from '../../app.js';
import { notYetAvailable, notYetBuilt } from '../../spaces.js';

export const showBeneficiaries = (_ctx: AppContext) => notYetBuilt('assure', 'Mes bénéficiaires', '/assure/accueil');
export const revealNir = (_ctx: AppContext) => notYetAvailable;
export const confirmTeletransmission = (_ctx: AppContext) => notYetAvailable;
export const changeTeletransmission = (_ctx: AppContext) => notYetAvailable;
export const showNoemie = (_ctx: AppContext) => notYetBuilt('assure', 'Situation NOEMIE', '/assure/accueil');
