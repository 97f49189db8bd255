/**
 * Keys that name Object.prototype's own properties — `__proto__`, `constructor`, `toString`,
 * `hasOwnProperty` — sent to every JSON route and every form get a 4xx, never a 500: field
 * errors and form values live on prototype-less objects (docs/architecture.md).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../src/db/schema.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestClock } from '../support/clock.ts';
import { createTestContext, memoryMailer, type TestContext } from '../support/context.ts';
import { loggedInProfessional, type WebClient } from '../support/web-client.ts';

const KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

const clock = createTestClock(new Date('2026-11-23T09:00:00Z'));
const mailer = memoryMailer();
let t: TestContext;
let headers: Record<string, string>;
let registrationId: string;
let matchId: string;
let email: string;
let client: WebClient;

beforeAll(async () => {
  t = await createTestContext({ clock, mailer });
  const a = await t.organisation();
  const b = await t.organisation('education');
  const login = await loggedInProfessional(t, a, mailer);
  client = login.client;
  email = login.professional.email;
  const other = await b.professional();
  const bsn = randomBsn();
  const mine = await t.register(a, email, { bsn });
  await t.register(b, other.email, { bsn });
  registrationId = mine.body.id;
  const read = await t.app.request(`/api/v1/registrations/${registrationId}`, { headers: a.authHeaders });
  matchId = ((await read.json()) as { matchId: string }).matchId;
  headers = { ...a.authHeaders, 'content-type': 'application/json' };
});
afterAll(() => t.close());

/** A JSON object text with `key` as an own property (JSON.stringify of an object literal would drop __proto__). */
function withKey(body: Record<string, unknown>, key: string): string {
  const text = JSON.stringify(body);
  return `{${JSON.stringify(key)}:{"a":1},${text.slice(1)}`;
}

describe('prototype keys never give a 500', () => {
  const json = () => [
    { path: '/api/v1/registrations', body: { bsn: randomBsn(), birthDate: '2012-05-17', professionalEmail: email, criterionConfirmed: true } },
    { path: `/api/v1/registrations/${registrationId}/informed`, body: { on: '2026-11-23', how: 'phone' } },
    { path: `/api/v1/matches/${matchId}/contact`, body: { professionalEmail: email, on: '2026-11-23' } },
    { path: `/api/v1/matches/${matchId}/coordinator`, body: { professionalEmail: email } },
    { path: `/api/v1/registrations/${registrationId}/end`, body: { reason: 'resolved' } },
  ];

  it.each(KEYS)('JSON routes, with %s beside valid fields and alone', async (key) => {
    for (const { path, body } of json()) {
      for (const text of [withKey(body, key), `{${JSON.stringify(key)}:"x"}`, `{${JSON.stringify(key)}:{"${key}":[1]}}`]) {
        const response = await t.app.request(path, { method: 'POST', headers, body: text });
        expect({ path, text, status: response.status }).toMatchObject({ status: 422 });
        expect(response.headers.get('content-type')).toContain('application/problem+json');
      }
    }
  });

  const forms: [string, Record<string, string>][] = [
    ['/login', { email: 'a@example.org', password: 'x' }],
    ['/login/code', { code: '123456' }],
    ['/login/enrol', { code: '123456' }],
    ['/account/activate', { token: 'x', password: 'x', confirm: 'x' }],
    ['/password/forgot', { email: 'a@example.org' }],
    ['/registrations/new', { bsn: '123456782', birthDate: '2012-05-17', criterion: 'ja', step: 'check' }],
    ['/account/password', { current: 'x', password: 'x', confirm: 'y' }],
    ['/account/recovery-codes', { code: '1' }],
    ['/account/sessions/end', { handle: 'x' }],
  ];

  it.each(KEYS)('forms, with %s beside the fields and alone', async (key) => {
    const pages: [string, Record<string, string>][] = [
      ...forms,
      [`/registrations/${registrationId}/informed`, { on: 'x', how: 'x' }],
      [`/matches/${matchId}/contact`, { on: 'x' }],
    ];
    for (const [path, fields] of pages) {
      for (const form of [{ ...fields, [key]: 'x' }, { [key]: 'x' }]) {
        const { status } = await client.post(path, form);
        expect({ path, key, status }).toMatchObject({ status: expect.toSatisfy((s: number) => s < 500) });
      }
    }
  });
});

describe('Cache-Control: no-store on every API answer and on /healthz', () => {
  it('success, refusal, unknown path, the OpenAPI document and the health check', async () => {
    const answers = [
      await t.app.request(`/api/v1/registrations/${registrationId}`, { headers }),
      await t.app.request('/api/v1/registrations', { headers: { authorization: 'Bearer nope' } }),
      await t.app.request('/api/v1/registrations', { method: 'POST', headers, body: '{' }),
      await t.app.request('/api/v1/nothing-here', { headers }),
      await t.app.request('/api/v1/openapi.json'),
      await t.app.request('/healthz'),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 401, 422, 404, 200, 200]);
    for (const r of answers) expect(r.headers.get('cache-control')).toBe('no-store');
  });
});

describe('ids in paths are UUIDs, or the path is refused before the audit and the log see it', () => {
  it('a BSN where a registration or match id belongs: 404, no audit row and no log line carries it', async () => {
    const bsn = randomBsn();
    const before = (await t.deps.db.select().from(auditEvents)).length;
    const api = [
      await t.app.request(`/api/v1/registrations/${bsn}`, { headers }),
      await t.app.request(`/api/v1/registrations/${bsn}/end`, { method: 'POST', headers, body: '{"reason":"resolved"}' }),
      await t.app.request(`/api/v1/matches/${bsn}`, { headers }),
    ];
    for (const r of api) {
      expect(r.status).toBe(404);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(await r.text()).not.toContain(bsn);
    }
    const pages = [await client.get(`/registrations/${bsn}`), await client.get(`/matches/${bsn}`), await client.get(`/registrations/${'x'.repeat(70)}/letter`)];
    for (const p of pages) expect(p.status).toBe(404);
    const rows = await t.deps.db.select().from(auditEvents);
    expect(JSON.stringify(rows)).not.toContain(bsn);
    expect(rows.length).toBe(before); // refused before any verb, and not a failure of one
    expect(JSON.stringify(t.logs)).not.toContain(bsn);
    expect(t.logs.filter((l) => l.message === 'malformed id').length).toBe(api.length + pages.length);
  });

  it('a BSN anywhere else in a path, known or not, never reaches the log', async () => {
    const bsn = randomBsn();
    const spaced = `${bsn.slice(0, 3)}%20${bsn.slice(3, 6)}%20${bsn.slice(6)}`;
    const paths = [
      `/registrations/x/${bsn}`,
      `/registrations/${crypto.randomUUID()}/${bsn}`,
      `/registrations/new/${bsn}`,
      `/registrations//${bsn}`,
      `/Registrations/${bsn}`,
      `/api/v1/bsn/${bsn}`,
      `/api/v1/registrations/${spaced}`,
      `/zoek-${bsn}.json`,
    ];
    for (const path of paths) expect((await t.app.request(path, { headers })).status).toBeGreaterThanOrEqual(300);
    for (const path of paths) expect((await client.get(path)).status).toBeGreaterThanOrEqual(300);
    expect(JSON.stringify(t.logs)).not.toContain(bsn);
    expect(JSON.stringify(t.logs)).not.toContain(`${bsn.slice(3, 6)}%20${bsn.slice(6)}`);
    expect(JSON.stringify(await t.deps.db.select().from(auditEvents))).not.toContain(bsn);
  });

  it('a well-formed id that names nothing is still a 404 audited with that id', async () => {
    const id = crypto.randomUUID();
    expect((await t.app.request(`/api/v1/registrations/${id}`, { headers })).status).toBe(404);
    const rows = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.registrationId, id));
    expect(rows.map((r) => r.outcome)).toEqual(['not_found']);
  });
});
