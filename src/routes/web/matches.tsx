/**
 * The match page and its actions: "Ik neem de regie" (with a confirmation, also to confirm
 * a proposal), "Regie teruggeven", "Voorstel afwijzen" and "Contact opgenomen". Only
 * members may open it; others get "not found" (the verbs audit the attempt).
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { isoDate } from '../../lib/dates.ts';
import { declineProposal, recordContact, returnCoordination, takeCoordination } from '../../matching/follow-up.ts';
import { readMatch, type MatchView } from '../../matching/read-match.ts';
import type { FormState } from '../../views/components.tsx';
import { MatchPage, matchFrame, type MatchPageProps } from '../../views/pages/match.tsx';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { ctxOf } from '../http/ctx.ts';
import { readForm, submitForm } from './forms.ts';
import { render } from './render.tsx';

export const matchPages = new Hono<AppEnv>();

export const matchAccess: AccessTable = {
  'GET /matches/:id': 'matches',
  'POST /matches/:id/coordinator': 'matches',
  'POST /matches/:id/regie/teruggeven': 'matches',
  'POST /matches/:id/voorstel/afwijzen': 'matches',
  'POST /matches/:id/contact': 'matches',
};

function matchPage(c: Context<AppEnv>, match: MatchView, state: FormState = {}, status: 200 | 422 = 200) {
  const props: MatchPageProps = { match, state, done: c.req.query('gedaan'), today: isoDate(c.get('deps').clock.now()) };
  return render(c, matchFrame(props), <MatchPage {...props} />, status);
}

matchPages.get('/matches/:id', async (c) => matchPage(c, await readMatch(ctxOf(c), { matchId: c.req.param('id') })));

/** Taking coordination is confirmed on the form: a checkbox, so it needs no JavaScript. */
const CoordinatorForm = z.object({ confirm: z.literal('ja', { error: 'Bevestig dat u met de andere betrokkenen hebt afgesproken dat u de regie neemt.' }) });

matchPages.post('/matches/:id/coordinator', async (c) => {
  const id = c.req.param('id');
  const form = await readForm(c, CoordinatorForm);
  if (!form.ok) return matchPage(c, await readMatch(ctxOf(c), { matchId: id }), form, 422);
  // A sector that may only signal is refused beside the confirmation.
  const done = await submitForm(c, form.values, () => takeCoordination(ctxOf(c), { matchId: id, professionalEmail: c.get('session').email }), {
    fields: (error) => error.fields ?? { confirm: [error.message] },
  });
  if (!done.ok) return matchPage(c, await readMatch(ctxOf(c), { matchId: id }), done, done.status);
  return c.redirect(`/matches/${id}?gedaan=regie`, 303);
});

matchPages.post('/matches/:id/regie/teruggeven', async (c) => {
  const id = c.req.param('id');
  await returnCoordination(ctxOf(c), { matchId: id, professionalEmail: c.get('session').email });
  return c.redirect(`/matches/${id}?gedaan=teruggegeven`, 303);
});

matchPages.post('/matches/:id/voorstel/afwijzen', async (c) => {
  const id = c.req.param('id');
  await declineProposal(ctxOf(c), { matchId: id, professionalEmail: c.get('session').email });
  return c.redirect(`/matches/${id}?gedaan=afgewezen`, 303);
});

const ContactForm = z.object({ on: z.iso.date('Vul de datum in waarop u contact had.') });

matchPages.post('/matches/:id/contact', async (c) => {
  const id = c.req.param('id');
  const form = await readForm(c, ContactForm);
  if (!form.ok) return matchPage(c, await readMatch(ctxOf(c), { matchId: id }), form, 422);
  const done = await submitForm(c, form.values, () => recordContact(ctxOf(c), { matchId: id, professionalEmail: c.get('session').email, on: form.data.on }), {
    // A refusal that names no field is about the date, the only one on this form.
    fields: (error) => error.fields ?? { on: [error.message] },
  });
  if (!done.ok) return matchPage(c, await readMatch(ctxOf(c), { matchId: id }), done, done.status);
  return c.redirect(`/matches/${id}?gedaan=contact`, 303);
});
