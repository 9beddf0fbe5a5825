// STUB — replaced by the implementation.
import type { RequestHandler } from 'express';
import type { AppContext } from '../../app.js';
const todo = (_ctx: AppContext): RequestHandler => (_req, _res, next) => next();
export const showHome = todo;
