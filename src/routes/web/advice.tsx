/** Advies van de registrerende professional op een verzoek van het loket. */
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { ServiceError } from '../../lib/errors.ts';
import { getAdviceItem, giveAdvice } from '../../rights/advice.ts';
import type { FormState } from '../../views/components.tsx';
import { AdvicePage, adviceFrame } from '../../views/pages/advice.tsx';
import { RIGHTS_DECISIONS } from '../../vocabulary.ts';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { ctxOf } from '../http/ctx.ts';
import { readForm, submitForm } from './forms.ts';
import { render } from './render.tsx';

export const advicePages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const adviceAccess: AccessTable = {
  'GET /advies/:itemId': 'register',
  'POST /advies/:itemId': 'register',
};

async function advicePage(c: Context<AppEnv>, state: FormState, status: 200 | 409 | 422 = 200) {
  const advice = await getAdviceItem(ctxOf(c), { itemId: c.req.param('itemId') ?? '' });
  const props = { advice, state, done: c.req.query('gedaan') };
  return render(c, adviceFrame(props), <AdvicePage {...props} />, status);
}

advicePages.get('/advies/:itemId', (c) => advicePage(c, {}));

const AdviceForm = z.object({ advice: z.enum(RIGHTS_DECISIONS, { error: 'Kies of u toekennen of afwijzen adviseert.' }) });

advicePages.post('/advies/:itemId', async (c) => {
  const itemId = c.req.param('itemId');
  const form = await readForm(c, AdviceForm);
  if (!form.ok) return advicePage(c, form, 422);
  try {
    const done = await submitForm(c, form.values, () => giveAdvice(ctxOf(c), { itemId, advice: form.data.advice }));
    if (!done.ok) return advicePage(c, done, 422);
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'conflict') return advicePage(c, { errors: { advice: [error.message] } }, 409);
    throw error;
  }
  return c.redirect(`/advies/${itemId}?gedaan=gegeven`, 303);
});
