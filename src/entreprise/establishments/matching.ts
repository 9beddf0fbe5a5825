// The checks of an establishment against the insurer's records, the same for one establishment
// typed in the form and for each line of a file: the SIRET + code identifiant pair must match an
// establishment, of a company the HR user is habilitated on, not already followed.
// The code is compared only for the user's own companies: an establishment of another company
// gets the same answer whether its code was right or not, so neither the form nor a 20,000-line
// file can be used to guess the codes (they are also what opens an Espace Entreprise), nor to
// learn which companies are the insurer's clients.
import type { Db } from '../../db.js';
import { findEstablishmentsBySiret, perimeterContains, type EstablishmentRecord } from './queries.js';

export const MATCH_MESSAGES = {
  unknownPair:
    "Le SIRET et le code identifiant ne correspondent à aucun établissement des entreprises sur lesquelles vous êtes habilité. Vérifiez-les sur les courriers de l'assureur ; si l'établissement dépend d'une autre entreprise, demandez l'accès à un administrateur de celle-ci.",
  alreadyFollowed: 'Cet établissement fait déjà partie de votre périmètre suivi.',
} as const;

export type Match =
  | { kind: 'ok'; establishment: EstablishmentRecord }
  | { kind: 'existing'; establishment: EstablishmentRecord }
  | { kind: 'error'; message: string };

/** Checks a batch of (SIRET, code) pairs for an account working on `companyIds`; results in the same order. */
export async function matchEstablishments(db: Db, accountId: number, companyIds: number[], pairs: { siret: string; code: string }[]): Promise<Match[]> {
  const records = await findEstablishmentsBySiret(db, [...new Set(pairs.map((p) => p.siret))]);
  const followed = await perimeterContains(
    db,
    accountId,
    [...records.values()].map((r) => r.id),
  );
  return pairs.map(({ siret, code }) => {
    const found = records.get(siret);
    const record = found && companyIds.includes(found.company_id) ? found : undefined;
    // Codes are compared without case or spaces: letters typed in lower case still match.
    if (!record || record.insurer_code.replace(/\s/g, '').toUpperCase() !== code.replace(/\s/g, '').toUpperCase()) {
      return { kind: 'error', message: MATCH_MESSAGES.unknownPair };
    }
    if (followed.has(record.id)) return { kind: 'existing', establishment: record };
    return { kind: 'ok', establishment: record };
  });
}
