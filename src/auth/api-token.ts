/**
 * API client tokens: 256 random bits, shown once, stored as SHA-256. A slow password hash
 * buys nothing for a random 256-bit secret and would cost every request ~25 ms.
 */
import { and, eq } from 'drizzle-orm';
import { apiClients, organisations } from '../db/schema.ts';
import type { Ctx } from '../context.ts';

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

export async function hashApiToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The active client (of an active organisation) that holds this token, or null. Any string
 * may arrive here (it is the Authorization header): what is not token-shaped costs no query.
 */
export async function authenticateApiToken(ctx: Ctx, input: { token: string }): Promise<{ id: string; organisationId: string } | null> {
  const { token } = input;
  if (typeof token !== 'string' || !token.startsWith(PREFIX) || token.length > 100) return null;
  const [client] = await ctx.deps.db
    .select({ id: apiClients.id, organisationId: apiClients.organisationId })
    .from(apiClients)
    .innerJoin(organisations, eq(organisations.id, apiClients.organisationId))
    .where(and(eq(apiClients.tokenHash, await hashApiToken(token)), eq(apiClients.active, true), eq(organisations.active, true)))
    .limit(1);
  return client ?? null;
}
