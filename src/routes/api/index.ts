import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimitByLength } from '../http/body-limit.ts';
import { createMiddleware } from 'hono/factory';
import { ServiceError } from '../../lib/errors.ts';
import type { AppEnv } from '../app-env.ts';
import { guard, type AccessTable } from '../http/access.ts';
import { createApiGate } from '../middleware/api-auth.ts';
import { DOCS_PATH, docsRoutes } from './docs.ts';
import { matchRoutes } from './matches.ts';
import { registrationRoutes } from './registrations.ts';

export const API_PREFIX = '/api/v1';

/** Request bodies are small JSON objects; anything bigger is refused before parsing. */
export const API_BODY_LIMIT = 16 * 1024;

const jsonOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method === 'POST' || c.req.method === 'PUT' || c.req.method === 'PATCH') {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      throw new ServiceError('unsupported_media_type', 'Stuur de body als application/json.');
    }
  }
  await next();
});

/**
 * What every API route needs (src/routes/http/access.ts). An API client acts for its
 * organisation's professionals: it holds `register` and `matches`, nothing else.
 */
export const API_ACCESS: AccessTable = {
  [`GET ${API_PREFIX}/openapi.json`]: 'public',
  // The interactive viewer of that document, and its script (./docs.ts).
  [`GET ${API_PREFIX}${DOCS_PATH}`]: 'public',
  [`GET ${API_PREFIX}${DOCS_PATH}/:file`]: 'public',
  [`POST ${API_PREFIX}/registrations`]: 'register',
  [`GET ${API_PREFIX}/registrations`]: 'register',
  [`GET ${API_PREFIX}/registrations/:id`]: 'register',
  [`POST ${API_PREFIX}/registrations/:id/end`]: 'register',
  [`POST ${API_PREFIX}/registrations/:id/informed`]: 'register',
  [`POST ${API_PREFIX}/registrations/:id/death-report`]: 'register',
  [`GET ${API_PREFIX}/matches/:id`]: 'matches',
  [`POST ${API_PREFIX}/matches/:id/coordinator`]: 'matches',
  [`POST ${API_PREFIX}/matches/:id/contact`]: 'matches',
  [`POST ${API_PREFIX}/matches/:id/coordination/return`]: 'matches',
  [`POST ${API_PREFIX}/matches/:id/proposal/decline`]: 'matches',
  [`POST ${API_PREFIX}/registrations/:id/extend`]: 'register',
};

export function createApiRoutes() {
  const api = new OpenAPIHono<AppEnv>();
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    // The paths are relative to the API's prefix: a viewer's "Try it out" calls /api/v1/….
    servers: [{ url: API_PREFIX, description: 'This Betrokken' }],
    info: {
      title: 'Betrokken API',
      version: '1.0.0',
      description: 'Verwijsindex: register involvement with a young person and find the other professionals involved.',
    },
  });
  // Only the document and its viewer are public; every other path passes the rate limits and needs a token.
  const gate = createApiGate();
  const isPublic = (path: string) =>
    path === `${API_PREFIX}/openapi.json` || path === `${API_PREFIX}${DOCS_PATH}` || path.startsWith(`${API_PREFIX}${DOCS_PATH}/`);
  api.use('*', async (c, next) => (isPublic(c.req.path) ? next() : gate(c, next)));
  api.use(
    '*',
    bodyLimitByLength({
      maxSize: API_BODY_LIMIT,
      onError: () => {
        throw new ServiceError('payload_too_large', `De body is groter dan ${API_BODY_LIMIT} bytes.`);
      },
    }),
  );
  api.use('*', jsonOnly);
  // The gate answered 401 already for a request without a valid token.
  api.use(
    '*',
    guard(API_ACCESS, {
      unauthenticated: () => {
        throw new ServiceError('unauthorized', 'Geen geldig token.');
      },
    }),
  );
  api.route('/', registrationRoutes);
  api.route('/', matchRoutes);
  api.route('/', docsRoutes(API_PREFIX));
  return api;
}
