// Staff and HR demo accounts.
import type { Row } from '../bulk.js';
import { nextId, type Chunk, type Ctx } from './context.js';
import { DEMO_FACTS, DOMAIN } from './facts.js';
import { atTime } from './helpers.js';

export interface DemoAccounts {
  staff: number;
  colleague: number;
  supervisor: number;
  hrAdmin: number;
  hrUser: number;
  hrPonant: number;
  hrPending: number;
  hrSuspended: number;
}

export function addStaffAndHrAccounts(ctx: Ctx, chunk: Chunk): DemoAccounts {
  const created = atTime(ctx, ctx.today - 400);
  const account = (fields: Partial<Row> & { kind: string; email: string; first_name: string; last_name: string }): number => {
    const id = nextId(ctx, 'accounts');
    chunk.add('accounts', {
      id,
      password_hash: ctx.demoHash,
      status: 'active',
      mobile: null,
      member_id: null,
      staff_role: null,
      last_login_at: null,
      last_verified_login_at: null,
      last_verified_ip: null,
      sessions_revoked_at: null,
      activated_at: created,
      cgu_accepted_at: created,
      created_at: created,
      updated_at: created,
      disabled_at: null,
      ...fields,
    });
    return id;
  };
  const staff = account({
    kind: 'staff',
    email: DEMO_FACTS.staff.email,
    first_name: 'Claire',
    last_name: 'Dubois',
    mobile: '+262639980304',
    staff_role: 'gestionnaire',
    cgu_accepted_at: null,
  });
  ctx.staffAccountId = staff;
  const hrAdmin = account({ kind: 'hr', email: DEMO_FACTS.hrAdmin.email, first_name: 'Eugénie', last_name: 'Marchand', mobile: '+262639980301' });
  const hrUser = account({ kind: 'hr', email: DEMO_FACTS.hrUser.email, first_name: 'Hugo', last_name: 'Lambert', mobile: '+262639980302' });
  const hrPonant = account({ kind: 'hr', email: DEMO_FACTS.otherHrAdmin.email, first_name: 'Yann', last_name: 'Le Goff', mobile: '+262639980303' });
  // Invited by rh.admin, link not used yet (password still to create).
  const pendingAt = atTime(ctx, ctx.today - 3);
  const hrPending = account({
    kind: 'hr',
    email: `chloe.petit@${DOMAIN}`,
    first_name: 'Chloé',
    last_name: 'Petit',
    mobile: '+262639980305',
    password_hash: null,
    status: 'pending',
    activated_at: null,
    cgu_accepted_at: null,
    created_at: pendingAt,
    updated_at: pendingAt,
  });
  const hrSuspended = account({ kind: 'hr', email: `luc.garnier@${DOMAIN}`, first_name: 'Luc', last_name: 'Garnier', mobile: '+262639980306' });
  // Last, so that the accounts above keep their ids.
  const { colleague: c } = DEMO_FACTS;
  const colleague = account({
    kind: 'staff',
    email: c.email,
    first_name: c.firstName,
    last_name: c.lastName,
    mobile: '+262639980307',
    staff_role: c.staffRole,
    cgu_accepted_at: null,
  });
  ctx.colleagueAccountId = colleague;
  const { supervisor: sv } = DEMO_FACTS;
  const supervisor = account({
    kind: 'staff',
    email: sv.email,
    first_name: sv.firstName,
    last_name: sv.lastName,
    mobile: '+262639980308',
    staff_role: sv.staffRole,
    cgu_accepted_at: null,
  });
  return { staff, colleague, supervisor, hrAdmin, hrUser, hrPonant, hrPending, hrSuspended };
}
