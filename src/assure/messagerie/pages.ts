// Espace Assuré — « Messagerie sécurisée »: the member's threads
// with the insurer. The pages are the shared ones (src/correspondence/messagerie-pages.ts); this
// space says who writes (the member, for their family) and where the pages live.
import type { Request } from 'express';
import type { AppContext } from '../../context.js';
import { clientIp } from '../../auth/session.js';
import * as pages from '../../correspondence/messagerie-pages.js';
import { messageUploads } from '../../correspondence/messagerie.js';
import { memberIdOf } from '../member.js';

const MESSAGERIE_BASE = '/assure/messagerie';

const space: pages.MessagerieSpace = {
  owner: 'member',
  base: MESSAGERIE_BASE,
  layout: 'assure',
  listTitle: 'Messagerie sécurisée',
  actor: (req: Request) => ({
    side: 'member',
    accountId: req.account!.id,
    memberId: memberIdOf(req),
    origin: { ip: clientIp(req), userAgent: req.get('user-agent') ?? null },
  }),
  scope: (req: Request) => ({ side: 'member', memberId: memberIdOf(req), accountId: req.account!.id }),
};

export const unreadBadge = (ctx: AppContext) => pages.unreadMessagesBadge(ctx, space);
export const showList = (ctx: AppContext) => pages.showList(ctx, space);
export const showNewForm = (ctx: AppContext) => pages.showNewForm(ctx, space);
export const submitNew = (ctx: AppContext) => [...messageUploads(ctx), pages.submitNew(ctx, space)];
export const showThread = (ctx: AppContext) => pages.showThread(ctx, space);
export const submitReply = (ctx: AppContext) => [...messageUploads(ctx), pages.submitReply(ctx, space)];
export const downloadDocument = (ctx: AppContext) => pages.downloadDocument(ctx, space);
