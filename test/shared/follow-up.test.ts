/** After a match: who coordinates (regie) and "contact opgenomen", through the API. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, outbox } from '../../src/db/schema.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, type TestContext, type TestOrganisation } from '../support/context.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

type Member = { org: TestOrganisation; email: string; registrationId: string };

async function match(size = 3) {
  const bsn = randomBsn();
  const members: Member[] = [];
  let matchId = '';
  for (let i = 0; i < size; i++) {
    const org = await t.organisation();
    const email = (await org.professional(`Prof ${i}`)).email;
    const { body } = await t.register(org, email, { bsn });
    members.push({ org, email, registrationId: body.id });
    matchId = body.matchId ?? matchId;
  }
  return { matchId, members };
}

const post = (m: Member, path: string, body: unknown) =>
  t.app.request(`/api/v1/matches/${path}`, { method: 'POST', headers: m.org.authHeaders, body: JSON.stringify(body) });

describe('coordination (regie)', () => {
  it('a member takes it; every member sees it; the others are notified; audited', async () => {
    const { matchId, members } = await match();
    const [a, b, c] = members as [Member, Member, Member];
    const response = await post(b, `${matchId}/coordinator`, { professionalEmail: b.email });
    expect(response.status).toBe(200);
    const view = (await response.json()) as { members: { professionalName: string; coordinator: boolean }[] };
    expect(view.members.filter((m) => m.coordinator).map((m) => m.professionalName)).toEqual(['Prof 1']);

    const seen = (await (await t.app.request(`/api/v1/matches/${matchId}`, { headers: a.org.authHeaders })).json()) as typeof view;
    expect(seen.members.find((m) => m.coordinator)?.professionalName).toBe('Prof 1');

    const told = (await t.deps.db.select().from(outbox).where(eq(outbox.template, 'coordinator_chosen'))).filter((r) => r.payload.matchId === matchId);
    expect(told.map((r) => r.recipientEmail).sort()).toEqual([a.email, c.email].sort());
    const events = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.matchId, matchId));
    expect(events.some((e) => e.action === 'match.coordinate' && e.outcome === 'success' && e.organisationId === b.org.id)).toBe(true);

    // Taking it again changes nothing and tells nobody twice.
    await post(b, `${matchId}/coordinator`, { professionalEmail: b.email });
    expect((await t.deps.db.select().from(outbox).where(eq(outbox.template, 'coordinator_chosen'))).filter((r) => r.payload.matchId === matchId)).toHaveLength(
      2,
    );
  });

  it('is refused (404) for outsiders, for another organisation’s professional, and after one’s registration ended', async () => {
    const { matchId, members } = await match(2);
    const [a, b] = members as [Member, Member];
    const outsider = await t.organisation();
    const outsiderEmail = (await outsider.professional()).email;
    expect(
      (await post({ org: outsider, email: outsiderEmail, registrationId: '' }, `${matchId}/coordinator`, { professionalEmail: outsiderEmail })).status,
    ).toBe(404);
    expect((await post(a, `${matchId}/coordinator`, { professionalEmail: b.email })).status).toBe(404);

    await t.app.request(`/api/v1/registrations/${a.registrationId}/end`, {
      method: 'POST',
      headers: a.org.authHeaders,
      body: JSON.stringify({ reason: 'resolved' }),
    });
    expect((await post(a, `${matchId}/coordinator`, { professionalEmail: a.email })).status).toBe(404);
    expect((await post(a, `${matchId}/contact`, { professionalEmail: a.email, on: '2026-11-23' })).status).toBe(404);
  });

  it('ends when the coordinator’s registration ends', async () => {
    const { matchId, members } = await match(3);
    const [a, b] = members as [Member, Member];
    await post(a, `${matchId}/coordinator`, { professionalEmail: a.email });
    await t.app.request(`/api/v1/registrations/${a.registrationId}/end`, {
      method: 'POST',
      headers: a.org.authHeaders,
      body: JSON.stringify({ reason: 'resolved' }),
    });
    const seen = (await (await t.app.request(`/api/v1/matches/${matchId}`, { headers: b.org.authHeaders })).json()) as { members: { coordinator: boolean }[] };
    expect(seen.members.some((m) => m.coordinator)).toBe(false);
  });
});

describe('contact opgenomen', () => {
  it('a member records the day; everyone sees it; future dates are refused', async () => {
    const { matchId, members } = await match(2);
    const [a, b] = members as [Member, Member];
    const response = await post(a, `${matchId}/contact`, { professionalEmail: a.email, on: '2026-11-23' });
    expect(response.status).toBe(200);
    const seen = (await (await t.app.request(`/api/v1/matches/${matchId}`, { headers: b.org.authHeaders })).json()) as {
      members: { contactOn: string | null; ownOrganisation: boolean }[];
    };
    expect(seen.members.find((m) => !m.ownOrganisation)?.contactOn).toBe('2026-11-23');
    expect((await post(a, `${matchId}/contact`, { professionalEmail: a.email, on: '2030-01-01' })).status).toBe(422);
    expect((await post(a, `${matchId}/contact`, { professionalEmail: a.email, on: '1900-01-01' })).status).toBe(422); // before joining
  });
});
