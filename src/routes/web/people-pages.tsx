/**
 * The people pages, shared by the admin's console (/beheer/mensen, `beheer`) and the
 * organisation coordinator's (/organisatie, `organisation_people`): list, invite, detail,
 * edit, roles, and the confirmed actions. The verbs (src/directory/people.ts) decide who may
 * act on whom; the views are in views/pages/beheer-people*.tsx.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { createPerson } from '../../directory/directory.ts';
import {
  changeRoles,
  deactivatePerson,
  getPerson,
  listPeople,
  organisationChoices,
  organisationName,
  reactivatePerson,
  reinvitePerson,
  resetSecondFactor,
  updatePerson,
} from '../../directory/people.ts';
import { MUNICIPALITY_ID } from '../../directory/roles.ts';
import { type FieldErrors, ServiceError } from '../../lib/errors.ts';
import { MUNICIPAL_ROLES, type Permission, ROLES, type Role } from '../../vocabulary.ts';
import type { FormState, Values } from '../../views/components.tsx';
import { PeopleListPage, peopleListFrame, type PeopleConsole, peopleBase, peopleHome } from '../../views/pages/beheer-people.tsx';
import {
  ConfirmPersonActionPage,
  confirmPersonActionFrame,
  PersonDetailPage,
  personDetailFrame,
  type PersonAction,
} from '../../views/pages/beheer-people-detail.tsx';
import { EditPersonPage, editPersonFrame, NewPersonPage, newPersonFrame, PersonRolesPage, personRolesFrame } from '../../views/pages/beheer-people-form.tsx';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { auditFailure } from '../http/audit-failure.ts';
import { ctxOf } from '../http/ctx.ts';
import { readForm } from './forms.ts';
import { render } from './render.tsx';

const ACTIONS: { action: PersonAction; path: string; done: string; run: typeof deactivatePerson | typeof reactivatePerson | typeof resetSecondFactor }[] = [
  { action: 'deactivate', path: 'deactiveren', done: 'gedeactiveerd', run: deactivatePerson },
  { action: 'reactivate', path: 'activeren', done: 'geactiveerd', run: reactivatePerson },
  { action: 'reset', path: 'tweede-factor', done: 'tweede-factor', run: resetSecondFactor },
  { action: 'reinvite', path: 'uitnodiging', done: 'uitnodiging', run: reinvitePerson },
];

/** Every people route of a console and what it needs. */
export function peopleAccess(console: PeopleConsole, permission: Permission): AccessTable {
  const base = peopleBase(console);
  const table: AccessTable = {
    [`GET ${peopleHome(console)}`]: permission,
    [`GET ${base}/nieuw`]: permission,
    [`POST ${base}/nieuw`]: permission,
    [`GET ${base}/:id`]: permission,
  };
  for (const path of ['bewerken', 'rollen', ...ACTIONS.map((a) => a.path)]) {
    table[`GET ${base}/:id/${path}`] = permission;
    table[`POST ${base}/:id/${path}`] = permission;
  }
  return table;
}

// ---- forms -----------------------------------------------------------------------------

const roleBoxes = Object.fromEntries(ROLES.map((role) => [`role-${role}`, z.literal('ja').optional()])) as Record<
  `role-${Role}`,
  z.ZodOptional<z.ZodLiteral<'ja'>>
>;
const rolesFrom = (data: Record<string, unknown>): Role[] => ROLES.filter((role) => data[`role-${role}`] === 'ja');
const isMunicipal = (role: Role) => (MUNICIPAL_ROLES as readonly Role[]).includes(role);

function checkRoles(roles: Role[], issues: z.RefinementCtx) {
  if (roles.length === 0) issues.addIssue({ code: 'custom', path: ['roles'], message: 'Kies ten minste één rol.' });
  else if (!roles.every(isMunicipal) && roles.some(isMunicipal))
    issues.addIssue({ code: 'custom', path: ['roles'], message: 'Combineer geen rollen van een organisatie met rollen van de gemeente.' });
}

const Details = {
  name: z.string().trim().min(1, 'Vul de naam in.').max(200, 'Hoogstens 200 tekens.'),
  email: z.email({ error: 'Vul een geldig e-mailadres in.' }).max(254, 'Hoogstens 254 tekens.'),
  phone: z.string().trim().max(40, 'Hoogstens 40 tekens.').optional(),
};

const NewForm = z.object({ ...Details, organisationId: z.string().max(64).optional(), ...roleBoxes }).superRefine((data, issues) => {
  const roles = rolesFrom(data);
  checkRoles(roles, issues);
  if (roles.length === 0) return;
  if (roles.every(isMunicipal) && data.organisationId)
    issues.addIssue({ code: 'custom', path: ['organisationId'], message: 'Medewerkers van de gemeente hebben geen organisatie: kies "Geen".' });
});

const EditForm = z.object(Details);
const RolesForm = z.object(roleBoxes).superRefine((data, issues) => checkRoles(rolesFrom(data), issues));

/** A verb's field errors in Dutch (the verbs speak English for the CLI's operator). */
function dutchFields(fields: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [key, messages] of Object.entries(fields)) {
    const message = messages[0] ?? '';
    if (key === 'email') out.email = [message === 'already in use' ? 'Dit e-mailadres is al in gebruik.' : 'Vul een geldig e-mailadres in.'];
    else if (key === 'roles')
      out.roles = [
        message.includes('your own')
          ? 'U kunt deze rol niet bij uzelf intrekken: daarna kunt u dit niet meer beheren.'
          : 'Deze rollen passen niet bij deze persoon.',
      ];
    else if (key === 'organisationId')
      out.organisationId = [
        message.includes('unknown')
          ? 'Deze organisatie bestaat niet of is gedeactiveerd.'
          : 'Kies de organisatie (of "Geen" voor medewerkers van de gemeente).',
      ];
    else out[key] = ['Controleer dit veld.'];
  }
  return out;
}

type Attempt<T> = { ok: true; value: T } | { ok: false; state: FormState; status: 409 | 422 };

/** Runs a verb behind a form; a refusal with field errors comes back as the form to show again (audited once). */
async function attempt<T>(c: Context<AppEnv>, values: Values, run: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (!(error instanceof ServiceError) || !error.fields || (error.code !== 'invalid_input' && error.code !== 'conflict')) throw error;
    if (!error.audited) await auditFailure(c, error.code);
    return { ok: false, state: { values, errors: dutchFields(error.fields) }, status: error.code === 'conflict' ? 409 : 422 };
  }
}

// ---- the pages -------------------------------------------------------------------------

const ListQuery = z.object({
  zoek: z.string().trim().max(100).optional().catch(undefined),
  organisatie: z.string().max(64).optional().catch(undefined),
  rol: z.enum(ROLES).optional().catch(undefined),
  actief: z.enum(['ja', 'nee']).optional().catch(undefined),
  vanaf: z
    .string()
    .regex(/^\d{1,7}$/)
    .optional()
    .catch(undefined),
});

/** The coordinator's own organisation (a coordinator always has one; anything else is "not found"). */
function ownOrganisation(c: Context<AppEnv>): string {
  const id = c.get('session').organisationId;
  if (!id) throw new ServiceError('not_found', 'Niet gevonden.');
  return id;
}

export function mountPeoplePages(app: Hono<AppEnv>, console: PeopleConsole) {
  const base = peopleBase(console);
  const admin = console === 'beheer';

  app.get(peopleHome(console), async (c) => {
    const ctx = ctxOf(c);
    const query = ListQuery.parse(c.req.query());
    const organisationId = admin ? query.organisatie || undefined : ownOrganisation(c);
    const filter = { search: query.zoek || undefined, organisationId: admin ? organisationId : undefined, role: query.rol, active: query.actief };
    const page = await listPeople(ctx, {
      ...(organisationId ? { organisationId } : {}),
      ...(query.rol ? { role: query.rol } : {}),
      ...(query.actief ? { active: query.actief === 'ja' } : {}),
      ...(filter.search ? { search: filter.search } : {}),
      ...(query.vanaf ? { cursor: query.vanaf } : {}),
    });
    const props = {
      console,
      ...page,
      filter,
      organisations: admin ? await organisationChoices(ctx) : [],
      municipalityId: MUNICIPALITY_ID,
      organisationName: admin ? null : await organisationName(ctx, ownOrganisation(c)),
      done: c.req.query('gedaan'),
    };
    return render(c, peopleListFrame(props), <PeopleListPage {...props} />);
  });

  const newPage = async (c: Context<AppEnv>, state: FormState, status: 200 | 409 | 422 = 200) => {
    const organisations = admin ? (await organisationChoices(ctxOf(c))).filter((o) => o.active) : [];
    return render(c, newPersonFrame({ console, state }), <NewPersonPage console={console} state={state} organisations={organisations} />, status);
  };

  app.get(`${base}/nieuw`, (c) => newPage(c, {}));

  app.post(`${base}/nieuw`, async (c) => {
    const form = await readForm(c, NewForm);
    if (!form.ok) return newPage(c, form, 422);
    const { name, email, phone, organisationId } = form.data;
    const given = admin ? organisationId || undefined : ownOrganisation(c);
    const done = await attempt(c, form.values, () =>
      createPerson(ctxOf(c), { name, email, phone: phone || null, roles: rolesFrom(form.data), ...(given ? { organisationId: given } : {}) }),
    );
    if (!done.ok) return newPage(c, done.state, done.status);
    return c.redirect(`${base}/${done.value.id}?gedaan=uitgenodigd`, 303);
  });

  app.get(`${base}/:id`, async (c) => {
    const person = await getPerson(ctxOf(c), { professionalId: c.req.param('id') });
    const props = { console, person, selfId: c.get('session').professionalId, done: c.req.query('gedaan') };
    return render(c, personDetailFrame(props), <PersonDetailPage {...props} />);
  });

  const editPage = async (c: Context<AppEnv>, state: FormState, status: 200 | 409 | 422 = 200) => {
    const person = await getPerson(ctxOf(c), { professionalId: c.req.param('id') as string });
    return render(c, editPersonFrame({ console, state }), <EditPersonPage console={console} person={person} state={state} />, status);
  };

  app.get(`${base}/:id/bewerken`, (c) => editPage(c, {}));

  app.post(`${base}/:id/bewerken`, async (c) => {
    const id = c.req.param('id');
    const form = await readForm(c, EditForm);
    if (!form.ok) return editPage(c, form, 422);
    const done = await attempt(c, form.values, () => updatePerson(ctxOf(c), { professionalId: id, ...form.data, phone: form.data.phone ?? '' }));
    if (!done.ok) return editPage(c, done.state, done.status);
    return c.redirect(`${base}/${id}?gedaan=bewerkt`, 303);
  });

  const rolesPage = async (c: Context<AppEnv>, state: FormState, status: 200 | 409 | 422 = 200) => {
    const person = await getPerson(ctxOf(c), { professionalId: c.req.param('id') as string });
    return render(c, personRolesFrame({ console, state }), <PersonRolesPage console={console} person={person} state={state} />, status);
  };

  app.get(`${base}/:id/rollen`, (c) => rolesPage(c, {}));

  app.post(`${base}/:id/rollen`, async (c) => {
    const id = c.req.param('id');
    const form = await readForm(c, RolesForm);
    if (!form.ok) return rolesPage(c, form, 422);
    const done = await attempt(c, form.values, () => changeRoles(ctxOf(c), { professionalId: id, roles: rolesFrom(form.data) }));
    if (!done.ok) return rolesPage(c, done.state, done.status);
    return c.redirect(`${base}/${id}?gedaan=rollen`, 303);
  });

  for (const { action, path, done, run } of ACTIONS) {
    app.get(`${base}/:id/${path}`, async (c) => {
      const person = await getPerson(ctxOf(c), { professionalId: c.req.param('id') });
      return render(c, confirmPersonActionFrame({ console, action }), <ConfirmPersonActionPage console={console} person={person} action={action} />);
    });
    app.post(`${base}/:id/${path}`, async (c) => {
      const id = c.req.param('id');
      await run(ctxOf(c), { professionalId: id });
      return c.redirect(`${base}/${id}?gedaan=${done}`, 303);
    });
  }
}
