/** Het verzoekenloket: inzage, correctie, verwijdering en bezwaar van de jeugdige (municipal admin). */
import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { isoDate } from '../../lib/dates.ts';
import { ServiceError, statusOf } from '../../lib/errors.ts';
import { approveRightsRequest, decideRightsItem, sendBackRightsRequest } from '../../rights/decide.ts';
import { extendRightsDeadline, getRightsRequest, listRightsRequests, openAccessRequest, openRightsRequest } from '../../rights/requests.ts';
import type { FormState } from '../../views/components.tsx';
import { RightsDeskPage, rightsDeskFrame, RightsLookupPage, rightsLookupFrame, type RightsLookupProps } from '../../views/pages/rights-desk.tsx';
import { RightsLetterPage, rightsLetterFrame } from '../../views/pages/rights-letter.tsx';
import { RightsRequestPage, rightsRequestFrame, type RightsRequestProps } from '../../views/pages/rights-request.tsx';
import { RIGHTS_DECISIONS } from '../../vocabulary.ts';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { ctxOf } from '../http/ctx.ts';
import { readForm, submitForm } from './forms.ts';
import { render } from './render.tsx';

export const rightsPages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const rightsAccess: AccessTable = {
  'GET /loket': 'rights_desk',
  'GET /loket/inzage': 'rights_desk',
  'POST /loket/inzage': 'rights_desk',
  'GET /loket/verzoek': 'rights_desk',
  'POST /loket/verzoek': 'rights_desk',
  'GET /loket/:id': 'rights_desk',
  'GET /loket/:id/brief': 'rights_desk',
  'POST /loket/:id/verlengen': 'rights_desk',
  'POST /loket/:id/besluit/:itemId': 'rights_desk',
  // The second pair of eyes: a municipal admin logged in, never the CLI's operator.
  'POST /loket/:id/goedkeuren': 'four_eyes',
  'POST /loket/:id/terugsturen': 'four_eyes',
};

const today = (c: Context<AppEnv>) => isoDate(c.get('deps').clock.now());

rightsPages.get('/loket', async (c) => {
  const { pending, settled } = await listRightsRequests(ctxOf(c));
  return render(c, rightsDeskFrame(), <RightsDeskPage pending={pending} settled={settled} today={today(c)} />);
});

// ---- finding the young person -------------------------------------------------------------

function lookupPage(c: Context<AppEnv>, mode: RightsLookupProps['mode'], state: FormState, status: 200 | 422 = 200) {
  // The BSN is never shown again, whatever the form says (the field is `secret` too).
  const values = { ...(state.values ?? {}) };
  delete values.bsn;
  const props = { mode, state: { ...state, values } };
  return render(c, rightsLookupFrame(props), <RightsLookupPage {...props} />, status);
}

/** The form's fields as strings; the verb parses them (BSN, dates, reference). */
const Text = z.string({ error: 'Vul dit veld in.' });
const LookupForm = z.object({ bsn: Text, birthDate: Text, reference: Text, receivedOn: Text });
const ObjectionForm = LookupForm.extend({ kind: z.string({ error: 'Kies het soort verzoek.' }) });

rightsPages.get('/loket/inzage', (c) => lookupPage(c, 'access', {}));
rightsPages.post('/loket/inzage', async (c) => {
  const form = await readForm(c, LookupForm);
  if (!form.ok) return lookupPage(c, 'access', form, 422);
  const done = await submitForm(c, form.values, () => openAccessRequest(ctxOf(c), form.data));
  if (!done.ok) return lookupPage(c, 'access', done, 422);
  return c.redirect(`/loket/${done.value.id}?gedaan=inzage`, 303);
});

rightsPages.get('/loket/verzoek', (c) => lookupPage(c, 'objection', {}));
rightsPages.post('/loket/verzoek', async (c) => {
  const form = await readForm(c, ObjectionForm);
  if (!form.ok) return lookupPage(c, 'objection', form, 422);
  const { kind, ...rest } = form.data;
  const done = await submitForm(c, form.values, () => openRightsRequest(ctxOf(c), { ...rest, kind: kind as 'erasure' }));
  if (!done.ok) return lookupPage(c, 'objection', done, 422);
  return c.redirect(`/loket/${done.value.id}?gedaan=geopend`, 303);
});

// ---- one request --------------------------------------------------------------------------

async function requestPage(c: Context<AppEnv>, problem?: string, status: ContentfulStatusCode = 200) {
  const props: RightsRequestProps = {
    request: await getRightsRequest(ctxOf(c), { requestId: c.req.param('id') ?? '' }),
    me: c.get('session').professionalId,
    today: today(c),
    done: c.req.query('gedaan'),
    problem,
  };
  return render(c, rightsRequestFrame(props), <RightsRequestPage {...props} />, status);
}

/** A refusal the admin should read on the request's page (four eyes, already settled); anything else goes to the error page. */
async function orRefusal(c: Context<AppEnv>, run: () => Promise<unknown>, done: string) {
  try {
    await run();
  } catch (error) {
    if (error instanceof ServiceError && (error.code === 'forbidden' || error.code === 'conflict' || error.code === 'invalid_input')) {
      return requestPage(c, error.message, statusOf(error.code) as ContentfulStatusCode);
    }
    throw error;
  }
  return c.redirect(`/loket/${c.req.param('id')}?gedaan=${done}`, 303);
}

rightsPages.get('/loket/:id', (c) => requestPage(c));

rightsPages.get('/loket/:id/brief', async (c) => {
  const request = await getRightsRequest(ctxOf(c), { requestId: c.req.param('id') });
  const config = c.get('deps').config;
  const municipality = {
    name: config.MUNICIPALITY_NAME,
    address: config.MUNICIPALITY_ADDRESS,
    phone: config.MUNICIPALITY_PHONE,
    email: config.MUNICIPALITY_EMAIL,
  };
  return render(c, rightsLetterFrame(), <RightsLetterPage request={request} municipality={municipality} today={today(c)} />);
});

rightsPages.post('/loket/:id/verlengen', (c) => orRefusal(c, () => extendRightsDeadline(ctxOf(c), { requestId: c.req.param('id') }), 'verlengd'));

const DecisionForm = z.object({ decision: z.enum(RIGHTS_DECISIONS, { error: 'Kies toekennen of afwijzen.' }) });

rightsPages.post('/loket/:id/besluit/:itemId', async (c) => {
  const form = await readForm(c, DecisionForm);
  if (!form.ok) return requestPage(c, 'Kies toekennen of afwijzen.', 422);
  return orRefusal(
    c,
    () => decideRightsItem(ctxOf(c), { requestId: c.req.param('id'), itemId: c.req.param('itemId'), decision: form.data.decision }),
    'besloten',
  );
});

rightsPages.post('/loket/:id/goedkeuren', (c) => orRefusal(c, () => approveRightsRequest(ctxOf(c), { requestId: c.req.param('id') }), 'goedgekeurd'));
rightsPages.post('/loket/:id/terugsturen', (c) => orRefusal(c, () => sendBackRightsRequest(ctxOf(c), { requestId: c.req.param('id') }), 'teruggestuurd'));
