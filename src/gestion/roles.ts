// The two roles of the insurer's staff: a « gestionnaire » processes work; a « superviseur » also
// manages staff accounts, reads the audit log and handles the data-rights requests.
import type { RequestHandler } from 'express';
import { HttpError } from '../middleware/errors.js';

export type StaffRole = 'gestionnaire' | 'superviseur';

export const STAFF_ROLE_LABELS: Record<StaffRole, string> = { gestionnaire: 'Gestionnaire', superviseur: 'Superviseur' };

/** Lets only staff of `role` through; other staff get 403 (the space guard has already checked the account is staff). */
export function requireStaffRole(role: StaffRole): RequestHandler {
  return (req, _res, next) => {
    if (req.account?.staffRole !== role) return next(new HttpError(403));
    next();
  };
}
