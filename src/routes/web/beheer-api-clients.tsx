/**
 * API-koppelingen: lijst, aanmaken (token eenmalig), intrekken (municipal admin).
 *
 * The token is shown once, on the page after the POST that created it (Post/Redirect/Get):
 * it travels there in the session's one-time message, sealed with a key only the browser's
 * cookie holds, and is cleared as that page is opened (src/auth/flash.ts). A reload says it
 * was shown; every page is `cache-control: no-store`. No copy of the token stays in
 * Betrokken afterwards, only its hash.
 */
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { getApiClient, listApiClients, revokeApiClient } from '../../directory/api-clients.ts';
import { createApiClient } from '../../directory/directory.ts';
import { getOrganisation, listOrganisations } from '../../directory/organisations.ts';
import { ServiceError } from '../../lib/errors.ts';
import type { FormState } from '../../views/components.tsx';
import {
  ApiClientCreatedPage,
  apiClientCreatedFrame,
  ApiClientListPage,
  apiClientListFrame,
  NewApiClientPage,
  newApiClientFrame,
  RevokeApiClientPage,
  revokeApiClientFrame,
} from '../../views/pages/beheer-api-clients.tsx';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { auditFailure } from '../http/audit-failure.ts';
import { ctxOf } from '../http/ctx.ts';
import { readForm } from './forms.ts';
import { apiClientFlash, flashPart } from './one-time.ts';
import { render } from './render.tsx';
import { redirectWithFlash } from './session.ts';

export const beheerApiClientPages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const beheerApiClientAccess: AccessTable = {
  'GET /beheer/api-koppelingen': 'beheer',
  'GET /beheer/api-koppelingen/nieuw': 'beheer',
  'POST /beheer/api-koppelingen/nieuw': 'beheer',
  'GET /beheer/api-koppelingen/aangemaakt': 'beheer',
  'GET /beheer/api-koppelingen/:id/intrekken': 'beheer',
  'POST /beheer/api-koppelingen/:id/intrekken': 'beheer',
};

const Uuid = z.uuid();

function clientIdOf(c: Context<AppEnv>): string {
  const parsed = Uuid.safeParse(c.req.param('id'));
  if (!parsed.success) throw new ServiceError('not_found', 'API-koppeling niet gevonden.');
  return parsed.data;
}

const ListQuery = z.object({
  organisatie: Uuid.optional().catch(undefined),
  ingetrokken: z.string().optional().catch(undefined),
});

beheerApiClientPages.get('/beheer/api-koppelingen', async (c) => {
  const { organisatie, ingetrokken } = ListQuery.parse(c.req.query());
  const ctx = ctxOf(c);
  const organisation = organisatie ? await getOrganisation(ctx, { organisationId: organisatie }) : null;
  const clients = await listApiClients(ctx, { organisationId: organisatie });
  return render(
    c,
    apiClientListFrame(),
    <ApiClientListPage
      clients={clients}
      organisation={organisation ? { id: organisation.id, name: organisation.name } : null}
      notice={ingetrokken ? 'De API-koppeling is ingetrokken: het token werkt niet meer.' : null}
    />,
  );
});

const LIMIT_MESSAGE = 'Vul een heel getal van 1 tot 1000000 in, of laat het leeg voor de standaardlimiet.';

const CreateForm = z.object({
  organisationId: z.uuid({ error: 'Kies een organisatie.' }),
  name: z.string().trim().min(1, 'Vul een naam in.').max(200, 'Gebruik hoogstens 200 tekens.'),
  rateLimitPerMinute: z
    .string()
    .trim()
    .regex(/^\d{0,7}$/, LIMIT_MESSAGE)
    .transform((value) => (value === '' ? null : Number(value)))
    .refine((value) => value === null || (value >= 1 && value <= 1_000_000), LIMIT_MESSAGE),
});

async function newPage(c: Context<AppEnv>, state: FormState, status: 200 | 422 = 200) {
  const active = await listOrganisations(ctxOf(c), { active: true, pageSize: 1000 });
  return render(
    c,
    newApiClientFrame({ state }),
    <NewApiClientPage organisations={active.items.map((o) => ({ id: o.id, name: o.name }))} state={state} />,
    status,
  );
}

beheerApiClientPages.get('/beheer/api-koppelingen/nieuw', (c) => {
  const chosen = Uuid.safeParse(c.req.query('organisatie'));
  return newPage(c, chosen.success ? { values: { organisationId: chosen.data } } : {});
});

beheerApiClientPages.post('/beheer/api-koppelingen/nieuw', async (c) => {
  const form = await readForm(c, CreateForm);
  if (!form.ok) return newPage(c, form, 422);
  const { organisationId, name, rateLimitPerMinute } = form.data;
  let created: { token: string };
  try {
    created = await createApiClient(ctxOf(c), { organisationId, name, ...(rateLimitPerMinute === null ? {} : { rateLimitPerMinute }) });
  } catch (error) {
    // An unknown or deactivated organisation: beside the organisation field.
    if (!(error instanceof ServiceError) || !error.fields?.organisationId) throw error;
    if (!error.audited) await auditFailure(c, error.code);
    return newPage(c, { values: form.values, errors: { organisationId: ['Kies een actieve organisatie.'] } }, 422);
  }
  const organisation = await getOrganisation(ctxOf(c), { organisationId });
  const value = { organisationName: organisation.name, name, token: created.token };
  return redirectWithFlash(c, '/beheer/api-koppelingen/aangemaakt', apiClientFlash(value));
});

/** The new token, this once; a reload says it was shown (and what to do if it is lost). */
beheerApiClientPages.get('/beheer/api-koppelingen/aangemaakt', (c) => {
  const created = flashPart(c, 'apiClientCreated');
  return render(c, apiClientCreatedFrame({ shown: !created }), <ApiClientCreatedPage created={created ?? null} />);
});

beheerApiClientPages.get('/beheer/api-koppelingen/:id/intrekken', async (c) => {
  const client = await getApiClient(ctxOf(c), { apiClientId: clientIdOf(c) });
  if (!client.active) return c.redirect('/beheer/api-koppelingen?ingetrokken=1', 303);
  return render(c, revokeApiClientFrame(), <RevokeApiClientPage client={client} />);
});

beheerApiClientPages.post('/beheer/api-koppelingen/:id/intrekken', async (c) => {
  await revokeApiClient(ctxOf(c), { apiClientId: clientIdOf(c) });
  return c.redirect('/beheer/api-koppelingen?ingetrokken=1', 303);
});
