/**
 * The directory: organisations, their professionals and their API clients. Used by the
 * operator CLI now and by the admin console later; every change is audited.
 */
import { and, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement } from '../audit/audit.ts';
import { actsFor, type Ctx } from '../context.ts';
import { apiClients, organisations, professionals } from '../db/schema.ts';
import { Id } from '../identity/ids.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { issueTokenStatements } from '../auth/account-tokens.ts';
import { generateApiToken, hashApiToken, RateLimitPerMinute } from '../auth/api-token.ts';
import { SECTORS } from '../vocabulary.ts';
import { authorize, can } from '../auth/permissions.ts';
import { recordAudit } from '../audit/audit.ts';
import { isMunicipalRole, isRealOrganisation, MUNICIPALITY_ID, roleRows, RolesInput } from './roles.ts';

/**
 * The admin acts on every organisation and on the municipality's staff; a coordinator only
 * on their own organisation (organisationId null: the municipality's staff, admin only).
 * Another organisation's people are "not found" to a coordinator, not "forbidden": they
 * learn nothing about them.
 */
export async function authorizeForOrganisation(ctx: Ctx, organisationId: string | null, action: string): Promise<void> {
  if (can(ctx.actor, 'beheer')) return;
  if (ctx.actor.type === 'professional' && can(ctx.actor, 'organisation_people')) {
    if (organisationId !== null && organisationId === ctx.actor.organisationId) return;
    await recordAudit(ctx, { action, outcome: 'not_found', detail: { organisationId } });
    throw audited(new ServiceError('not_found', 'Niet gevonden.'));
  }
  await authorize(ctx, 'beheer', action);
}

// Messages in English: the operator reads them (the CLI prints them per option).
const Name = z.string({ error: 'required' }).trim().min(1, 'required');

export const CreateOrganisationInput = z.strictObject({
  name: Name,
  sector: z.enum(SECTORS, { error: `must be one of ${SECTORS.join(', ')}` }),
});

export async function createOrganisation(ctx: Ctx, input: z.input<typeof CreateOrganisationInput>): Promise<{ id: string }> {
  const { name, sector } = parseInput(CreateOrganisationInput, input);
  await authorize(ctx, 'beheer', 'organisation.create');
  await refuseTakenName(ctx, name);
  const id = crypto.randomUUID();
  await ctx.deps.atomic([
    ctx.deps.db.insert(organisations).values({ id, name, sector, createdAt: ctx.deps.clock.now() }),
    auditStatement(ctx, { action: 'organisation.create', outcome: 'success', detail: { organisationId: id } }),
  ]);
  return { id };
}

/** Two organisations with one name cannot be told apart in a match mail: refused (also a unique index). */
export async function refuseTakenName(ctx: Ctx, name: string, exceptId?: string, action = 'organisation.create') {
  const [taken] = await ctx.deps.db
    .select({ id: organisations.id })
    .from(organisations)
    .where(and(sql`lower(${organisations.name}) = lower(${name})`, exceptId ? ne(organisations.id, exceptId) : undefined))
    .limit(1);
  if (!taken) return;
  await recordAudit(ctx, { action, outcome: 'invalid', detail: { reason: 'name_taken', organisationId: exceptId ?? null } });
  throw audited(new ServiceError('conflict', 'An organisation with this name already exists.', { name: ['already in use'] }));
}

/** A real, active organisation (not the municipality's own row). */
async function requireOrganisation(ctx: Ctx, id: string) {
  const [organisation] = await ctx.deps.db
    .select({ id: organisations.id })
    .from(organisations)
    .where(and(eq(organisations.id, id), isRealOrganisation, eq(organisations.active, true)))
    .limit(1);
  if (!organisation)
    throw new ServiceError('not_found', `Organisation not found or deactivated: ${id}`, { organisationId: ['unknown or deactivated organisation'] });
}

export const Email = z.email({ error: 'must be an email address' }).max(254, 'at most 254 characters');
export const Phone = z.string().trim().max(40, 'at most 40 characters').nullish();

/**
 * A person with an account: a professional or coordinator of an organisation, or (without
 * organisation) one of the municipality's staff. Default role: professional.
 */
export const CreatePersonInput = z
  .strictObject({
    organisationId: Id.optional(),
    name: Name,
    /** Stored lower-case: it is how the person logs in and how API clients name them. */
    email: Email,
    phone: Phone,
    roles: RolesInput.default(['professional']),
    /** `false` only for tests and benchmarks that need no login. */
    invite: z.boolean().optional(),
  })
  .superRefine((input, issues) => {
    const municipal = input.roles.every(isMunicipalRole);
    if (municipal && input.organisationId)
      issues.addIssue({ code: 'custom', path: ['organisationId'], message: "the municipality's staff have no organisation" });
    if (!municipal && !input.organisationId)
      issues.addIssue({ code: 'custom', path: ['organisationId'], message: 'required for professionals and coordinators' });
  });

/**
 * Creates a person and, in the same unit, queues the invitation mail with which they
 * choose a password. The municipal admin may create anyone; an organisation coordinator
 * only professionals and coordinators of their own organisation.
 */
export async function createPerson(ctx: Ctx, input: z.input<typeof CreatePersonInput>): Promise<{ id: string }> {
  const { organisationId: given, name, email: givenEmail, phone, roles, invite } = parseInput(CreatePersonInput, input);
  await authorizeForOrganisation(ctx, given ?? null, 'professional.create');
  const organisationId = given ?? MUNICIPALITY_ID;
  if (given) await requireOrganisation(ctx, given);
  const email = givenEmail.toLowerCase();
  const [taken] = await ctx.deps.db.select({ id: professionals.id }).from(professionals).where(eq(professionals.email, email)).limit(1);
  if (taken) throw new ServiceError('conflict', 'A professional with this email address already exists.', { email: ['already in use'] });
  const id = crypto.randomUUID();
  await ctx.deps.atomic([
    ctx.deps.db.insert(professionals).values({
      id,
      organisationId,
      name,
      email,
      phone: phone || null,
      createdAt: ctx.deps.clock.now(),
    }),
    ...roleRows(ctx.deps.db, id, roles),
    auditStatement(ctx, {
      action: 'professional.create',
      outcome: 'success',
      targetUserId: id,
      detail: { organisationId: given ?? null, roles: roles.join(',') },
    }),
    ...(invite === false ? [] : await issueTokenStatements(ctx, { id, email }, 'invitation')),
  ]);
  return { id };
}

/** rateLimitPerMinute: this client's own request limit (a bulk migration's, say); default API_LIMIT_PER_MINUTE. */
export const CreateApiClientInput = z.strictObject({ organisationId: Id, name: Name, rateLimitPerMinute: RateLimitPerMinute.optional() });

/** Creates an API client; the token is returned here once and only its hash is stored. */
export async function createApiClient(ctx: Ctx, input: z.input<typeof CreateApiClientInput>): Promise<{ id: string; token: string }> {
  const { organisationId, name, rateLimitPerMinute } = parseInput(CreateApiClientInput, input);
  await authorize(ctx, 'beheer', 'api_client.create');
  await requireOrganisation(ctx, organisationId);
  const id = crypto.randomUUID();
  const token = generateApiToken();
  await ctx.deps.atomic([
    ctx.deps.db.insert(apiClients).values({
      id,
      organisationId,
      name,
      tokenHash: await hashApiToken(token),
      createdAt: ctx.deps.clock.now(),
      rateLimitPerMinute: rateLimitPerMinute ?? null,
    }),
    auditStatement(ctx, {
      action: 'api_client.create',
      outcome: 'success',
      detail: { apiClientId: id, organisationId, rateLimitPerMinute: rateLimitPerMinute ?? null },
    }),
  ]);
  return { id, token };
}

export const GetProfessionalProfileInput = z.strictObject({ professionalId: Id });

/** A professional's own details with their organisation's (the account page, the letter). */
export async function getProfessionalProfile(ctx: Ctx, input: z.input<typeof GetProfessionalProfileInput>) {
  const { professionalId } = parseInput(GetProfessionalProfileInput, input);
  if (!actsFor(ctx.actor, professionalId)) throw new ServiceError('forbidden', 'Dit kan alleen voor uw eigen account.');
  const [profile] = await ctx.deps.db
    .select({
      name: professionals.name,
      email: professionals.email,
      phone: professionals.phone,
      // The municipality's own row is no organisation (ADR 0011): no name to show.
      organisationName: sql<string | null>`CASE WHEN ${isRealOrganisation} THEN ${organisations.name} ELSE NULL END`,
      sector: organisations.sector,
      totpConfirmedAt: professionals.totpConfirmedAt,
    })
    .from(professionals)
    .innerJoin(organisations, eq(organisations.id, professionals.organisationId))
    .where(eq(professionals.id, professionalId))
    .limit(1);
  await recordAudit(ctx, { action: 'professional.read', outcome: profile ? 'success' : 'not_found', targetUserId: professionalId });
  if (!profile) throw new ServiceError('not_found', 'Account niet gevonden.');
  return profile;
}
