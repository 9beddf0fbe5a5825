// How an employee's affiliation reads in the Espace Entreprise: the « Statut du contrat » derived
// from its dates (date d'effet, date de fin) and today's date, and the « Contrat » filter's labels.

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

/**
 * The « Contrat » options' labels, each one different from the others: a select shows only the
 * chosen option's label once closed (not its company group), and companies often share a
 * standard contract label. A label used by several companies gets its company; used twice in one
 * company, its reference too.
 */
export function contractOptionLabels(
  contracts: readonly { id: number; company_id: number; label: string; reference: string }[],
  companyName: ReadonlyMap<number, string>,
): Map<number, string> {
  const byLabel = new Map<string, (typeof contracts)[number][]>();
  for (const k of contracts) byLabel.set(k.label, [...(byLabel.get(k.label) ?? []), k]);
  const labels = new Map<number, string>();
  for (const [label, same] of byLabel) {
    const companies = new Set(same.map((k) => k.company_id));
    for (const k of same) {
      const extra: string[] = [];
      if (companies.size > 1) extra.push(companyName.get(k.company_id) ?? '');
      if (same.filter((o) => o.company_id === k.company_id).length > 1) extra.push(`réf. ${k.reference}`);
      const shown = extra.filter(Boolean);
      labels.set(k.id, shown.length ? `${label} (${shown.join(', ')})` : label);
    }
  }
  return labels;
}
