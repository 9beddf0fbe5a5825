// The « établissement » filter of the Espace Entreprise lists (Mes salariés, Suivi des demandes):
// a select of the establishments while there are at most ESTABLISHMENT_OPTIONS_MAX of them, a
// SIRET field past that (a perimeter can hold thousands). One hint, one rule for both lists.
import type { FieldErrors } from '../validation.js';
import { ESTABLISHMENT_OPTIONS_MAX } from './queries.js';

export const ESTABLISHMENTS_PAST_CAP_HINT = `Vous suivez plus de ${ESTABLISHMENT_OPTIONS_MAX} établissements : saisissez le SIRET (14 chiffres) de l'établissement recherché.`;

/**
 * Past the cap the form has a SIRET field and no establishment select: an establishment named by
 * its id (an older link) shows in that field as its SIRET, so sending the form again keeps it, and
 * an error about that id is said at the field that is on the page.
 */
export function siretFieldInstead<V extends { siret: string }>(
  values: V,
  errors: FieldErrors,
  chosen: { siret: string } | undefined,
): { values: V; errors: FieldErrors } {
  const { etablissement: idError, ...others } = errors;
  return {
    values: { ...values, siret: values.siret || chosen?.siret || '' },
    errors: idError && !others.siret ? { ...others, siret: idError } : others,
  };
}
