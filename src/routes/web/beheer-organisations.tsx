/** Organisaties en hun convenant, deactiveren (municipal admin). */
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { createOrganisation } from '../../directory/directory.ts';
import { getOrganisation, listOrganisations, updateOrganisation } from '../../directory/organisations.ts';
import { ServiceError } from '../../lib/errors.ts';
import type { FormState, Values } from '../../views/components.tsx';
import { OrganisationListPage, organisationListFrame } from '../../views/pages/beheer-organisations.tsx';
import { OrganisationDetailPage, organisationDetailFrame } from '../../views/pages/beheer-organisations-detail.tsx';
import { OrganisationFormPage, organisationFormFrame } from '../../views/pages/beheer-organisations-form.tsx';
import { CONVENANT_STATUSES, SECTORS } from '../../vocabulary.ts';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { auditFailure } from '../http/audit-failure.ts';
import { ctxOf } from '../http/ctx.ts';
import { beheerOrganisationDeactivateAccess, beheerOrganisationDeactivatePages } from './beheer-organisations-deactivate.tsx';
import { readForm } from './forms.ts';
import { render } from './render.tsx';

export const beheerOrganisationPages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const beheerOrganisationAccess: AccessTable = {
  'GET /beheer/organisaties': 'beheer',
  'GET /beheer/organisaties/nieuw': 'beheer',
  'POST /beheer/organisaties/nieuw': 'beheer',
  'GET /beheer/organisaties/:id': 'beheer',
  'GET /beheer/organisaties/:id/bewerken': 'beheer',
  'POST /beheer/organisaties/:id/bewerken': 'beheer',
  ...beheerOrganisationDeactivateAccess,
};

/** An organisation id in a path: one of ours (a UUID), or the page does not exist. */
function organisationIdOf(c: Context<AppEnv>): string {
  const parsed = z.uuid().safeParse(c.req.param('id'));
  if (!parsed.success) throw new ServiceError('not_found', 'Organisatie niet gevonden.');
  return parsed.data;
}

// ---- the list --------------------------------------------------------------------------

const ListQuery = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  sector: z.enum(SECTORS).optional().catch(undefined),
  actief: z.enum(['ja', 'nee']).optional().catch(undefined),
  pagina: z.coerce.number().int().min(1).max(100_000).catch(1),
});

beheerOrganisationPages.get('/beheer/organisaties', async (c) => {
  const { q, sector, actief, pagina } = ListQuery.parse(c.req.query());
  const query = { q: q || undefined, sector, actief };
  const result = await listOrganisations(ctxOf(c), {
    search: query.q,
    sector,
    active: actief === undefined ? undefined : actief === 'ja',
    page: pagina,
  });
  return render(c, organisationListFrame(), <OrganisationListPage query={query} result={result} />);
});

// ---- create and edit -------------------------------------------------------------------

const Name = z.string().trim().min(1, 'Vul de naam van de organisatie in.').max(200, 'Gebruik hoogstens 200 tekens.');
const Sector = z.enum(SECTORS, { error: 'Kies een sector.' });
const CreateForm = z.object({ name: Name, sector: Sector });
const EditForm = z.object({
  name: Name,
  sector: Sector,
  convenantSignedOn: z.union([z.literal(''), z.iso.date('Vul een bestaande datum in (dag, maand en jaar).')]),
  convenantStatus: z.enum(CONVENANT_STATUSES, { error: 'Kies de status van het convenant.' }),
});

const NAME_TAKEN = 'Er is al een organisatie met deze naam (hoofdletters tellen niet mee). Kies een andere naam.';

/**
 * Runs the verb behind the form. A taken name comes back beside the name field (409), a
 * refused input beside its fields (422); both audited once (the verb audits the taken name).
 */
async function save<T>(
  c: Context<AppEnv>,
  values: Values,
  run: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; state: FormState; status: 409 | 422 }> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (!(error instanceof ServiceError) || (error.code !== 'conflict' && error.code !== 'invalid_input')) throw error;
    if (!error.audited) await auditFailure(c, error.code);
    if (error.code === 'conflict') return { ok: false, state: { values, errors: { name: [NAME_TAKEN] } }, status: 409 };
    const errors = Object.fromEntries(Object.keys(error.fields ?? { _: [] }).map((field) => [field, ['Controleer dit veld.']]));
    return { ok: false, state: { values, errors }, status: 422 };
  }
}

beheerOrganisationPages.get('/beheer/organisaties/nieuw', (c) => render(c, organisationFormFrame({ state: {} }), <OrganisationFormPage state={{}} />));

beheerOrganisationPages.post('/beheer/organisaties/nieuw', async (c) => {
  const form = await readForm(c, CreateForm);
  const again = (state: FormState, status: 409 | 422) => render(c, organisationFormFrame({ state }), <OrganisationFormPage state={state} />, status);
  if (!form.ok) return again(form, 422);
  const done = await save(c, form.values, () => createOrganisation(ctxOf(c), form.data));
  if (!done.ok) return again(done.state, done.status);
  return c.redirect(`/beheer/organisaties/${done.value.id}?toegevoegd=1`, 303);
});

const NOTICES: Record<string, string> = {
  toegevoegd: 'De organisatie is toegevoegd.',
  gewijzigd: 'De wijzigingen zijn opgeslagen.',
  gedeactiveerd: 'De organisatie is gedeactiveerd.',
};

beheerOrganisationPages.get('/beheer/organisaties/:id', async (c) => {
  const organisation = await getOrganisation(ctxOf(c), { organisationId: organisationIdOf(c) });
  const query = c.req.query();
  const notice = Object.keys(NOTICES).find((key) => key in query);
  return render(
    c,
    organisationDetailFrame({ organisation }),
    <OrganisationDetailPage organisation={organisation} notice={notice ? NOTICES[notice] : null} awaitingApproval={query.gedeactiveerd === 'taak'} />,
  );
});

beheerOrganisationPages.get('/beheer/organisaties/:id/bewerken', async (c) => {
  const organisation = await getOrganisation(ctxOf(c), { organisationId: organisationIdOf(c) });
  return render(c, organisationFormFrame({ organisation, state: {} }), <OrganisationFormPage organisation={organisation} state={{}} />);
});

beheerOrganisationPages.post('/beheer/organisaties/:id/bewerken', async (c) => {
  const organisationId = organisationIdOf(c);
  const form = await readForm(c, EditForm);
  const again = async (state: FormState, status: 409 | 422) => {
    const organisation = await getOrganisation(ctxOf(c), { organisationId });
    return render(c, organisationFormFrame({ organisation, state }), <OrganisationFormPage organisation={organisation} state={state} />, status);
  };
  if (!form.ok) return again(form, 422);
  const { convenantSignedOn, ...rest } = form.data;
  const done = await save(c, form.values, () => updateOrganisation(ctxOf(c), { organisationId, ...rest, convenantSignedOn: convenantSignedOn || null }));
  if (!done.ok) return again(done.state, done.status);
  return c.redirect(`/beheer/organisaties/${organisationId}?gewijzigd=1`, 303);
});

beheerOrganisationPages.route('/', beheerOrganisationDeactivatePages);
