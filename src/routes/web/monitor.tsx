/** De wachtrij van de toezichthouder matchopvolging: geëscaleerde matches, acties, regievoorstel (match monitor). */
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { isoDate } from '../../lib/dates.ts';
import { proposeCoordinator, recordMonitorAction } from '../../monitor/actions.ts';
import { getMonitorMatch, listMonitorQueue } from '../../monitor/queue.ts';
import { MONITOR_ACTIONS } from '../../vocabulary.ts';
import type { FormState } from '../../views/components.tsx';
import { MonitorMatchPage, type MonitorMatchProps, monitorMatchFrame } from '../../views/pages/monitor-match.tsx';
import { MONITOR_HOME, MonitorQueuePage, monitorQueueFrame } from '../../views/pages/monitor-queue.tsx';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { ctxOf } from '../http/ctx.ts';
import { readForm, submitForm } from './forms.ts';
import { render } from './render.tsx';

export const monitorPages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const monitorAccess: AccessTable = {
  [`GET ${MONITOR_HOME}`]: 'match_monitoring',
  [`GET ${MONITOR_HOME}/:id`]: 'match_monitoring',
  [`POST ${MONITOR_HOME}/:id/actie`]: 'match_monitoring',
  [`POST ${MONITOR_HOME}/:id/voorstel`]: 'match_monitoring',
};

const QueueQuery = z.object({ filter: z.enum(['afgehandeld']).optional().catch(undefined) });

const ActionForm = z.object({
  soort: z.enum(MONITOR_ACTIONS, { error: 'Kies wat u hebt gedaan.' }),
  datum: z.iso.date({ error: 'Vul een datum in (dag, maand en jaar).' }),
});

const ProposalForm = z.object({
  regievoerder: z.string({ error: 'Kies een regievoerder.' }).min(1, 'Kies een regievoerder.').max(64, 'Kies een regievoerder.'),
});

monitorPages.get(MONITOR_HOME, async (c) => {
  const { filter } = QueueQuery.parse(c.req.query());
  const queue = await listMonitorQueue(ctxOf(c), { filter: filter ? 'all' : 'open' });
  return render(c, monitorQueueFrame(), <MonitorQueuePage {...queue} filter={filter ? 'all' : 'open'} />);
});

async function detail(c: Context<AppEnv>, state: FormState = {}, status: 200 | 422 = 200) {
  const match = await getMonitorMatch(ctxOf(c), { matchId: c.req.param('id') ?? '' });
  const props: MonitorMatchProps = { match, state, done: c.req.query('gedaan'), today: isoDate(c.get('deps').clock.now()) };
  return render(c, monitorMatchFrame(props), <MonitorMatchPage {...props} />, status);
}

monitorPages.get(`${MONITOR_HOME}/:id`, (c) => detail(c));

monitorPages.post(`${MONITOR_HOME}/:id/actie`, async (c) => {
  const matchId = c.req.param('id');
  const form = await readForm(c, ActionForm);
  if (!form.ok) return detail(c, form, 422);
  const { soort, datum } = form.data;
  const result = await submitForm(c, form.values, () => recordMonitorAction(ctxOf(c), { matchId, kind: soort, on: datum }), {
    fields: (error) => (error.fields?.on ? { datum: error.fields.on } : error.fields),
  });
  if (!result.ok) return detail(c, result, 422);
  return c.redirect(`${MONITOR_HOME}/${matchId}?gedaan=${soort === 'followed_up' ? 'opgevolgd' : 'actie'}`, 303);
});

monitorPages.post(`${MONITOR_HOME}/:id/voorstel`, async (c) => {
  const matchId = c.req.param('id');
  const form = await readForm(c, ProposalForm);
  if (!form.ok) return detail(c, form, 422);
  const result = await submitForm(c, form.values, () => proposeCoordinator(ctxOf(c), { matchId, registrationId: form.data.regievoerder }), {
    fields: (error) => (error.fields?.registrationId ? { regievoerder: error.fields.registrationId } : error.fields),
  });
  if (!result.ok) return detail(c, result, 422);
  return c.redirect(`${MONITOR_HOME}/${matchId}?gedaan=voorstel`, 303);
});
