// The logged-in member and their family: every Espace Assuré query is scoped by this member id,
// so another family's beneficiary, décompte or PDF id simply is not found (404).
import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../context.js';
import { HttpError } from '../middleware/errors.js';

export interface MemberRow {
  id: number;
  member_number: string;
  nir: string;
  sex: 'M' | 'F';
  last_name: string;
  first_name: string;
  birth_name: string | null;
  birth_date: string;
  email: string | null;
  mobile: string | null;
  phone: string | null;
  address_line1: string;
  address_line2: string | null;
  postal_code: string;
  city: string;
  iban: string | null;
  bic: string | null;
  iban_holder: string | null;
  iban_updated_at: string | null;
}

/** The columns of MemberRow (not the bookkeeping and search-key columns of the table): every key, or it does not compile. */
const MEMBER_COLUMNS = Object.keys({
  id: true,
  member_number: true,
  nir: true,
  sex: true,
  last_name: true,
  first_name: true,
  birth_name: true,
  birth_date: true,
  email: true,
  mobile: true,
  phone: true,
  address_line1: true,
  address_line2: true,
  postal_code: true,
  city: true,
  iban: true,
  bic: true,
  iban_holder: true,
  iban_updated_at: true,
} satisfies Record<keyof MemberRow, true>);

declare module 'express-serve-static-core' {
  interface Request {
    member?: MemberRow;
  }
}

export function loadMember(ctx: AppContext) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const memberId = req.account?.memberId;
      const member: MemberRow | undefined = memberId ? await ctx.db('members').where({ id: memberId }).first(MEMBER_COLUMNS) : undefined;
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
