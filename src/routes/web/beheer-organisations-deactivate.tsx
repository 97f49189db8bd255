/**
 * Deactivating an organisation (municipal admin): a confirmation with the number of active
 * registrations and the admin's choice of what happens to them; ending them waits for a
 * second admin (four eyes) at /beheer/taken. Mounted by beheer-organisations.tsx.
 */
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { countActiveRegistrations, deactivateOrganisation } from '../../directory/deactivate-organisation.ts';
import { getOrganisation } from '../../directory/organisations.ts';
import { ServiceError } from '../../lib/errors.ts';
import type { FormState } from '../../views/components.tsx';
import { DeactivateOrganisationPage, deactivateOrganisationFrame } from '../../views/pages/beheer-organisations-detail.tsx';
import { CHOOSABLE_END_REASONS } from '../../vocabulary.ts';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { ctxOf } from '../http/ctx.ts';
import { readForm } from './forms.ts';
import { render } from './render.tsx';

export const beheerOrganisationDeactivatePages = new Hono<AppEnv>();

export const beheerOrganisationDeactivateAccess: AccessTable = {
  'GET /beheer/organisaties/:id/deactiveren': 'beheer',
  'POST /beheer/organisaties/:id/deactiveren': 'beheer',
};

const DeactivateForm = z.object({ reason: z.enum(CHOOSABLE_END_REASONS, { error: 'Kies wat er met de lopende registraties gebeurt.' }) });

function idOf(c: Context<AppEnv>): string {
  const parsed = z.uuid().safeParse(c.req.param('id'));
  if (!parsed.success) throw new ServiceError('not_found', 'Organisatie niet gevonden.');
  return parsed.data;
}

async function confirmation(c: Context<AppEnv>, organisationId: string, state: FormState, status: 200 | 422 = 200) {
  const ctx = ctxOf(c);
  const organisation = await getOrganisation(ctx, { organisationId });
  // Already deactivated: nothing to confirm.
  if (!organisation.active) return c.redirect(`/beheer/organisaties/${organisationId}`, 303);
  const activeRegistrations = await countActiveRegistrations(ctx, { organisationId });
  const props = { organisation, activeRegistrations, state };
  return render(c, deactivateOrganisationFrame(props), <DeactivateOrganisationPage {...props} />, status);
}

beheerOrganisationDeactivatePages.get('/beheer/organisaties/:id/deactiveren', (c) => confirmation(c, idOf(c), {}));

beheerOrganisationDeactivatePages.post('/beheer/organisaties/:id/deactiveren', async (c) => {
  const organisationId = idOf(c);
  const form = await readForm(c, DeactivateForm);
  if (!form.ok) return confirmation(c, organisationId, form, 422);
  const { jobId } = await deactivateOrganisation(ctxOf(c), { organisationId, reason: form.data.reason });
  return c.redirect(`/beheer/organisaties/${organisationId}?gedeactiveerd=${jobId ? 'taak' : '1'}`, 303);
});
