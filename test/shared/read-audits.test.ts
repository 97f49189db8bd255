/**
 * A request's read events are written in one unit when it ends (src/app.ts, issue 12): the
 * overview reads four lists and writes its audit once, every event still there with the
 * request id; a refusal is written too.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditEvents } from '../../src/db/schema.ts';
import type { Statement } from '../../src/db/types.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, memoryMailer, type TestContext } from '../support/context.ts';
import { loggedInProfessional } from '../support/web-client.ts';

const mailer = memoryMailer();
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ mailer });
});
afterAll(() => t.close());

const writesAudit = (s: Statement) => (s as unknown as { toSQL(): { sql: string } }).toSQL().sql.includes('"audit_events"');

it('writes the overview’s read events in one unit, with the request id', async () => {
  const org = await t.organisation();
  const { client, professional } = await loggedInProfessional(t, org, mailer);
  const other = await t.organisation();
  const bsn = randomBsn();
  await t.register(org, professional.email, { bsn });
  await t.register(other, (await other.professional()).email, { bsn });

  const units: Statement[][] = [];
  const atomic = t.deps.atomic;
  t.deps.atomic = (statements) => {
    units.push(statements);
    return atomic(statements);
  };
  try {
    expect((await client.get('/')).status).toBe(200);
  } finally {
    t.deps.atomic = atomic;
  }
  const auditing = units.filter((u) => u.some(writesAudit));
  expect(auditing).toHaveLength(1);
  expect(auditing[0]!.length).toBeGreaterThanOrEqual(3);
  const [listed] = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, 'match.list'));
  expect(listed?.requestId).toEqual(expect.any(String));
  const sameRequest = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.requestId, listed!.requestId!));
  expect(sameRequest.map((e) => e.action).sort()).toEqual(expect.arrayContaining(['match.list', 'registration.list']));
});

it('still writes a refusal, and the page answers as before', async () => {
  const org = await t.organisation();
  const { client } = await loggedInProfessional(t, org, mailer);
  const before = (await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, 'access.denied'))).length;
  expect((await client.get('/beheer')).status).toBe(403);
  expect((await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, 'access.denied'))).length).toBe(before + 1);
});
