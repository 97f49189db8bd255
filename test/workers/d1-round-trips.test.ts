/**
 * D1 round trips per request (issue 12): every statement or batch the Worker sends to D1 is
 * a network round trip in production, so their number is behaviour, not timing. Counted on
 * the real D1 binding (miniflare) through a wrapper that counts what reaches it.
 */
import { env } from 'cloudflare:test';
import type { D1Database, D1PreparedStatement } from '@cloudflare/workers-types';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { createWorkerDeps, type WorkerEnv } from '../../src/entry/worker.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, memoryMailer, TEST_KEY_HEX, type TestContext } from '../support/context.ts';
import { TEST_AUDIT_KEY_HEX } from '../support/driver-workers.ts';
import { loggedInProfessional } from '../support/web-client.ts';

/** The binding, counting every call that goes to the database: a batch counts once. */
function countingD1(real: D1Database) {
  const counter = { trips: 0 };
  const unwrap = new WeakMap<object, D1PreparedStatement>();
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement => {
    const wrapped = new Proxy(statement, {
      get(target, property) {
        if (property === 'bind') return (...values: unknown[]) => wrap(target.bind(...values));
        if (property === 'all' || property === 'first' || property === 'run' || property === 'raw') {
          return (...args: unknown[]) => {
            counter.trips++;
            return (target[property] as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    unwrap.set(wrapped, statement);
    return wrapped;
  };
  const binding = new Proxy(real, {
    get(target, property) {
      if (property === 'prepare') return (query: string) => wrap(target.prepare(query));
      if (property === 'batch')
        return (statements: D1PreparedStatement[]) => {
          counter.trips++;
          return target.batch(statements.map((s) => unwrap.get(s) ?? s));
        };
      if (property === 'exec')
        return (query: string) => {
          counter.trips++;
          return target.exec(query);
        };
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { binding, counter };
}

/** Measured on the binding; a change here is a change in what a page costs on D1 (docs/workers.md). */
const PAGE_TRIPS = { '/': 3, '/registrations': 3, '/matches/:id': 3 };

const mailer = memoryMailer();
let t: TestContext;
let counted: ReturnType<typeof countingD1>;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  t = await createTestContext({ mailer });
  const bindings = env as unknown as WorkerEnv;
  counted = countingD1(bindings.DB as unknown as D1Database);
  const deps = createWorkerDeps({
    ...bindings,
    DB: counted.binding as unknown as WorkerEnv['DB'],
    AUDIT_KEY: TEST_AUDIT_KEY_HEX,
    PSEUDONYM_KEY: TEST_KEY_HEX,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'https://betrokken.test',
  } as WorkerEnv);
  app = createApp({ ...deps, clock: t.deps.clock, mailer });
});
afterAll(() => t.close());

async function trips(request: () => Promise<{ status: number }> | { status: number }, expected: number) {
  const before = counted.counter.trips;
  const response = await request();
  return { status: response.status, trips: counted.counter.trips - before, expected };
}

const register = (org: Awaited<ReturnType<TestContext['organisation']>>, email: string, bsn: string) =>
  app.request('/api/v1/registrations', {
    method: 'POST',
    headers: org.authHeaders,
    body: JSON.stringify({ bsn, birthDate: '2012-05-17', professionalEmail: email, criterionConfirmed: true }),
  });

it('registers a new subject in at most three round trips: the token, the reads in one batch, the unit', async () => {
  const org = await t.organisation('education');
  const { email } = await org.professional();
  const result = await trips(() => register(org, email, randomBsn()), 3);
  expect(result.status).toBe(201);
  expect(result.trips).toBeLessThanOrEqual(3);
});

it('makes a match in at most three round trips as well (the second organisation joins)', async () => {
  const first = await t.organisation('education');
  const second = await t.organisation('youth_care');
  const bsn = randomBsn();
  expect((await register(first, (await first.professional()).email, bsn)).status).toBe(201);
  const { email } = await second.professional();
  const result = await trips(() => register(second, email, bsn), 3);
  expect(result.status).toBe(201);
  expect(result.trips).toBeLessThanOrEqual(3);
});

it('shows each page of a professional in a fixed number of round trips', async () => {
  const org = await t.organisation();
  const { client, professional } = await loggedInProfessional(t, org, mailer);
  const other = await t.organisation('police');
  const bsn = randomBsn();
  expect((await register(org, professional.email, bsn)).status).toBe(201);
  const joined = await register(other, (await other.professional()).email, bsn);
  const { matchId } = (await joined.json()) as { matchId: string };
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const headers = { cookie, 'x-forwarded-for': client.ip, 'cf-connecting-ip': client.ip, 'user-agent': 'WebClient test' };
  const counts: Record<string, number> = {};
  for (const path of ['/', '/registrations', `/matches/${matchId}`]) {
    const result = await trips(() => app.request(path, { headers }), 0);
    expect(result.status).toBe(200);
    counts[path.replace(matchId, ':id')] = result.trips;
  }
  // The session read with its touch, the page's reads, and one unit with the read audits.
  expect(counts).toEqual(PAGE_TRIPS);
});
