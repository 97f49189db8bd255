import { createMiddleware } from 'hono/factory';
import { recordAudit } from '../../audit/audit.ts';
import { authenticateApiToken } from '../../auth/api-token.ts';
import { ServiceError } from '../../lib/errors.ts';
import type { AppEnv } from '../app-env.ts';
import { ctxOf } from '../http/ctx.ts';

/** Bearer-token authentication for the JSON API. No cookies, so no CSRF surface. */
export const apiAuth = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const client = match ? await authenticateApiToken(ctxOf(c, { type: 'system', id: 'api-auth' }), { token: match[1]! }) : null;
  if (!client) {
    await recordAudit(ctxOf(c, { type: 'system', id: 'api-auth' }), { action: 'api.authenticate', outcome: 'denied' });
    throw new ServiceError('unauthorized', 'Een geldig API-token is vereist (Authorization: Bearer …).');
  }
  c.set('actor', { type: 'api_client', id: client.id, organisationId: client.organisationId });
  await next();
});
