/**
 * `import registrations FILE.csv` (ADR 0016) on a real SQLite file, the CLI run in process:
 * good lines imported, every kind of bad line refused with its line number and never its
 * BSN, a re-run (or a resumed run after a crash) adds nothing twice, the matches the lines
 * imply made with or without mail, and an imported subject is the same subject for a later
 * registration through the normal path.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/context.ts';
import { createNodeDeps } from '../../src/entry/node-deps.ts';
import { parseEnv } from '../../src/env.ts';
import { addDays, addMonths, isoDate } from '../../src/lib/dates.ts';
import { registerInvolvement } from '../../src/registry/register-involvement.ts';
import { cliInTempDir } from '../support/process.ts';

const { dir, env, cli } = cliInTempDir('betrokken-cli-import-');

/** The n-th valid BSN from `start` (elfproef). */
function bsns(start: number, n: number): string[] {
  const out: string[] = [];
  for (let x = start; out.length < n; x++) {
    const s = String(x).padStart(9, '0');
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += (9 - i) * Number(s[i]);
    if ((sum - Number(s[8])) % 11 === 0 && !/^(\d)\1{8}$/.test(s)) out.push(s);
  }
  return out;
}

const json = async (...args: string[]) => {
  const run = await cli(...args, '--json');
  if (run.code !== 0) throw new Error(`${args.join(' ')}: ${run.stdout} ${run.stderr}`);
  return JSON.parse(run.stdout);
};

const today = isoDate(new Date());
const monthAgo = addDays(today, -30);
const BIRTH = '2012-05-17';
const [S1, S2, S3, S4, S5] = bsns(123_400_000, 5) as [string, string, string, string, string];
let orgC = '';
let c1 = '';

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function db() {
  return new Database(env.DATABASE_PATH, { readonly: true });
}

function count(sql: string, ...params: unknown[]): number {
  const database = db();
  try {
    return (
      (database
        .prepare(sql)
        .pluck()
        .get(...params) as number) ?? 0
    );
  } finally {
    database.close();
  }
}

beforeAll(async () => {
  const a = await json('org', 'create', '--name', 'Jeugdzorg A', '--sector', 'youth_care');
  const b = await json('org', 'create', '--name', 'School B', '--sector', 'education');
  const c = await json('org', 'create', '--name', 'Wijkteam C', '--sector', 'youth_care');
  const d = await json('org', 'create', '--name', 'Gesloten D', '--sector', 'education');
  orgC = c.id;
  await json('professional', 'create', '--org', a.id, '--name', 'A1', '--email', 'a1@a.example', '--role', 'professional');
  await json('professional', 'create', '--org', a.id, '--name', 'A2', '--email', 'a2@a.example', '--role', 'professional');
  await json('professional', 'create', '--org', a.id, '--name', 'Coord', '--email', 'coord@a.example', '--role', 'organisation_coordinator');
  const gone = await json('professional', 'create', '--org', a.id, '--name', 'Gone', '--email', 'gone@a.example', '--role', 'professional');
  await json('professional', 'deactivate', '--id', gone.id);
  await json('professional', 'create', '--org', b.id, '--name', 'B1', '--email', 'b1@b.example', '--role', 'professional');
  c1 = (await json('professional', 'create', '--org', c.id, '--name', 'C1', '--email', 'c1@c.example', '--role', 'professional')).id;
  await json('professional', 'create', '--org', d.id, '--name', 'D1', '--email', 'd1@d.example', '--role', 'professional');
  await json('org', 'deactivate', '--id', d.id, '--reason', 'resolved');
  await json('user', 'create', '--role', 'municipal_admin', '--name', 'Admin', '--email', 'admin@gemeente.example');
});

describe('import registrations', () => {
  it('imports the good lines, refuses each bad one with its line number and never its BSN', async () => {
    const lines = [
      // 1: header, `;`-separated, Dutch column names, BOM, CRLF
      '\uFEFFBSN;Geboortedatum;E-mail;Dossiernummer;Geregistreerd_op',
      `${S1};${BIRTH};a1@a.example;DOS-1;${monthAgo}`, // 2 ok
      `${S1};${BIRTH};B1@b.example;;${monthAgo}T10:00:00+01:00`, // 3 ok → match (A + B)
      `${S2};${BIRTH};a1@a.example;"DOS-""2""";${monthAgo}`, // 4 ok (a quote in the case number is refused: shape)
      `${S2};${BIRTH};a2@a.example;DOS-3;${monthAgo}`, // 5 ok, same organisation: no match
      '',
      `123456789;${BIRTH};a1@a.example;;${monthAgo}`, // 7 bad BSN
      `${S3};${addDays(today, 3)};a1@a.example;;${monthAgo}`, // 8 born in the future
      `${S3};${BIRTH};nobody@a.example;;${monthAgo}`, // 9 unknown
      `${S3};${BIRTH};coord@a.example;;${monthAgo}`, // 10 no professional role
      `${S3};${BIRTH};gone@a.example;;${monthAgo}`, // 11 deactivated
      `${S3};${BIRTH};d1@d.example;;${monthAgo}`, // 12 organisation deactivated
      `${S3};${BIRTH};admin@gemeente.example;;${monthAgo}`, // 13 municipal staff
      `${S3};${BIRTH};a1@a.example;;${addDays(today, 2)}`, // 14 registered in the future
      `${S3};${BIRTH};a1@a.example;;2020-01-01`, // 15 term expired
      `${S3};1990-01-01;a1@a.example;;${monthAgo}`, // 16 23 or older
      `${S3};${BIRTH};a1@a.example;REF-${S4};${monthAgo}`, // 17 a BSN in the case number
      `${S3};${BIRTH};a1@a.example;;01-02-2025`, // 18 not a date
      `${S3};17-05-2012;a1@a.example;;${monthAgo}`, // 19 not a date
      `${S3};${BIRTH};a1@a.example;"DOS 4";${monthAgo}`, // 20 a space in the case number
      `"${S5}";"${BIRTH}";"a2@a.example";"DOS-5";"${monthAgo}"`, // 21 ok, quoted
      '',
    ];
    const file = write('first.csv', lines.join('\r\n'));
    const errorsFile = join(dir, 'errors.csv');
    const run = await cli('import', 'registrations', file, '--errors', errorsFile, '--json');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ read: 19, imported: 4, duplicates: 0, rejectedCount: 15, matches: { created: 1, joined: 0 }, mailsQueued: 0 });
    const byLine = Object.fromEntries(summary.rejected.map((r: { line: number; field: string }) => [r.line, r.field]));
    expect(byLine).toEqual({
      4: 'Dossiernummer',
      7: 'BSN',
      8: 'Geboortedatum',
      9: 'E-mail',
      10: 'E-mail',
      11: 'E-mail',
      12: 'E-mail',
      13: 'E-mail',
      14: 'Geregistreerd_op',
      15: 'Geregistreerd_op',
      16: 'Geboortedatum',
      17: 'Dossiernummer',
      18: 'Geregistreerd_op',
      19: 'Geboortedatum',
      20: 'Dossiernummer',
    });
    expect(summary.rejected.find((r: { line: number }) => r.line === 15).reason).toMatch(/Termijn verstreken/);
    const errors = readFileSync(errorsFile, 'utf8');
    expect(errors.split('\n')[0]).toBe('line,field,reason');
    expect(errors.trim().split('\n')).toHaveLength(16);

    // No BSN anywhere: not in the output, the errors file, or any byte of the database.
    const everything = [run.stdout, run.stderr, errors, readFileSync(env.DATABASE_PATH).toString('latin1')];
    for (const bsn of [S1, S2, S3, S4, S5, '123456789']) for (const text of everything) expect(text).not.toContain(bsn);
    const database = db();
    try {
      const audits = database.prepare("SELECT detail, registration_id FROM audit_events WHERE action = 'registration.import'").all() as { detail: string }[];
      expect(audits).toHaveLength(1);
      expect(JSON.parse(audits[0]!.detail)).toMatchObject({ firstLine: 2, lastLine: 21, imported: 4, duplicates: 0, rejected: 15 });
      const audited = JSON.stringify(database.prepare('SELECT * FROM audit_events').all());
      for (const bsn of [S1, S2, S3, S4, S5]) expect(audited).not.toContain(bsn);
      expect(count("SELECT count(*) FROM audit_events WHERE action = 'match.create'")).toBe(1);
      // Counted under the month registered; the term ran from registered-at.
      expect(count("SELECT sum(count) FROM statistics_counters WHERE metric = 'registrations' AND sector = 'all'")).toBe(4);
      expect(count('SELECT count(*) FROM registrations WHERE inform_reminded_at IS NULL')).toBe(0);
      expect(count('SELECT count(*) FROM registrations WHERE ends_on = ?', addDays(addMonths(monthAgo, 24), -1))).toBe(4);
    } finally {
      database.close();
    }
    // Without --notify the match is made but nobody is mailed.
    expect(count('SELECT count(*) FROM matches')).toBe(1);
    expect(count('SELECT count(*) FROM match_members')).toBe(2);
    expect(count('SELECT count(*) FROM outbox WHERE template LIKE ?', 'match%')).toBe(0);

    // The same file again: nothing new, nothing doubled.
    const again = JSON.parse((await cli('import', 'registrations', file, '--json')).stdout);
    expect(again).toMatchObject({ read: 19, imported: 0, duplicates: 4, rejectedCount: 15, matches: { created: 0, joined: 0 } });
    expect(count('SELECT count(*) FROM registrations')).toBe(4);
    expect(count("SELECT sum(count) FROM statistics_counters WHERE metric = 'registrations' AND sector = 'all'")).toBe(4);
  });

  it('resumes after a crash: the first half committed, the whole file again imports the rest once; --notify queues the mails', async () => {
    const subjects = bsns(200_000_000, 40);
    const rows = subjects.flatMap((bsn, i) => [
      `${bsn},${BIRTH},a1@a.example,R-${i},${monthAgo}`,
      // every fourth subject also at B: a match
      ...(i % 4 === 0 ? [`${bsn},${BIRTH},b1@b.example,,${monthAgo}`] : []),
    ]);
    const header = 'bsn,birth_date,professional_email,case_number,registered_at';
    const whole = write('whole.csv', `${[header, ...rows].join('\n')}\n`);
    const half = write('half.csv', `${[header, ...rows.slice(0, 25)].join('\n')}\n`);
    const before = count('SELECT count(*) FROM registrations');

    const first = JSON.parse((await cli('import', 'registrations', half, '--batch-size', '7', '--notify', '--json')).stdout);
    expect(first).toMatchObject({ read: 25, imported: 25, duplicates: 0, rejectedCount: 0 });
    // The crash: the last committed batch's matches were never made.
    const database = new Database(env.DATABASE_PATH);
    const lastMatch = database.prepare('SELECT id FROM matches ORDER BY created_at DESC, rowid DESC LIMIT 1').pluck().get() as string;
    database.prepare("DELETE FROM outbox WHERE payload LIKE '%' || ? || '%'").run(lastMatch);
    database.prepare('DELETE FROM match_members WHERE match_id = ?').run(lastMatch);
    database.prepare('DELETE FROM matches WHERE id = ?').run(lastMatch);
    database.close();

    const second = JSON.parse((await cli('import', 'registrations', whole, '--batch-size', '7', '--notify', '--json')).stdout);
    expect(second.read).toBe(rows.length);
    expect(second.duplicates).toBe(25);
    expect(first.imported + second.imported).toBe(rows.length);
    expect(count('SELECT count(*) FROM registrations')).toBe(before + rows.length);
    expect(first.matches.created + second.matches.created).toBe(10 + 1); // the lost one made again
    expect(count('SELECT count(*) FROM matches')).toBe(1 + 10);
    // Every match mails its two members, once.
    expect(count("SELECT count(*) FROM outbox WHERE template = 'match_created'")).toBe(20);
    expect(second.mailsQueued + first.mailsQueued).toBe(22);
    // Each batch audited once per run.
    expect(count("SELECT count(*) FROM audit_events WHERE action = 'registration.import'")).toBe(2 + 4 + Math.ceil(rows.length / 7));
  });

  it('an imported subject is the same subject for a registration through the normal path', async () => {
    const [bsn] = bsns(300_000_000, 1) as [string];
    const file = write('one.csv', `bsn,birth_date,professional_email,registered_at\n${bsn},${BIRTH},a1@a.example,${monthAgo}\n`);
    expect(JSON.parse((await cli('import', 'registrations', file, '--json')).stdout)).toMatchObject({ imported: 1, matches: { created: 0 } });
    const deps = createNodeDeps(parseEnv({ ...env, NODE_ENV: 'test' }), { log: () => {} });
    let matchId: string | null = null;
    try {
      const ctx: Ctx = { deps, actor: { type: 'professional', id: c1, organisationId: orgC, roles: ['professional'] }, requestId: null, origin: 'test' };
      const result = await registerInvolvement(ctx, { bsn, birthDate: BIRTH, professionalEmail: 'c1@c.example' });
      expect(result.created).toBe(true);
      matchId = result.registration.matchId;
    } finally {
      deps.close();
    }
    expect(matchId).toEqual(expect.any(String));
    expect(count('SELECT count(*) FROM match_members WHERE match_id = ?', matchId)).toBe(2);
    // And a third organisation's line imported later joins that match.
    const later = write('later.csv', `bsn,birth_date,professional_email,registered_at\n${bsn},${BIRTH},b1@b.example,${today}\n`);
    const joined = JSON.parse((await cli('import', 'registrations', later, '--json')).stdout);
    expect(joined).toMatchObject({ imported: 1, matches: { created: 0, joined: 1 } });
    expect(count('SELECT count(*) FROM match_members WHERE match_id = ?', matchId)).toBe(3);
    // A second professional of an organisation already in the match joins it too, as registering would.
    const colleague = write('colleague.csv', `bsn,birth_date,professional_email,registered_at\n${bsn},${BIRTH},a2@a.example,${today}\n`);
    expect(JSON.parse((await cli('import', 'registrations', colleague, '--json')).stdout)).toMatchObject({ imported: 1, matches: { joined: 1 } });
    expect(count('SELECT count(*) FROM match_members WHERE match_id = ?', matchId)).toBe(4);
    expect(count('SELECT count(*) FROM matches WHERE status = ?', 'open')).toBe(count('SELECT count(DISTINCT subject_pseudonym) FROM matches'));
  });

  it('refuses a missing file and a bad header with a clear message', async () => {
    expect((await cli('import', 'registrations', '--json')).code).toBe(2);
    const missing = await cli('import', 'registrations', join(dir, 'nope.csv'), '--json');
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain('no such file');
    const bad = await cli('import', 'registrations', write('bad.csv', 'bsn,email\n'), '--json');
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('missing column');
    const before = count('SELECT count(*) FROM registrations');
    const file = write('fine.csv', `bsn,birth_date,professional_email,registered_at\n${bsns(400_000_000, 1)[0]},${BIRTH},a1@a.example,${monthAgo}\n`);
    const unwritable = await cli('import', 'registrations', file, '--errors', join(dir, 'no-such-dir', 'errors.csv'), '--json');
    expect(unwritable.code).toBe(2);
    expect(unwritable.stdout).toContain('--errors');
    expect(count('SELECT count(*) FROM registrations')).toBe(before);
  });
});
