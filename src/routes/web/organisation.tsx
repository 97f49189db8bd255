/**
 * Mijn organisatie: professionals en registraties van de eigen organisatie, overdragen
 * (organisation coordinator). The people pages are shared with the admin's console
 * (people-pages.tsx); the registrations and their transfer are here (src/registry/transfer.ts).
 */
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { activeColleagues, getPerson, listPeople } from '../../directory/people.ts';
import { ServiceError } from '../../lib/errors.ts';
import { listOrganisationRegistrations, transferRegistrations } from '../../registry/transfer.ts';
import type { FormState } from '../../views/components.tsx';
import { OrganisationRegistrationsPage, organisationRegistrationsFrame, TransferPage, transferFrame } from '../../views/pages/organisation-registrations.tsx';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { auditFailure } from '../http/audit-failure.ts';
import { ctxOf } from '../http/ctx.ts';
import { readForm } from './forms.ts';
import { ownOrganisation } from './people-forms.ts';
import { mountPeoplePages, peopleAccess } from './people-pages.tsx';
import { render } from './render.tsx';

export const organisationPages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const organisationAccess: AccessTable = {
  ...peopleAccess('organisation', 'organisation_people'),
  'GET /organisatie/registraties': 'organisation_registrations',
  'GET /organisatie/registraties/overdragen': 'organisation_registrations',
  'POST /organisatie/registraties/overdragen': 'organisation_registrations',
};

mountPeoplePages(organisationPages, 'organisation');

const optionalId = z.string().trim().min(1).max(64).optional().catch(undefined);

const ListQuery = z.object({
  professional: optionalId,
  vanaf: z.string().max(100).optional().catch(undefined),
  overgedragen: z.coerce.number().int().min(0).optional().catch(undefined),
  overgeslagen: z.coerce.number().int().min(0).optional().catch(undefined),
  taak: z.coerce.number().int().min(0).optional().catch(undefined),
});

function noticeOf(query: z.output<typeof ListQuery>): string | null {
  const skipped = query.overgeslagen ? ` ${query.overgeslagen} registratie(s) bleven staan: de collega is al betrokken bij dezelfde jeugdige.` : '';
  if (query.taak !== undefined)
    return `De overdracht van ${query.taak} registratie(s) is gestart en loopt verder op de achtergrond; ververs deze pagina om de voortgang te zien.${skipped}`;
  if (query.overgedragen !== undefined) return `${query.overgedragen} registratie(s) overgedragen.${skipped}`;
  return null;
}

organisationPages.get('/organisatie/registraties', async (c) => {
  const ctx = ctxOf(c);
  const organisationId = ownOrganisation(c);
  const query = ListQuery.parse(c.req.query());
  const people = (await listPeople(ctx, { organisationId, limit: 200 })).items;
  const professionalId = people.some((p) => p.id === query.professional) ? query.professional : undefined;
  const page = await listOrganisationRegistrations(ctx, {
    organisationId,
    ...(professionalId ? { professionalId } : {}),
    ...(query.vanaf && /^\d{1,15}:[\w-]{1,64}$/.test(query.vanaf) ? { cursor: query.vanaf } : {}),
  });
  return render(
    c,
    organisationRegistrationsFrame(),
    <OrganisationRegistrationsPage {...page} people={people} professionalId={professionalId} notice={noticeOf(query)} />,
  );
});

const TransferQuery = z.object({ van: z.string().min(1).max(64).catch(''), registratie: optionalId });

async function transferPage(c: Context<AppEnv>, from: string, registrationId: string | null, state: FormState, status: 200 | 404 | 422 = 200) {
  const ctx = ctxOf(c);
  const person = await getPerson(ctx, { professionalId: from });
  const colleagues = await activeColleagues(ctx, ownOrganisation(c));
  const props = { from: person, registrationId, colleagues, state };
  return render(c, transferFrame(props), <TransferPage {...props} />, status);
}

organisationPages.get('/organisatie/registraties/overdragen', async (c) => {
  const query = TransferQuery.parse(c.req.query());
  return transferPage(c, query.van, query.registratie ?? null, {});
});

const TransferForm = z.object({
  van: z.string().min(1).max(64),
  registratie: z.string().max(64).optional(),
  naar: z.string({ error: 'Kies een collega.' }).min(1, 'Kies een collega.').max(64),
});

organisationPages.post('/organisatie/registraties/overdragen', async (c) => {
  const form = await readForm(c, TransferForm);
  const from = form.values.van ?? '';
  const registrationId = form.values.registratie || null;
  if (!form.ok) return transferPage(c, from, registrationId, form, 422);
  const { van, registratie, naar } = form.data;
  // How many the background job will move (the job itself reports its progress to the admin at /beheer/taken).
  const total = registratie ? 1 : (await getPerson(ctxOf(c), { professionalId: van })).activeRegistrations;
  let result: Awaited<ReturnType<typeof transferRegistrations>>;
  try {
    result = await transferRegistrations(ctxOf(c), {
      fromProfessionalId: van,
      toProfessionalId: naar,
      ...(registratie ? { registrationId: registratie } : {}),
    });
  } catch (error) {
    // A colleague who cannot take them over is shown beside the choice; anything else gets the error page.
    if (!(error instanceof ServiceError) || !error.fields?.toProfessionalId) throw error;
    if (!error.audited) await auditFailure(c, error.code);
    return transferPage(c, van, registrationId, { values: form.values, errors: { naar: error.fields.toProfessionalId } }, 422);
  }
  const params = new URLSearchParams({ professional: van, overgeslagen: String(result.skipped) });
  if (result.jobId) params.set('taak', String(total));
  else params.set('overgedragen', String(result.transferred));
  return c.redirect(`/organisatie/registraties?${params}`, 303);
});
