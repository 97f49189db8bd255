/**
 * The concurrency scenario of the core issue, shared by the runtime suite (test/shared) and
 * the HTTP + SMTP run on Node (test/integration): 50 concurrent registrations of one subject
 * by 5 professionals of each of 10 organisations must give exactly one match with all of
 * them as members, exactly the expected notifications, and each mail delivered once.
 */
import { expect } from 'vitest';
import { matches, matchMembers, outbox, registrations } from '../../src/db/schema.ts';
import { drainOutbox } from '../../src/jobs/drain-outbox.ts';
import { randomBsn } from './bsn.ts';
import type { TestContext, TestOrganisation } from './context.ts';
import { expectedNotifications } from './expected-notifications.ts';

export async function concurrentMatchScenario(
  t: TestContext,
  post: (org: TestOrganisation, body: unknown) => Response | Promise<Response>,
  delivered: () => { to: string; messageId: string }[],
): Promise<void> {
  const orgs: TestOrganisation[] = [];
  for (let i = 0; i < 10; i++) orgs.push(await t.organisation('youth_care', `Org ${i}`));
  const people: { org: TestOrganisation; email: string }[] = [];
  for (const org of orgs) for (let i = 0; i < 5; i++) people.push({ org, email: (await org.professional()).email });
  const bsn = randomBsn();

  const responses = await Promise.all(people.map((p) => post(p.org, { bsn, birthDate: '2011-01-01', professionalEmail: p.email, criterionConfirmed: true })));
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
  const founders = members.filter((m) => m.joinedSeq === 1).length;
  expect(new Set(members.map((m) => m.joinedSeq)).size).toBe(members.length - founders + 1); // one joiner per step

  const expected = expectedNotifications(members);
  const total = [...expected.values()].reduce((a, b) => a + b, 0);
  const rows = await t.deps.db.select().from(outbox);
  expect(rows).toHaveLength(total);
  expect(new Set(rows.map((r) => r.idempotencyKey)).size).toBe(total);

  while ((await drainOutbox(t.deps, { batchSize: 200 })).claimed > 0);
  const mails = delivered();
  expect(mails).toHaveLength(total);
  expect(new Set(mails.map((m) => m.messageId)).size).toBe(total);
  const emailOf = new Map(bodies.map((b, i) => [b.id, people[i]!.email]));
  const perEmail = new Map<string, number>();
  for (const m of mails) perEmail.set(m.to, (perEmail.get(m.to) ?? 0) + 1);
  for (const [registrationId, count] of expected) expect(perEmail.get(emailOf.get(registrationId)!)).toBe(count);
}
