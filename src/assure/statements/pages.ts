// Not built yet (Espace Assuré issue): the pages answer « bientôt disponible », never a 404.
import type { AppContext } from '../../app.js';
import { notYetAvailable, notYetBuilt } from '../../spaces.js';

export const showStatements = (_ctx: AppContext) => notYetBuilt('assure', 'Remboursements', '/assure/accueil');
export const downloadStatementPdf = (_ctx: AppContext) => notYetAvailable;
