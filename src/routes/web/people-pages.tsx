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
import { isMunicipalRole, MUNICIPALITY_ID } from '../../directory/roles.ts';
import { ServiceError } from '../../lib/errors.ts';
import { type Permission, ROLES } from '../../vocabulary.ts';
import type { FormState } from '../../views/components.tsx';
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
import { ctxOf } from '../http/ctx.ts';
import { readForm } from './forms.ts';
import { attempt, EditForm, NewForm, ownOrganisation, RolesForm, rolesFrom } from './people-forms.ts';
import { render } from './render.tsx';

const ACTIONS: { action: PersonAction; path: string; done: string; run: typeof deactivatePerson | typeof reactivatePerson | typeof resetSecondFactor }[] = [
  { action: 'deactivate', path: 'deactiveren', done: 'gedeactiveerd', run: deactivatePerson },
  { action: 'reactivate', path: 'activeren', done: 'geactiveerd', run: reactivatePerson },
  { action: 'reset', path: 'tweede-factor', done: 'tweede-factor', run: resetSecondFactor },
  { action: 'reinvite', path: 'uitnodiging', done: 'uitnodiging', run: reinvitePerson },
];

/** Reactivating is the admin's alone: a coordinator cannot undo a deactivation the admin made. */
const actionsOf = (console: PeopleConsole) => ACTIONS.filter((a) => console === 'beheer' || a.action !== 'reactivate');

/** Every people route of a console and what it needs. */
export function peopleAccess(console: PeopleConsole, permission: Permission): AccessTable {
  const base = peopleBase(console);
  const table: AccessTable = {
    [`GET ${peopleHome(console)}`]: permission,
    [`GET ${base}/nieuw`]: permission,
    [`POST ${base}/nieuw`]: permission,
    [`GET ${base}/:id`]: permission,
  };
  for (const path of ['bewerken', 'rollen', ...actionsOf(console).map((a) => a.path)]) {
    table[`GET ${base}/:id/${path}`] = permission;
    table[`POST ${base}/:id/${path}`] = permission;
  }
  return table;
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
    // A coordinator's form offers no municipal roles: one posted anyway is refused (and audited by the error handler).
    if (!admin && rolesFrom(form.data).some(isMunicipalRole)) throw new ServiceError('forbidden', 'U kunt alleen rollen binnen uw organisatie geven.');
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

  for (const { action, path, done, run } of actionsOf(console)) {
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
