/**
 * API rate limits (ADR 0010), on SQLite and on D1 in workerd: per token and per client
 * address, a 429 problem with Retry-After, per-client limits, and refused requests audited
 * per window with a count instead of a row each.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setApiClientRateLimit } from '../../src/auth/api-token.ts';
import { auditEvents } from '../../src/db/schema.ts';
import { createApiClient } from '../../src/directory/directory.ts';
import { createTestContext, type TestContext, type TestOrganisation } from '../support/context.ts';

const PER_TOKEN = 5;
const PER_ADDRESS = 300;
let t: TestContext;
let school: TestOrganisation;
let wijkteam: TestOrganisation;

beforeAll(async () => {
  t = await createTestContext({ env: { API_LIMIT_PER_MINUTE: String(PER_TOKEN), API_LIMIT_PER_IP_PER_MINUTE: String(PER_ADDRESS) } });
  school = await t.organisation('education');
  wijkteam = await t.organisation('district_team');
});
afterAll(() => t.close());

/** A request from `address`: Node reads it from X-Forwarded-For (TRUST_PROXY in tests), Workers from CF-Connecting-IP. */
function get(address: string, authorization?: string) {
  return t.app.request('/api/v1/registrations', {
    headers: { 'x-forwarded-for': address, 'cf-connecting-ip': address, ...(authorization ? { authorization } : {}) },
  });
}

let addresses = 0;
const freshAddress = () => `10.9.${Math.floor(++addresses / 250)}.${addresses % 250}`;

/** Moves the clock to the start of the next one-minute window. */
function nextWindow() {
  const now = t.clock.now().getTime();
  t.clock.advance!(60_000 - (now % 60_000) + 1);
}

async function expectTooMany(response: Response) {
  expect(response.status).toBe(429);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(await response.json()).toMatchObject({ status: 429, code: 'too_many_requests' });
}

const rows = (action: string) => t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, action));

describe('per token', () => {
  it('answers 429 with Retry-After once a client is over its limit, from any address', async () => {
    nextWindow();
    for (let i = 0; i < PER_TOKEN; i++) expect((await get(freshAddress(), `Bearer ${school.token}`)).status).toBe(200);
    await expectTooMany(await get(freshAddress(), `Bearer ${school.token}`));
    // Another client is not affected by this one's limit, even from the same address.
    expect((await get('10.8.0.1', `Bearer ${wijkteam.token}`)).status).toBe(200);
    // The next window starts afresh.
    nextWindow();
    expect((await get(freshAddress(), `Bearer ${school.token}`)).status).toBe(200);
  });

  it("a client's own limit overrides the default, and set-limit changes it", async () => {
    nextWindow();
    const { token, id } = await createApiClient(t.operator, { organisationId: school.id, name: 'Migratie', rateLimitPerMinute: 12 });
    for (let i = 0; i < 12; i++) expect((await get(freshAddress(), `Bearer ${token}`)).status).toBe(200);
    await expectTooMany(await get(freshAddress(), `Bearer ${token}`));

    await setApiClientRateLimit(t.operator, { apiClientId: id, rateLimitPerMinute: 20 });
    for (let i = 0; i < 20 - 13; i++) expect((await get(freshAddress(), `Bearer ${token}`)).status).toBe(200);
    await expectTooMany(await get(freshAddress(), `Bearer ${token}`));

    await setApiClientRateLimit(t.operator, { apiClientId: id, rateLimitPerMinute: null });
    nextWindow();
    for (let i = 0; i < PER_TOKEN; i++) expect((await get(freshAddress(), `Bearer ${token}`)).status).toBe(200);
    await expectTooMany(await get(freshAddress(), `Bearer ${token}`));
  });

  it('refuses set-limit for anyone but an operator', async () => {
    const { id } = await createApiClient(t.operator, { organisationId: school.id, name: 'Other' });
    const asClient = { ...t.operator, actor: { type: 'api_client' as const, id, organisationId: school.id } };
    await expect(setApiClientRateLimit(asClient, { apiClientId: id, rateLimitPerMinute: 1000 })).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('per address', () => {
  it('answers 429 with Retry-After once an address is over its limit, valid token or not', async () => {
    nextWindow();
    const address = '10.7.0.1';
    const statuses: number[] = [];
    for (let i = 0; i < PER_ADDRESS; i += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, () => get(address, 'Bearer btk_wrong')));
      statuses.push(...batch.map((r) => r.status));
    }
    expect(statuses.every((s) => s === 401)).toBe(true);
    await expectTooMany(await get(address, 'Bearer btk_wrong'));
    await expectTooMany(await get(address, `Bearer ${wijkteam.token}`));
    // Another address, and so another client, is not affected.
    expect((await get('10.7.0.2', `Bearer ${wijkteam.token}`)).status).toBe(200);
  });
});

describe('per IPv6 network', () => {
  it('counts the addresses of one /64 together, so rotating through them does not help', async () => {
    nextWindow();
    const statuses: number[] = [];
    for (let i = 0; i < PER_ADDRESS + 1; i += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, (_, j) => get(`2001:db8:7:1::${(i + j).toString(16)}`, 'Bearer btk_wrong')));
      statuses.push(...batch.map((r) => r.status));
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(PER_ADDRESS);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect((await get('2001:db8:7:2::1', `Bearer ${wijkteam.token}`)).status).toBe(200);
  });
});

describe('auditing refused requests', () => {
  it('a flood of bad tokens writes a bounded number of audit rows that carry the counts', async () => {
    nextWindow();
    // The earlier tests' windows close (their final rows are written) before we count.
    expect((await get('10.6.0.3', `Bearer ${wijkteam.token}`)).status).toBe(200);
    const address = '10.6.0.1';
    const before = { auth: (await rows('api.authenticate')).length, rate: (await rows('api.rate_limit')).length };
    const N = 1000;
    const statuses: number[] = [];
    for (let i = 0; i < N; i += 100) {
      const batch = await Promise.all(Array.from({ length: 100 }, () => get(address, 'Bearer btk_flood')));
      statuses.push(...batch.map((r) => r.status));
    }
    const unauthorized = statuses.filter((s) => s === 401).length;
    const limited = statuses.filter((s) => s === 429).length;
    expect(unauthorized).toBe(PER_ADDRESS);
    expect(limited).toBe(N - PER_ADDRESS);

    // The window ends; the next API request (from anyone) writes the final counts.
    nextWindow();
    expect((await get('10.6.0.2', `Bearer ${wijkteam.token}`)).status).toBe(200);

    const fromFlood = async (action: string) =>
      (
        await t.deps.db
          .select()
          .from(auditEvents)
          .where(and(eq(auditEvents.action, action), eq(auditEvents.origin, address)))
      )
        .map((r) => r.detail as { count: number; summary: string })
        // Rows of concurrent requests may land in any order: sort them by their counts.
        .sort((a, b) => a.count - b.count);
    const auth = await fromFlood('api.authenticate');
    const rate = await fromFlood('api.rate_limit');
    // first + milestones (10, 100) + final; first + milestones (10, 100) + final
    expect(auth.map((d) => [d.summary, d.count])).toEqual([
      ['first', 1],
      ['milestone', 10],
      ['milestone', 100],
      ['final', PER_ADDRESS],
    ]);
    expect(rate.map((d) => [d.summary, d.count])).toEqual([
      ['first', 1],
      ['milestone', 10],
      ['milestone', 100],
      ['final', N - PER_ADDRESS],
    ]);
    expect(rate[0]).toMatchObject({ scope: 'address', limit: PER_ADDRESS, windowSeconds: 60 });
    expect((await rows('api.authenticate')).length - before.auth).toBe(4);
    expect((await rows('api.rate_limit')).length - before.rate).toBe(4);
  });

  it('audits the first refusal of a window at once, with its request id and address', async () => {
    nextWindow();
    const response = await get('10.5.0.1', 'Bearer btk_once');
    expect(response.status).toBe(401);
    const { requestId } = (await response.json()) as { requestId: string };
    const [row] = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.requestId, requestId));
    expect(row).toMatchObject({ action: 'api.authenticate', outcome: 'denied', origin: '10.5.0.1', actorType: 'system' });
    expect(row!.detail).toMatchObject({ summary: 'first', count: 1 });
  });

  it('a client over its limit gets one audit row per window for its 429s, not one per request', async () => {
    nextWindow();
    const before = (await rows('api.rate_limit')).length;
    for (let i = 0; i < PER_TOKEN + 8; i++) await get('10.4.0.1', `Bearer ${school.token}`);
    const added = (await rows('api.rate_limit')).slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ actorType: 'api_client', organisationId: school.id, outcome: 'denied' });
    expect(added[0]!.detail).toMatchObject({ scope: 'token', limit: PER_TOKEN, summary: 'first', count: 1 });
  });
});
