/**
 * The professional recognises their client on the match page by their own reference (eigen
 * kenmerk, a case number), behind login; the mail says nothing about the child: no
 * reference and no registration id (issue 13). Both runtimes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainOutbox } from '../../src/jobs/drain-outbox.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestClock } from '../support/clock.ts';
import { createTestContext, memoryMailer, type TestContext } from '../support/context.ts';
import { loggedInProfessional } from '../support/web-client.ts';

const clock = createTestClock(new Date('2026-11-23T09:00:00Z'));
const mailer = memoryMailer();
let t: TestContext;

beforeAll(async () => {
  t = await createTestContext({ clock, mailer });
});
afterAll(() => t.close());

/** Two organisations register the same young person; A with a reference, B with another (or none). */
async function matched(referenceB?: string) {
  const orgA = await t.organisation('education');
  const orgB = await t.organisation('youth_care');
  const a = await loggedInProfessional(t, orgA, mailer);
  const b = await loggedInProfessional(t, orgB, mailer);
  const bsn = randomBsn();
  const ra = await t.register(orgA, a.professional.email, { bsn, reference: 'DOS-2026-0042' });
  const rb = await t.register(orgB, b.professional.email, { bsn, ...(referenceB ? { reference: referenceB } : {}) });
  expect(ra.status).toBe(201);
  expect(rb.status).toBe(201);
  const matchId = rb.body.matchId as string;
  expect(matchId).toEqual(expect.any(String));
  return { a, b, ra: ra.body, rb: rb.body, matchId };
}

/** The visible text of a page (tags dropped, entities of interest decoded). */
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the own reference on the match page', () => {
  it('shows each professional their own reference, never the other’s, and no registration id', async () => {
    const { a, b, ra, rb, matchId } = await matched('JH/778-3');
    const pageA = await a.client.get(`/matches/${matchId}`);
    expect(pageA.status).toBe(200);
    expect(textOf(pageA.html)).toContain('Uw eigen kenmerk: DOS-2026-0042');
    expect(pageA.html).not.toContain('JH/778-3');
    const pageB = await b.client.get(`/matches/${matchId}`);
    expect(textOf(pageB.html)).toContain('Uw eigen kenmerk: JH/778-3');
    expect(pageB.html).not.toContain('DOS-2026-0042');
    // The internal registration ids are no identifier for the professional: not on the page.
    for (const page of [pageA, pageB]) {
      expect(page.html).not.toContain(ra.id);
      expect(page.html).not.toContain(rb.id);
    }
  });

  it('says so when the professional gave no reference', async () => {
    const { b, matchId } = await matched();
    const page = await b.client.get(`/matches/${matchId}`);
    expect(textOf(page.html)).toContain('U hebt bij uw registratie geen eigen kenmerk opgegeven.');
    expect(page.html).not.toContain('DOS-2026-0042');
  });

  it('is behind login: without a session the match page shows nothing of it', async () => {
    const { matchId } = await matched();
    const anonymous = await t.app.request(`/matches/${matchId}`);
    expect([302, 303]).toContain(anonymous.status);
    expect(await anonymous.text()).not.toContain('DOS-2026-0042');
  });

  it('gives an API client no reference (myReference null), so a CMS never reads another organisation’s', async () => {
    const orgA = await t.organisation('education');
    const orgB = await t.organisation('youth_care');
    const pa = await orgA.professional();
    const pb = await orgB.professional();
    const bsn = randomBsn();
    await t.register(orgA, pa.email, { bsn, reference: 'DOS-2026-0042' });
    const rb = await t.register(orgB, pb.email, { bsn, reference: 'JH-1' });
    const response = await t.app.request(`/api/v1/matches/${rb.body.matchId}`, { headers: orgB.authHeaders });
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(JSON.parse(body).myReference).toBeNull();
    expect(body).not.toContain('DOS-2026-0042');
  });
});

describe('the match mail', () => {
  it('carries no reference and no registration id, in text or html', async () => {
    const before = mailer.sent.length;
    const { a, b, ra, rb, matchId } = await matched('JH/778-3');
    await drainOutbox(t.deps);
    const mails = mailer.sent.slice(before).filter((m) => m.text.includes(`/matches/${matchId}`));
    expect(mails.map((m) => m.to).sort()).toEqual([a.professional.email, b.professional.email].sort());
    for (const mail of mails) {
      for (const part of [mail.subject, mail.text, mail.html]) {
        for (const secret of ['DOS-2026-0042', 'JH/778-3', 'JH/778-3'.replace('/', '&#x2F;'), ra.id, rb.id]) expect(part).not.toContain(secret);
        expect(part).not.toMatch(/registratienummer|kenmerk/i);
      }
    }
  });
});
