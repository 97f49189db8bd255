/** Informing the young person and/or representative (law 7.1.5.1), through the API. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../src/db/schema.ts';
import { createTestClock } from '../support/clock.ts';
import { createTestContext, type TestContext, type TestOrganisation } from '../support/context.ts';

const clock = createTestClock(new Date('2026-11-23T09:00:00Z'));
let t: TestContext;
let org: TestOrganisation;
let email: string;

beforeAll(async () => {
  t = await createTestContext({ clock });
  org = await t.organisation('youth_health');
  email = (await org.professional()).email;
});
afterAll(() => t.close());

const inform = (id: string, body: unknown, as = org) =>
  t.app.request(`/api/v1/registrations/${id}/informed`, { method: 'POST', headers: as.authHeaders, body: JSON.stringify(body) });

describe('informing', () => {
  it('says who must be informed, without keeping the birth date', async () => {
    expect((await t.register(org, email, { birthDate: '2018-01-01' })).body.informWhom).toBe('representative');
    expect((await t.register(org, email, { birthDate: '2012-01-01' })).body.informWhom).toBe('both');
    const { body } = await t.register(org, email, { birthDate: '2009-01-01' });
    expect(body).toMatchObject({ informWhom: 'youth', informedOn: null, informedHow: null });
    expect(JSON.stringify(body)).not.toContain('2009-01-01');
  });

  it('records when and how, audited; refuses future dates, unknown ways and other organisations', async () => {
    const { body } = await t.register(org, email);
    const ok = await inform(body.id, { on: '2026-11-23', how: 'letter' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ informedOn: '2026-11-23', informedHow: 'letter' });
    const events = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.registrationId, body.id));
    expect(events.map((e) => `${e.action}:${e.outcome}`)).toContain('registration.inform:success');

    expect((await inform(body.id, { on: '2030-01-01', how: 'letter' })).status).toBe(422);
    expect((await inform(body.id, { on: '2026-11-23', how: 'told them about the abuse' })).status).toBe(422);
    const other = await t.organisation();
    expect((await inform(body.id, { on: '2026-11-23', how: 'phone' }, other)).status).toBe(404);
  });

  it('lists registrations nobody was recorded as informed of after 14 days', async () => {
    const flagged = await t.organisation();
    const p = (await flagged.professional()).email;
    const old = await t.register(flagged, p);
    const informed = await t.register(flagged, p);
    await inform(informed.body.id, { on: '2026-11-23', how: 'in_person' }, flagged);
    clock.advance(15 * 86_400_000);
    const recent = await t.register(flagged, p);
    const response = await t.app.request('/api/v1/registrations?status=not_informed', { headers: flagged.authHeaders });
    const ids = ((await response.json()) as { items: { id: string }[] }).items.map((i) => i.id);
    expect(ids).toEqual([old.body.id]);
    expect(ids).not.toContain(recent.body.id);
  });
});
