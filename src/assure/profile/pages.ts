// Not built yet (Espace Assuré issue): the pages answer « bientôt disponible », never a 404.
import type { AppContext } from '../../app.js';
import { notYetAvailable, notYetBuilt } from '../../spaces.js';

export const showProfile = (_ctx: AppContext) => notYetBuilt('assure', 'Mes informations personnelles', '/assure/accueil');
export const showAddressForm = (_ctx: AppContext) => notYetBuilt('assure', 'Modifier mon adresse', '/assure/accueil');
export const saveAddress = (_ctx: AppContext) => notYetAvailable;
export const showEmailForm = (_ctx: AppContext) => notYetBuilt('assure', 'Modifier mon adresse e-mail', '/assure/accueil');
export const requestEmailChange = (_ctx: AppContext) => notYetAvailable;
export const confirmEmailChange = (_ctx: AppContext) => notYetAvailable;
export const showMobileForm = (_ctx: AppContext) => notYetBuilt('assure', 'Modifier mon mobile', '/assure/accueil');
export const requestMobileChange = (_ctx: AppContext) => notYetAvailable;
export const confirmMobileChange = (_ctx: AppContext) => notYetAvailable;
export const showIbanForm = (_ctx: AppContext) => notYetBuilt('assure', 'Modifier mes coordonnées bancaires', '/assure/accueil');
export const saveIban = (_ctx: AppContext) => notYetAvailable;
