/**
 * People: list, read, edit, change roles, deactivate and reactivate, reset the second factor
 * and resend the invitation. The municipal admin acts on everyone; an organisation
 * coordinator only on the people of their own organisation (another organisation's people
 * are "not found" to them, src/directory/directory.ts `authorizeForOrganisation`). Creating
 * and inviting a person is `createPerson` in directory.ts. Every read and change is audited.
 * Messages in English where the operator reads them (field errors); the pages translate.
 */
import { and, asc, count, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement, recordAudit } from '../audit/audit.ts';
import { issueTokenStatements } from '../auth/account-tokens.ts';
import { authorize, can } from '../auth/permissions.ts';
import type { Ctx } from '../context.ts';
import { accountTokens, organisations, personRoles, professionals, recoveryCodes, registrations, sessions } from '../db/schema.ts';
import type { Statement } from '../db/types.ts';
import { Id } from '../identity/ids.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { enqueueStatement } from '../notify/outbox.ts';
import { ROLES, type Role } from '../vocabulary.ts';
import { authorizeForOrganisation, Email, Phone } from './directory.ts';
import {
  holdsRole,
  isMunicipalRole,
  isRealOrganisation,
  MUNICIPALITY_ID,
  organisationOfPerson,
  parseRoles,
  roleRows,
  rolesOfPerson,
  RolesInput,
} from './roles.ts';

export interface PersonView {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  /** Null for the municipality's own staff. */
  organisationId: string | null;
  organisationName: string | null;
  roles: Role[];
  active: boolean;
  deactivatedAt: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  /** Whether the invitation was accepted (a password was chosen). */
  activated: boolean;
  /** Whether the second factor is set up. */
  hasSecondFactor: boolean;
  /** Active registrations in this person's name (a deactivated one's must be transferred). */
  activeRegistrations: number;
}

const activeRegistrationCount = sql<number>`(SELECT count(*) FROM ${registrations} WHERE ${registrations.professionalId} = ${professionals.id} AND ${registrations.status} = 'active')`;

const personColumns = {
  id: professionals.id,
  name: professionals.name,
  email: professionals.email,
  phone: professionals.phone,
  organisationId: organisationOfPerson,
  organisationName: sql<string | null>`CASE WHEN ${organisations.kind} = 'organisation' THEN ${organisations.name} ELSE NULL END`,
  roles: rolesOfPerson,
  active: professionals.active,
  deactivatedAt: professionals.deactivatedAt,
  lastLoginAt: professionals.lastLoginAt,
  createdAt: professionals.createdAt,
  activated: sql<number>`${professionals.passwordHash} IS NOT NULL`,
  hasSecondFactor: sql<number>`${professionals.totpConfirmedAt} IS NOT NULL`,
  activeRegistrations: activeRegistrationCount,
};

type PersonRow = { [K in keyof typeof personColumns]: unknown } & Record<string, unknown>;

function toView(row: PersonRow): PersonView {
  return {
    id: row.id as string,
    name: row.name as string,
    email: row.email as string,
    phone: (row.phone as string | null) ?? null,
    organisationId: (row.organisationId as string | null) ?? null,
    organisationName: (row.organisationName as string | null) ?? null,
    roles: parseRoles(row.roles as string | null),
    active: !!row.active,
    deactivatedAt: (row.deactivatedAt as Date | null) ?? null,
    lastLoginAt: (row.lastLoginAt as Date | null) ?? null,
    createdAt: row.createdAt as Date,
    activated: !!row.activated,
    hasSecondFactor: !!row.hasSecondFactor,
    activeRegistrations: Number(row.activeRegistrations ?? 0),
  };
}

/** The first check of every people verb: the admin, or a coordinator (their own organisation is checked next). */
async function authorizePeople(ctx: Ctx, action: string): Promise<void> {
  if (can(ctx.actor, 'beheer') || can(ctx.actor, 'organisation_people')) return;
  await authorize(ctx, 'beheer', action);
}

async function loadPerson(ctx: Ctx, professionalId: string): Promise<PersonView | undefined> {
  const [row] = await ctx.deps.db
    .select(personColumns)
    .from(professionals)
    .innerJoin(organisations, eq(organisations.id, professionals.organisationId))
    .where(eq(professionals.id, professionalId))
    .limit(1);
  return row ? toView(row) : undefined;
}

/**
 * The person, once the actor may act on them: unknown, or of another organisation for a
 * coordinator, is an audited "not found" either way.
 */
async function requirePerson(ctx: Ctx, professionalId: string, action: string): Promise<PersonView> {
  await authorizePeople(ctx, action);
  const person = await loadPerson(ctx, professionalId);
  if (!person) {
    await recordAudit(ctx, { action, outcome: 'not_found', targetUserId: professionalId });
    throw audited(new ServiceError('not_found', 'Persoon niet gevonden.'));
  }
  await authorizeForOrganisation(ctx, person.organisationId, action);
  return person;
}

// ---- list ------------------------------------------------------------------------------

export const PAGE_SIZE = 25;

export const ListPeopleInput = z.strictObject({
  /** An organisation, or MUNICIPALITY_ID for the municipality's staff (admin only). */
  organisationId: Id.optional(),
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }).optional(),
  active: z.boolean().optional(),
  /** Part of a name or email address. */
  search: z.string().trim().max(100, 'at most 100 characters').optional(),
  /** Where the next page starts (from the previous page). */
  cursor: z
    .string()
    .regex(/^\d{1,7}$/, 'not a cursor')
    .optional(),
  limit: z.number().int().min(1).max(200).optional(),
});

/** People by name, a page at a time. A coordinator must name their own organisation. */
export async function listPeople(ctx: Ctx, input: z.input<typeof ListPeopleInput>): Promise<{ items: PersonView[]; nextCursor: string | null; total: number }> {
  const { organisationId, role, active, search, cursor, limit = PAGE_SIZE } = parseInput(ListPeopleInput, input);
  await authorizePeople(ctx, 'professional.list');
  if (!can(ctx.actor, 'beheer')) await authorizeForOrganisation(ctx, organisationId ?? null, 'professional.list');
  const conditions: (SQL | undefined)[] = [
    organisationId ? eq(professionals.organisationId, organisationId) : undefined,
    role ? holdsRole(role) : undefined,
    active === undefined ? undefined : eq(professionals.active, active),
  ];
  if (search) {
    const pattern = `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(sql`lower(${professionals.name}) LIKE ${pattern} ESCAPE '\\'`, sql`${professionals.email} LIKE ${pattern} ESCAPE '\\'`));
  }
  const where = and(...conditions);
  const offset = cursor ? Number(cursor) : 0;
  const rows = await ctx.deps.db
    .select(personColumns)
    .from(professionals)
    .innerJoin(organisations, eq(organisations.id, professionals.organisationId))
    .where(where)
    .orderBy(asc(sql`lower(${professionals.name})`), asc(professionals.id))
    .limit(limit + 1)
    .offset(offset);
  const [{ total } = { total: 0 }] = await ctx.deps.db.select({ total: count() }).from(professionals).where(where);
  const items = rows.slice(0, limit).map(toView);
  // The search text itself is not logged: it could be anything someone typed.
  await recordAudit(ctx, {
    action: 'professional.list',
    outcome: 'success',
    detail: { organisationId: organisationId ?? null, role: role ?? null, active: active ?? null, searched: !!search, count: items.length },
  });
  return { items, nextCursor: rows.length > limit ? String(offset + limit) : null, total };
}

/** The real organisations by name, for the admin's filter and invitation form. */
export async function organisationChoices(ctx: Ctx): Promise<{ id: string; name: string; active: boolean }[]> {
  await authorize(ctx, 'beheer', 'organisation.list');
  return ctx.deps.db
    .select({ id: organisations.id, name: organisations.name, active: organisations.active })
    .from(organisations)
    .where(isRealOrganisation)
    .orderBy(asc(sql`lower(${organisations.name})`));
}

/** The name of the actor's own organisation (the coordinator's page title). */
export async function organisationName(ctx: Ctx, organisationId: string): Promise<string | null> {
  await authorizeForOrganisation(ctx, organisationId, 'organisation.read');
  const [row] = await ctx.deps.db
    .select({ name: organisations.name })
    .from(organisations)
    .where(and(eq(organisations.id, organisationId), isRealOrganisation))
    .limit(1);
  return row?.name ?? null;
}

// ---- one person ------------------------------------------------------------------------

export const GetPersonInput = z.strictObject({ professionalId: Id });

export async function getPerson(ctx: Ctx, input: z.input<typeof GetPersonInput>): Promise<PersonView> {
  const { professionalId } = parseInput(GetPersonInput, input);
  const person = await requirePerson(ctx, professionalId, 'professional.read');
  await recordAudit(ctx, { action: 'professional.read', outcome: 'success', targetUserId: professionalId });
  return person;
}

export const UpdatePersonInput = z.strictObject({
  professionalId: Id,
  name: z.string().trim().min(1, 'required').max(200, 'at most 200 characters').optional(),
  email: Email.optional(),
  /** An empty string removes the phone number. */
  phone: Phone,
});

/** Name, email address (unique; it is the login name) and phone number. */
export async function updatePerson(ctx: Ctx, input: z.input<typeof UpdatePersonInput>): Promise<{ changed: string[] }> {
  const { professionalId, name, email: givenEmail, phone } = parseInput(UpdatePersonInput, input);
  const person = await requirePerson(ctx, professionalId, 'professional.update');
  const email = givenEmail?.toLowerCase();
  const set: { name?: string; email?: string; phone?: string | null } = {};
  if (name !== undefined && name !== person.name) set.name = name;
  if (email !== undefined && email !== person.email) set.email = email;
  if (phone !== undefined && (phone || null) !== person.phone) set.phone = phone || null;
  if (set.email) {
    const [taken] = await ctx.deps.db.select({ id: professionals.id }).from(professionals).where(eq(professionals.email, set.email)).limit(1);
    if (taken) {
      await recordAudit(ctx, { action: 'professional.update', outcome: 'invalid', targetUserId: professionalId, detail: { reason: 'email_taken' } });
      throw audited(new ServiceError('conflict', 'A person with this email address already exists.', { email: ['already in use'] }));
    }
  }
  const changed = Object.keys(set);
  const now = ctx.deps.clock.now();
  // A new login address ends the sessions, voids the links sent before and tells the old
  // address: whoever changed it cannot take the account over unnoticed (with a reset link
  // to the new address, say).
  const moved = set.email
    ? [
        endSessionsStatement(ctx, professionalId),
        ctx.deps.db
          .update(accountTokens)
          .set({ usedAt: now })
          .where(and(eq(accountTokens.professionalId, professionalId), isNull(accountTokens.usedAt))),
        enqueueStatement(
          ctx.deps.db,
          {
            idempotencyKey: `email_changed:${crypto.randomUUID()}`,
            template: 'email_changed',
            recipientProfessionalId: professionalId,
            recipientEmail: person.email,
            payload: {},
          },
          now,
        ),
      ]
    : [];
  await ctx.deps.atomic([
    ...(changed.length ? [ctx.deps.db.update(professionals).set(set).where(eq(professionals.id, professionalId))] : []),
    ...moved,
    auditStatement(ctx, { action: 'professional.update', outcome: 'success', targetUserId: professionalId, detail: { changed: changed.join(',') } }),
  ]);
  return { changed };
}

// ---- roles -----------------------------------------------------------------------------

export const ChangeRolesInput = z.strictObject({ professionalId: Id, roles: RolesInput });

function refuseRoles(message: string): ServiceError {
  return audited(new ServiceError('invalid_input', message, { roles: [message] }));
}

/**
 * Replaces a person's roles. Municipal roles are the admin's to give; a person stays on their
 * side (organisation or municipality); nobody removes the role with which they manage
 * people from themselves (they would lock themselves, or their organisation, out).
 */
export async function changeRoles(ctx: Ctx, input: z.input<typeof ChangeRolesInput>): Promise<{ roles: Role[] }> {
  const { professionalId, roles } = parseInput(ChangeRolesInput, input);
  const action = 'professional.roles';
  const person = await requirePerson(ctx, professionalId, action);
  const refuse = async (reason: string, message: string) => {
    await recordAudit(ctx, { action, outcome: 'invalid', targetUserId: professionalId, detail: { reason } });
    return refuseRoles(message);
  };
  const municipal = roles.every(isMunicipalRole);
  if (municipal) await authorize(ctx, 'beheer', action);
  if (municipal !== (person.organisationId === null))
    throw await refuse(
      'side',
      person.organisationId === null
        ? "the municipality's staff hold only municipal roles (match_monitor, municipal_admin, auditor)"
        : "an organisation's people hold only organisation roles (professional, organisation_coordinator)",
    );
  const self = ctx.actor.type === 'professional' && ctx.actor.id === professionalId;
  if (self && person.roles.includes('municipal_admin') && !roles.includes('municipal_admin'))
    throw await refuse('self_lockout', 'you cannot remove your own municipal_admin role');
  if (self && person.roles.includes('organisation_coordinator') && !roles.includes('organisation_coordinator') && !can(ctx.actor, 'beheer'))
    throw await refuse('self_lockout', 'you cannot remove your own organisation_coordinator role');
  // Nobody widens their own reach: another admin (or coordinator) grants it, and the trail shows who.
  if (self && roles.some((role) => !person.roles.includes(role))) throw await refuse('self_grant', 'you cannot give yourself a role');
  await ctx.deps.atomic([
    ctx.deps.db.delete(personRoles).where(eq(personRoles.professionalId, professionalId)),
    ...roleRows(ctx.deps.db, professionalId, roles),
    auditStatement(ctx, {
      action,
      outcome: 'success',
      targetUserId: professionalId,
      detail: { from: person.roles.join(','), to: roles.join(',') },
    }),
  ]);
  return { roles };
}

// ---- deactivate, reactivate -------------------------------------------------------------

export const PersonIdInput = z.strictObject({ professionalId: Id });

function endSessionsStatement(ctx: Ctx, professionalId: string): Statement {
  return ctx.deps.db
    .update(sessions)
    .set({ endedAt: ctx.deps.clock.now() })
    .where(and(eq(sessions.professionalId, professionalId), isNull(sessions.endedAt)));
}

/**
 * Deactivates: no login, every session ended at once, open links void. Their registrations
 * stay (until the coordinator transfers or ends them); the count is returned to say so.
 */
export async function deactivatePerson(ctx: Ctx, input: z.input<typeof PersonIdInput>): Promise<{ changed: boolean; activeRegistrations: number }> {
  const { professionalId } = parseInput(PersonIdInput, input);
  const action = 'professional.deactivate';
  const person = await requirePerson(ctx, professionalId, action);
  if (ctx.actor.type === 'professional' && ctx.actor.id === professionalId) {
    await recordAudit(ctx, { action, outcome: 'invalid', targetUserId: professionalId, detail: { reason: 'self' } });
    throw audited(new ServiceError('conflict', 'U kunt uzelf niet deactiveren.'));
  }
  const now = ctx.deps.clock.now();
  await ctx.deps.atomic([
    ...(person.active ? [ctx.deps.db.update(professionals).set({ active: false, deactivatedAt: now }).where(eq(professionals.id, professionalId))] : []),
    endSessionsStatement(ctx, professionalId),
    ctx.deps.db
      .update(accountTokens)
      .set({ usedAt: now })
      .where(and(eq(accountTokens.professionalId, professionalId), isNull(accountTokens.usedAt))),
    auditStatement(ctx, {
      action,
      outcome: 'success',
      targetUserId: professionalId,
      detail: { changed: person.active, activeRegistrations: person.activeRegistrations },
    }),
  ]);
  return { changed: person.active, activeRegistrations: person.activeRegistrations };
}

export async function reactivatePerson(ctx: Ctx, input: z.input<typeof PersonIdInput>): Promise<{ changed: boolean }> {
  const { professionalId } = parseInput(PersonIdInput, input);
  const action = 'professional.reactivate';
  // The admin's alone: a coordinator must not undo a deactivation the admin decided.
  await authorize(ctx, 'beheer', action);
  const person = await requirePerson(ctx, professionalId, action);
  await ctx.deps.atomic([
    ...(person.active ? [] : [ctx.deps.db.update(professionals).set({ active: true, deactivatedAt: null }).where(eq(professionals.id, professionalId))]),
    auditStatement(ctx, { action, outcome: 'success', targetUserId: professionalId, detail: { changed: !person.active } }),
  ]);
  return { changed: !person.active };
}

// ---- second factor, invitation ----------------------------------------------------------

/**
 * A lost phone: the authenticator app and the recovery codes are forgotten and every session
 * ends; the next login goes through enrolment again (src/auth/login.ts). The person is mailed
 * that it happened (no link in it: they simply log in).
 */
export async function resetSecondFactor(ctx: Ctx, input: z.input<typeof PersonIdInput>): Promise<void> {
  const { professionalId } = parseInput(PersonIdInput, input);
  const action = 'professional.reset_second_factor';
  const person = await requirePerson(ctx, professionalId, action);
  if (!person.active) {
    await recordAudit(ctx, { action, outcome: 'invalid', targetUserId: professionalId, detail: { reason: 'deactivated' } });
    throw audited(new ServiceError('conflict', 'Dit account is gedeactiveerd.'));
  }
  const now = ctx.deps.clock.now();
  await ctx.deps.atomic([
    ctx.deps.db.update(professionals).set({ totpSecret: null, totpConfirmedAt: null, totpLastStep: null }).where(eq(professionals.id, professionalId)),
    ctx.deps.db.delete(recoveryCodes).where(eq(recoveryCodes.professionalId, professionalId)),
    endSessionsStatement(ctx, professionalId),
    enqueueStatement(
      ctx.deps.db,
      {
        idempotencyKey: `second_factor_reset:${crypto.randomUUID()}`,
        template: 'second_factor_reset',
        recipientProfessionalId: professionalId,
        recipientEmail: person.email,
        payload: {},
      },
      now,
    ),
    auditStatement(ctx, { action, outcome: 'success', targetUserId: professionalId }),
  ]);
}

/** A new invitation link, only while the person has not chosen a password; earlier links stop working. */
export async function reinvitePerson(ctx: Ctx, input: z.input<typeof PersonIdInput>): Promise<void> {
  const { professionalId } = parseInput(PersonIdInput, input);
  const action = 'professional.reinvite';
  const person = await requirePerson(ctx, professionalId, action);
  if (!person.active || person.activated) {
    const reason = person.active ? 'already_activated' : 'deactivated';
    await recordAudit(ctx, { action, outcome: 'invalid', targetUserId: professionalId, detail: { reason } });
    throw audited(
      new ServiceError('conflict', person.active ? 'Dit account is al geactiveerd: een nieuwe uitnodiging is niet nodig.' : 'Dit account is gedeactiveerd.'),
    );
  }
  await ctx.deps.atomic([
    ...(await issueTokenStatements(ctx, { id: professionalId, email: person.email }, 'invitation')),
    auditStatement(ctx, { action, outcome: 'success', targetUserId: professionalId }),
  ]);
}

/** The active professionals of an organisation (who may receive a transfer). */
export async function activeColleagues(ctx: Ctx, organisationId: string): Promise<{ id: string; name: string }[]> {
  await authorizeForOrganisation(ctx, organisationId === MUNICIPALITY_ID ? null : organisationId, 'professional.list');
  const colleagues = await ctx.deps.db
    .select({ id: professionals.id, name: professionals.name })
    .from(professionals)
    .where(and(eq(professionals.organisationId, organisationId), eq(professionals.active, true), holdsRole('professional')))
    .orderBy(asc(professionals.name));
  // A read of people like every other (the transfer page's choice of colleague).
  await recordAudit(ctx, { action: 'professional.list', outcome: 'success', detail: { organisationId, purpose: 'colleagues', count: colleagues.length } });
  return colleagues;
}
