/**
 * 50 concurrent registrations of one subject from 10 organisations, on this runtime's
 * database: exactly one match with all of them as members, exactly the expected
 * notifications, each delivered once. (test/integration/concurrency-http.test.ts repeats
 * it over real HTTP and SMTP on Node.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { matches, matchMembers, outbox, registrations } from '../../src/db/schema.ts';
import { drainOutbox } from '../../src/jobs/drain-outbox.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, memoryMailer, type TestContext, type TestOrganisation } from '../support/context.ts';
import { expectedNotifications } from '../support/expected-notifications.ts';

const mailer = memoryMailer();
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ mailer });
});
afterAll(() => t.close());

const post = (org: TestOrganisation, body: unknown) =>
  t.app.request('/api/v1/registrations', { method: 'POST', headers: org.authHeaders, body: JSON.stringify(body) });

it('50 concurrent registrations from 10 organisations make one match with every member and the expected notifications', async () => {
  const orgs: TestOrganisation[] = [];
  for (let i = 0; i < 10; i++) orgs.push(await t.organisation('youth_care', `Org ${i}`));
  const people: { org: TestOrganisation; email: string }[] = [];
  for (const org of orgs) for (let i = 0; i < 5; i++) people.push({ org, email: (await org.professional()).email });
  const bsn = randomBsn();

  const responses = await Promise.all(people.map((p) => post(p.org, { bsn, birthDate: '2011-01-01', professionalEmail: p.email })));
  expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
  const bodies = (await Promise.all(responses.map((r) => r.json()))) as { id: string }[];

  const allMatches = await t.deps.db.select().from(matches);
  expect(allMatches).toHaveLength(1);
  const members = await t.deps.db.select().from(matchMembers);
  expect(members).toHaveLength(50);
  expect(new Set(members.map((m) => m.organisationId))).toEqual(new Set(orgs.map((o) => o.id)));
  expect(new Set(members.map((m) => m.registrationId))).toEqual(new Set(bodies.map((b) => b.id)));
  expect(await t.deps.db.select().from(registrations)).toHaveLength(50);
  const founders = members.filter((m) => m.joinedSeq === 1).length;
  expect(new Set(members.map((m) => m.joinedSeq)).size).toBe(members.length - founders + 1); // one joiner per step

  const expected = expectedNotifications(members);
  const total = [...expected.values()].reduce((a, b) => a + b, 0);
  const rows = await t.deps.db.select().from(outbox);
  expect(rows).toHaveLength(total);
  expect(new Set(rows.map((r) => r.idempotencyKey)).size).toBe(total);

  while ((await drainOutbox(t.deps, { batchSize: 200 })).claimed > 0);
  expect(mailer.sent).toHaveLength(total);
  expect(new Set(mailer.sent.map((m) => m.messageId)).size).toBe(total);
  const emailOf = new Map(bodies.map((b, i) => [b.id, people[i]!.email]));
  const perEmail = new Map<string, number>();
  for (const m of mailer.sent) perEmail.set(m.to, (perEmail.get(m.to) ?? 0) + 1);
  for (const [registrationId, count] of expected) expect(perEmail.get(emailOf.get(registrationId)!)).toBe(count);
});

it('20 concurrent identical registrations by one professional create one registration (the rest 200)', async () => {
  const org = await t.organisation('police');
  const agent = await org.professional();
  const body = { bsn: randomBsn(), birthDate: '2010-06-01', professionalEmail: agent.email };
  const responses = await Promise.all(Array.from({ length: 20 }, () => post(org, body)));
  const statuses = responses.map((r) => r.status);
  expect(statuses.filter((s) => s === 201)).toHaveLength(1);
  expect(statuses.filter((s) => s === 200)).toHaveLength(19);
  const ids = new Set(((await Promise.all(responses.map((r) => r.json()))) as { id: string }[]).map((b) => b.id));
  expect(ids.size).toBe(1);
});
