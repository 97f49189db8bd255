import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, matches, outbox, registrations } from '../../src/db/schema.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, type TestContext, type TestOrganisation } from '../support/context.ts';

let t: TestContext;
let school: TestOrganisation;
let wijkteam: TestOrganisation;
let teacher: { id: string; email: string };
let worker: { id: string; email: string };

beforeAll(async () => {
  t = await createTestContext();
  school = await t.organisation('education', 'Basisschool De Linde');
  wijkteam = await t.organisation('district_team', 'Wijkteam Noord');
  teacher = await school.professional('Juf Jansen');
  worker = await wijkteam.professional('Sam de Vries');
});
afterAll(() => t.close());

const json = { 'content-type': 'application/json' };

describe('POST /api/v1/registrations', () => {
  it('registers, returns 201 with the registration and no match for a first registration', async () => {
    const { status, body } = await t.register(school, teacher.email, { reference: 'DOS-2026-1' });
    expect(status).toBe(201);
    expect(body).toMatchObject({ status: 'active', reference: 'DOS-2026-1', matchId: null, earlierInvolvement: [] });
    expect(body.endsAt).toBe('2028-11-22'); // registered 2026-11-23, two years
    expect(Object.keys(body)).not.toContain('bsn');
  });

  it('is idempotent for the same professional and subject: 200 and the same registration', async () => {
    const bsn = randomBsn();
    const first = await t.register(school, teacher.email, { bsn });
    const again = await t.register(school, teacher.email, { bsn });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const rows = await t.deps.db.select().from(registrations).where(eq(registrations.professionalId, teacher.id));
    expect(rows.filter((r) => r.id === first.body.id)).toHaveLength(1);
  });

  it('accepts an 8-digit BSN as the same subject as its zero-padded form', async () => {
    const other = await school.professional();
    const a = await t.register(wijkteam, worker.email, { bsn: '012345672' });
    const b = await t.register(school, other.email, { bsn: '12345672' });
    expect(b.body.matchId).toBe(a.body.matchId ?? b.body.matchId);
    expect(b.body.matchId).not.toBeNull();
  });

  it('accepts a BSN with spaces or dots, as copied from a document, as the same subject', async () => {
    const bsn = randomBsn();
    const a = await t.register(school, teacher.email, { bsn: `${bsn.slice(0, 4)} ${bsn.slice(4, 6)} ${bsn.slice(6)}` });
    const b = await t.register(wijkteam, worker.email, { bsn: `${bsn.slice(0, 4)}.${bsn.slice(4, 6)}.${bsn.slice(6)}` });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.matchId).toEqual(expect.any(String));
  });

  it('creates one match when a second organisation registers the same subject, and notifies both', async () => {
    const bsn = randomBsn();
    const first = await t.register(school, teacher.email, { bsn });
    const second = await t.register(wijkteam, worker.email, { bsn });
    expect(second.status).toBe(201);
    expect(second.body.matchId).toEqual(expect.any(String));
    const rows = await t.deps.db.select().from(outbox).where(eq(outbox.template, 'match_created'));
    const forMatch = rows.filter((r) => (r.payload as { matchId: string }).matchId === second.body.matchId);
    expect(forMatch.map((r) => r.recipientEmail).sort()).toEqual([teacher.email, worker.email].sort());
    expect(forMatch.map((r) => (r.payload as { registrationId: string }).registrationId).sort()).toEqual([first.body.id, second.body.id].sort());
    // The first registration now reports the match too.
    const read = await t.app.request(`/api/v1/registrations/${first.body.id}`, { headers: school.authHeaders });
    expect(((await read.json()) as { matchId: string }).matchId).toBe(second.body.matchId);
  });

  it('does not match two professionals of the same organisation', async () => {
    const bsn = randomBsn();
    const colleague = await school.professional();
    await t.register(school, teacher.email, { bsn });
    const second = await t.register(school, colleague.email, { bsn });
    expect(second.status).toBe(201);
    expect(second.body.matchId).toBeNull();
  });

  it('adds a third organisation to the existing match instead of creating a second one', async () => {
    const police = await t.organisation('police');
    const agent = await police.professional();
    const bsn = randomBsn();
    await t.register(school, teacher.email, { bsn });
    const second = await t.register(wijkteam, worker.email, { bsn });
    const third = await t.register(police, agent.email, { bsn });
    expect(third.body.matchId).toBe(second.body.matchId);
    const joined = await t.deps.db
      .select()
      .from(outbox)
      .where(eq(outbox.idempotencyKey, `match:${second.body.matchId}:joined:${third.body.id}:${third.body.id}`));
    expect(joined).toHaveLength(1);
    const told = (await t.deps.db.select().from(outbox)).filter((r) => r.idempotencyKey.startsWith(`match:${second.body.matchId}:joined:${third.body.id}:`));
    expect(told.map((r) => r.template).sort()).toEqual(['match_joined', 'match_member_added', 'match_member_added']);
  });

  it('refuses a subject of 23 or older with a field error, and stores nothing', async () => {
    const before = (await t.deps.db.select().from(registrations)).length;
    const { status, body, response } = await t.register(school, teacher.email, { birthDate: '2000-01-01' });
    expect(status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(body).toMatchObject({ code: 'subject_too_old', errors: { birthDate: [expect.any(String)] } });
    expect((await t.deps.db.select().from(registrations)).length).toBe(before);
  });

  it('refuses a birth date in the future or an impossible date', async () => {
    expect((await t.register(school, teacher.email, { birthDate: '2030-01-01' })).body).toMatchObject({
      code: 'invalid_input',
      errors: { birthDate: [expect.any(String)] },
    });
    expect((await t.register(school, teacher.email, { birthDate: '2015-02-30' })).status).toBe(422);
  });

  it('returns 422 problem+json with field errors for bad input, never echoing the BSN', async () => {
    const response = await t.app.request('/api/v1/registrations', {
      method: 'POST',
      headers: school.authHeaders,
      body: JSON.stringify({ bsn: '123456789', birthDate: '17-05-2012', professionalEmail: 'nope', reference: 'Jan Jansen <zorg>', note: 'x' }),
    });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const text = await response.text();
    expect(text).not.toContain('123456789');
    const body = JSON.parse(text);
    expect(Object.keys(body.errors).sort()).toEqual(['birthDate', 'bsn', 'criterionConfirmed', 'note', 'professionalEmail', 'reference']);
  });

  it('answers malformed JSON with 422 and no echo of the body', async () => {
    const response = await t.app.request('/api/v1/registrations', { method: 'POST', headers: school.authHeaders, body: '{"bsn":"123456782",' });
    expect(response.status).toBe(422);
    expect(await response.text()).not.toContain('123456782');
  });

  it.each([
    ['the BSN itself', (bsn: string) => `DOS ${bsn}`],
    ['another valid BSN', () => 'REF-111222333'],
    ['the birth date', () => 'DOS-17-05-2012'],
    ['the birth date, compact', () => '20120517'],
    ['the BSN with dots', (bsn: string) => `${bsn.slice(0, 4)}.${bsn.slice(4, 6)}.${bsn.slice(6)}`],
    ['the BSN with spaces', (bsn: string) => `DOS ${bsn.slice(0, 3)} ${bsn.slice(3, 6)} ${bsn.slice(6)}`],
    ['the BSN with dashes', (bsn: string) => `${bsn.slice(0, 3)}-${bsn.slice(3, 6)}-${bsn.slice(6)}`],
    ['the BSN with slashes', (bsn: string) => `${bsn.slice(0, 3)}/${bsn.slice(3, 6)}/${bsn.slice(6)}`],
    ['the BSN with underscores', (bsn: string) => `${bsn.slice(0, 3)}_${bsn.slice(3, 6)}_${bsn.slice(6)}`],
    ['another BSN with dots', () => '1234.56.782'],
    ['the birth date as d-m-yyyy', () => 'K-17-5-2012'],
    ['the birth date as yyyy/mm/dd', () => 'A 2012/05/17'],
    ['the birth date as ddmmyyyy', () => 'X17052012'],
  ])('refuses an own reference that contains %s', async (_label, make) => {
    const bsn = randomBsn();
    const { status, body } = await t.register(school, teacher.email, { bsn, birthDate: '2012-05-17', reference: make(bsn) });
    expect(status).toBe(422);
    // (A spaced one is also refused for its shape; the identifying finding is said either way.)
    expect(Object.keys(body.errors)).toEqual(['reference']);
    expect(body.errors.reference).toContainEqual(expect.stringContaining('lijkt op een BSN of geboortedatum'));
    expect(JSON.stringify(body)).not.toContain(bsn);
  });

  it.each([
    ['a name and a date', 'Jan de Vries 12 mei', 'zonder spaties'],
    ['a name without digits', 'JanDeVries', 'minstens één cijfer'],
    ['a case number with a space', 'DOS 2026 0042', 'zonder spaties'],
    ['other characters', 'DOS#2026,0042', 'zonder spaties'],
    ['more than 40 characters', `DOS-${'1'.repeat(37)}`, 'hoogstens 40'],
  ])('refuses an own reference that is not in case-number shape: %s', async (_label, reference, message) => {
    const before = (await t.deps.db.select().from(registrations)).length;
    const { status, body } = await t.register(school, teacher.email, { reference });
    expect(status).toBe(422);
    expect(body.errors.reference).toContainEqual(expect.stringContaining(message));
    expect((await t.deps.db.select().from(registrations)).length).toBe(before);
  });

  it('refuses a registration without the confirmed legal criterion (422), and stores nothing', async () => {
    const before = (await t.deps.db.select().from(registrations)).length;
    for (const criterionConfirmed of [undefined, false, 'ja']) {
      const { status, body } = await t.register(school, teacher.email, { criterionConfirmed });
      expect(status).toBe(422);
      expect(body.errors).toEqual({ criterionConfirmed: [expect.stringContaining('7.1.3.1')] });
    }
    expect((await t.deps.db.select().from(registrations)).length).toBe(before);
  });

  // AVG-2026-0106: 020260106 passes the elfproef, but a case number's two digit groups are no BSN notation.
  it.each(['DOS-2026-0042', 'ZAAK/12-34', '2024.001.17', 'JH-17-6-2013', 'AVG-2026-0106'])('accepts the case number %s', async (reference) => {
    const { status, body } = await t.register(school, teacher.email, { birthDate: '2012-05-17', reference });
    expect(status).toBe(201);
    expect(body.reference).toBe(reference);
  });

  it('accepts JSON only', async () => {
    const response = await t.app.request('/api/v1/registrations', {
      method: 'POST',
      headers: { authorization: school.authHeaders.authorization!, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'bsn=123456782',
    });
    expect(response.status).toBe(415);
  });

  it('refuses bodies over the size limit', async () => {
    const response = await t.app.request('/api/v1/registrations', {
      method: 'POST',
      headers: school.authHeaders,
      body: JSON.stringify({ bsn: randomBsn(), pad: 'x'.repeat(20_000) }),
    });
    expect(response.status).toBe(413);
  });

  it('refuses to act for a professional of another organisation (403)', async () => {
    const { status, body } = await t.register(school, worker.email);
    expect(status).toBe(403);
    expect(body.code).toBe('forbidden');
  });

  it('does not let a path ending in openapi.json past authentication', async () => {
    // Refused before authentication even runs: `openapi.json` is no id (a malformed id is a 404).
    for (const path of ['/api/v1/registrations/openapi.json', '/api/v1/matches/openapi.json']) {
      const response = await t.app.request(path);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('refuses requests without a valid token (401) and audits the refusal', async () => {
    const none = await t.app.request('/api/v1/registrations', { method: 'POST', headers: json, body: '{}' });
    const wrong = await t.app.request('/api/v1/registrations', { headers: { authorization: 'Bearer btk_wrong' } });
    expect(none.status).toBe(401);
    expect(wrong.status).toBe(401);
    // Counted per address and minute (ADR 0010): the window's first refusal writes the row.
    const denied = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, 'api.authenticate'));
    expect(denied.length).toBeGreaterThanOrEqual(1);
    expect(denied[0]).toMatchObject({ outcome: 'denied', actorType: 'system' });
  });
});

describe('reading and ending registrations', () => {
  it("hides another organisation's registration behind 404, not 403", async () => {
    const { body } = await t.register(school, teacher.email);
    const response = await t.app.request(`/api/v1/registrations/${body.id}`, { headers: wijkteam.authHeaders });
    expect(response.status).toBe(404);
    const end = await t.app.request(`/api/v1/registrations/${body.id}/end`, {
      method: 'POST',
      headers: wijkteam.authHeaders,
      body: JSON.stringify({ reason: 'resolved' }),
    });
    expect(end.status).toBe(404);
  });

  it('lists only the own organisation’s active registrations, paginated', async () => {
    const org = await t.organisation('youth_health');
    const nurse = await org.professional();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await t.register(org, nurse.email)).body.id);
      (t.clock as unknown as { advance(ms: number): void }).advance(1000);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const response = await t.app.request(`/api/v1/registrations${query}`, { headers: org.authHeaders });
      expect(response.status).toBe(200);
      const page = (await response.json()) as { items: { id: string }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('rejects an invalid status filter and a forged cursor with 422', async () => {
    expect((await t.app.request('/api/v1/registrations?status=archived', { headers: school.authHeaders })).status).toBe(422);
    expect((await t.app.request('/api/v1/registrations?cursor=garbage', { headers: school.authHeaders })).status).toBe(422);
  });

  it('ends with "resolved": archived, gone from the API, and the match closes and notifies', async () => {
    const bsn = randomBsn();
    const mine = await t.register(school, teacher.email, { bsn });
    const theirs = await t.register(wijkteam, worker.email, { bsn });
    const end = await t.app.request(`/api/v1/registrations/${theirs.body.id}/end`, {
      method: 'POST',
      headers: wijkteam.authHeaders,
      body: JSON.stringify({ reason: 'resolved' }),
    });
    expect(end.status).toBe(200);
    expect(await end.json()).toMatchObject({ outcome: 'archived', matchClosed: true, matchId: theirs.body.matchId });
    const [match] = await t.deps.db.select().from(matches).where(eq(matches.id, theirs.body.matchId));
    expect(match).toMatchObject({ status: 'closed', subjectPseudonym: null });
    const closed = await t.deps.db
      .select()
      .from(outbox)
      .where(eq(outbox.idempotencyKey, `match:${theirs.body.matchId}:left:${theirs.body.id}:${mine.body.id}`));
    expect(closed).toMatchObject([{ template: 'match_closed', recipientEmail: teacher.email }]);
    expect((await t.app.request(`/api/v1/registrations/${theirs.body.id}`, { headers: wijkteam.authHeaders })).status).toBe(404);
    const [row] = await t.deps.db.select().from(registrations).where(eq(registrations.id, theirs.body.id));
    expect(row).toMatchObject({ status: 'archived', endReason: 'resolved', archiveUntil: '2031-11-23' });
  });

  it('ends with "unjustified": the registration is deleted for real', async () => {
    const { body } = await t.register(school, teacher.email);
    const end = await t.app.request(`/api/v1/registrations/${body.id}/end`, {
      method: 'POST',
      headers: school.authHeaders,
      body: JSON.stringify({ reason: 'unjustified' }),
    });
    expect(await end.json()).toMatchObject({ outcome: 'deleted' });
    expect(await t.deps.db.select().from(registrations).where(eq(registrations.id, body.id))).toEqual([]);
  });

  it('refuses an unknown reason and "expired" (the job’s reason)', async () => {
    const { body } = await t.register(school, teacher.email);
    for (const reason of ['expired', 'because']) {
      const end = await t.app.request(`/api/v1/registrations/${body.id}/end`, {
        method: 'POST',
        headers: school.authHeaders,
        body: JSON.stringify({ reason }),
      });
      expect(end.status).toBe(422);
    }
  });

  it('deletes a closed match with its last member, leaving nothing that points at the subject', async () => {
    const bsn = randomBsn();
    const mine = await t.register(school, teacher.email, { bsn });
    const theirs = await t.register(wijkteam, worker.email, { bsn });
    const end = (org: TestOrganisation, id: string) =>
      t.app.request(`/api/v1/registrations/${id}/end`, { method: 'POST', headers: org.authHeaders, body: JSON.stringify({ reason: 'unjustified' }) });
    await end(wijkteam, theirs.body.id);
    expect(await t.deps.db.select().from(matches).where(eq(matches.id, theirs.body.matchId))).toHaveLength(1);
    await end(school, mine.body.id);
    expect(await t.deps.db.select().from(matches).where(eq(matches.id, theirs.body.matchId))).toEqual([]);
  });

  it('a new match forms again after an earlier one closed', async () => {
    const bsn = randomBsn();
    await t.register(school, teacher.email, { bsn });
    const theirs = await t.register(wijkteam, worker.email, { bsn });
    await t.app.request(`/api/v1/registrations/${theirs.body.id}/end`, {
      method: 'POST',
      headers: wijkteam.authHeaders,
      body: JSON.stringify({ reason: 'unjustified' }),
    });
    const again = await t.register(wijkteam, worker.email, { bsn });
    expect(again.body.matchId).toEqual(expect.any(String));
    expect(again.body.matchId).not.toBe(theirs.body.matchId);
  });
});

describe('earlier involvement (archive)', () => {
  it('is shown once to a new organisation, never again to that organisation, never to the own one', async () => {
    const bsn = randomBsn();
    const first = await t.register(school, teacher.email, { bsn });
    await t.app.request(`/api/v1/registrations/${first.body.id}/end`, {
      method: 'POST',
      headers: school.authHeaders,
      body: JSON.stringify({ reason: 'resolved' }),
    });

    const shown = await t.register(wijkteam, worker.email, { bsn });
    expect(shown.body.matchId).toBeNull(); // archived registrations never match
    expect(shown.body.earlierInvolvement).toEqual([
      expect.objectContaining({ organisationName: 'Basisschool De Linde', professionalName: 'Juf Jansen', email: teacher.email, phone: '010-1234567' }),
    ]);

    const colleague = await wijkteam.professional();
    const notAgain = await t.register(wijkteam, colleague.email, { bsn });
    expect(notAgain.body.earlierInvolvement).toEqual([]);

    const ownColleague = await school.professional();
    const own = await t.register(school, ownColleague.email, { bsn });
    expect(own.body.earlierInvolvement).toEqual([]);
  });
});

describe('GET /api/v1/matches/:id', () => {
  it('shows members’ contact details to members and 404 to others (audited)', async () => {
    const bsn = randomBsn();
    await t.register(school, teacher.email, { bsn });
    const { body } = await t.register(wijkteam, worker.email, { bsn });
    const response = await t.app.request(`/api/v1/matches/${body.matchId}`, { headers: school.authHeaders });
    expect(response.status).toBe(200);
    const match = (await response.json()) as { status: string; members: Record<string, unknown>[] };
    expect(match.status).toBe('open');
    expect(match.members).toEqual([
      expect.objectContaining({
        professionalName: 'Juf Jansen',
        organisationName: 'Basisschool De Linde',
        sector: 'education',
        email: teacher.email,
        ownOrganisation: true,
      }),
      expect.objectContaining({
        professionalName: 'Sam de Vries',
        organisationName: 'Wijkteam Noord',
        sector: 'district_team',
        email: worker.email,
        ownOrganisation: false,
      }),
    ]);

    const outsider = await t.organisation('police');
    const refused = await t.app.request(`/api/v1/matches/${body.matchId}`, { headers: outsider.authHeaders });
    expect(refused.status).toBe(404);
    const missing = await t.app.request(`/api/v1/matches/${crypto.randomUUID()}`, { headers: outsider.authHeaders });
    expect(missing.status).toBe(404);
    const strip = (text: string) => text.replace(/"requestId":"[^"]+"/, '');
    expect(strip(await refused.text())).toBe(strip(await missing.text())); // indistinguishable
    const audited = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.matchId, body.matchId));
    expect(audited.some((e) => e.action === 'match.read' && e.outcome === 'not_found' && e.organisationId === outsider.id)).toBe(true);
  });
});

describe('match access after ending', () => {
  it('an organisation whose registration ended loses the match page, and the others no longer see it', async () => {
    const police = await t.organisation('police');
    const agent = await police.professional('Agent Bos');
    const bsn = randomBsn();
    await t.register(school, teacher.email, { bsn });
    await t.register(wijkteam, worker.email, { bsn });
    const third = await t.register(police, agent.email, { bsn });
    await t.app.request(`/api/v1/registrations/${third.body.id}/end`, {
      method: 'POST',
      headers: police.authHeaders,
      body: JSON.stringify({ reason: 'resolved' }),
    });
    expect((await t.app.request(`/api/v1/matches/${third.body.matchId}`, { headers: police.authHeaders })).status).toBe(404);
    const seen = (await (await t.app.request(`/api/v1/matches/${third.body.matchId}`, { headers: school.authHeaders })).json()) as {
      members: { professionalName: string }[];
    };
    expect(seen.members.map((m) => m.professionalName)).toEqual(['Juf Jansen', 'Sam de Vries']);
  });
});

describe('service endpoints', () => {
  it('GET /healthz answers ok', async () => {
    const response = await t.app.request('/healthz');
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('serves an OpenAPI 3.1 document generated from the schemas', async () => {
    const response = await t.app.request('/api/v1/openapi.json');
    const doc = (await response.json()) as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/registrations',
        '/registrations/{id}',
        '/registrations/{id}/end',
        '/registrations/{id}/informed',
        '/registrations/{id}/death-report',
        '/matches/{id}',
        '/matches/{id}/coordinator',
        '/matches/{id}/contact',
        '/matches/{id}/coordination/return',
        '/matches/{id}/proposal/decline',
        '/registrations/{id}/extend',
      ].sort(),
    );
    expect(doc.components.schemas).toHaveProperty('RegistrationCreate');
    // A professional chooses only these end reasons; the document says so.
    const end = doc.components.schemas.EndRegistration as { properties: { reason: { enum: string[] } } };
    expect(end.properties.reason.enum).toEqual(['resolved', 'unjustified']);
  });

  it('sets security headers', async () => {
    const response = await t.app.request('/healthz');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('audits every refused request once: validation, media type, body size and refusals decided by verbs', async () => {
    const org = await t.organisation();
    const p = await org.professional();
    const count = async () => (await t.deps.db.select().from(auditEvents)).filter((e) => e.organisationId === org.id && e.outcome !== 'success');
    await t.register(org, p.email, { bsn: '123456789' }); // 422 from validation
    await t.app.request('/api/v1/registrations', { method: 'POST', headers: { ...org.authHeaders, 'content-type': 'text/plain' }, body: 'x' }); // 415
    await t.app.request('/api/v1/registrations', { method: 'POST', headers: org.authHeaders, body: '{' }); // malformed
    await t.register(org, p.email, { birthDate: '1990-01-01' }); // too old, audited by the verb
    const missing = crypto.randomUUID();
    await t.app.request(`/api/v1/registrations/${missing}`, { headers: org.authHeaders }); // 404, by the verb
    const events = await count();
    expect(events.map((e) => `${e.action}:${e.outcome}`)).toEqual([
      'registration.create:invalid',
      'registration.create:invalid',
      'registration.create:invalid',
      'registration.create:invalid',
      'registration.read:not_found',
    ]);
    expect(events.at(-1)?.registrationId).toBe(missing);
  });

  it('writes an audit event for every API read and write, without pseudonym or BSN', async () => {
    const { body } = await t.register(school, teacher.email);
    await t.app.request(`/api/v1/registrations/${body.id}`, { headers: school.authHeaders });
    const events = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.registrationId, body.id));
    expect(events.map((e) => `${e.action}:${e.outcome}`)).toEqual(['registration.create:success', 'registration.read:success']);
    expect(events[0]).toMatchObject({ actorType: 'api_client', organisationId: school.id, requestId: expect.any(String) });
  });
});

describe('the OpenAPI document', () => {
  it('names the server prefix, so its paths resolve to /api/v1/…, and gives every operation a unique operationId', async () => {
    const doc = (await (await t.app.request('/api/v1/openapi.json')).json()) as {
      servers?: { url: string }[];
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    expect(doc.servers?.[0]?.url).toBe('/api/v1');
    const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
    const ids = operations.map((o) => o.operationId);
    expect(ids.length).toBeGreaterThanOrEqual(12);
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z]+$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
