/** The Workers entry itself, as deployed: fetch and the Cron-triggered jobs. */
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema.ts';
import worker, { type WorkerEnv } from '../../src/entry/worker.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, TEST_KEY_HEX, type TestContext } from '../support/context.ts';
import { TEST_AUDIT_KEY_HEX } from '../support/driver-workers.ts';

let t: TestContext;
let workerEnv: WorkerEnv;
beforeAll(async () => {
  t = await createTestContext({ clock: { now: () => new Date() } });
  workerEnv = { ...(env as unknown as WorkerEnv), PSEUDONYM_KEY: TEST_KEY_HEX, AUDIT_KEY: TEST_AUDIT_KEY_HEX };
});
afterAll(() => t.close());

async function call(request: Request) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, workerEnv, ctx as never);
  await waitOnExecutionContext(ctx);
  return response;
}

describe('worker entry', () => {
  it('serves the app: /healthz checks D1', async () => {
    const response = await call(new Request('https://betrokken.test/healthz'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('registers through the deployed handler and matches on D1', async () => {
    const a = await t.organisation();
    const b = await t.organisation();
    const [pa, pb] = [await a.professional(), await b.professional()];
    const bsn = randomBsn();
    const post = (org: typeof a, email: string) =>
      call(
        new Request('https://betrokken.test/api/v1/registrations', {
          method: 'POST',
          headers: org.authHeaders,
          body: JSON.stringify({ bsn, birthDate: '2014-03-03', professionalEmail: email, criterionConfirmed: true }),
        }),
      );
    expect((await post(a, pa.email)).status).toBe(201);
    const second = await post(b, pb.email);
    expect(second.status).toBe(201);
    const { matchId } = (await second.json()) as { matchId: string | null };
    expect(matchId).toEqual(expect.any(String));
    // The unit that made the match queued two mails; the handler drained them after its
    // response (waitUntil), without waiting for the Cron run (ADR 0013).
    const mails = (await t.deps.db.select().from(outbox)).filter((r) => r.payload.matchId === matchId);
    expect(mails.map((r) => r.status)).toEqual(['sent', 'sent']);
  });

  it('scheduled() runs the jobs: the outbox is drained through the send_email binding', async () => {
    // Mail queued outside the deployed handler (here: the test's own app) waits for the jobs.
    const [a, b] = [await t.organisation(), await t.organisation()];
    const bsn = randomBsn();
    expect((await t.register(a, (await a.professional()).email, { bsn })).status).toBe(201);
    expect((await t.register(b, (await b.professional()).email, { bsn })).status).toBe(201);
    const pending = await t.deps.db.select().from(outbox).where(eq(outbox.status, 'pending'));
    expect(pending.length).toBeGreaterThan(0);
    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '* * * * *' }) as never, workerEnv, ctx as never);
    await waitOnExecutionContext(ctx);
    const rows = await t.deps.db.select().from(outbox);
    const ids = new Set(pending.map((r) => r.id));
    expect(rows.filter((r) => ids.has(r.id)).map((r) => r.status)).toEqual(pending.map(() => 'sent'));
  });
});
