// Files: the PDFs behind attachments, and the documents pratiques.
import path from 'node:path';
import type { Row } from '../bulk.js';
import * as docs from '../documents.js';
import { LEVEL_NAMES } from '../french-data.js';
import { contractLabel } from './companies.js';
import { nextId, type Chunk, type CompanyPlan, type Ctx } from './context.js';
import { pad, slug } from './helpers.js';

/** Writes a file of folder/name: in place under uploadDir, or through the file store when there is one. Returns its size. */
async function writeStored(ctx: Ctx, folder: string, name: string, write: (file: string) => Promise<number>): Promise<number> {
  if (!ctx.files) return write(path.join(ctx.uploadDir!, folder, name));
  const local = path.join(ctx.uploadDir!, 'tmp', `seed-${name}`);
  const size = await write(local);
  await ctx.files.put(folder, name, local);
  return size;
}

/** Writes the PDF behind each attachment row prepared with a `__file` description. */
async function writeAttachmentFiles(ctx: Ctx, rows: Row[]) {
  if (!ctx.uploadDir) return;
  const created = new Date(ctx.today * 86_400_000);
  for (const row of rows) {
    const file = row.__file as { dir: string; title: string; lines: string[] } | undefined;
    if (!file) continue;
    delete row.__file;
    row.size_bytes = await writeStored(ctx, file.dir, row.stored_name as string, (local) =>
      docs.writeAttachment(local, ctx.brand, created, file.title, file.lines),
    );
  }
}

export async function flushWithFiles(ctx: Ctx, chunk: Chunk) {
  // Files first, so a row never points to a missing file.
  for (const table of ['request_attachments', 'message_attachments', 'affiliation_request_documents'] as const) {
    const rows = chunk.rows(table);
    if (rows) await writeAttachmentFiles(ctx, rows);
  }
  await chunk.flush(ctx.insert);
}

export async function addPracticalDocuments(ctx: Ctx, chunk: Chunk, companies: CompanyPlan[]) {
  if (!ctx.uploadDir) return;
  const published = new Date((ctx.today - 30) * 86_400_000 + 9 * 3600_000);
  /** A document and its versions: `earlier` are the files it replaced (oldest first), each with its day. */
  const add = async (
    category: string,
    title: string,
    description: string,
    audience: 'entreprise' | 'assure' | 'tous',
    fileName: string,
    write: (file: string, created: Date) => Promise<number>,
    companyId: number | null = null,
    contractId: number | null = null,
    earlier: { daysAgo: number; fileName: string }[] = [],
  ) => {
    const id = nextId(ctx, 'practical_documents');
    const versions = [...earlier.map((e) => ({ ...e, at: new Date((ctx.today - e.daysAgo) * 86_400_000 + 9 * 3600_000) })), { fileName, at: published }];
    let current = { stored: '', size: 0 };
    for (const [i, v] of versions.entries()) {
      const stored = `${ctx.rng.hex(32)}.pdf`;
      const size = await writeStored(ctx, 'documents', stored, (local) => write(local, v.at));
      current = { stored, size };
      chunk.add('practical_document_versions', {
        id: nextId(ctx, 'practical_document_versions'),
        document_id: id,
        version: i + 1,
        original_name: v.fileName,
        stored_name: stored,
        mime: 'application/pdf',
        size_bytes: size,
        uploaded_at: v.at.toISOString(),
        uploaded_by: ctx.staffAccountId || null,
      });
    }
    chunk.add('practical_documents', {
      id,
      category,
      title,
      description,
      audience,
      company_id: companyId,
      contract_id: contractId,
      stored_name: current.stored,
      original_name: fileName,
      mime: 'application/pdf',
      size_bytes: current.size,
      published_at: published.toISOString(),
      version: versions.length,
    });
  };
  const brand = ctx.brand;
  for (const college of ['cadre', 'non_cadre'] as const) {
    const name = college === 'cadre' ? 'Cadres' : 'Non-cadres';
    await add(
      'resumes_garanties',
      `Résumé des garanties — ${name}`,
      `Tableau des garanties frais de santé du collège des ${name.toLowerCase()}, de la base conventionnelle à l'option 3.`,
      'tous',
      `resume-garanties-${slug(name)}.pdf`,
      (file, created) => docs.writeGuaranteeSummary(file, brand, created, { college, contractLabel: contractLabel(college) }),
    );
  }
  for (const company of companies.slice(0, 4)) {
    for (const college of ['cadre', 'non_cadre'] as const) {
      const name = college === 'cadre' ? 'Cadres' : 'Non-cadres';
      await add(
        'resumes_garanties',
        `Résumé des garanties ${company.name} — ${name}`,
        `Garanties du contrat CT${pad(company.id, 5)}-${college === 'cadre' ? 'C' : 'NC'}, formule « ${LEVEL_NAMES[company.levels[college]]} ».`,
        'tous',
        `resume-garanties-${slug(company.name)}-${slug(name)}.pdf`,
        (file, created) =>
          docs.writeGuaranteeSummary(file, brand, created, {
            college,
            contractLabel: contractLabel(college),
            companyName: company.name,
            contractReference: `CT${pad(company.id, 5)}-${college === 'cadre' ? 'C' : 'NC'}`,
            level: company.levels[college],
          }),
        company.id,
        company.contractIds[college],
      );
    }
  }
  await add(
    'portabilite',
    'Formulaire de portabilité des droits',
    "À remettre au salarié qui quitte l'entreprise et bénéficie de l'assurance chômage.",
    'entreprise',
    'formulaire-portabilite.pdf',
    (file, created) => docs.writePortabilityForm(file, brand, created),
  );
  await add(
    'formulaires',
    "Demande de dispense d'affiliation",
    'Formulaire à faire signer au salarié qui demande à être dispensé du régime obligatoire.',
    'entreprise',
    'demande-dispense-affiliation.pdf',
    (file, created) => docs.writeDispensationForm(file, brand, created),
  );
  await add(
    'notices',
    "Notice d'information du régime frais de santé",
    'Garanties, bénéficiaires, cotisations, portabilité, télétransmission, réclamations.',
    'tous',
    'notice-information.pdf',
    (file, created) => docs.writeInformationNotice(file, brand, created),
    null,
    null,
    // The edition of the year before, replaced: staff see both versions, HR the latest.
    [{ daysAgo: 400, fileName: 'notice-information-2025.pdf' }],
  );
  // Conditions particulières of Cabinet Verdier Immobilier: for its HR only (rh.admin sees it, rh.ponant does not).
  const verdier = companies.find((c) => c.key === 'verdier');
  if (verdier) {
    await add(
      'formulaires',
      `Conditions particulières — ${verdier.name}`,
      "Les contrats souscrits par votre entreprise, leurs dates d'effet, la formule de chaque collège et vos obligations d'employeur.",
      'entreprise',
      `conditions-particulieres-${slug(verdier.name)}.pdf`,
      (file, created) =>
        docs.writeCompanyConditions(file, brand, created, {
          name: verdier.name,
          siren: verdier.siren,
          number: verdier.number,
          address: `${verdier.addressLine}, ${verdier.town.postalCode} ${verdier.town.city}`,
          contracts: (['cadre', 'non_cadre'] as const).map((college) => ({
            reference: `CT${pad(verdier.id, 5)}-${college === 'cadre' ? 'C' : 'NC'}`,
            college,
            label: contractLabel(college),
            formula: LEVEL_NAMES[verdier.levels[college]],
            start: verdier.contractStart,
          })),
        }),
      verdier.id,
    );
  }
  await add(
    'guides',
    "Guide de l'Espace Entreprise",
    "Activation, habilitations, pré-affiliation, suivi des demandes : le mode d'emploi de votre espace.",
    'entreprise',
    'guide-espace-entreprise.pdf',
    (file, created) => docs.writeEntrepriseGuide(file, brand, created),
  );
  await add(
    'guides',
    "Guide de l'Espace Assuré",
    'Carte de tiers payant, remboursements, devis, informations personnelles.',
    'assure',
    'guide-espace-assure.pdf',
    (file, created) => docs.writeAssureGuide(file, brand, created),
  );
}
