/**
 * API client tokens: 256 random bits, shown once, stored as SHA-256. A slow password hash
 * buys nothing for a random 256-bit secret and would cost every request ~25 ms.
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement } from '../audit/audit.ts';
import type { Ctx } from '../context.ts';
import { apiClients, organisations } from '../db/schema.ts';
import { readTemplate } from '../db/template.ts';
import { Id } from '../identity/ids.ts';
import { parseInput, ServiceError } from '../lib/errors.ts';

const PREFIX = 'btk_';

export function generateApiToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return (
    PREFIX +
    btoa(String.fromCharCode(...bytes))
      .replace(/=+$/, '')
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
  );
}

export async function hashApiToken(token: string, digestSync?: (text: string) => string): Promise<string> {
  if (digestSync) return digestSync(token);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The active client that holds this token, or null, with whether its organisation is still
 * active (the gate refuses a deactivated organisation's client with 403 and a clear message).
 * Any string may arrive here (it is the Authorization header): what is not token-shaped
 * costs no query.
 */
export async function authenticateApiToken(
  ctx: Ctx,
  input: { token: string },
): Promise<{ id: string; organisationId: string; rateLimitPerMinute: number | null; organisationActive: boolean } | null> {
  const { token } = input;
  if (typeof token !== 'string' || !token.startsWith(PREFIX) || token.length > 100) return null;
  const [client] = await clientByTokenHash(ctx.deps.db, { tokenHash: await hashApiToken(token, ctx.deps.digestSync) });
  return client ?? null;
}

/** Every API request looks its client up: built once (src/db/template.ts). */
const clientByTokenHash = readTemplate<{ tokenHash: string }, ClientRow>((db, value) =>
  db
    .select({
      id: apiClients.id,
      organisationId: apiClients.organisationId,
      rateLimitPerMinute: apiClients.rateLimitPerMinute,
      organisationActive: organisations.active,
    })
    .from(apiClients)
    .innerJoin(organisations, eq(organisations.id, apiClients.organisationId))
    .where(and(eq(apiClients.tokenHash, value('tokenHash')), eq(apiClients.active, true)))
    .limit(1),
);

interface ClientRow {
  id: string;
  organisationId: string;
  rateLimitPerMinute: number | null;
  organisationActive: boolean;
}

/** Requests per minute an API client may make; null goes back to API_LIMIT_PER_MINUTE. */
export const RateLimitPerMinute = z.coerce
  .number({ error: 'a whole number from 1 to 1000000' })
  .int({ error: 'a whole number from 1 to 1000000' })
  .min(1, { error: 'a whole number from 1 to 1000000' })
  .max(1_000_000, { error: 'a whole number from 1 to 1000000' });

export const SetApiClientRateLimitInput = z.strictObject({ apiClientId: Id, rateLimitPerMinute: RateLimitPerMinute.nullable() });

/** Sets (or, with null, clears) one API client's own request limit (ADR 0010). Operators only. */
export async function setApiClientRateLimit(ctx: Ctx, input: z.input<typeof SetApiClientRateLimitInput>): Promise<void> {
  const { apiClientId, rateLimitPerMinute } = parseInput(SetApiClientRateLimitInput, input);
  if (ctx.actor.type !== 'operator') throw new ServiceError('forbidden', 'Alleen een beheerder stelt de limiet van een API-client in.');
  const [client] = await ctx.deps.db.select({ id: apiClients.id }).from(apiClients).where(eq(apiClients.id, apiClientId)).limit(1);
  if (!client) throw new ServiceError('not_found', 'Deze API-client bestaat niet.');
  await ctx.deps.atomic([
    ctx.deps.db.update(apiClients).set({ rateLimitPerMinute }).where(eq(apiClients.id, apiClientId)),
    auditStatement(ctx, { action: 'api_client.rate_limit', outcome: 'success', detail: { apiClientId, rateLimitPerMinute } }),
  ]);
}
