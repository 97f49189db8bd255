/**
 * A closed match goes with its last member row (trigger `match_members_gc`): what the
 * match monitor recorded about it goes with it (ON DELETE CASCADE), so ending or erasing
 * the last registration is never blocked by the monitor's notes (the audit trail keeps
 * that they happened).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { matches, monitorActions } from '../../src/db/schema.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, type TestContext } from '../support/context.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

it('deletes an escalated match with the monitor’s actions when its last registration is deleted', async () => {
  const school = await t.organisation('education');
  const care = await t.organisation('youth_care');
  const teacher = await school.professional();
  const worker = await care.professional();
  const bsn = randomBsn();
  const first = await t.register(school, teacher.email, { bsn });
  const second = await t.register(care, worker.email, { bsn });
  expect(second.status).toBe(201);
  const [match] = await t.deps.db.select().from(matches);
  await t.deps.db
    .insert(monitorActions)
    .values({ id: crypto.randomUUID(), matchId: match!.id, monitorId: 'm1', kind: 'called', on: '2026-11-20', createdAt: new Date() });
  const end = (org: typeof school, id: string) =>
    t.app.request(`/api/v1/registrations/${id}/end`, { method: 'POST', headers: org.authHeaders, body: JSON.stringify({ reason: 'unjustified' }) });
  expect((await end(school, first.body.id)).status).toBe(200);
  expect((await end(care, second.body.id)).status).toBe(200);
  expect(await t.deps.db.select().from(matches).where(eq(matches.id, match!.id))).toEqual([]);
  expect(await t.deps.db.select().from(monitorActions)).toEqual([]);
});
