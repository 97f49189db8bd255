/**
 * Mail leaves right after the unit that queued it (ADR 0013): on Node the server drains the
 * outbox in process once the unit has committed, without waiting for the job tick.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { createNodeDeps, type NodeDeps } from '../../src/entry/node-deps.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, memoryMailer, type TestContext } from '../support/context.ts';

let t: TestContext;
let served: NodeDeps;
const mailer = memoryMailer();

beforeAll(async () => {
  t = await createTestContext();
  // A second connection to the same database, as `npm start` composes it: with the kick.
  served = createNodeDeps(t.deps.config, { mailer, kickMail: true, migrate: false, log: () => {} });
});
afterAll(() => {
  served.close();
  t.close();
});

it('sends the match mails right after the registration that made the match, without a job run', async () => {
  const app = createApp(served);
  const [a, b] = [await t.organisation('education'), await t.organisation('youth_care')];
  const [pa, pb] = [await a.professional(), await b.professional()];
  const bsn = randomBsn();
  const post = (org: typeof a, email: string) =>
    app.request('/api/v1/registrations', {
      method: 'POST',
      headers: org.authHeaders,
      body: JSON.stringify({ bsn, birthDate: '2013-04-04', professionalEmail: email, criterionConfirmed: true }),
    });
  expect((await post(a, pa.email)).status).toBe(201);
  await served.mailKicker!.idle();
  expect(mailer.sent).toHaveLength(0); // nothing was queued: no match yet
  const second = await post(b, pb.email);
  const { matchId } = (await second.json()) as { matchId: string };
  await served.mailKicker!.idle();
  expect(mailer.sent.map((m) => m.to).sort()).toEqual([pa.email, pb.email].sort());
  for (const mail of mailer.sent) expect(mail.text).toContain(`/matches/${matchId}`);
});
