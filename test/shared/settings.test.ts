/**
 * The municipality's follow-up settings (/beheer/instellingen, updateSettings): validated
 * deadlines and coordination rules, the environment's defaults, "Standaardwaarden
 * herstellen", audited reads and changes, and the rules taking effect on the match.
 */
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/context.ts';
import { auditEvents, municipalitySettings } from '../../src/db/schema.ts';
import { readSettings } from '../../src/settings/settings.ts';
import { resetSettings, updateSettings } from '../../src/settings/update-settings.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, memoryMailer, type TestContext } from '../support/context.ts';
import { loggedInPerson, type WebClient } from '../support/web-client.ts';

const mailer = memoryMailer();
let t: TestContext;
let admin: WebClient;
beforeAll(async () => {
  t = await createTestContext({ mailer, env: { LOGIN_LIMIT_PER_IP: '100', CONTACT_DAYS: '4', COORDINATOR_DAYS: '8', ESCALATION_DAYS: '12' } });
  admin = (await loggedInPerson(t, ['municipal_admin'], mailer)).client;
});
afterAll(() => t.close());

async function lastAudit(action: string) {
  const [row] = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(desc(auditEvents.seq)).limit(1);
  return row;
}

const valid = {
  contactDays: 5,
  coordinatorDays: 10,
  escalationDays: 15,
  coordinatorSectors: ['district_team', 'youth_care'],
  signalOnlySectors: ['education'],
};

function form(overrides: Record<string, string> = {}) {
  return { contactDays: '3', coordinatorDays: '6', escalationDays: '9', volgorde_safe_home: '2', volgorde_youth_care: '1', signaal_police: 'ja', ...overrides };
}

describe('the verb', () => {
  it('validates ranges and the order of the deadlines, and sectors', async () => {
    const refused = async (input: Record<string, unknown>) => {
      try {
        await updateSettings(t.operator, { ...valid, ...input } as never);
      } catch (error) {
        return (error as { fields: Record<string, string[]> }).fields;
      }
      throw new Error('accepted');
    };
    expect(await refused({ contactDays: 0 })).toHaveProperty('contactDays');
    expect(await refused({ contactDays: 1.5 })).toHaveProperty('contactDays');
    expect(await refused({ coordinatorDays: 61 })).toHaveProperty('coordinatorDays');
    expect(await refused({ escalationDays: 91 })).toHaveProperty('escalationDays');
    expect(await refused({ contactDays: 6, coordinatorDays: 5 })).toEqual({ coordinatorDays: [expect.stringContaining('minstens zo lang')] });
    expect(await refused({ escalationDays: 9 })).toEqual({ escalationDays: [expect.stringContaining('minstens zo lang')] });
    expect(await refused({ coordinatorSectors: ['youth_care', 'youth_care'] })).toHaveProperty('coordinatorSectors');
    expect(await refused({ signalOnlySectors: ['nope'] })).toHaveProperty(['signalOnlySectors.0']);
    expect(await refused({ extra: 1 })).toHaveProperty('extra');
  });

  it('is for the municipal admin only (beheer), refused and audited for others', async () => {
    const org = await t.organisation();
    const prof = await org.professional();
    const ctx: Ctx = {
      deps: t.deps,
      actor: { type: 'professional', id: prof.id, organisationId: org.id, roles: ['professional'] },
      requestId: null,
      origin: null,
    };
    await expect(updateSettings(ctx, valid as never)).rejects.toMatchObject({ code: 'forbidden' });
    expect(await lastAudit('settings.update')).toMatchObject({ outcome: 'denied', actorId: prof.id });
  });

  it('upserts the one row, audits the changed fields only, and resets to the defaults', async () => {
    expect(await readSettings(t.deps.db, t.deps.config)).toMatchObject({ contactDays: 4, coordinatorDays: 8, escalationDays: 12 });
    await updateSettings(t.operator, valid as never);
    expect(await readSettings(t.deps.db, t.deps.config)).toEqual(valid);
    expect((await lastAudit('settings.update'))?.detail).toEqual({
      contactDays: 5,
      coordinatorDays: 10,
      escalationDays: 15,
      coordinatorSectors: 'district_team,youth_care',
      signalOnlySectors: 'education',
    });
    await updateSettings(t.operator, { ...valid, contactDays: 6 } as never);
    expect((await lastAudit('settings.update'))?.detail).toEqual({ contactDays: 6 });
    expect(await t.deps.db.select().from(municipalitySettings)).toHaveLength(1);

    await resetSettings(t.operator);
    const [row] = await t.deps.db.select().from(municipalitySettings);
    expect(row).toMatchObject({ contactDays: null, coordinatorDays: null, escalationDays: null, coordinatorSectors: null, signalOnlySectors: null });
    expect(await readSettings(t.deps.db, t.deps.config)).toMatchObject({ contactDays: 4, signalOnlySectors: ['education', 'police'] });
    expect((await lastAudit('settings.update'))?.detail).toMatchObject({ reset: true, contactDays: 4 });
  });
});

describe('the page', () => {
  it('shows the current values and the defaults; reading is audited', async () => {
    const page = await admin.get('/beheer/instellingen');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Standaard: 4 werkdagen');
    expect(page.html).toContain('Regieregels per sector');
    expect(page.html).toMatch(/name="signaal_education"[^>]*checked/);
    expect(await lastAudit('settings.view')).toMatchObject({ outcome: 'success' });
    expect((await admin.get('/beheer')).html).toContain('/beheer/instellingen');
  });

  it('saves (303), with the order from the numbers and the checked sectors', async () => {
    const saved = await admin.post('/beheer/instellingen', form());
    expect(saved.status).toBe(303);
    expect(saved.location).toBe('/beheer/instellingen?gedaan=opgeslagen');
    expect(await readSettings(t.deps.db, t.deps.config)).toEqual({
      contactDays: 3,
      coordinatorDays: 6,
      escalationDays: 9,
      coordinatorSectors: ['youth_care', 'safe_home'],
      signalOnlySectors: ['police'],
    });
    const page = await admin.get(saved.location!);
    expect(page.html).toContain('De instellingen zijn opgeslagen.');
    expect(page.html).toMatch(/name="volgorde_youth_care"[^>]*value="1"/);
  });

  it('shows every error beside its field and keeps the values (422)', async () => {
    const bad = await admin.post('/beheer/instellingen', form({ contactDays: 'vijf', volgorde_safe_home: '1' }));
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('Vul een heel aantal werkdagen in.');
    expect(bad.html).toContain('Nummer 1 is al gebruikt');
    expect(bad.html).toContain('value="vijf"');
    const order = await admin.post('/beheer/instellingen', form({ contactDays: '7' }));
    expect(order.status).toBe(422);
    expect(order.html).toContain('De termijn voor de regie is minstens zo lang als die voor het contact.');
    expect(order.html).toContain('id="veld-coordinatorDays-fout"');
    const all = Object.fromEntries(
      [
        'youth_care',
        'safe_home',
        'district_team',
        'youth_health',
        'mental_health',
        'general_practice',
        'hospital',
        'education',
        'police',
        'justice',
        'social_support',
        'debt_counselling',
        'other',
      ].map((s) => [`signaal_${s}`, 'ja']),
    );
    const none = await admin.post('/beheer/instellingen', form(all));
    expect(none.status).toBe(422);
    expect(none.html).toContain('Minstens één sector moet de regie mogen voeren.');
    expect(await readSettings(t.deps.db, t.deps.config)).toMatchObject({ contactDays: 3 });
  });

  it('restores the defaults', async () => {
    const reset = await admin.post('/beheer/instellingen/standaard', {});
    expect(reset.status).toBe(303);
    expect((await admin.get(reset.location!)).html).toContain('De standaardwaarden gelden weer.');
    expect(await readSettings(t.deps.db, t.deps.config)).toMatchObject({ contactDays: 4, coordinatorDays: 8, escalationDays: 12 });
  });

  it('the rules take effect on the match: a sector made signal-only is refused', async () => {
    await admin.post('/beheer/instellingen', form({ signaal_youth_care: 'ja', volgorde_youth_care: '' }));
    const care = await t.organisation('youth_care');
    const team = await t.organisation('district_team');
    const carer = await care.professional();
    const worker = await team.professional();
    const bsn = randomBsn();
    await t.register(care, carer.email, { bsn });
    const { body } = await t.register(team, worker.email, { bsn });
    const take = (org: typeof care, email: string) =>
      t.app.request(`/api/v1/matches/${body.matchId}/coordinator`, {
        method: 'POST',
        headers: org.authHeaders,
        body: JSON.stringify({ professionalEmail: email }),
      });
    expect((await take(care, carer.email)).status).toBe(422);
    expect((await take(team, worker.email)).status).toBe(200);
    await admin.post('/beheer/instellingen/standaard', {});
  });
});
