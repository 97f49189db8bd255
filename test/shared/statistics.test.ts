/**
 * Statistics, on both runtimes: counters are added in the same unit as the change
 * (register, end, expiry, death, a created match), never twice under retries, never for a
 * refused or repeated registration; the page and the CSV show small cells as "< 5" and
 * never their value; only the municipal admin may see them; every view and export audited.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/context.ts';
import type { Sector } from '../../src/vocabulary.ts';
import { countStatements, type Metric } from '../../src/stats/counters.ts';
import { auditEvents, statisticsCounters } from '../../src/db/schema.ts';
import { drainOutbox } from '../../src/jobs/drain-outbox.ts';
import { expireRegistrations } from '../../src/jobs/expire-registrations.ts';
import { confirmDeath, proposeDeathConfirmation, reportDeath } from '../../src/registry/death.ts';
import { approveRightsRequest, decideRightsItem } from '../../src/rights/decide.ts';
import { getRightsRequest, openRightsRequest } from '../../src/rights/requests.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestClock } from '../support/clock.ts';
import { createTestContext, memoryMailer, type TestContext, type TestOrganisation } from '../support/context.ts';
import { loggedInPerson, loggedInProfessional } from '../support/web-client.ts';

const clock = createTestClock(new Date('2026-11-23T09:00:00Z'));
const mailer = memoryMailer();
let t: TestContext;
let system: Ctx;

async function counter(month: string, sector: string, metric: string): Promise<number> {
  const rows = await t.deps.db
    .select({ count: statisticsCounters.count })
    .from(statisticsCounters)
    .where(and(eq(statisticsCounters.month, month), eq(statisticsCounters.sector, sector), eq(statisticsCounters.metric, metric)));
  return rows.reduce((sum, r) => sum + r.count, 0);
}

/** The counters of these (sector, metric) pairs in a month, to compare before and after. */
async function snapshot(month: string, pairs: [string, string][]) {
  return Object.fromEntries(await Promise.all(pairs.map(async ([s, m]) => [`${s}/${m}`, await counter(month, s, m)] as const)));
}

async function adminCtx(): Promise<Ctx> {
  const { id } = await t.person(['municipal_admin']);
  return { deps: t.deps, actor: { type: 'professional', id, organisationId: null, roles: ['municipal_admin'] }, requestId: null, origin: null };
}

async function endVia(org: TestOrganisation, id: string, reason: string) {
  const response = await t.app.request(`/api/v1/registrations/${id}/end`, { method: 'POST', headers: org.authHeaders, body: JSON.stringify({ reason }) });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  t = await createTestContext({ clock, mailer, env: { LOGIN_LIMIT_PER_IP: '100' } });
  system = { deps: t.deps, actor: { type: 'system', id: 'test-job' }, requestId: null, origin: null };
});
afterAll(() => t.close());

describe('counted when things happen', () => {
  it('a registration counts +1 in its month for its sector and the total', async () => {
    clock.set(new Date('2026-11-23T09:00:00Z'));
    const org = await t.organisation('education');
    const p = await org.professional();
    const before = await snapshot('2026-11', [
      ['education', 'registrations'],
      ['all', 'registrations'],
      ['police', 'registrations'],
    ]);
    expect((await t.register(org, p.email)).status).toBe(201);
    expect(
      await snapshot('2026-11', [
        ['education', 'registrations'],
        ['all', 'registrations'],
        ['police', 'registrations'],
      ]),
    ).toEqual({
      'education/registrations': before['education/registrations']! + 1,
      'all/registrations': before['all/registrations']! + 1,
      'police/registrations': before['police/registrations'],
    });
  });

  it('the Dutch month: 23:30 UTC on 31 December is January in Amsterdam', async () => {
    clock.set(new Date('2026-12-31T23:30:00Z'));
    const org = await t.organisation('justice');
    const p = await org.professional();
    await t.register(org, p.email);
    expect(await counter('2027-01', 'justice', 'registrations')).toBe(1);
    expect(await counter('2026-12', 'justice', 'registrations')).toBe(0);
  });

  it('a repeated registration (same professional, same subject) and a refused one count nothing', async () => {
    clock.set(new Date('2026-11-23T09:00:00Z'));
    const org = await t.organisation('social_support');
    const p = await org.professional();
    const bsn = randomBsn();
    expect((await t.register(org, p.email, { bsn })).status).toBe(201);
    const again = await t.register(org, p.email, { bsn });
    expect(again.status).toBe(200);
    const tooOld = await t.register(org, p.email, { birthDate: '1990-01-01' });
    expect(tooOld.status).toBe(422);
    expect(await counter('2026-11', 'social_support', 'registrations')).toBe(1);
  });

  it('a created match counts once, for each founding sector; joining adds no match', async () => {
    clock.set(new Date('2026-11-23T09:00:00Z'));
    const a = await t.organisation('mental_health');
    const b = await t.organisation('general_practice');
    const c = await t.organisation('general_practice');
    const [pa, pb, pc] = [await a.professional(), await b.professional(), await c.professional()];
    const bsn = randomBsn();
    const allBefore = await counter('2026-11', 'all', 'matches');
    await t.register(a, pa.email, { bsn });
    expect(await counter('2026-11', 'all', 'matches')).toBe(allBefore);
    const second = await t.register(b, pb.email, { bsn });
    expect(second.body.matchId).toBeTruthy();
    const third = await t.register(c, pc.email, { bsn });
    expect(third.body.matchId).toBe(second.body.matchId);
    expect(await counter('2026-11', 'all', 'matches')).toBe(allBefore + 1);
    expect(await counter('2026-11', 'mental_health', 'matches')).toBe(1);
    expect(await counter('2026-11', 'general_practice', 'matches')).toBe(1);
  });

  it('concurrent registrations of one subject count each registration and the match exactly once (retries do not count twice)', async () => {
    clock.set(new Date('2026-10-05T09:00:00Z'));
    const orgs = await Promise.all(Array.from({ length: 6 }, () => t.organisation('district_team')));
    const people = await Promise.all(orgs.map((o) => o.professional()));
    const bsn = randomBsn();
    const results = await Promise.all(orgs.map((o, i) => t.register(o, people[i]!.email, { bsn })));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect(await counter('2026-10', 'district_team', 'registrations')).toBe(6);
    expect(await counter('2026-10', 'all', 'registrations')).toBe(6);
    expect(await counter('2026-10', 'all', 'matches')).toBe(1);
    expect(await counter('2026-10', 'district_team', 'matches')).toBe(1);
  });

  it('ending counts per reason, for the sector, at the end time (resolved archives, unjustified deletes)', async () => {
    clock.set(new Date('2026-11-23T09:00:00Z'));
    const org = await t.organisation('youth_health');
    const p = await org.professional();
    const one = await t.register(org, p.email);
    const two = await t.register(org, p.email);
    clock.set(new Date('2027-02-10T09:00:00Z'));
    await endVia(org, one.body.id, 'resolved');
    await endVia(org, two.body.id, 'unjustified');
    expect(await counter('2027-02', 'youth_health', 'ended:resolved')).toBe(1);
    expect(await counter('2027-02', 'youth_health', 'ended:unjustified')).toBe(1);
    expect(await counter('2027-02', 'all', 'ended:unjustified')).toBeGreaterThanOrEqual(1);
    // Ending an already ended registration is refused and counts nothing.
    const again = await t.app.request(`/api/v1/registrations/${one.body.id}/end`, {
      method: 'POST',
      headers: org.authHeaders,
      body: JSON.stringify({ reason: 'resolved' }),
    });
    expect(again.status).toBe(404);
    expect(await counter('2027-02', 'youth_health', 'ended:resolved')).toBe(1);
  });

  it('expiry by term counts "expired"; by age every active registration of the subject counts "turned_23"', async () => {
    clock.set(new Date('2026-11-23T09:00:00Z'));
    const a = await t.organisation('safe_home');
    const b = await t.organisation('police');
    const [pa, pb] = [await a.professional(), await b.professional()];
    const bsn = randomBsn();
    // Turns 23 in June 2027: both registrations end by age on 2027-05-31.
    await t.register(a, pa.email, { bsn, birthDate: '2004-06-01' });
    await t.register(b, pb.email, { bsn, birthDate: '2004-06-01' });
    // One more, by term (24 months).
    await t.register(a, pa.email);
    clock.set(new Date('2027-06-02T09:00:00Z'));
    await expireRegistrations(system);
    expect(await counter('2027-06', 'safe_home', 'ended:turned_23')).toBe(1);
    expect(await counter('2027-06', 'police', 'ended:turned_23')).toBe(1);
    expect(await counter('2027-06', 'all', 'ended:turned_23')).toBe(2);
    await expireRegistrations(system); // run twice: nothing more
    expect(await counter('2027-06', 'all', 'ended:turned_23')).toBe(2);
    clock.set(new Date('2028-11-24T09:00:00Z'));
    await expireRegistrations(system);
    expect(await counter('2028-11', 'safe_home', 'ended:expired')).toBe(1);
  });

  it('a confirmed death counts "deceased" for every active registration of the subject (not its archived ones)', async () => {
    clock.set(new Date('2026-11-23T09:00:00Z'));
    const a = await t.organisation('youth_care', 'Dood A');
    const b = await t.organisation('education', 'Dood B');
    const c = await t.organisation('youth_care', 'Dood C');
    const [pa, pb, pc] = [await a.professional(), await b.professional(), await c.professional()];
    const bsn = randomBsn();
    const archived = await t.register(c, pc.email, { bsn });
    await endVia(c, archived.body.id, 'resolved');
    const first = await t.register(a, pa.email, { bsn });
    await t.register(b, pb.email, { bsn });
    clock.set(new Date('2026-12-01T09:00:00Z'));
    const reporter: Ctx = {
      deps: t.deps,
      actor: { type: 'professional', id: pa.id, organisationId: a.id, roles: ['professional'] },
      requestId: null,
      origin: null,
    };
    const report = await reportDeath(reporter, { registrationId: first.body.id });
    await proposeDeathConfirmation(await adminCtx(), { reportId: report.id, diedOn: '2026-11-30' });
    await confirmDeath(await adminCtx(), { reportId: report.id });
    expect(await counter('2026-12', 'youth_care', 'ended:deceased')).toBe(1);
    expect(await counter('2026-12', 'education', 'ended:deceased')).toBe(1);
    expect(await counter('2026-12', 'all', 'ended:deceased')).toBe(2);
  });

  it('an erasure granted at the rights desk counts "erasure" for an active registration, nothing for an archived one', async () => {
    clock.set(new Date('2026-11-23T09:00:00Z'));
    const a = await t.organisation('debt_counselling', 'Wissen A');
    const b = await t.organisation('debt_counselling', 'Wissen B');
    const [pa, pb] = [await a.professional(), await b.professional()];
    const bsn = randomBsn();
    const archived = await t.register(a, pa.email, { bsn });
    await endVia(a, archived.body.id, 'resolved');
    await t.register(b, pb.email, { bsn });
    clock.set(new Date('2026-12-02T09:00:00Z'));
    const [admin1, admin2] = [await adminCtx(), await adminCtx()];
    const opened = await openRightsRequest(admin1, { kind: 'erasure', bsn, birthDate: '2012-05-17', reference: 'AVG-77-301', receivedOn: '2026-12-01' });
    expect(opened.found).toBe(2);
    const { items } = await getRightsRequest(admin1, { requestId: opened.id });
    for (const item of items) await decideRightsItem(admin1, { requestId: opened.id, itemId: item.id, decision: 'grant' });
    await approveRightsRequest(admin2, { requestId: opened.id });
    expect(await counter('2026-12', 'debt_counselling', 'ended:erasure')).toBe(1);
    expect(await counter('2026-12', 'all', 'ended:erasure')).toBe(1);
  });

  it('counter rows hold no ids: only month, sector, metric, bucket and count', async () => {
    const rows = await t.deps.db.select().from(statisticsCounters);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(['bucket', 'count', 'metric', 'month', 'sector']);
    const audits = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, 'statistics.view'));
    expect(audits).toEqual([]);
  });
});

/** The table with this caption (HTML). */
function tableOf(html: string, caption: string): string {
  const table = html
    .split('<table')
    .map((part) => part.split('</table>')[0]!)
    .find((part) => part.split('</caption>')[0]!.includes(caption));
  expect(table, caption).toBeTruthy();
  return table!;
}

/** The column headers of that table. */
function tableHeaders(html: string, caption: string): string[] {
  return [...tableOf(html, caption).matchAll(/<th[^>]*scope="col"[^>]*>(.*?)<\/th>/g)].map((m) => m[1]!);
}

/** The cells of the row headed `month` in the table with this caption (text, unescaped). */
function rowCells(html: string, caption: string, month: string): string[] {
  const table = html
    .split('<table')
    .map((part) => part.split('</table>')[0]!)
    .find((part) => part.split('</caption>')[0]!.includes(caption));
  expect(table, caption).toBeTruthy();
  const row = table!.split('<tr').find((r) => r.includes(`>${month}</th>`));
  expect(row, month).toBeTruthy();
  return [...row!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').replaceAll('&lt;', '<'));
}

describe('the page and the CSV', () => {
  // Earlier tests queued many match mails: send them, so the invitations below go out at once.
  beforeEach(() => drainOutbox(t.deps, { batchSize: 1000 }).then(() => undefined));

  it('show a small figure as "< 5" and never its value; the figures that would reveal it are hidden too', async () => {
    clock.set(new Date('2030-03-10T09:00:00Z'));
    // Three sectors of three organisations each: youth care registers 3 in the month, education 7, police 6.
    const plan: [Sector, number[]][] = [
      ['youth_care', [1, 1, 1]],
      ['education', [3, 2, 2]],
      ['police', [2, 2, 2]],
    ];
    for (const [sector, perOrganisation] of plan) {
      for (const [k, n] of perOrganisation.entries()) {
        const org = await t.organisation(sector, `Maart ${sector} ${k}`);
        const p = await org.professional();
        for (let i = 0; i < n; i++) await t.register(org, p.email);
      }
    }
    // One hospital, alone in its sector: never a column of its own.
    const hospital = await t.organisation('hospital', 'Ziekenhuis Klein');
    await t.register(hospital, (await hospital.professional()).email);
    expect(await counter('2030-03', 'youth_care', 'registrations')).toBe(3);

    // Only completed months are shown: look in April.
    clock.set(new Date('2030-04-10T09:00:00Z'));
    const { client } = await loggedInPerson(t, ['municipal_admin'], mailer);
    const page = await client.get('/statistieken?from=2030-03&to=2030-03');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Overige sectoren');
    expect(page.html).not.toContain('>Ziekenhuis</th>'); // not a column of its own
    const cells = rowCells(page.html, 'Nieuwe registraties per maand en sector', 'maart 2030');
    expect(cells).toContain('< 5');
    expect(cells).not.toContain('3');
    // Whatever is shown, the hidden cells of the row can still add up in more than one way.
    expect(cells.filter((c) => c === '< 5' || c === 'x').length).toBeGreaterThanOrEqual(2);
    // No totals over the period (two periods would give a month away by subtraction); a
    // month reads the same in every period.
    expect(page.html).not.toContain('Hele periode');
    const longer = await client.get('/statistieken?from=2030-01&to=2030-03');
    expect(rowCells(longer.html, 'Nieuwe registraties per maand en sector', 'maart 2030')).toEqual(cells);
    // The chart: an image with a title and a description, hidden figures hatched or marked.
    expect(page.html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="grafiek-registraties-titel grafiek-registraties-beschrijving"/);
    expect(page.html).toContain('<title id="grafiek-registraties-titel">');

    const csv = await client.get('/statistieken.csv?from=2030-03&to=2030-03');
    expect(csv.status).toBe(200);
    expect(csv.response.headers.get('content-type')).toContain('text/csv');
    expect(csv.response.headers.get('content-disposition')).toBe('attachment; filename="statistieken-2030-03-2030-03.csv"');
    // (The byte order mark for Excel is taken off by the decoder here.)
    const lines = csv.html.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]!.split(';')[0]).toBe('Onderwerp');
    const line = lines
      .find((l) => l.startsWith('Nieuwe registraties;2030-03;'))!
      .split(';')
      .slice(2);
    expect(line).toContain('< 5');
    expect(line).not.toContain('3');
    expect(line.filter((c) => c === '< 5' || c === 'x').length).toBeGreaterThanOrEqual(2);
  });

  it('the share with contact in time and the medians, from the histograms; hidden where the counts beneath are small', async () => {
    // January 2031: 12 matches, contact after 2 working days for 7 and after 9 for 5; a coordinator for 3 only.
    const at = new Date('2031-01-15T09:00:00Z');
    const add = (metric: Metric, times: number, bucket?: number) =>
      Array.from({ length: times }, () =>
        countStatements(t.deps.db, { metric, at, sectors: ['youth_care'], ...(bucket === undefined ? {} : { bucket }) }),
      ).flat();
    await t.deps.atomic([
      ...add('matches', 12),
      ...add('contact_days', 7, 2),
      ...add('contact_days', 5, 9),
      ...add('coordinator_days', 3, 4),
      ...add('escalations', 6),
    ]);
    // In February January is complete, but its matches are still being followed up: no
    // follow-up figure yet (it would still change), the match count is there.
    clock.set(new Date('2031-02-27T09:00:00Z'));
    let { client } = await loggedInPerson(t, ['municipal_admin'], mailer);
    const early = await client.get('/statistieken?from=2031-01&to=2031-01');
    expect(early.status).toBe(200);
    expect(rowCells(early.html, 'Nieuwe matches per maand en sector', 'januari 2031').at(-1)).toBe('12');
    for (const caption of [
      'Aandeel matches met contact binnen 5 werkdagen',
      'Mediaan aantal werkdagen van match tot contact',
      'Mediaan aantal werkdagen van match tot regievoerder',
      'Matches doorgezet naar de matchopvolging',
    ]) {
      const cells = rowCells(early.html, caption, 'januari 2031');
      expect(new Set(cells), caption).toEqual(new Set(['nog niet volledig']));
    }
    expect(early.html).not.toContain('58,3');
    const earlyCsv = await client.get('/statistieken.csv?from=2031-01&to=2031-01');
    expect(earlyCsv.html).toMatch(/Aandeel matches met contact binnen 5 werkdagen \(%\);2031-01;.*;nog niet volledig\r\n/);
    expect(earlyCsv.html).not.toContain('58,3');

    // From March on (January ended a full month ago) they are shown.
    clock.set(new Date('2031-03-01T09:00:00Z'));
    ({ client } = await loggedInPerson(t, ['municipal_admin'], mailer));
    const page = await client.get('/statistieken?from=2031-01&to=2031-01');
    expect(page.status).toBe(200);
    const share = rowCells(page.html, 'Aandeel matches met contact binnen 5 werkdagen', 'januari 2031');
    expect(share.at(-1)).toBe('58,3%');
    expect(rowCells(page.html, 'Mediaan aantal werkdagen van match tot contact', 'januari 2031').at(-1)).toBe('2');
    // Three coordinators: too few for a median.
    expect(rowCells(page.html, 'Mediaan aantal werkdagen van match tot regievoerder', 'januari 2031').at(-1)).toBe('x');
    expect(rowCells(page.html, 'Matches doorgezet naar de matchopvolging', 'januari 2031').at(-1)).toBe('6');
    const csv = await client.get('/statistieken.csv?from=2031-01&to=2031-01');
    expect(csv.html).toMatch(/Aandeel matches met contact binnen 5 werkdagen \(%\);2031-01;.*;58,3\r\n/);
  });

  it('a share that would exceed 100 % is hidden ("x"), never capped', async () => {
    // May 2031: 6 matches counted, but 12 with contact in time (counted for other sectors than the matches).
    const at = new Date('2031-05-15T09:00:00Z');
    const add = (metric: Metric, times: number, bucket?: number) =>
      Array.from({ length: times }, () =>
        countStatements(t.deps.db, { metric, at, sectors: ['youth_care'], ...(bucket === undefined ? {} : { bucket }) }),
      ).flat();
    await t.deps.atomic([...add('matches', 6), ...add('contact_days', 12, 1)]);
    clock.set(new Date('2031-07-02T09:00:00Z'));
    const { client } = await loggedInPerson(t, ['municipal_admin'], mailer);
    const page = await client.get('/statistieken?from=2031-05&to=2031-05');
    expect(page.status).toBe(200);
    expect(rowCells(page.html, 'Aandeel matches met contact binnen 5 werkdagen', 'mei 2031').at(-1)).toBe('x');
    expect(new Set(rowCells(page.html, 'Aandeel matches met contact binnen 5 werkdagen', 'mei 2031'))).not.toContain('100%');
  });

  it('a month reads the same before and after a sector gains its third organisation later: grouped by the organisations at its end', async () => {
    // May 2032: two organisations of 'other' (no other test uses it) register 6 each.
    clock.set(new Date('2032-05-12T09:00:00Z'));
    for (const name of ['Overig Mei A', 'Overig Mei B']) {
      const org = await t.organisation('other', name);
      const p = await org.professional();
      for (let i = 0; i < 6; i++) await t.register(org, p.email);
    }
    const caption = 'Nieuwe registraties per maand en sector';
    clock.set(new Date('2032-06-03T09:00:00Z'));
    let { client } = await loggedInPerson(t, ['municipal_admin'], mailer);
    const before = await client.get('/statistieken?from=2032-05&to=2032-05');
    expect(before.status).toBe(200);
    expect(before.html).not.toContain('>Overig</th>'); // two organisations: no column of its own
    expect(tableOf(before.html, caption)).toContain('Overige sectoren');

    // June: a third organisation of the sector, which then has three.
    const third = await t.organisation('other', 'Overig Juni C');
    const p = await third.professional();
    for (let i = 0; i < 6; i++) await t.register(third, p.email);
    clock.set(new Date('2032-07-03T09:00:00Z'));
    ({ client } = await loggedInPerson(t, ['municipal_admin'], mailer));
    const after = await client.get('/statistieken?from=2032-05&to=2032-05');
    expect(tableOf(after.html, caption)).toBe(tableOf(before.html, caption));
    expect((await client.get('/statistieken.csv?from=2032-05&to=2032-05')).html).toContain('Nieuwe registraties;2032-05;');

    // Both months: June has the sector on its own, May reads "–" there and keeps its figures.
    const both = await client.get('/statistieken?from=2032-05&to=2032-06');
    const headers = tableHeaders(both.html, caption);
    const column = headers.indexOf('Overig') - 1; // the first header is "Maand"
    expect(column).toBeGreaterThanOrEqual(0);
    expect(rowCells(both.html, caption, 'mei 2032')[column]).toBe('–');
    expect(rowCells(both.html, caption, 'juni 2032')[column]).not.toBe('–');
    const merged = headers.indexOf('Overige sectoren') - 1;
    const may = rowCells(both.html, caption, 'mei 2032');
    const mayAlone = rowCells(after.html, caption, 'mei 2032');
    expect(may[merged]).toBe(mayAlone[tableHeaders(after.html, caption).indexOf('Overige sectoren') - 1]);
    expect(may.at(-1)).toBe(mayAlone.at(-1));
    expect(both.html).toContain('mei 2032: ');
  });

  it('a wrong period is refused beside the field (422), audited neither as a view nor as an export', async () => {
    const { client } = await loggedInPerson(t, ['municipal_admin'], mailer);
    const reversed = await client.get('/statistieken?from=2030-05&to=2030-01');
    expect(reversed.status).toBe(422);
    expect(reversed.html).toContain('De laatste maand ligt vóór de eerste maand.');
    expect(reversed.html).toContain('id="veld-to-fout"');
    const garbage = await client.get('/statistieken.csv?from=maart');
    expect(garbage.status).toBe(422);
    expect(garbage.html).toContain('Kies een maand als JJJJ-MM');
    const tooLong = await client.get('/statistieken?from=2020-01&to=2030-01');
    expect(tooLong.status).toBe(422);
    // The current month (or a later one) is never shown: it still changes with every event.
    clock.set(new Date('2030-03-10T09:00:00Z'));
    for (const query of ['?from=2030-01&to=2030-03', '?to=2030-07']) {
      const current = await client.get(`/statistieken${query}`);
      expect(current.status, query).toBe(422);
      expect(current.html).toContain('Kies een afgesloten maand: hoogstens 2030-02.');
      expect(current.html).toContain('id="veld-to-fout"');
    }
    const fromCurrent = await client.get('/statistieken.csv?from=2030-03');
    expect(fromCurrent.status).toBe(422);
    expect(fromCurrent.html).toContain('id="veld-from-fout"');
    expect((await client.get('/statistieken?from=2030-02&to=2030-02')).status).toBe(200);
  });

  it('the default period is the twelve completed months before this one; every view and export is audited with the period', async () => {
    clock.set(new Date('2030-03-10T09:00:00Z'));
    const { client } = await loggedInPerson(t, ['municipal_admin'], mailer);
    const page = await client.get('/statistieken');
    expect(page.status).toBe(200);
    expect(page.html).toContain('>maart 2029</th>');
    expect(page.html).toContain('>februari 2030</th>');
    expect(page.html).not.toContain('>maart 2030</th>');
    expect(page.html).not.toContain('>februari 2029</th>');
    await client.get('/statistieken.csv');
    const views = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, 'statistics.view'));
    expect(views.at(-1)).toMatchObject({ outcome: 'success', detail: { from: '2029-03', to: '2030-02' } });
    const exports = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, 'statistics.export'));
    expect(exports.at(-1)).toMatchObject({ outcome: 'success', detail: { from: '2029-03', to: '2030-02' } });
  });

  it('a professional, a coordinator, the match monitor and the auditor get 403, audited', async () => {
    const org = await t.organisation();
    const { client } = await loggedInProfessional(t, org, mailer);
    expect((await client.get('/statistieken')).status).toBe(403);
    expect((await client.get('/statistieken.csv')).status).toBe(403);
    for (const role of ['match_monitor', 'auditor'] as const) {
      const other = await loggedInPerson(t, [role], mailer);
      expect((await other.client.get('/statistieken')).status).toBe(403);
    }
    const denied = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, 'access.denied'));
    expect(denied.length).toBeGreaterThanOrEqual(4);
  });
});
