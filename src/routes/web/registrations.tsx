/**
 * The signal form (checked, then confirmed), the own registrations list and detail,
 * informing the young person (the letter, recording when and how), and ending a
 * registration behind a confirmation. The pages are in views/pages.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { getProfessionalProfile } from '../../directory/directory.ts';
import { BsnField } from '../../identity/bsn.ts';
import { checkReference, ReferenceField } from '../../identity/reference.ts';
import { isoDate } from '../../lib/dates.ts';
import { hasOpenDeathReport, reportDeath } from '../../registry/death.ts';
import { endRegistration } from '../../registry/end-registration.ts';
import { extendRegistration } from '../../registry/extend-registration.ts';
import { getRegistration, listRegistrations } from '../../registry/read-registrations.ts';
import { INFORM_WITHIN_DAYS, recordInformed } from '../../registry/record-informed.ts';
import { CRITERION_ERROR, registerInvolvement } from '../../registry/register-involvement.ts';
import type { RegistrationView } from '../../registry/registration-dto.ts';
import type { FormState } from '../../views/components.tsx';
import { DeathReportedPage, deathReportedFrame, EndRegistrationPage, endRegistrationFrame, endedNotice } from '../../views/pages/end-registration.tsx';
import { InformingLetterPage, informingLetterFrame, letterKind, letterMunicipality } from '../../views/pages/informing-letter.tsx';
import { RegistrationDetailPage, registrationDetailFrame, type RegistrationDetailProps } from '../../views/pages/registration-detail.tsx';
import { RegistrationListPage, registrationListFrame } from '../../views/pages/registrations.tsx';
import { ConfirmSignalPage, confirmSignalFrame, SignalFormPage, signalFormFrame } from '../../views/pages/signal-form.tsx';
import { CHOOSABLE_END_REASONS, INFORM_HOW, REGISTRATION_FILTERS } from '../../vocabulary.ts';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { ctxOf } from '../http/ctx.ts';
import { readForm, submitForm } from './forms.ts';
import { flashPart, signalGivenFlash } from './one-time.ts';
import { render } from './render.tsx';
import { redirectWithFlash } from './session.ts';

export const registrationPages = new Hono<AppEnv>();

export const registrationAccess: AccessTable = {
  'GET /registrations/new': 'register',
  'POST /registrations/new': 'register',
  'GET /registrations': 'register',
  'GET /registrations/:id': 'register',
  'POST /registrations/:id/informed': 'register',
  'POST /registrations/:id/extend': 'register',
  'GET /registrations/:id/letter': 'register',
  'GET /registrations/:id/end': 'register',
  'POST /registrations/:id/end': 'register',
  'POST /registrations/:id/death-report': 'register',
  'GET /registrations/:id/death-report': 'register',
};

// ---- the signal form -------------------------------------------------------------------

const SignalForm = z
  .object({
    bsn: BsnField,
    birthDate: z.iso.date('Vul de geboortedatum in (dag, maand en jaar).'),
    reference: ReferenceField.optional(),
    criterion: z.literal('ja', { error: CRITERION_ERROR }),
    step: z.enum(['check', 'confirm', 'edit']).default('check'),
  })
  .superRefine(checkReference);

function signalForm(c: Context<AppEnv>, state: FormState, status: 200 | 422 = 200) {
  return render(c, signalFormFrame({ state }), <SignalFormPage state={state} />, status);
}

registrationPages.get('/registrations/new', (c) => signalForm(c, {}));

registrationPages.post('/registrations/new', async (c) => {
  const form = await readForm(c, SignalForm);
  if (!form.ok) return signalForm(c, form, 422);
  const { step, ...data } = form.data;
  if (step === 'edit') return signalForm(c, { values: form.values });
  if (step === 'check') return render(c, confirmSignalFrame(), <ConfirmSignalPage signal={data} name={c.get('session').name} />);
  const done = await submitForm(
    c,
    form.values,
    () =>
      registerInvolvement(ctxOf(c), {
        bsn: data.bsn,
        birthDate: data.birthDate,
        reference: data.reference || null,
        professionalEmail: c.get('session').email,
      }),
    // Too old is refused beside the birth date; a refusal without a field gets the error page.
    { codes: ['invalid_input', 'subject_too_old'], fields: (error) => error.fields },
  );
  if (!done.ok) return signalForm(c, done, done.status);
  // Post/Redirect/Get: the registration's page shows the result once (a refresh posts nothing).
  const { created, registration, earlierInvolvement } = done.value;
  return redirectWithFlash(c, `/registrations/${registration.id}`, signalGivenFlash({ registrationId: registration.id, created, earlierInvolvement }));
});

// ---- list and detail -------------------------------------------------------------------

const ListQuery = z.object({
  status: z.enum(REGISTRATION_FILTERS).catch('active'),
  cursor: z.string().max(200).optional().catch(undefined),
});

registrationPages.get('/registrations', async (c) => {
  const query = ListQuery.parse(c.req.query());
  const page = await listRegistrations(ctxOf(c), { ...query, limit: 25 });
  return render(
    c,
    registrationListFrame(),
    <RegistrationListPage status={query.status} items={page.items} nextCursor={page.nextCursor} informWithinDays={INFORM_WITHIN_DAYS} />,
  );
});

const InformedForm = z.object({
  on: z.iso.date('Vul de datum in waarop u hebt geïnformeerd.'),
  how: z.enum(INFORM_HOW, { error: 'Kies hoe u hebt geïnformeerd.' }),
});

function detailPage(c: Context<AppEnv>, registration: RegistrationView, state: FormState, recorded: boolean, status: 200 | 422 = 200) {
  const given = flashPart(c, 'signalGiven'); // just given: the result, this once
  const props: RegistrationDetailProps = {
    registration,
    state,
    recorded,
    extended: !!c.req.query('verlengd'),
    today: isoDate(c.get('deps').clock.now()),
    informWithinDays: INFORM_WITHIN_DAYS,
    given: given?.registrationId === registration.id ? given : undefined,
  };
  return render(c, registrationDetailFrame(props), <RegistrationDetailPage {...props} />, status);
}

registrationPages.get('/registrations/:id', async (c) => {
  const r = await getRegistration(ctxOf(c), { registrationId: c.req.param('id') });
  return detailPage(c, r, {}, !!c.req.query('vastgelegd'));
});

registrationPages.post('/registrations/:id/informed', async (c) => {
  const id = c.req.param('id');
  const form = await readForm(c, InformedForm);
  if (!form.ok) return detailPage(c, await getRegistration(ctxOf(c), { registrationId: id }), form, false, 422);
  const done = await submitForm(c, form.values, () => recordInformed(ctxOf(c), { registrationId: id, ...form.data }));
  if (!done.ok) return detailPage(c, await getRegistration(ctxOf(c), { registrationId: id }), done, false, done.status);
  return c.redirect(`/registrations/${id}?vastgelegd=1`, 303);
});

// ---- extending: the criterion confirmed again, a new term (src/registry/extend-registration.ts)

const ExtendForm = z.object({ criterion: z.literal('ja', { error: CRITERION_ERROR }) });

registrationPages.post('/registrations/:id/extend', async (c) => {
  const id = c.req.param('id');
  const form = await readForm(c, ExtendForm);
  if (!form.ok) return detailPage(c, await getRegistration(ctxOf(c), { registrationId: id }), form, false, 422);
  const extend = () => extendRegistration(ctxOf(c), { registrationId: id, professionalEmail: c.get('session').email, criterionConfirmed: true });
  // Nothing to extend is said beside the confirmation.
  const done = await submitForm(c, form.values, extend, { fields: (error) => error.fields ?? { criterion: [error.message] } });
  if (!done.ok) return detailPage(c, await getRegistration(ctxOf(c), { registrationId: id }), done, false, done.status);
  return c.redirect(`/registrations/${id}?verlengd=1`, 303);
});

// ---- the letter ------------------------------------------------------------------------

registrationPages.get('/registrations/:id/letter', async (c) => {
  const ctx = ctxOf(c);
  const r = await getRegistration(ctx, { registrationId: c.req.param('id') });
  const profile = await getProfessionalProfile(ctx, { professionalId: c.get('session').professionalId });
  // Only a professional reaches a registration, and a professional always has an organisation.
  const sender = { ...profile, organisationName: profile.organisationName ?? '' };
  const today = isoDate(c.get('deps').clock.now());
  // ?voor=ouder|jongere: one letter per register; the young person's only from 12.
  const kind = letterKind(r.informWhom, c.req.query('voor'));
  if (!kind) return c.notFound();
  const letter = { registration: r, sender, municipality: letterMunicipality(c.get('deps').config), kind, today };
  return render(c, informingLetterFrame(), <InformingLetterPage {...letter} />);
});

// ---- ending ----------------------------------------------------------------------------

const EndForm = z.object({ reason: z.enum(CHOOSABLE_END_REASONS, { error: 'Kies een reden.' }) });

async function endPage(c: Context<AppEnv>, registration: RegistrationView, state: FormState, status: 200 | 422 = 200) {
  const deathReported = await hasOpenDeathReport(ctxOf(c), { registrationId: registration.id });
  const props = { registration, state, deathReported };
  return render(c, endRegistrationFrame(props), <EndRegistrationPage {...props} />, status);
}

registrationPages.get('/registrations/:id/end', async (c) => endPage(c, await getRegistration(ctxOf(c), { registrationId: c.req.param('id') }), {}));

registrationPages.post('/registrations/:id/end', async (c) => {
  const id = c.req.param('id');
  const form = await readForm(c, EndForm);
  if (!form.ok) return endPage(c, await getRegistration(ctxOf(c), { registrationId: id }), form, 422);
  const result = await endRegistration(ctxOf(c), { registrationId: id, reason: form.data.reason });
  return redirectWithFlash(c, '/registrations', { notice: endedNotice(result) });
});

// ---- reporting a death (the municipality confirms it: src/registry/death.ts) -------------

registrationPages.post('/registrations/:id/death-report', async (c) => {
  const id = c.req.param('id');
  await reportDeath(ctxOf(c), { registrationId: id });
  return c.redirect(`/registrations/${id}/death-report`, 303);
});

registrationPages.get('/registrations/:id/death-report', async (c) => {
  const registration = await getRegistration(ctxOf(c), { registrationId: c.req.param('id') });
  return render(c, deathReportedFrame(), <DeathReportedPage registration={registration} />);
});
