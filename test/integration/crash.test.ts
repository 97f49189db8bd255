import { spawn } from 'node:child_process';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundleScript } from '../../scripts/build.mjs';
import { outbox } from '../../src/db/schema.ts';
import { drainOutbox, LEASE_MS } from '../../src/jobs/drain-outbox.ts';
import { createSmtpMailer } from '../../src/notify/transports/node.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, TEST_KEY_HEX, type TestContext } from '../support/context.ts';
import { createTestClock } from '../support/clock.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';

let smtp: TestSmtp;
let t: TestContext;
// An hour behind real time: the child process drains with the real clock and must find the rows due.
const clock = createTestClock(new Date(Date.now() - 3_600_000));

// The helper process compiled as the server is (scripts/build.mjs), not through tsx: it starts in a fraction of the time.
let drainAndDie: string;

beforeAll(async () => {
  drainAndDie = await bundleScript('test/support/drain-and-die.ts', 'test');
  smtp = await startSmtp();
  t = await createTestContext({ mailer: createSmtpMailer(smtp.url), clock });
});
afterAll(async () => {
  t.close();
  await smtp.close();
});

it('every recipient still gets the mail when the drainer is killed between send and mark', async () => {
  const orgs = [await t.organisation('education'), await t.organisation('police'), await t.organisation('youth_care')];
  const bsn = randomBsn();
  const people = [];
  for (const org of orgs) {
    const person = await org.professional();
    people.push(person);
    await t.register(org, person.email, { bsn });
  }
  const rows = await t.deps.db.select().from(outbox);
  // created (2) + joined by the third (newcomer + 2 existing) = 5 notifications
  expect(rows).toHaveLength(5);

  // A separate process drains and is SIGKILLed right after the first successful send.
  // (spawned asynchronously: the SMTP server runs in this process and must keep answering)
  const child = spawn(process.execPath, [drainAndDie], {
    env: {
      ...process.env,
      DATABASE_PATH: t.config.DATABASE_PATH,
      PSEUDONYM_KEY: TEST_KEY_HEX,
      SMTP_URL: smtp.url,
      PUBLIC_URL: t.config.PUBLIC_URL,
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, s) => resolve(s)));
  expect(signal).toBe('SIGKILL');
  // The drainer sends a few rows at once, so one or more were accepted before it died; wait
  // until this server has taken in everything the dead client handed over.
  await smtp.idle();
  const beforeCrash = smtp.messages.length;
  expect(beforeCrash).toBeGreaterThanOrEqual(1);
  const afterCrash = await t.deps.db.select().from(outbox);
  expect(afterCrash.every((r) => r.status === 'pending')).toBe(true); // nothing was marked
  expect(afterCrash.filter((r) => r.leaseOwner === 'doomed-drainer').length).toBeGreaterThan(0);

  // Before the lease runs out a restarted drainer leaves the claimed rows alone ...
  const early = await drainOutbox(t.deps);
  expect(early.sent).toBe(afterCrash.filter((r) => r.leaseOwner === null).length);
  // ... after it, it sends them again.
  clock.set(new Date(Date.now() + LEASE_MS + 1000));
  await drainOutbox(t.deps);

  const sent = await t.deps.db.select().from(outbox).where(eq(outbox.status, 'sent'));
  expect(sent).toHaveLength(5);
  // Every notification reached its recipient; those sent before the crash arrived twice,
  // with the same Message-ID, so the receiving side can recognise the duplicate.
  const byMessageId = new Map<string, string[]>();
  for (const m of smtp.messages) byMessageId.set(m.messageId, [...(byMessageId.get(m.messageId) ?? []), m.to]);
  expect(byMessageId.size).toBe(5);
  for (const row of sent) expect(byMessageId.has(`<outbox-${row.id}@betrokken.test>`)).toBe(true);
  expect([...byMessageId.values()].filter((to) => to.length === 2)).toHaveLength(beforeCrash);
  expect(new Set(smtp.messages.map((m) => m.to))).toEqual(new Set(people.map((p) => p.email)));
});
