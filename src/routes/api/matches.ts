import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { readMatch } from '../../matching/read-match.ts';
import type { AppEnv } from '../env.ts';
import { ctxOf } from '../middleware/context.ts';
import { IdParam, Match, problemContent } from './schemas.ts';
import { validationHook } from './validation.ts';

const get = createRoute({
  method: 'get',
  path: '/matches/{id}',
  summary: 'A match your organisation is a member of, with the members’ contact details',
  security: [{ bearer: [] }],
  request: { params: IdParam },
  responses: {
    200: { description: 'The match', content: { 'application/json': { schema: Match } } },
    401: { description: 'Missing or invalid token', content: problemContent },
    404: { description: 'Not found, or your organisation is not a member', content: problemContent },
  },
});

export const matchRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(get, async (c) =>
  c.json(await readMatch(ctxOf(c), c.req.valid('param').id), 200),
);
