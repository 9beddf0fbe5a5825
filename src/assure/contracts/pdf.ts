// The contract documents of the Espace Assuré: the guarantees table, the
// « certificat d'affiliation » and, once the cover has ended, the « certificat de radiation ».
// The sex of the member and of each beneficiary is known: the words agree (« née », « affiliée »).
import type { Brand } from '../../brand.js';
import { formatDateFr, isoToday } from '../../domain/dates.js';
import { Pdf, pdfBrand } from '../../pdf/document.js';
import { agreeWithSex } from '../../domain/text.js';
import { messages } from '../../messages.js';
import type { MemberRow } from '../member.js';
import type { AffiliationRow } from './queries.js';
import type { GuaranteeRow } from '../../contracts/queries.js';
import { addGuaranteeTables } from '../../contracts/pdf.js';

type Sex = 'M' | 'F';

function relationshipLabel(relationship: string, sex: Sex): string {
  if (relationship === 'assure') return agreeWithSex(sex, 'Assuré principal', 'Assurée principale');
  if (relationship === 'conjoint') return agreeWithSex(sex, 'Conjoint', 'Conjointe');
  if (relationship === 'enfant') return 'Enfant';
  return relationship;
}

function header(pdf: Pdf, member: MemberRow, affiliation: AffiliationRow) {
  pdf.keyValues([
    [agreeWithSex(member.sex, 'Assuré', 'Assurée'), `${member.first_name} ${member.last_name}`],
    ["Numéro d'adhérent", member.member_number],
    ['Entreprise', `${affiliation.company_name} — SIRET ${affiliation.siret}`],
    ['Adresse', `${affiliation.company_address}, ${affiliation.company_postal_code} ${affiliation.company_city}`],
    ['Contrat', `${affiliation.label} (n° ${affiliation.reference})`],
    ['Formule et options', affiliation.options ? `${affiliation.formula} — ${affiliation.options}` : affiliation.formula],
    ['Collège', messages.colleges[affiliation.college]],
    ["Date d'entrée", formatDateFr(affiliation.start_date)],
    ...(affiliation.end_date ? [['Date de fin', formatDateFr(affiliation.end_date)] as const] : []),
  ]);
}

export function guaranteesPdf(brand: Brand, member: MemberRow, affiliation: AffiliationRow, guarantees: GuaranteeRow[], now: Date): Pdf {
  const pdf = new Pdf('Mes garanties', pdfBrand(brand), now);
  header(pdf, member, affiliation);
  addGuaranteeTables(pdf, guarantees, affiliation.contract_id);
  pdf.p(`Document édité le ${formatDateFr(isoToday(() => now))} par ${brand.name}.`);
  return pdf;
}

function signature(pdf: Pdf, brand: Brand, now: Date) {
  pdf.p(`Fait à Paris, le ${formatDateFr(isoToday(() => now))}, pour servir et valoir ce que de droit.`);
  pdf.p(`Pour ${brand.name}, le service de gestion.`);
}

export function affiliationCertificatePdf(
  brand: Brand,
  member: MemberRow,
  affiliation: AffiliationRow,
  beneficiaries: { first_name: string; last_name: string; sex: Sex; relationship: string; birth_date: string }[],
  ended: boolean,
  now: Date,
): Pdf {
  const pdf = new Pdf("Certificat d'affiliation", pdfBrand(brand), now);
  const agree = (masculine: string, feminine: string) => agreeWithSex(member.sex, masculine, feminine);
  const who = `${member.first_name} ${member.last_name}, ${agree('né', 'née')} le ${formatDateFr(member.birth_date)}`;
  const contract = `au contrat collectif de frais de santé n° ${affiliation.reference} souscrit par ${affiliation.company_name} (${affiliation.company_address}, ${affiliation.company_postal_code} ${affiliation.company_city})`;
  pdf.p(
    ended && affiliation.end_date
      ? `${brand.name} certifie que ${who}, a été ${agree('affilié', 'affiliée')} du ${formatDateFr(affiliation.start_date)} au ${formatDateFr(affiliation.end_date)} ${contract}, ainsi que les bénéficiaires ci-dessous.`
      : `${brand.name} certifie que ${who}, est ${agree('affilié', 'affiliée')} depuis le ${formatDateFr(affiliation.start_date)} (date d'effet) ${contract}, ainsi que les bénéficiaires ci-dessous.`,
  );
  header(pdf, member, affiliation);
  pdf.h3('Bénéficiaires couverts');
  pdf.table(
    ['Nom', 'Lien', 'Date de naissance'],
    beneficiaries.map((b) => [`${b.first_name} ${b.last_name}`, relationshipLabel(b.relationship, b.sex), formatDateFr(b.birth_date)]),
    [3, 2, 2],
  );
  signature(pdf, brand, now);
  return pdf;
}

export function radiationCertificatePdf(brand: Brand, member: MemberRow, affiliation: AffiliationRow & { end_date: string }, now: Date): Pdf {
  const pdf = new Pdf('Certificat de radiation', pdfBrand(brand), now);
  const agree = (masculine: string, feminine: string) => agreeWithSex(member.sex, masculine, feminine);
  pdf.p(
    `${brand.name} certifie que ${member.first_name} ${member.last_name}, ${agree('né', 'née')} le ${formatDateFr(member.birth_date)}, a été ${agree('affilié', 'affiliée')} du ${formatDateFr(affiliation.start_date)} au ${formatDateFr(affiliation.end_date)} au contrat collectif de frais de santé n° ${affiliation.reference} souscrit par ${affiliation.company_name}, et en a été ${agree('radié', 'radiée')}, ainsi que ses bénéficiaires : la couverture a pris fin le ${formatDateFr(affiliation.end_date)}.`,
  );
  header(pdf, member, affiliation);
  signature(pdf, brand, now);
  return pdf;
}
