import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { matches, matchMembers, outbox, registrations } from '../../src/db/schema.ts';
import { drainOutbox } from '../../src/jobs/drain-outbox.ts';
import { createSmtpMailer } from '../../src/notify/transports/node.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, type TestContext, type TestOrganisation } from '../support/context.ts';
import { expectedNotifications } from '../support/expected-notifications.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';

let smtp: TestSmtp;
let t: TestContext;
let server: ServerType;
let base: string;

beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestContext({ mailer: createSmtpMailer(smtp.url) });
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  t.close();
  await smtp.close();
});

function post(org: TestOrganisation, body: unknown) {
  return fetch(`${base}/api/v1/registrations`, { method: 'POST', headers: org.authHeaders, body: JSON.stringify(body) });
}

it('over real HTTP and SMTP: 50 concurrent registrations from 10 organisations, one match, every mail once', async () => {
  const orgs = await Promise.all(Array.from({ length: 10 }, (_, i) => t.organisation('youth_care', `Org ${i}`)));
  const people: { org: TestOrganisation; email: string }[] = [];
  for (const org of orgs) for (let i = 0; i < 5; i++) people.push({ org, email: (await org.professional()).email });
  const bsn = randomBsn();

  const responses = await Promise.all(people.map((p) => post(p.org, { bsn, birthDate: '2011-01-01', professionalEmail: p.email })));
  expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
  const bodies = (await Promise.all(responses.map((r) => r.json()))) as { id: string; matchId: string | null }[];

  const allMatches = await t.deps.db.select().from(matches);
  expect(allMatches).toHaveLength(1);
  const members = await t.deps.db.select().from(matchMembers);
  expect(members).toHaveLength(50);
  expect(new Set(members.map((m) => m.organisationId))).toEqual(new Set(orgs.map((o) => o.id)));
  expect(new Set(members.map((m) => m.registrationId))).toEqual(new Set(bodies.map((b) => b.id)));
  expect(await t.deps.db.select().from(registrations)).toHaveLength(50);
  // Everyone registered before the match existed sees null; everyone after sees the match.
  expect(bodies.filter((b) => b.matchId !== null).every((b) => b.matchId === allMatches[0]!.id)).toBe(true);

  const founders = members.filter((m) => m.joinedSeq === 1);
  const expected = expectedNotifications(members);
  expect(new Set(members.map((m) => m.joinedSeq)).size).toBe(members.length - founders.length + 1); // one joiner per step
  const total = [...expected.values()].reduce((a, b) => a + b, 0);
  const rows = await t.deps.db.select().from(outbox);
  expect(rows).toHaveLength(total);
  expect(new Set(rows.map((r) => r.idempotencyKey)).size).toBe(total);

  // Drain over real SMTP: every mail arrives once, to the right person.
  while ((await drainOutbox(t.deps, { batchSize: 500 })).claimed > 0);
  expect(smtp.messages).toHaveLength(total);
  expect(new Set(smtp.messages.map((m) => m.messageId)).size).toBe(total);
  const emailOf = new Map(bodies.map((b, i) => [b.id, people[i]!.email]));
  const perEmail = new Map<string, number>();
  for (const m of smtp.messages) perEmail.set(m.to, (perEmail.get(m.to) ?? 0) + 1);
  for (const [registrationId, count] of expected) expect(perEmail.get(emailOf.get(registrationId)!)).toBe(count);
});
