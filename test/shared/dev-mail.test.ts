/**
 * The mail preview at /dev/mail (issue 13, developers): in development, the mails the app
 * sent, newest first, each rendered with its links (which work: they point at PUBLIC_URL),
 * and every link printed on the log, one line each. In production and test the routes are
 * not even registered (404); test/shared/roles.test.ts runs in test mode and so has no
 * entry for them: this file checks their absence and their public access instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteProfessional } from '../../src/auth/account-tokens.ts';
import { drainOutbox } from '../../src/jobs/drain-outbox.ts';
import { watchMail } from '../../src/notify/dev-mailbox.ts';
import { registeredRoutes } from '../../src/routes/http/access.ts';
import { createTestContext, memoryMailer, TEST_KEY_HEX, type TestContext } from '../support/context.ts';
import { WebClient } from '../support/web-client.ts';

describe('in development', () => {
  let t: TestContext;
  const mailer = memoryMailer();
  beforeAll(async () => {
    t = await createTestContext({ mailer, env: { NODE_ENV: 'development' } });
  });
  afterAll(() => t.close());

  it('registers the preview, open without login', () => {
    expect(registeredRoutes(t.app)).toEqual(expect.arrayContaining(['GET /dev/mail', 'GET /dev/mail/:id']));
  });

  it('lists the mails sent through the app, newest first, and renders one whose link works', async () => {
    const org = await t.organisation();
    const first = await org.professional('Anna Eerst');
    const second = await org.professional('Bram Later');
    const client = new WebClient(t);
    expect((await client.get('/dev/mail')).html).toContain('Nog geen e-mail verstuurd');

    await inviteProfessional(t.operator, { professionalId: first.id });
    await drainOutbox(t.deps);
    t.clock.advance?.(60_000);
    await inviteProfessional(t.operator, { professionalId: second.id });
    await drainOutbox(t.deps);

    const list = await client.get('/dev/mail');
    expect(list.status).toBe(200);
    expect(list.html.indexOf(second.email)).toBeGreaterThan(-1);
    expect(list.html.indexOf(second.email)).toBeLessThan(list.html.indexOf(first.email));
    const sent = mailer.sent.findLast((m) => m.to === second.email)!;
    expect(list.html).toContain(sent.subject);

    const detailPath = /href="(\/dev\/mail\/[0-9a-f-]{36})"/.exec(list.html)![1]!;
    const detail = await client.get(detailPath);
    expect(detail.status).toBe(200);
    expect(detail.html).toContain(second.email);
    // The HTML part on its own, sandboxed by its policy: no scripts, no origin of ours, nothing loaded.
    const htmlPart = await client.get(`${detailPath}/html`);
    expect(htmlPart.status).toBe(200);
    expect(htmlPart.html).toBe(sent.html);
    const policy = htmlPart.response.headers.get('content-security-policy')!;
    expect(policy).toMatch(/^sandbox allow-popups allow-top-navigation-by-user-activation;/);
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toMatch(/allow-scripts|allow-same-origin|https?:/);
    expect((await client.get(`/dev/mail/${crypto.randomUUID()}/html`)).status).toBe(404);
    const link = /href="(https:\/\/betrokken\.test\/account\/activate\?token=[^"]+)"/.exec(detail.html)![1]!.replace(/&amp;/g, '&');
    expect(sent.text).toContain(link);

    // The link works: the activation page for that account.
    const url = new URL(link);
    const page = await new WebClient(t).get(`${url.pathname}${url.search}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('name="password"');

    expect((await client.get(`/dev/mail/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it('records a mail sent through a mailer taken from deps before the app was made (the Node entry starts its jobs first)', async () => {
    const inner = memoryMailer();
    const deps = { ...t.deps, mailer: inner };
    const { mailer: held } = deps; // as drainOutbox destructures it at the start of a run
    const box = watchMail(deps);
    expect(watchMail(deps)).toBe(box);
    const link = `https://betrokken.test/matches/${crypto.randomUUID()}`;
    await held.send({
      to: 'x@example.org',
      from: 'Betrokken <noreply@example.org>',
      subject: 'Test',
      text: `Zie ${link}.`,
      html: '<p>Test</p>',
      messageId: '<m@test>',
    });
    expect(inner.sent).toHaveLength(1);
    expect(box.list().map((m) => [m.to, m.links])).toEqual([['x@example.org', [link]]]);
  });

  it('prints each link of a sent mail on the log, one line per link, the link only', () => {
    const lines = t.logs.filter((line) => line.message === 'mail link');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      expect(Object.keys(line.fields ?? {})).toEqual(['link']);
      expect(String(line.fields!.link)).toMatch(/^https:\/\/betrokken\.test\//);
    }
    const sentLinks = mailer.sent.flatMap((m) => [...m.text.matchAll(/https?:\/\/\S+/g)].map((x) => x[0]));
    expect(lines.map((l) => l.fields!.link)).toEqual(expect.arrayContaining(sentLinks.map((l) => l.replace(/[.,;:!?]+$/, ''))));
  });

  it('shows a match mail whose only link is the match page: nothing about the child', async () => {
    const org1 = await t.organisation();
    const org2 = await t.organisation();
    const p1 = await org1.professional();
    const p2 = await org2.professional();
    const bsn = '111222333';
    await t.register(org1, p1.email, { bsn });
    const second = await t.register(org2, p2.email, { bsn });
    expect(second.status).toBe(201);
    await drainOutbox(t.deps);
    const matchMail = mailer.sent.findLast((m) => m.to === p1.email)!;
    expect(matchMail).toBeDefined();
    const list = await new WebClient(t).get('/dev/mail');
    expect(list.html).toContain(p1.email);
    const links = t.logs.filter((line) => line.message === 'mail link').map((line) => String(line.fields!.link));
    const matchLinks = links.filter((l) => l.includes('/matches/'));
    expect(matchLinks.length).toBeGreaterThan(0);
    for (const l of matchLinks) expect(l).toMatch(/^https:\/\/betrokken\.test\/matches\/[0-9a-f-]{36}$/);
    expect(JSON.stringify(t.logs)).not.toContain(bsn);
  });
});

const ABSENT: [string, Record<string, string>][] = [
  ['in production', { NODE_ENV: 'production' }],
  ['in test', { NODE_ENV: 'test' }],
  // NODE_ENV defaults to development: a server with a real address that forgot to say production shows nothing.
  ['in development under a real address', { NODE_ENV: 'development', PUBLIC_URL: 'https://betrokken.voorbeeldstad.nl' }],
];

for (const [mode, env] of ABSENT) {
  describe(mode, () => {
    let t: TestContext;
    const mailer = memoryMailer();
    beforeAll(async () => {
      t = await createTestContext({ mailer, env: { ...env, AUDIT_KEY: TEST_KEY_HEX } });
    });
    afterAll(() => t.close());

    it('has no preview: the routes are not registered, the paths answer 404, no link is logged', async () => {
      expect(registeredRoutes(t.app).filter((route) => route.includes('/dev/'))).toEqual([]);
      const client = new WebClient(t);
      expect((await client.get('/dev/mail')).status).toBe(404);
      expect((await client.get(`/dev/mail/${crypto.randomUUID()}`)).status).toBe(404);
      const org = await t.organisation();
      const p = await org.professional();
      await inviteProfessional(t.operator, { professionalId: p.id });
      await drainOutbox(t.deps);
      expect(mailer.sent.some((m) => m.to === p.email)).toBe(true);
      expect(t.logs.filter((line) => line.message === 'mail link')).toEqual([]);
    });
  });
}
