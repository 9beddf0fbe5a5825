// « Envois en échec » (superviseur only, src/gestion/roles.ts): the emails and SMS the mail or SMS
// server refused OUTBOX_MAX_ATTEMPTS times (the « dead » state of src/domain/outbox.ts), and
// « Renvoyer », which puts one back in the sending job's queue. Each resending is audited.
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import { requestOrigin } from '../../auth/session.js';
import { HttpError } from '../../middleware/errors.js';
import { recordAudit } from '../../stores/audit.js';
import { countWaitingMessages, findDeadMessages, requeueDeadMessage } from '../../stores/outbox.js';

const BASE = '/gestion/envois';
const LIST_SIZE = 200;

const CHANNEL_LABELS = { email: 'E-mail', sms: 'SMS' } as const;

const TEXTS = {
  requeued: "Le message est remis dans la file d'envoi : il part dans la minute si le serveur d'envoi répond.",
  notDead: "Ce message n'est plus en échec : il a déjà été renvoyé.",
} as const;

export function showList(ctx: AppContext) {
  return async (_req: Request, res: Response) => {
    const [rows, waiting] = await Promise.all([findDeadMessages(ctx.db, LIST_SIZE), countWaitingMessages(ctx.db)]);
    await res.renderPage({
      page: 'gestion/outbox',
      layout: 'gestion',
      title: 'Envois en échec',
      locals: { rows, waiting, listSize: LIST_SIZE, channelLabels: CHANNEL_LABELS, maxAttempts: ctx.config.outbox.maxAttempts },
    });
  };
}

export function resend(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id < 1) throw new HttpError(404);
    const message = await ctx.db('outbox').where({ id }).first('id', 'channel');
    if (!message) throw new HttpError(404);
    const now = ctx.clock();
    if (!(await requeueDeadMessage(ctx.db, id, now))) {
      res.redirectWithFlash(BASE, TEXTS.notDead, 'error');
      return;
    }
    await recordAudit(ctx.db, now, {
      event: 'outbox_message_resent',
      accountId: req.account!.id,
      accountKind: 'staff',
      ...requestOrigin(req),
      detail: { message: id, channel: message.channel },
    });
    res.redirectWithFlash(BASE, TEXTS.requeued);
  };
}
