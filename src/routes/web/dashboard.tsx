/** The professional's overview (views/pages/dashboard.tsx): matches, registrations not yet informed, own registrations. */
import { Hono } from 'hono';
import { listMyMatches } from '../../matching/my-matches.ts';
import { listRegistrations } from '../../registry/read-registrations.ts';
import { INFORM_WITHIN_DAYS } from '../../registry/record-informed.ts';
import { DashboardPage, dashboardFrame } from '../../views/pages/dashboard.tsx';
import type { AppEnv } from '../app-env.ts';
import { ctxOf } from '../http/ctx.ts';
import { render } from './render.tsx';

export const dashboardRoutes = new Hono<AppEnv>();

const DASHBOARD_LIMIT = 10;

dashboardRoutes.get('/', async (c) => {
  const ctx = ctxOf(c);
  const [matches, active, notInformed] = [
    await listMyMatches(ctx),
    await listRegistrations(ctx, { status: 'active', limit: DASHBOARD_LIMIT }),
    await listRegistrations(ctx, { status: 'not_informed', limit: 50 }),
  ];
  return render(
    c,
    dashboardFrame(),
    <DashboardPage name={c.get('session').name} matches={matches} active={active} notInformed={notInformed} informWithinDays={INFORM_WITHIN_DAYS} />,
  );
});
