// Processing an erasure request (RGPD art. 17 — docs/domain.md#personal-data-rights), for the
// superviseur's page (src/gestion/personal-data/pages.ts). Accepting anonymises the account
// (no name, no contact, no password, login closed), erases a member's contact and bank details and
// deletes the files they sent; what the law makes the insurer keep — the décomptes and the identity
// they need (name, NIR, birth date, member number), the affiliation — stays for its legal period.
// Refusing records the reason. Either way the requester is told by email, with no personal data.
import type { Config } from '../config.js';
import type { FileStore } from '../storage/file-store.js';
import type { Db } from '../db.js';
import { brandedEmail } from '../domain/email-templates.js';
import type { Outbox } from '../domain/outbox.js';
import { DATA_PAGES, removeDataExportFile } from './exports.js';
import { anonymiseAccount, decideErasureRequest, deleteDataExportsOf, deleteFileRows, erasableDocuments, findAccount, findErasureRequest } from './queries.js';

const STORED_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,90}(?:\.[A-Za-z0-9]{1,8})?$/;

export type ErasureOutcome = { ok: true; targetAccountId: number | null; filesDeleted: number } | { ok: false };

/** Accepts a pending request; `{ ok: false }` when it was already processed (by another superviseur at once, say). */
export async function acceptErasure(
  db: Db,
  config: Pick<Config, 'brand' | 'publicUrl'>,
  files: FileStore,
  outbox: Outbox,
  id: number,
  staffId: number,
  now: Date,
): Promise<ErasureOutcome> {
  const request = await findErasureRequest(db, id);
  if (request?.status !== 'pending') return { ok: false };
  const account = request.account_id ? await findAccount(db, request.account_id) : undefined;
  let erased: Awaited<ReturnType<typeof erasableDocuments>> = [];
  let exportFiles: string[] = [];
  const decided = await db.transaction(async (trx) => {
    if (!(await decideErasureRequest(trx, id, 'accepted', staffId, null, now))) return false;
    if (account) {
      erased = await erasableDocuments(trx, account.id, account.member_id);
      for (const table of ['message_attachments', 'request_attachments', 'affiliation_request_documents']) {
        await deleteFileRows(
          trx,
          table,
          erased.filter((f) => f.table === table).map((f) => f.id),
        );
      }
      exportFiles = await deleteDataExportsOf(trx, account.id);
      await anonymiseAccount(trx, account.id, account.member_id, now);
    }
    return true;
  });
  if (!decided) return { ok: false };
  // Files go once the rows pointing to them are gone (a failure here leaves an orphan the sweep removes).
  for (const f of erased) if (STORED_NAME.test(f.stored_name)) await files.remove(f.folder, f.stored_name);
  for (const name of exportFiles) await removeDataExportFile(files, name);
  if (account && (account.kind === 'member' || account.kind === 'hr')) {
    await outbox.sendEmail(
      brandedEmail(config.brand, account.email, {
        subject: 'Votre demande d’effacement de données',
        paragraphs: [
          'Votre demande d’effacement de vos données personnelles a été acceptée : votre compte est fermé et vos données ont été effacées.',
          'Les informations que la loi nous oblige à conserver (notamment vos décomptes de remboursement) le restent pendant la durée légale, puis sont supprimées.',
        ],
        space: account.kind === 'hr' ? 'entreprise' : 'assure',
      }),
    );
  }
  return { ok: true, targetAccountId: account?.id ?? null, filesDeleted: erased.length };
}

/** Refuses a pending request with its reason; false when it was already processed. */
export async function refuseErasure(
  db: Db,
  config: Pick<Config, 'brand' | 'publicUrl'>,
  outbox: Outbox,
  id: number,
  staffId: number,
  reason: string,
  now: Date,
): Promise<ErasureOutcome> {
  const request = await findErasureRequest(db, id);
  if (request?.status !== 'pending') return { ok: false };
  if (!(await decideErasureRequest(db, id, 'refused', staffId, reason, now))) return { ok: false };
  const account = request.account_id ? await findAccount(db, request.account_id) : undefined;
  if (account && (account.kind === 'member' || account.kind === 'hr')) {
    await outbox.sendEmail(
      brandedEmail(config.brand, account.email, {
        subject: 'Votre demande d’effacement de données',
        paragraphs: ['Votre demande d’effacement de vos données personnelles n’a pas pu être acceptée. Vous en trouverez le motif dans votre espace.'],
        action: { label: 'Accéder à mon espace', url: `${config.publicUrl}${DATA_PAGES[account.kind]}` },
        space: account.kind === 'hr' ? 'entreprise' : 'assure',
      }),
    );
  }
  return { ok: true, targetAccountId: account?.id ?? null, filesDeleted: 0 };
}
