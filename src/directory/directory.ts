/**
 * The directory: organisations, their professionals and their API clients. Used by the
 * operator CLI now and by the admin console later; every change is audited.
 */
import { eq } from 'drizzle-orm';
import { auditStatement } from '../audit/audit.ts';
import type { Ctx } from '../context.ts';
import { apiClients, organisations, professionals } from '../db/schema.ts';
import { ServiceError } from '../lib/errors.ts';
import { issueTokenStatements } from '../auth/account-tokens.ts';
import { generateApiToken, hashApiToken } from '../auth/api-token.ts';
import type { Role, Sector } from '../vocabulary.ts';

export async function createOrganisation(ctx: Ctx, input: { name: string; sector: Sector }): Promise<{ id: string }> {
  const id = crypto.randomUUID();
  await ctx.deps.atomic([
    ctx.deps.db.insert(organisations).values({ id, name: input.name.trim(), sector: input.sector, createdAt: ctx.deps.clock.now() }),
    auditStatement(ctx, { action: 'organisation.create', outcome: 'success', detail: { organisationId: id } }),
  ]);
  return { id };
}

async function requireOrganisation(ctx: Ctx, id: string) {
  const [organisation] = await ctx.deps.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, id)).limit(1);
  if (!organisation) throw new ServiceError('not_found', `Organisation not found: ${id}`, { org: ['unknown organisation id'] });
}

/**
 * Creates a professional and, in the same unit, queues the invitation mail with which they
 * choose a password (`invite: false` only for tests and benchmarks that need no login).
 */
export async function createProfessional(
  ctx: Ctx,
  input: { organisationId: string; name: string; email: string; phone?: string | null | undefined; role?: Role | undefined; invite?: boolean },
): Promise<{ id: string }> {
  await requireOrganisation(ctx, input.organisationId);
  const email = input.email.trim().toLowerCase();
  const [taken] = await ctx.deps.db.select({ id: professionals.id }).from(professionals).where(eq(professionals.email, email)).limit(1);
  if (taken) throw new ServiceError('conflict', 'A professional with this email address already exists.', { email: ['already in use'] });
  const id = crypto.randomUUID();
  await ctx.deps.atomic([
    ctx.deps.db.insert(professionals).values({
      id,
      organisationId: input.organisationId,
      name: input.name.trim(),
      email,
      phone: input.phone?.trim() || null,
      role: input.role ?? 'professional',
      createdAt: ctx.deps.clock.now(),
    }),
    auditStatement(ctx, { action: 'professional.create', outcome: 'success', targetUserId: id, detail: { organisationId: input.organisationId } }),
    ...(input.invite === false ? [] : await issueTokenStatements(ctx, { id, email }, 'invitation')),
  ]);
  return { id };
}

/** Creates an API client; the token is returned here once and only its hash is stored. */
export async function createApiClient(ctx: Ctx, input: { organisationId: string; name: string }): Promise<{ id: string; token: string }> {
  await requireOrganisation(ctx, input.organisationId);
  const id = crypto.randomUUID();
  const token = generateApiToken();
  await ctx.deps.atomic([
    ctx.deps.db.insert(apiClients).values({
      id,
      organisationId: input.organisationId,
      name: input.name.trim(),
      tokenHash: await hashApiToken(token),
      createdAt: ctx.deps.clock.now(),
    }),
    auditStatement(ctx, { action: 'api_client.create', outcome: 'success', detail: { apiClientId: id, organisationId: input.organisationId } }),
  ]);
  return { id, token };
}

/** A professional's own details with their organisation's (the account page, the letter). */
export async function getProfessionalProfile(ctx: Ctx, professionalId: string) {
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
