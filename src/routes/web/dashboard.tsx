/** The professional's overview (views/pages/dashboard.tsx): matches, advice asked by the municipality, registrations not yet informed, own registrations. */
import { Hono } from 'hono';
import { readOverview } from '../../registry/overview.ts';
import { INFORM_WITHIN_DAYS } from '../../registry/record-informed.ts';
import { can } from '../../auth/permissions.ts';
import { DashboardPage, dashboardFrame } from '../../views/pages/dashboard.tsx';
import { StartPage, startFrame } from '../../views/pages/start.tsx';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { ctxOf } from '../http/ctx.ts';
import { render } from './render.tsx';

export const dashboardRoutes = new Hono<AppEnv>();

/** The start page: the professional's overview, or the tools of the other roles. */
export const dashboardAccess: AccessTable = { 'GET /': 'session' };

dashboardRoutes.get('/', async (c) => {
  const ctx = ctxOf(c);
  const session = c.get('session');
  if (!can(ctx.actor, 'register')) return render(c, startFrame(), <StartPage name={session.name} roles={session.roles} />);
  const { matches, active, notInformed, advice } = await readOverview(ctx);
  return render(
    c,
    dashboardFrame(),
    <DashboardPage
      name={c.get('session').name}
      matches={matches}
      active={active}
      notInformed={notInformed}
      advice={advice}
      informWithinDays={INFORM_WITHIN_DAYS}
    />,
  );
});
