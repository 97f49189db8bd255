/**
 * The directory: organisations, their professionals and their API clients. Used by the
 * operator CLI now and by the admin console later; every change is audited.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement } from '../audit/audit.ts';
import { actsFor, type Ctx } from '../context.ts';
import { apiClients, organisations, professionals } from '../db/schema.ts';
import { Id } from '../identity/ids.ts';
import { parseInput, ServiceError } from '../lib/errors.ts';
import { issueTokenStatements } from '../auth/account-tokens.ts';
import { generateApiToken, hashApiToken, RateLimitPerMinute } from '../auth/api-token.ts';
import { ROLES, SECTORS } from '../vocabulary.ts';

// Messages in English: the operator reads them (the CLI prints them per option).
const Name = z.string({ error: 'required' }).trim().min(1, 'required');

export const CreateOrganisationInput = z.strictObject({
  name: Name,
  sector: z.enum(SECTORS, { error: `must be one of ${SECTORS.join(', ')}` }),
});

export async function createOrganisation(ctx: Ctx, input: z.input<typeof CreateOrganisationInput>): Promise<{ id: string }> {
  const { name, sector } = parseInput(CreateOrganisationInput, input);
  const id = crypto.randomUUID();
  await ctx.deps.atomic([
    ctx.deps.db.insert(organisations).values({ id, name, sector, createdAt: ctx.deps.clock.now() }),
    auditStatement(ctx, { action: 'organisation.create', outcome: 'success', detail: { organisationId: id } }),
  ]);
  return { id };
}

async function requireOrganisation(ctx: Ctx, id: string) {
  const [organisation] = await ctx.deps.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, id)).limit(1);
  if (!organisation) throw new ServiceError('not_found', `Organisation not found: ${id}`, { organisationId: ['unknown organisation id'] });
}

export const CreateProfessionalInput = z.strictObject({
  organisationId: Id,
  name: Name,
  /** Stored lower-case: it is how the professional logs in and how API clients name them. */
  email: z.email({ error: 'must be an email address' }).max(254, 'at most 254 characters'),
  phone: z.string().trim().max(40, 'at most 40 characters').nullish(),
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }).optional(),
  /** `false` only for tests and benchmarks that need no login. */
  invite: z.boolean().optional(),
});

/**
 * Creates a professional and, in the same unit, queues the invitation mail with which they
 * choose a password.
 */
export async function createProfessional(ctx: Ctx, input: z.input<typeof CreateProfessionalInput>): Promise<{ id: string }> {
  const { organisationId, name, email: given, phone, role, invite } = parseInput(CreateProfessionalInput, input);
  await requireOrganisation(ctx, organisationId);
  const email = given.toLowerCase();
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
      role: role ?? 'professional',
      createdAt: ctx.deps.clock.now(),
    }),
    auditStatement(ctx, { action: 'professional.create', outcome: 'success', targetUserId: id, detail: { organisationId } }),
    ...(invite === false ? [] : await issueTokenStatements(ctx, { id, email }, 'invitation')),
  ]);
  return { id };
}

/** rateLimitPerMinute: this client's own request limit (a bulk migration's, say); default API_LIMIT_PER_MINUTE. */
export const CreateApiClientInput = z.strictObject({ organisationId: Id, name: Name, rateLimitPerMinute: RateLimitPerMinute.optional() });

/** Creates an API client; the token is returned here once and only its hash is stored. */
export async function createApiClient(ctx: Ctx, input: z.input<typeof CreateApiClientInput>): Promise<{ id: string; token: string }> {
  const { organisationId, name, rateLimitPerMinute } = parseInput(CreateApiClientInput, input);
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
      organisationName: organisations.name,
      sector: organisations.sector,
      totpConfirmedAt: professionals.totpConfirmedAt,
    })
    .from(professionals)
    .innerJoin(organisations, eq(organisations.id, professionals.organisationId))
    .where(eq(professionals.id, professionalId))
    .limit(1);
  await ctx.deps.atomic([auditStatement(ctx, { action: 'professional.read', outcome: profile ? 'success' : 'not_found', targetUserId: professionalId })]);
  if (!profile) throw new ServiceError('not_found', 'Account niet gevonden.');
  return profile;
}
