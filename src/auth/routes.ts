// Login pages of the three doors (SPEC §1).
import { Router } from 'express';
import type { AppContext } from '../app.js';
import { doors, type DoorInfo } from './doors.js';

function loginLocals(info: DoorInfo) {
  return {
    door: info.door,
    spaceName: info.spaceName,
    loginAction: `${info.base}/connexion`,
    forgotHref: `${info.base}/mot-de-passe-oublie`,
    activationHref: info.activationText ? `${info.base}/activation` : null,
    activationText: info.activationText,
    values: {},
  };
}

export function authRoutes(_ctx: AppContext): Router {
  const router = Router();
  for (const info of Object.values(doors)) {
    router.get(info.base, (_req, res) =>
      res.renderPage({ page: 'auth/login', fragment: 'auth/login-form', title: `Connexion à l'${info.spaceName}`, locals: loginLocals(info) }),
    );
  }
  return router;
}
