// Not built yet (Espace Assuré issue): the pages answer « bientôt disponible », never a 404.
import type { AppContext } from '../../app.js';
import { notYetAvailable, notYetBuilt } from '../../spaces.js';

export const showSituation = (_ctx: AppContext) => notYetBuilt('assure', 'Situation', '/assure/accueil');
export const showContracts = (_ctx: AppContext) => notYetBuilt('assure', 'Mes contrats', '/assure/accueil');
export const downloadGuarantees = (_ctx: AppContext) => notYetAvailable;
export const downloadAffiliationCertificate = (_ctx: AppContext) => notYetAvailable;
export const downloadRadiationCertificate = (_ctx: AppContext) => notYetAvailable;
