/**
 * 50 concurrent registrations of one subject from 10 organisations, on this runtime's
 * database: exactly one match with all of them as members, exactly the expected
 * notifications, each delivered once. (test/integration/concurrency-http.test.ts repeats
 * it over real HTTP and SMTP on Node.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, memoryMailer, type TestContext, type TestOrganisation } from '../support/context.ts';
import { concurrentMatchScenario } from '../support/concurrent-match.ts';

const mailer = memoryMailer();
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ mailer });
});
afterAll(() => t.close());

const post = (org: TestOrganisation, body: unknown) =>
  t.app.request('/api/v1/registrations', { method: 'POST', headers: org.authHeaders, body: JSON.stringify(body) });

// Generous timeouts: 50 units on D1 in miniflare take 5 s on a quiet machine and over 30 s
// when the machine is busy; the test is about the outcome, never the time.
const BUSY_MACHINE_MS = 180_000;

it(
  '50 concurrent registrations from 10 organisations make one match with every member and the expected notifications',
  async () => {
    await concurrentMatchScenario(t, post, () => mailer.sent);
  },
  BUSY_MACHINE_MS,
);

it(
  '20 concurrent identical registrations by one professional create one registration (the rest 200)',
  async () => {
    const org = await t.organisation('police');
    const agent = await org.professional();
    const body = { bsn: randomBsn(), birthDate: '2010-06-01', professionalEmail: agent.email, criterionConfirmed: true };
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(org, body)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    const ids = new Set(((await Promise.all(responses.map((r) => r.json()))) as { id: string }[]).map((b) => b.id));
    expect(ids.size).toBe(1);
  },
  BUSY_MACHINE_MS,
);
