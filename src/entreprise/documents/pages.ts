// « Mes documents pratiques » (guide « Zoom sur la rubrique « Mes documents pratiques » »): the
// documents the insurer put online for the HR user's companies — those for every company, those
// for one of their companies or one of its contracts — by category, each downloadable. Another
// company's document, or a withdrawn one, is simply not found (404), on the list as on the download.
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import { DOCUMENT_CATEGORIES, categoryLabel, formatFileSize } from '../../domain/practical-documents.js';
import { HttpError } from '../../middleware/errors.js';
import { documentForCompanies, documentsForCompanies } from '../../practical-documents/queries.js';
import { sendDocumentFile } from '../../practical-documents/service.js';
import { positiveId } from '../../validation.js';

const BASE = '/entreprise/documents';

function companyIdsOf(req: Request): number[] {
  return (req.hrCompanies ?? []).map((c) => c.id);
}

export function showDocuments(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const rows = await documentsForCompanies(ctx.db, companyIdsOf(req));
    // With several companies, each document says which of them it is for.
    const severalCompanies = (req.hrCompanies ?? []).length > 1;
    const order = Object.keys(DOCUMENT_CATEGORIES);
    const groups = new Map<string, { label: string; documents: unknown[] }>();
    for (const code of [...order, ...rows.map((r) => r.category).filter((c) => !order.includes(c))]) {
      const documents = rows
        .filter((r) => r.category === code)
        .map((r) => ({
          id: r.id,
          title: r.title,
          description: r.description,
          size: formatFileSize(r.size_bytes),
          date: r.published_at,
          href: `${BASE}/${r.id}/telecharger`,
          forCompany: severalCompanies && r.company_name ? r.company_name : null,
          contract: r.contract_label ? `${r.contract_label} (${r.contract_reference})` : null,
        }));
      if (documents.length && !groups.has(code)) groups.set(code, { label: categoryLabel(code), documents });
    }
    await res.renderPage({
      page: 'entreprise/documents',
      layout: 'entreprise',
      title: 'Mes documents pratiques',
      locals: { groups: [...groups.values()], severalCompanies },
    });
  };
}

export function downloadDocument(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const id = positiveId(req.params.id);
    const doc = id ? await documentForCompanies(ctx.db, id, companyIdsOf(req)) : undefined;
    if (!doc) throw new HttpError(404);
    await sendDocumentFile(res, ctx.files, doc);
  };
}
