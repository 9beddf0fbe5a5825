// The logged-in member and their family: every Espace Assuré query is scoped by this member id,
// so another family's beneficiary, décompte or PDF id simply is not found (404).
import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../context.js';
import { HttpError } from '../middleware/errors.js';
import { findMember, type MemberRow } from './queries.js';

export type { MemberRow } from './queries.js';

declare module 'express-serve-static-core' {
  interface Request {
    member?: MemberRow;
  }
}

export function loadMember(ctx: AppContext) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const memberId = req.account?.memberId;
      const member = memberId ? await findMember(ctx.db, memberId) : undefined;
      // A member account always points to its member; anything else is a broken account.
      if (!member) throw new HttpError(403);
      req.member = member;
      res.locals.member = member;
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** The member id of the request; only valid behind loadMember. */
export function memberIdOf(req: Request): number {
  if (!req.member) throw new HttpError(403);
  return req.member.id;
}
