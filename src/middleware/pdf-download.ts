// A PDF document sent as a download (the document itself: src/pdf/document.ts).
import type { Response } from 'express';
import type { Pdf } from '../pdf/document.js';

/** The file name offered to the browser: anything but letters, digits, dots, dashes and underscores becomes a dash. */
export function downloadFileName(fileName: string): string {
  return fileName.replace(/[^A-Za-z0-9._-]+/g, '-');
}

/** Sends the PDF as a download with a safe file name. */
export async function sendPdf(res: Response, pdf: Pdf, fileName: string): Promise<void> {
  const buffer = await pdf.toBuffer();
  res
    .status(200)
    .type('application/pdf')
    .set('Content-Disposition', `attachment; filename="${downloadFileName(fileName)}"`)
    .set('Content-Length', String(buffer.length))
    .send(buffer);
}
