/**
 * The audit console (src/audit/search.ts, src/audit/status.ts, src/routes/web/audit.tsx), on
 * both runtimes: who reaches which page, filter validation (a BSN-shaped value is refused and
 * never reaches an audit row or a log line), cursor pages that stay put while the trail
 * grows, viewing and exporting audited, the CSV, and the alert after a failed chain check.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditStatement } from '../../src/audit/audit.ts';
import { exportAuditCsv, looksLikeBsn, searchAudit } from '../../src/audit/search.ts';
import type { Ctx } from '../../src/context.ts';
import { auditChecks, auditEvents } from '../../src/db/schema.ts';
import type { Role } from '../../src/vocabulary.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, memoryMailer, type TestContext } from '../support/context.ts';
import { loggedInPerson, type WebClient } from '../support/web-client.ts';

let t: TestContext;
const mail = memoryMailer();
const clients = new Map<Role, WebClient>();
let auditorCtx: Ctx;

beforeAll(async () => {
  t = await createTestContext({ mailer: mail });
  const org = await t.organisation();
  for (const role of ['auditor', 'municipal_admin', 'match_monitor'] as const) clients.set(role, (await loggedInPerson(t, [role], mail)).client);
  for (const role of ['professional', 'organisation_coordinator'] as const) clients.set(role, (await loggedInPerson(t, [role], mail, org.id)).client);
  const auditor = await t.person(['auditor']);
  auditorCtx = { ...t.operator, actor: { type: 'professional', id: auditor.id, organisationId: null, roles: ['auditor'] } };
}, 60_000);
afterAll(() => t.close());

/** Everything the trail holds, as one text (to look for a value anywhere in it). */
async function trailText(): Promise<string> {
  const rows = await t.deps.db.select().from(auditEvents);
  return JSON.stringify(rows);
}

async function testEvents(n: number, action = 'test.event', detail: (i: number) => Record<string, string | number> = (i) => ({ i })) {
  await t.deps.atomic(Array.from({ length: n }, (_, i) => auditStatement(t.operator, { action, outcome: 'success', detail: detail(i) })));
}

describe('who may use the audit console', () => {
  const someId = '00000000-0000-4000-8000-000000000000';
  const pages = ['/audit', '/audit/zoeken', `/audit/gebeurtenissen/${someId}`, '/audit/export.csv', '/audit/keten'];

  it('the auditor reaches every page', async () => {
    for (const path of pages) {
      const response = await clients.get('auditor')!.get(path);
      expect([200, 404], path).toContain(response.status);
    }
  });

  it('the municipal admin sees the chain status only, not the trail', async () => {
    const admin = clients.get('municipal_admin')!;
    expect((await admin.get('/audit')).status).toBe(200);
    expect((await admin.get('/audit')).html).not.toContain('action="/audit/zoeken"');
    expect((await admin.get('/audit/keten')).status).toBe(200);
    for (const path of ['/audit/zoeken', `/audit/gebeurtenissen/${someId}`, '/audit/export.csv']) expect((await admin.get(path)).status, path).toBe(403);
  });

  it('professionals, coordinators and match monitors get 403 everywhere', async () => {
    for (const role of ['professional', 'organisation_coordinator', 'match_monitor'] as const) {
      for (const path of pages) expect((await clients.get(role)!.get(path)).status, `${role} ${path}`).toBe(403);
      expect((await clients.get(role)!.post('/audit/keten', {})).status, role).toBe(403);
    }
  });

  it('the verbs refuse a role without the permission themselves, audited', async () => {
    const admin = await t.person(['municipal_admin']);
    const ctx: Ctx = { ...t.operator, actor: { type: 'professional', id: admin.id, organisationId: null, roles: ['municipal_admin'] } };
    await expect(searchAudit(ctx, {})).rejects.toMatchObject({ code: 'forbidden' });
    const [row] = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, admin.id), eq(auditEvents.action, 'audit.search')));
    expect(row).toMatchObject({ outcome: 'denied' });
  });
});

describe('filters', () => {
  it('refuses an id that is not a UUID, with a message beside the field', async () => {
    const page = await clients.get('auditor')!.get('/audit/zoeken?registration=abc');
    expect(page.status).toBe(422);
    expect(page.html).toContain('Vul een geldig registratie-id in');
    await expect(searchAudit(auditorCtx, { match: 'nope' })).rejects.toMatchObject({
      code: 'invalid_input',
      fields: { match: [expect.stringContaining('match-id')] },
    });
    await expect(searchAudit(auditorCtx, { action: 'DROP TABLE' })).rejects.toMatchObject({ fields: { action: [expect.any(String)] } });
    await expect(searchAudit(auditorCtx, { outcome: 'maybe' })).rejects.toMatchObject({ fields: { outcome: [expect.any(String)] } });
    await expect(searchAudit(auditorCtx, { from: '2026-02-30' })).rejects.toMatchObject({ fields: { from: [expect.any(String)] } });
    await expect(searchAudit(auditorCtx, { from: '2026-03-02', to: '2026-03-01' })).rejects.toMatchObject({ fields: { to: [expect.any(String)] } });
    await expect(searchAudit(auditorCtx, { colour: 'red' })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('refuses a BSN-shaped value in any field and never records or logs it', async () => {
    const bsn = randomBsn();
    const spaced = `${bsn.slice(0, 4)} ${bsn.slice(4, 6)} ${bsn.slice(6)}`;
    expect(looksLikeBsn(spaced)).toBe(true);
    const logsBefore = t.logs.length;
    const auditor = clients.get('auditor')!;
    for (const field of ['actor', 'registration', 'person', 'action', 'request', 'cursor']) {
      const page = await auditor.get(`/audit/zoeken?${new URLSearchParams({ [field]: spaced })}`);
      expect(page.status, field).toBe(422);
      expect(page.html).toContain('Dit lijkt op een BSN');
      expect(page.html).not.toContain(bsn.slice(0, 4));
    }
    const csv = await auditor.get(`/audit/export.csv?${new URLSearchParams({ actor: bsn })}`);
    expect(csv.status).toBe(422);
    expect(csv.html).not.toContain(bsn);
    await expect(searchAudit(auditorCtx, { organisation: bsn })).rejects.toMatchObject({ fields: { organisation: [expect.stringContaining('BSN')] } });
    // Inside a longer value (an operator name would pass the actor pattern otherwise).
    await expect(searchAudit(auditorCtx, { actor: `x${bsn}` })).rejects.toMatchObject({ fields: { actor: [expect.stringContaining('BSN')] } });
    // As a field name too.
    expect((await auditor.get(`/audit/zoeken?${bsn}=1`)).status).toBe(422);

    const text = await trailText();
    expect(text).not.toContain(bsn);
    expect(text).not.toContain(`${bsn.slice(0, 4)} `);
    expect(JSON.stringify(t.logs.slice(logsBefore))).not.toContain(bsn);
    expect(JSON.stringify(t.logs.slice(logsBefore))).not.toContain(spaced);
    // The refusal itself is audited, with the field names only.
    const refused = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'audit.search'), eq(auditEvents.outcome, 'invalid')));
    expect(refused.some((row) => row.detail?.bsn === true && row.detail?.fields === 'actor')).toBe(true);
  });
});

describe('searching', () => {
  it('pages newest first with a cursor that stays put while new events arrive', async () => {
    await testEvents(120, 'test.paged');
    const first = await searchAudit(auditorCtx, { action: 'test.paged' });
    expect(first.events).toHaveLength(50);
    expect(first.next).not.toBeNull();
    const seqs = first.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    await testEvents(30, 'test.paged'); // newer events must not shift the next page
    const second = await searchAudit(auditorCtx, { action: 'test.paged', cursor: first.next! });
    const third = await searchAudit(auditorCtx, { action: 'test.paged', cursor: second.next! });
    expect(second.events[0]!.seq).toBeLessThan(seqs.at(-1)!);
    expect(third.next).toBeNull();
    const all = [...first.events, ...second.events, ...third.events].map((e) => e.detail!.i);
    expect(all).toEqual(Array.from({ length: 120 }, (_, i) => 119 - i));
  });

  it('filters by actor, role, outcome, registration and period', async () => {
    const org = await t.organisation();
    const p = await org.professional();
    const { body } = await t.register(org, p.email);
    const byRegistration = await searchAudit(auditorCtx, { registration: body.id });
    expect(byRegistration.events.length).toBeGreaterThan(0);
    expect(byRegistration.events.every((e) => e.registrationId === body.id)).toBe(true);
    const byRole = await searchAudit(auditorCtx, { role: 'auditor' });
    expect(byRole.events.length).toBeGreaterThan(0);
    expect(byRole.events.every((e) => e.actorRoles?.split(',').includes('auditor'))).toBe(true);
    const byActor = await searchAudit(auditorCtx, { actor: 'test', outcome: 'success', limit: '5' });
    expect(byActor.events).toHaveLength(5);
    expect(byActor.events.every((e) => e.actorId === 'test' && e.outcome === 'success')).toBe(true);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(t.clock.now());
    expect((await searchAudit(auditorCtx, { from: today, to: today, action: 'test.paged' })).events).toHaveLength(50);
    expect((await searchAudit(auditorCtx, { from: '2000-01-01', to: '2000-01-02' })).events).toHaveLength(0);
  });

  it('audits each search with the validated filter, and each detail view', async () => {
    const auditor = clients.get('auditor')!;
    const page = await auditor.get('/audit/zoeken?action=test.paged&outcome=success');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Volgende (oudere) gebeurtenissen');
    const [search] = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'audit.search'), sql`json_extract(detail, '$.action') = 'test.paged'`, eq(auditEvents.actorRoles, 'auditor')))
      .orderBy(sql`seq DESC`)
      .limit(1);
    expect(search!.detail).toMatchObject({ action: 'test.paged', outcome: 'success', rows: 50 });

    const id = /href="\/audit\/gebeurtenissen\/([0-9a-f-]{36})"/.exec(page.html)![1]!;
    const detail = await auditor.get(`/audit/gebeurtenissen/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.html).toContain('test.paged');
    expect(detail.html).toContain('/audit/zoeken?action=test.paged');
    const [read] = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'audit.read'), sql`json_extract(detail, '$.eventId') = ${id}`));
    expect(read).toMatchObject({ outcome: 'success' });
    expect((await auditor.get('/audit/gebeurtenissen/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

describe('CSV export', () => {
  it('streams the filter as CSV with a header and proper quoting, audited', async () => {
    await testEvents(3, 'test.csv', (i) => ({ note: i === 0 ? 'a "quoted", value' : `=cmd${i}` }));
    const response = await clients.get('auditor')!.get('/audit/export.csv?action=test.csv');
    expect(response.status).toBe(200);
    expect(response.response.headers.get('content-type')).toContain('text/csv');
    expect(response.response.headers.get('content-disposition')).toMatch(/^attachment; filename="auditlogboek-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.response.headers.get('link')).toBeNull();
    const lines = response.html.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'seq,id,at,actor_type,actor_id,actor_roles,organisation_id,action,outcome,registration_id,match_id,target_user_id,request_id,origin,detail',
    );
    expect(lines).toHaveLength(4);
    expect(lines[3]).toContain('"{""note"":""a \\""quoted\\"", value""}"');
    expect(lines.every((line, i) => i === 0 || line.includes(',test.csv,success,'))).toBe(true);
    const [row] = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'audit.export'), eq(auditEvents.actorRoles, 'auditor')))
      .orderBy(sql`seq DESC`)
      .limit(1);
    expect(row!.detail).toMatchObject({ action: 'test.csv', part: 'last' });
  });

  it('cuts a long export into parts and names the next one', async () => {
    const part = await exportAuditCsv(auditorCtx, { action: 'test.paged' }, { maxRows: 60 });
    expect(part.next).not.toBeNull();
    const text = await new Response(part.stream).text();
    expect(text.trimEnd().split('\r\n')).toHaveLength(61);
    const rest = await exportAuditCsv(auditorCtx, { action: 'test.paged', cursor: part.next! }, { maxRows: 1000 });
    expect(rest.next).toBeNull();
    const restLines = (await new Response(rest.stream).text()).trimEnd().split('\r\n');
    expect(restLines).toHaveLength(150 - 60 + 1);
    const lastOfFirst = Number(text.trimEnd().split('\r\n').at(-1)!.split(',')[0]);
    expect(Number(restLines[1]!.split(',')[0])).toBeLessThan(lastOfFirst);
  });
});

describe('chain status and the alert', () => {
  it('a check is stored and audited; a failed one alerts auditor and admin on every page until acknowledged', async () => {
    const admin = clients.get('municipal_admin')!;
    const auditor = clients.get('auditor')!;
    const ran = await admin.post('/audit/keten', {});
    expect(ran.status).toBe(303);
    const [ok] = await t.deps.db.select().from(auditChecks);
    expect(ok).toMatchObject({ ok: true });
    expect(ok!.checked).toBeGreaterThan(100);
    expect((await admin.get('/')).html).not.toContain('niet in orde bevonden');

    // Tamper with a row (as an attacker with database access would).
    await t.deps.db.run(sql`DROP TRIGGER IF EXISTS audit_events_seal_only`);
    await t.deps.db.run(sql`DROP TRIGGER IF EXISTS audit_events_no_delete`);
    const [victim] = await t.deps.db.select({ seq: auditEvents.seq }).from(auditEvents).where(eq(auditEvents.action, 'test.csv')).limit(1);
    await t.deps.db.run(sql`UPDATE audit_events SET outcome = 'denied' WHERE seq = ${victim!.seq}`);

    expect((await auditor.post('/audit/keten', {})).status).toBe(303);
    const [failed] = await t.deps.db.select().from(auditChecks).where(eq(auditChecks.ok, false));
    expect(failed).toMatchObject({ brokenAt: victim!.seq, acknowledgedAt: null });
    const [verifyRow] = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'audit.verify'), eq(auditEvents.outcome, 'error')));
    expect(verifyRow!.detail).toMatchObject({ checkId: failed!.id, ok: false, brokenAt: victim!.seq });
    expect(t.logs.some((l) => l.message === 'audit chain checked' && l.fields?.ok === false)).toBe(true);

    for (const client of [admin, auditor]) {
      for (const path of ['/', '/account', '/audit']) expect((await client.get(path)).html, path).toContain('niet in orde bevonden');
    }
    expect((await clients.get('professional')!.get('/')).html).not.toContain('niet in orde bevonden');

    // Only the auditor acknowledges (the admins' actions are what the trail records), and only a failed check.
    expect((await admin.post(`/audit/keten/${failed!.id}/gezien`, {})).status).toBe(403);
    expect((await auditor.post(`/audit/keten/${ok!.id}/gezien`, {})).status).toBe(404);
    const seen = await auditor.post(`/audit/keten/${failed!.id}/gezien`, {});
    expect(seen.status).toBe(303);
    for (const client of [admin, auditor]) expect((await client.get('/')).html).not.toContain('niet in orde bevonden');
    const [acknowledged] = await t.deps.db.select().from(auditChecks).where(eq(auditChecks.id, failed!.id));
    expect(acknowledged!.acknowledgedAt).not.toBeNull();
    const [ackRow] = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'audit.acknowledge'), eq(auditEvents.outcome, 'success')));
    expect(ackRow!.detail).toMatchObject({ checkId: failed!.id });
    // The failure stays in the list.
    expect((await auditor.get('/audit/keten')).html).toContain(`Fout bij ${victim!.seq}`);
  });
});

describe('a period', () => {
  it('holds exactly the events of those Dutch calendar days, newest first', async () => {
    // Last in this file: it moves the clock two days on (the other tests need a fresh trail).
    const c = t;
    const ctx = auditorCtx;
    const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(d);
    const record = (n: number) =>
      c.deps.atomic(Array.from({ length: n }, (_, i) => auditStatement(c.operator, { action: 'test.period', outcome: 'success', detail: { i } })));
    c.clock.advance!(2 * 86_400_000); // a day of its own, after everything before
    const first = day(c.clock.now());
    await record(3);
    c.clock.advance!(2 * 86_400_000);
    const later = day(c.clock.now());
    await record(2);
    // Without another filter (the seq range of the period); first, before the searches add rows of their own.
    expect((await searchAudit(ctx, { from: later, to: later })).events.map((e) => e.action)).toEqual(['test.period', 'test.period']);
    const firstDay = await searchAudit(ctx, { from: first, to: first });
    expect(firstDay.events.map((e) => e.detail?.i)).toEqual([2, 1, 0]);
    expect(firstDay.events.every((e) => day(e.at) === first)).toBe(true);
    expect((await searchAudit(ctx, { to: first })).events.length).toBe(50);
    const count = async (filter: Record<string, string>) => (await searchAudit(ctx, { action: 'test.period', ...filter })).events.length;
    expect(await count({ from: first, to: first })).toBe(3);
    expect(await count({ from: later, to: later })).toBe(2);
    expect(await count({ from: later })).toBe(2);
    expect(await count({ to: first })).toBe(3);
    expect(await count({ from: first, to: later })).toBe(5);
    const part = await exportAuditCsv(ctx, { action: 'test.period', from: first, to: first });
    expect((await new Response(part.stream).text()).trimEnd().split('\r\n')).toHaveLength(4);
  });
});
