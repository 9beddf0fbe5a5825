// Not built yet (Espace Assuré issue): the pages answer « bientôt disponible », never a 404.
import type { AppContext } from '../../app.js';
import { notYetAvailable, notYetBuilt } from '../../spaces.js';

export const showCard = (_ctx: AppContext) => notYetBuilt('assure', 'Ma carte de tiers payant', '/assure/accueil');
export const downloadCardPdf = (_ctx: AppContext) => notYetAvailable;
