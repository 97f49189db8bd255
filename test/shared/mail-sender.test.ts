/** Mails are signed by the municipality and name its helpdesk (issue 13); still nothing about the child. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { drainOutbox } from '../../src/jobs/drain-outbox.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, memoryMailer, type TestContext } from '../support/context.ts';

const mailer = memoryMailer();
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ mailer, env: { MUNICIPALITY_NAME: 'Gemeente Zuiderhaven', MUNICIPALITY_HELPDESK: 'Functioneel beheer, 0800 1234' } });
});
afterAll(() => t.close());

it('signs a match mail with the municipality and its helpdesk, in text and HTML, without the child', async () => {
  const bsn = randomBsn();
  const school = await t.organisation('education');
  const care = await t.organisation('youth_care');
  const a = await school.professional();
  const b = await care.professional();
  await t.register(school, a.email, { bsn, reference: 'ZAAK-4711' });
  await t.register(care, b.email, { bsn });
  await drainOutbox(t.deps);
  const mail = mailer.sent.find((m) => m.to === a.email)!;
  expect(mail).toBeDefined();
  for (const body of [mail.text, mail.html]) {
    expect(body).toContain('Betrokken — verwijsindex van Gemeente Zuiderhaven');
    expect(body).toContain('Vragen over Betrokken? Functioneel beheer, 0800 1234.');
    expect(body).not.toContain(bsn);
    expect(body).not.toContain('ZAAK-4711');
  }
});
