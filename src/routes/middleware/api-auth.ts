/**
 * The JSON API's gate (ADR 0010), in this order:
 *   1. the per-address limit (API_LIMIT_PER_IP_PER_MINUTE), before any database read, so a
 *      flood of bad tokens meets a 429 early;
 *   2. bearer-token authentication (no cookies, so no CSRF surface);
 *   3. the per-client limit (the client's own, else API_LIMIT_PER_MINUTE).
 * A 429 is returned from here, not thrown: the error handler would audit every one. Refused
 * tokens and 429s are audited per window and address instead (refusal-tally.ts).
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { auditStatement } from '../../audit/audit.ts';
import { authenticateApiToken } from '../../auth/api-token.ts';
import { addressKey, type RateDecision } from '../../auth/rate-limit.ts';
import { ServiceError } from '../../lib/errors.ts';
import type { AppEnv } from '../app-env.ts';
import { ctxOf } from '../http/ctx.ts';
import { problemResponse } from '../http/problem.ts';
import { createRefusalTally, TALLY_WINDOW_SECONDS, type RefusalTally, type TallyEntry, type TallyRow } from './refusal-tally.ts';

const GATE = { type: 'system', id: 'api-auth' } as const;

/** Writes the tally's rows in one unit; a failure is logged, never turned into a 500. */
async function writeRows(c: Context<AppEnv>, rows: TallyRow[], requestId: string | null): Promise<void> {
  if (rows.length === 0) return;
  const deps = c.get('deps');
  try {
    await deps.atomic(
      rows.map((row) =>
        auditStatement(
          { deps, actor: row.entry.actor, origin: row.entry.origin, requestId: row.summary === 'final' ? null : requestId },
          {
            action: row.entry.action,
            outcome: 'denied',
            detail: {
              ...row.entry.detail,
              count: row.count,
              summary: row.summary,
              windowStart: new Date(row.windowStart).toISOString(),
              windowSeconds: TALLY_WINDOW_SECONDS,
            },
          },
        ),
      ),
    );
  } catch (error) {
    deps.log('error', 'could not audit refused API requests', { requestId, error: error instanceof Error ? error.name : 'unknown' });
  }
}

function tooManyRequests(c: Context<AppEnv>, decision: RateDecision): Response {
  const response = problemResponse(c, 'too_many_requests', `Te veel verzoeken. Probeer het over ${decision.retryAfterSeconds} seconden opnieuw.`);
  response.headers.set('retry-after', String(decision.retryAfterSeconds));
  return response;
}

/** The gate for every API path but the OpenAPI document; one refusal tally per app. */
export function createApiGate(tally: RefusalTally = createRefusalTally()) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const deps = c.get('deps');
    const now = deps.clock.now();
    const requestId = c.get('requestId') ?? null;
    const gate = ctxOf(c, GATE);
    const address = gate.origin;
    // IPv6 counts per /64 (addressKey), for the limit and the tally alike.
    const counted = addressKey(address);
    // Windows that ended: their final counts, written by whichever request comes first.
    await writeRows(c, tally.close(now), requestId);

    const refuse = async (key: string, entry: TallyEntry) => writeRows(c, tally.note(`${key}|${counted}`, entry, now), requestId);

    const limitIp = deps.config.API_LIMIT_PER_IP_PER_MINUTE;
    const byAddress = await deps.rateLimiter.hit({ key: `ip:${counted}`, limit: limitIp, now });
    if (!byAddress.allowed) {
      await refuse('rate:address', { action: 'api.rate_limit', actor: GATE, origin: address, detail: { scope: 'address', limit: limitIp } });
      return tooManyRequests(c, byAddress);
    }

    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    const client = match ? await authenticateApiToken(gate, { token: match[1]! }) : null;
    if (!client) {
      await refuse('auth', { action: 'api.authenticate', actor: GATE, origin: address, detail: {} });
      // Thrown for the problem response; app.ts audits nothing without an actor.
      throw new ServiceError('unauthorized', 'Een geldig API-token is vereist (Authorization: Bearer …).');
    }
    const actor = { type: 'api_client', id: client.id, organisationId: client.organisationId } as const;
    c.set('actor', actor);
    // A deactivated organisation neither registers nor matches (docs/domain.md, "People and
    // organisations leave"): its client is refused, audited by the error handler as this actor.
    if (!client.organisationActive)
      throw new ServiceError('forbidden', 'De organisatie van deze API-koppeling is gedeactiveerd en kan Betrokken niet meer gebruiken.');

    const limit = client.rateLimitPerMinute ?? deps.config.API_LIMIT_PER_MINUTE;
    const byClient = await deps.rateLimiter.hit({ key: `client:${client.id}`, limit, now });
    if (!byClient.allowed) {
      await refuse(`rate:client:${client.id}`, { action: 'api.rate_limit', actor, origin: address, detail: { scope: 'token', limit } });
      return tooManyRequests(c, byClient);
    }
    await next();
  });
}
