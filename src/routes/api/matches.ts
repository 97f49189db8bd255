import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { declineProposal, recordContact, returnCoordination, takeCoordination } from '../../matching/follow-up.ts';
import { readMatch } from '../../matching/read-match.ts';
import type { AppEnv } from '../app-env.ts';
import { ctxOf } from '../http/ctx.ts';
import { bearer, ContactBody, CoordinatorBody, DeclineBody, IdParam, Match, problems, ReturnBody } from './schemas.ts';
import { validationHook } from './validation.ts';

const matchResponse = { description: 'The match', content: { 'application/json': { schema: Match } } };

const get = createRoute({
  operationId: 'getMatch',
  method: 'get',
  path: '/matches/{id}',
  summary: 'A match your organisation is a member of, with the members’ contact details',
  security: bearer,
  request: { params: IdParam },
  responses: { 200: matchResponse, ...problems },
});

const coordinate = createRoute({
  operationId: 'takeCoordination',
  method: 'post',
  path: '/matches/{id}/coordinator',
  summary: '"Ik neem de regie": the named professional (a member) coordinates; the other members are told',
  security: bearer,
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: CoordinatorBody } } } },
  responses: { 200: matchResponse, ...problems },
});

const contact = createRoute({
  operationId: 'recordContact',
  method: 'post',
  path: '/matches/{id}/contact',
  summary: '"Contact opgenomen": the named member records the day they were in touch',
  security: bearer,
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: ContactBody } } } },
  responses: { 200: matchResponse, ...problems },
});

const giveBack = createRoute({
  operationId: 'returnCoordination',
  method: 'post',
  path: '/matches/{id}/coordination/return',
  summary: '"Regie teruggeven": the named professional, the coordinator, stops coordinating; the other members are told',
  security: bearer,
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: ReturnBody } } } },
  responses: { 200: matchResponse, ...problems, 409: { description: 'The named professional is not the coordinator', content: problems[422].content } },
});

const decline = createRoute({
  operationId: 'declineProposal',
  method: 'post',
  path: '/matches/{id}/proposal/decline',
  summary: 'The named professional, proposed as coordinator, declines; the proposal is withdrawn (to confirm it, take coordination)',
  security: bearer,
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: DeclineBody } } } },
  responses: { 200: matchResponse, ...problems, 409: { description: 'The named professional is not proposed', content: problems[422].content } },
});

export const matchRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(get, async (c) => c.json(await readMatch(ctxOf(c), { matchId: c.req.valid('param').id }), 200))
  .openapi(coordinate, async (c) => {
    const matchId = c.req.valid('param').id;
    await takeCoordination(ctxOf(c), { matchId, ...c.req.valid('json') });
    return c.json(await readMatch(ctxOf(c), { matchId }), 200);
  })
  .openapi(contact, async (c) => {
    const matchId = c.req.valid('param').id;
    await recordContact(ctxOf(c), { matchId, ...c.req.valid('json') });
    return c.json(await readMatch(ctxOf(c), { matchId }), 200);
  })
  .openapi(giveBack, async (c) => {
    const matchId = c.req.valid('param').id;
    await returnCoordination(ctxOf(c), { matchId, ...c.req.valid('json') });
    return c.json(await readMatch(ctxOf(c), { matchId }), 200);
  })
  .openapi(decline, async (c) => {
    const matchId = c.req.valid('param').id;
    await declineProposal(ctxOf(c), { matchId, ...c.req.valid('json') });
    return c.json(await readMatch(ctxOf(c), { matchId }), 200);
  });
