/**
 * The beheer console's API clients (municipal admin): list and revoke. Creating is
 * `createApiClient` (directory.ts), which hands out the token once. A token or its hash is
 * never read here. A revoked client's token is refused at once: `authenticateApiToken`
 * looks for an active client on every request.
 */
import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement, recordAudit } from '../audit/audit.ts';
import { authorize } from '../auth/permissions.ts';
import type { Ctx } from '../context.ts';
import { guardStatement } from '../db/guard.ts';
import { apiClients, organisations } from '../db/schema.ts';
import { AtomicConflict } from '../db/types.ts';
import { Id } from '../identity/ids.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { isRealOrganisation } from './roles.ts';

export const ListApiClientsInput = z.strictObject({ organisationId: Id.optional() });

export interface ApiClientSummary {
  id: string;
  name: string;
  organisationId: string;
  organisationName: string;
  organisationActive: boolean;
  active: boolean;
  createdAt: Date;
  /** Null: the deployment's API_LIMIT_PER_MINUTE. */
  rateLimitPerMinute: number | null;
}

const columns = {
  id: apiClients.id,
  name: apiClients.name,
  organisationId: apiClients.organisationId,
  organisationName: organisations.name,
  organisationActive: organisations.active,
  active: apiClients.active,
  createdAt: apiClients.createdAt,
  rateLimitPerMinute: apiClients.rateLimitPerMinute,
};

/** Every API client (of one organisation, if given): active first, newest first. */
export async function listApiClients(ctx: Ctx, input: z.input<typeof ListApiClientsInput> = {}): Promise<ApiClientSummary[]> {
  const { organisationId } = parseInput(ListApiClientsInput, input);
  await authorize(ctx, 'beheer', 'api_client.list');
  const filters: (SQL | undefined)[] = [isRealOrganisation, organisationId ? eq(apiClients.organisationId, organisationId) : undefined];
  const items = await ctx.deps.db
    .select(columns)
    .from(apiClients)
    .innerJoin(organisations, eq(organisations.id, apiClients.organisationId))
    .where(and(...filters))
    .orderBy(desc(apiClients.active), asc(sql`lower(${organisations.name})`), desc(apiClients.createdAt), asc(apiClients.id));
  await recordAudit(ctx, { action: 'api_client.list', outcome: 'success', detail: { organisationId: organisationId ?? null, count: items.length } });
  return items;
}

export const RevokeApiClientInput = z.strictObject({ apiClientId: Id });

/**
 * Revokes the client: its token is refused from the next request on. Revoking is final (a
 * new client gets a new token); revoking a revoked client changes nothing and says so.
 */
export async function revokeApiClient(ctx: Ctx, input: z.input<typeof RevokeApiClientInput>): Promise<{ id: string; alreadyRevoked: boolean }> {
  const { apiClientId } = parseInput(RevokeApiClientInput, input);
  await authorize(ctx, 'beheer', 'api_client.revoke');
  const { db } = ctx.deps;
  const [client] = await db.select({ active: apiClients.active }).from(apiClients).where(eq(apiClients.id, apiClientId)).limit(1);
  if (!client) {
    await recordAudit(ctx, { action: 'api_client.revoke', outcome: 'not_found', detail: { apiClientId } });
    throw audited(new ServiceError('not_found', 'API client not found.'));
  }
  if (!client.active) {
    await recordAudit(ctx, { action: 'api_client.revoke', outcome: 'success', detail: { apiClientId, alreadyRevoked: true } });
    return { id: apiClientId, alreadyRevoked: true };
  }
  try {
    await ctx.deps.atomic([
      // Exactly one revocation is recorded, even when two admins click at once.
      guardStatement(db, sql`SELECT CAST(active AS TEXT) FROM ${apiClients} WHERE id = ${apiClientId}`, '1'),
      db.update(apiClients).set({ active: false }).where(eq(apiClients.id, apiClientId)),
      auditStatement(ctx, { action: 'api_client.revoke', outcome: 'success', detail: { apiClientId } }),
    ]);
  } catch (error) {
    if (!(error instanceof AtomicConflict)) throw error;
    await recordAudit(ctx, { action: 'api_client.revoke', outcome: 'success', detail: { apiClientId, alreadyRevoked: true } });
    return { id: apiClientId, alreadyRevoked: true };
  }
  return { id: apiClientId, alreadyRevoked: false };
}

export const GetApiClientInput = z.strictObject({ apiClientId: Id });

/** One client, for the revoke confirmation (no token, no hash). */
export async function getApiClient(ctx: Ctx, input: z.input<typeof GetApiClientInput>): Promise<ApiClientSummary> {
  const { apiClientId } = parseInput(GetApiClientInput, input);
  await authorize(ctx, 'beheer', 'api_client.read');
  const [client] = await ctx.deps.db
    .select(columns)
    .from(apiClients)
    .innerJoin(organisations, eq(organisations.id, apiClients.organisationId))
    .where(eq(apiClients.id, apiClientId))
    .limit(1);
  await recordAudit(ctx, { action: 'api_client.read', outcome: client ? 'success' : 'not_found', detail: { apiClientId } });
  if (!client) throw audited(new ServiceError('not_found', 'API client not found.'));
  return client;
}
