/**
 * Extending a registration (issue 11, "extend"): the registering professional confirms the
 * criterion again and gets a new term from that day, never past the age limit and never an
 * earlier end; refused without the confirmation, with nothing to extend, and for anyone
 * else's registration. Through the API and the registration page.
 */
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, registrations } from '../../src/db/schema.ts';
import { extendedTerm } from '../../src/registry/extend-registration.ts';
import { createTestClock } from '../support/clock.ts';
import { createTestContext, memoryMailer, type TestContext, type TestOrganisation } from '../support/context.ts';
import { activateAndLogIn } from '../support/web-client.ts';

const START = new Date('2026-11-23T09:00:00Z');
const clock = createTestClock(START);
const mailer = memoryMailer();
let t: TestContext;
let org: TestOrganisation;
let email: string;

beforeAll(async () => {
  t = await createTestContext({ clock, mailer, env: { LOGIN_LIMIT_PER_IP: '100' } });
  org = await t.organisation('youth_care');
  email = (await org.professional()).email;
});
afterAll(() => t.close());

const extend = (id: string, body: unknown, as = org) =>
  t.app.request(`/api/v1/registrations/${id}/extend`, { method: 'POST', headers: as.authHeaders, body: JSON.stringify(body) });

async function row(id: string) {
  const [r] = await t.deps.db.select().from(registrations).where(eq(registrations.id, id));
  return r!;
}

async function audits(id: string) {
  return (await t.deps.db.select().from(auditEvents).where(eq(auditEvents.registrationId, id)).orderBy(desc(auditEvents.seq))).filter(
    (e) => e.action === 'registration.extend',
  );
}

describe('the new term', () => {
  it('is computed from the confirmation: the earlier of the term and the month before the 23rd birthday', () => {
    expect(extendedTerm('2028-10-20', '2034-05-01', 24)).toEqual({ endsOn: '2030-10-19', endsBecause: 'term' });
    expect(extendedTerm('2028-10-20', '2030-06-01', 24)).toEqual({ endsOn: '2030-05-31', endsBecause: 'age' });
    expect(extendedTerm('2028-10-20', '2030-10-20', 24)).toEqual({ endsOn: '2030-10-19', endsBecause: 'term' });
    expect(extendedTerm('2028-02-29', '2040-01-01', 12)).toEqual({ endsOn: '2029-02-27', endsBecause: 'term' });
  });
});

describe('through the API', () => {
  it('gives a new term from the confirmation, audited with the reason only', async () => {
    clock.set(START);
    const { body } = await t.register(org, email, { birthDate: '2012-05-17' });
    expect(body.endsAt).toBe('2028-11-22');
    clock.set(new Date('2028-10-20T09:00:00Z'));
    const response = await extend(body.id, { professionalEmail: email, criterionConfirmed: true });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: body.id, endsAt: '2030-10-19', status: 'active' });
    expect(await row(body.id)).toMatchObject({ endsOn: '2030-10-19', endsBecause: 'term', extendedAt: new Date('2028-10-20T09:00:00Z') });
    const [event] = await audits(body.id);
    expect(event).toMatchObject({ outcome: 'success', detail: { endsBecause: 'term' } });
    expect(JSON.stringify(event)).not.toContain('2030-10-19');
  });

  it('is capped at the age limit (the last day of the month before the 23rd birthday)', async () => {
    clock.set(START);
    const { body } = await t.register(org, email, { birthDate: '2007-06-15' });
    expect(body.endsAt).toBe('2028-11-22');
    clock.set(new Date('2028-10-20T09:00:00Z'));
    const response = await extend(body.id, { professionalEmail: email, criterionConfirmed: true });
    expect(response.status).toBe(200);
    expect(await row(body.id)).toMatchObject({ endsOn: '2030-05-31', endsBecause: 'age' });
    expect((await audits(body.id))[0]?.detail).toEqual({ endsBecause: 'age' });
  });

  it('is refused (422) when already capped by age, and never moves the end earlier', async () => {
    clock.set(START);
    const { body } = await t.register(org, email, { birthDate: '2005-03-10' });
    expect(body.endsAt).toBe('2028-02-29');
    clock.set(new Date('2028-02-01T09:00:00Z'));
    const response = await extend(body.id, { professionalEmail: email, criterionConfirmed: true });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { detail: string }).detail).toContain('leeftijdsgrens');
    expect(await row(body.id)).toMatchObject({ endsOn: '2028-02-29', endsBecause: 'age', extendedAt: null });
    expect((await audits(body.id))[0]).toMatchObject({ outcome: 'invalid', detail: { reason: 'age_limit' } });

    // Registered today: a new term would end on the same day, so nothing changes either.
    clock.set(START);
    const fresh = await t.register(org, email, { birthDate: '2012-05-17' });
    expect((await extend(fresh.body.id, { professionalEmail: email, criterionConfirmed: true })).status).toBe(422);
    expect((await row(fresh.body.id)).endsOn).toBe('2028-11-22');
  });

  it('is refused (422) without the confirmation of the criterion', async () => {
    clock.set(START);
    const { body } = await t.register(org, email);
    clock.set(new Date('2027-06-01T09:00:00Z'));
    for (const bad of [
      { professionalEmail: email },
      { professionalEmail: email, criterionConfirmed: false },
      { professionalEmail: email, criterionConfirmed: 'ja' },
    ]) {
      const response = await extend(body.id, bad);
      expect(response.status).toBe(422);
      expect(JSON.stringify(await response.json())).toContain('criterionConfirmed');
    }
    expect((await row(body.id)).extendedAt).toBeNull();
  });

  it("is not found (404) for another organisation's registration or another professional, audited", async () => {
    clock.set(START);
    const { body } = await t.register(org, email);
    clock.set(new Date('2027-06-01T09:00:00Z'));
    const other = await t.organisation();
    const otherEmail = (await other.professional()).email;
    expect((await extend(body.id, { professionalEmail: otherEmail, criterionConfirmed: true }, other)).status).toBe(404);
    const colleague = (await org.professional()).email;
    expect((await extend(body.id, { professionalEmail: colleague, criterionConfirmed: true })).status).toBe(404);
    expect((await audits(body.id)).map((e) => e.outcome)).toEqual(['not_found', 'not_found']);
    expect((await row(body.id)).endsOn).toBe('2028-11-22');
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await t.app.request('/api/v1/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(doc.paths).toHaveProperty(['/registrations/{id}/extend']);
  });
});

describe('on the registration page', () => {
  it('offers extending prominently within 30 days of the end; confirms, refuses without the box, 404 for a colleague', async () => {
    clock.set(START);
    const me = await activateAndLogIn(t, await org.professional('Eva Verleng'), mailer);
    const colleague = await activateAndLogIn(t, await org.professional('Carl Collega'), mailer);
    const { body } = await t.register(org, me.professional.email);

    const early = await me.client.get(`/registrations/${body.id}`);
    expect(early.html).toContain('Verlengen');
    expect(early.html).not.toContain('Deze registratie eindigt op');

    clock.set(new Date('2028-11-01T09:00:00Z'));
    const { logIn } = await import('../support/web-client.ts');
    const client = await logIn(t, me);
    const soon = await client.get(`/registrations/${body.id}`);
    expect(soon.html).toContain('Deze registratie eindigt op 22 november 2028');
    const refused = await client.post(`/registrations/${body.id}/extend`, {});
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('Bevestig dat u een redelijk vermoeden hebt');
    const done = await client.post(`/registrations/${body.id}/extend`, { criterion: 'ja' });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/registrations/${body.id}?verlengd=1`);
    expect((await client.get(done.location!)).html).toContain('Verlengd: de registratie loopt nu tot en met 31 oktober 2030');

    const other = await logIn(t, colleague);
    expect((await other.post(`/registrations/${body.id}/extend`, { criterion: 'ja' })).status).toBe(404);
  });
});
