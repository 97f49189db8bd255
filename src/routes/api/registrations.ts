import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { reportDeath } from '../../registry/death.ts';
import { endRegistration } from '../../registry/end-registration.ts';
import { extendRegistration } from '../../registry/extend-registration.ts';
import { getRegistration, listRegistrations } from '../../registry/read-registrations.ts';
import { recordInformed } from '../../registry/record-informed.ts';
import { registerInvolvement } from '../../registry/register-involvement.ts';
import type { AppEnv } from '../app-env.ts';
import { ctxOf } from '../http/ctx.ts';
import { validationHook } from './validation.ts';
import {
  DeathReport,
  EndBody,
  EndResult,
  ExtendBody,
  IdParam,
  InformedBody,
  ListQuery,
  bearer,
  problems,
  Registration,
  RegistrationCreate,
  RegistrationCreated,
  RegistrationList,
} from './schemas.ts';

const create = createRoute({
  operationId: 'registerInvolvement',
  method: 'post',
  path: '/registrations',
  summary: 'Register involvement with a young person (signaal afgeven)',
  security: bearer,
  request: { body: { required: true, content: { 'application/json': { schema: RegistrationCreate } } } },
  responses: {
    201: { description: 'Registered', content: { 'application/json': { schema: RegistrationCreated } } },
    200: { description: 'This professional was already registered on this subject', content: { 'application/json': { schema: RegistrationCreated } } },
    ...problems,
  },
});

const list = createRoute({
  operationId: 'listRegistrations',
  method: 'get',
  path: '/registrations',
  summary: "Your organisation's active registrations, newest first",
  security: bearer,
  request: { query: ListQuery },
  responses: { 200: { description: 'A page', content: { 'application/json': { schema: RegistrationList } } }, ...problems },
});

const get = createRoute({
  operationId: 'getRegistration',
  method: 'get',
  path: '/registrations/{id}',
  summary: 'One of your organisation’s active registrations',
  security: bearer,
  request: { params: IdParam },
  responses: { 200: { description: 'The registration', content: { 'application/json': { schema: Registration } } }, ...problems },
});

const end = createRoute({
  operationId: 'endRegistration',
  method: 'post',
  path: '/registrations/{id}/end',
  summary: 'End a registration (betrokkenheid beëindigen)',
  security: bearer,
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: EndBody } } } },
  responses: { 200: { description: 'Ended', content: { 'application/json': { schema: EndResult } } }, ...problems },
});

const informed = createRoute({
  operationId: 'recordInformed',
  method: 'post',
  path: '/registrations/{id}/informed',
  summary: 'Record when and how the young person and/or representative were informed',
  security: bearer,
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: InformedBody } } } },
  responses: { 200: { description: 'Recorded', content: { 'application/json': { schema: Registration } } }, ...problems },
});

const deathReport = createRoute({
  operationId: 'reportDeath',
  method: 'post',
  path: '/registrations/{id}/death-report',
  summary: 'Report that the young person has died (the municipality confirms it; the registration stays active until then)',
  security: bearer,
  request: { params: IdParam },
  responses: {
    201: { description: 'Reported', content: { 'application/json': { schema: DeathReport } } },
    200: { description: 'Already reported on this registration', content: { 'application/json': { schema: DeathReport } } },
    ...problems,
  },
});

const extend = createRoute({
  operationId: 'extendRegistration',
  method: 'post',
  path: '/registrations/{id}/extend',
  summary:
    'Extend a registration: the named (registering) professional confirms the criterion again; a new term runs from today, never past the age limit. 422 when there is nothing to extend.',
  security: bearer,
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: ExtendBody } } } },
  responses: { 200: { description: 'Extended', content: { 'application/json': { schema: Registration } } }, ...problems },
});

export const registrationRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(create, async (c) => {
    // The confirmation was checked by the schema; it is not content and does not reach the verb.
    const { criterionConfirmed: _, ...input } = c.req.valid('json');
    const result = await registerInvolvement(ctxOf(c), input);
    const body = { ...result.registration, earlierInvolvement: result.earlierInvolvement };
    return result.created ? c.json(body, 201) : c.json(body, 200);
  })
  .openapi(list, async (c) => c.json(await listRegistrations(ctxOf(c), c.req.valid('query')), 200))
  .openapi(get, async (c) => c.json(await getRegistration(ctxOf(c), { registrationId: c.req.valid('param').id }), 200))
  .openapi(end, async (c) => {
    const result = await endRegistration(ctxOf(c), { registrationId: c.req.valid('param').id, ...c.req.valid('json') });
    return c.json(result, 200);
  })
  .openapi(deathReport, async (c) => {
    const result = await reportDeath(ctxOf(c), { registrationId: c.req.valid('param').id });
    return result.created ? c.json(result, 201) : c.json(result, 200);
  })
  .openapi(extend, async (c) => c.json(await extendRegistration(ctxOf(c), { registrationId: c.req.valid('param').id, ...c.req.valid('json') }), 200))
  .openapi(informed, async (c) => c.json(await recordInformed(ctxOf(c), { registrationId: c.req.valid('param').id, ...c.req.valid('json') }), 200));
