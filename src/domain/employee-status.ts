// How an employee's affiliation reads in the Espace Entreprise: the « Statut du contrat » derived
// from its dates (date d'effet, date de fin) and today's date.

export type ContractStatus = 'en_cours' | 'a_venir' | 'radie';

export const CONTRACT_STATUS_LABELS: Readonly<Record<ContractStatus, string>> = {
  en_cours: 'En cours',
  a_venir: 'À venir',
  radie: 'Radié',
};

export const CONTRACT_STATUSES = Object.keys(CONTRACT_STATUS_LABELS) as ContractStatus[];

/**
 * Not started yet (date d'effet after today) → « À venir »; ended (date de fin before today) →
 * « Radié »; otherwise covered today → « En cours ». The date de fin is the last covered day.
 */
export function contractStatus(startDate: string, endDate: string | null, todayIso: string): ContractStatus {
  if (startDate > todayIso) return 'a_venir';
  if (endDate !== null && endDate < todayIso) return 'radie';
  return 'en_cours';
}
