// Password rules (docs/domain.md#security-numbers): 12 to 128 characters, any characters, no
// composition rules, refused when common or guessable according to zxcvbn with the French
// dictionaries and the AZERTY keyboard. The reason is given in French.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as fr from '@zxcvbn-ts/language-fr';

const PASSWORD_MIN = 12;
const PASSWORD_MAX = 128;
/** zxcvbn score 0–4; 3 means "safely unguessable: moderate protection from offline attacks". */
const MIN_SCORE = 3;

let factory: ZxcvbnFactory | null = null;
function zxcvbn(): ZxcvbnFactory {
  // Built on first use: loading the dictionaries takes a moment we do not want at every boot.
  factory ??= new ZxcvbnFactory({
    translations: fr.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...fr.dictionary },
    useLevenshteinDistance: true,
  });
  return factory;
}

export type PasswordCheck = { ok: true } | { ok: false; error: string };

/**
 * @param userInputs personal words (name, email…) that make a password guessable for this person
 */
export function checkPassword(password: string, userInputs: string[] = []): PasswordCheck {
  const length = [...password].length;
  if (!password) return { ok: false, error: 'Choisissez un mot de passe.' };
  if (length < PASSWORD_MIN) {
    return { ok: false, error: `Le mot de passe doit comporter au moins ${PASSWORD_MIN} caractères (il en a ${length}).` };
  }
  if (length > PASSWORD_MAX) {
    return { ok: false, error: `Le mot de passe ne doit pas dépasser ${PASSWORD_MAX} caractères.` };
  }
  const inputs = userInputs.flatMap((value) => value.toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter((w) => w.length >= 3);
  const result = zxcvbn().check(password, inputs);
  if (result.score >= MIN_SCORE) return { ok: true };
  const details = [result.feedback.warning, result.feedback.suggestions[0]].filter(Boolean).join(' ');
  return {
    ok: false,
    error: `Ce mot de passe est trop facile à deviner.${details ? ` ${details}` : ''} Essayez une phrase de plusieurs mots sans lien entre eux.`,
  };
}

/** The policy's and the confirmation's messages, per field, for a form that chooses a password. */
export function passwordErrors(password: string, confirmation: string, personal: string[]): Record<string, string> {
  const errors: Record<string, string> = {};
  const check = checkPassword(password, personal);
  if (!check.ok) errors.password = check.error;
  if (!confirmation) errors.password_confirmation = 'Confirmez votre mot de passe.';
  else if (password && confirmation !== password) errors.password_confirmation = 'Les deux mots de passe ne sont pas identiques.';
  return errors;
}
