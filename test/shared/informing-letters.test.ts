/**
 * The informing letters (issue 13): one register per letter — "u" for the parent or
 * guardian, a separate "je" letter for the young person of 12 and older — each naming the
 * municipality and how to reach it (MUNICIPALITY_* in the configuration). Both runtimes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../support/clock.ts';
import { createTestContext, memoryMailer, type TestContext } from '../support/context.ts';
import { loggedInProfessional, type WebClient } from '../support/web-client.ts';

const clock = createTestClock(new Date('2026-11-23T09:00:00Z'));
const mailer = memoryMailer();
const MUNICIPALITY = {
  MUNICIPALITY_NAME: 'Gemeente Teststad',
  MUNICIPALITY_ADDRESS: 'Postbus 42, 9999 ZZ Teststad',
  MUNICIPALITY_PHONE: '14 099',
  MUNICIPALITY_EMAIL: 'verwijsindex@teststad.example',
};
let t: TestContext;
let client: WebClient;
let email: string;
let org: Awaited<ReturnType<TestContext['organisation']>>;

beforeAll(async () => {
  t = await createTestContext({ clock, mailer, env: MUNICIPALITY });
  org = await t.organisation('youth_care', 'Jeugdhulp Teststad');
  const login = await loggedInProfessional(t, org, mailer);
  client = login.client;
  email = login.professional.email;
});
afterAll(() => t.close());

/** A registration of a young person born on this day (today is 23 November 2026). */
async function registered(birthDate: string) {
  const r = await t.register(org, email, { birthDate });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

/** The letter itself (not the instructions around it, which address the professional), as text. */
function letterText(html: string): string {
  const article = /<article class="betrokken-letter"[^>]*>([\s\S]*?)<\/article>/.exec(html);
  expect(article, 'the page has a letter').not.toBeNull();
  return article![1]!
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/\s+/g, ' ');
}

const JE = /\b(je|jij|jou|jouw)\b/i;
const U = /\b(u|uw)\b/i;

function namesTheMunicipality(text: string) {
  for (const value of Object.values(MUNICIPALITY)) expect(text).toContain(value);
  expect(text).toContain('https://betrokken.test/privacy');
}

describe('the letter for the parent or guardian ("u")', () => {
  it('under 12: only the parent’s letter, in "u", naming the municipality and its contact details', async () => {
    const id = await registered('2018-05-17'); // 8
    const page = await client.get(`/registrations/${id}/letter`);
    expect(page.status).toBe(200);
    const text = letterText(page.html);
    expect(text).toContain('Geachte ouder of verzorger');
    expect(text).toMatch(/\buw kind\b/);
    expect(text).not.toMatch(JE);
    namesTheMunicipality(text);
    // The young person's letter is not offered, nor served, under 12.
    expect(page.html).not.toContain('?voor=jongere');
    const detail = await client.get(`/registrations/${id}`);
    expect(detail.html).toContain(`/registrations/${id}/letter?voor=ouder`);
    expect(detail.html).not.toContain('?voor=jongere');
    expect((await client.get(`/registrations/${id}/letter?voor=jongere`)).status).toBe(404);
    expect((await client.get(`/registrations/${id}/letter?voor=ouder`)).status).toBe(200);
  });
});

describe('the letter for the young person ("je")', () => {
  it('12 to 15: both letters, each in its own register, each linking to the other', async () => {
    const id = await registered('2012-05-17'); // 14
    const detail = await client.get(`/registrations/${id}`);
    expect(detail.html).toContain(`/registrations/${id}/letter?voor=ouder`);
    expect(detail.html).toContain(`/registrations/${id}/letter?voor=jongere`);
    const parent = await client.get(`/registrations/${id}/letter`);
    expect(parent.status).toBe(200);
    const parentText = letterText(parent.html);
    expect(parentText).toContain('Geachte ouder of verzorger');
    expect(parentText).not.toMatch(JE);
    expect(parentText).toContain('Uw kind krijgt hierover ook zelf een brief.');
    expect(parent.html).toContain(`/registrations/${id}/letter?voor=jongere`);

    const youth = await client.get(`/registrations/${id}/letter?voor=jongere`);
    expect(youth.status).toBe(200);
    const youthText = letterText(youth.html);
    expect(youthText).toMatch(/\bje\b/);
    expect(youthText).not.toMatch(U);
    namesTheMunicipality(youthText);
    namesTheMunicipality(parentText);
    expect(youth.html).toContain(`/registrations/${id}/letter?voor=ouder`);
  });

  it('16 and older: the young person’s letter only', async () => {
    const id = await registered('2008-05-17'); // 18
    const page = await client.get(`/registrations/${id}/letter`);
    expect(page.status).toBe(200);
    const text = letterText(page.html);
    expect(text).not.toMatch(U);
    expect(text).toMatch(/\bjou\b/);
    namesTheMunicipality(text);
    expect(page.html).not.toContain('?voor=ouder');
    expect((await client.get(`/registrations/${id}/letter?voor=ouder`)).status).toBe(404);
  });

  it('refuses an unknown letter, and another professional’s registration', async () => {
    const id = await registered('2012-05-17');
    expect((await client.get(`/registrations/${id}/letter?voor=iedereen`)).status).toBe(404);
    const other = await loggedInProfessional(t, await t.organisation('education'), mailer);
    expect((await other.client.get(`/registrations/${id}/letter`)).status).toBe(404);
  });
});
