/**
 * Migration 0013 on a database written before the month rule (docs/domain.md): an
 * age-capped registration that ended the day before the 23rd birthday now ends on the last
 * day of the month before, so its end date no longer reveals the birth day. Earlier, never
 * later; a term-capped registration before that month keeps its date. A stored reference that
 * is no case number (it may hold a name) is removed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../src/db/node.ts';

function apply(sqlite: Database.Database, file: string) {
  for (const part of readFileSync(join(MIGRATIONS_DIR, file), 'utf8').split('--> statement-breakpoint')) if (part.trim()) sqlite.exec(part);
}

it('moves age-capped end dates to the last day of the month before the 23rd birthday month, and removes references that are no case number', () => {
  const sqlite = new Database(':memory:');
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const at = files.findIndex((f) => f.startsWith('0013_'));
  for (const f of files.slice(0, at)) apply(sqlite, f);
  sqlite.prepare("INSERT INTO organisations (id, name, sector) VALUES ('o1', 'De Brug', 'education')").run();
  sqlite.prepare("INSERT INTO professionals (id, organisation_id, name, email) VALUES ('p1', 'o1', 'Juf', 'juf@example.org')").run();
  const insert = sqlite.prepare(
    `INSERT INTO registrations (id, subject_pseudonym, key_id, organisation_id, professional_id, status, registered_at, ends_on, ends_because, age_limit_month, ended_at, end_reason, archive_until)
     VALUES (?, randomblob(32), 'k1', 'o1', 'p1', ?, 0, ?, ?, ?, ?, ?, ?)`,
  );
  // Born 17 May 2004: 23 on 17 May 2027; the old rule ended on 16 May 2027.
  insert.run('age-active', 'active', '2027-05-16', 'age', '2027-05-01', null, null, null);
  insert.run('age-archived', 'archived', '2027-05-16', 'age', '2027-05-01', 1, 'resolved', '2027-05-01');
  // Already by the month rule, and a term end before the age limit: untouched.
  insert.run('age-new', 'active', '2027-04-30', 'age', '2027-05-01', null, null, null);
  insert.run('term', 'active', '2027-05-16', 'term', '2030-08-01', null, null, null);
  // A term end inside the birthday month (the old rule let it run to the day before the birthday).
  insert.run('term-in-month', 'active', '2027-05-10', 'term', '2027-05-01', null, null, null);
  const reference = sqlite.prepare('UPDATE registrations SET reference = ? WHERE id = ?');
  reference.run('DOS-2026-0042', 'age-active');
  reference.run('Jan de Vries 12 mei', 'age-new');
  reference.run('JanDeVries', 'term');

  for (const f of files.slice(at)) apply(sqlite, f);

  expect(sqlite.prepare('SELECT id, ends_on, ends_because FROM registrations ORDER BY id').all()).toEqual([
    { id: 'age-active', ends_on: '2027-04-30', ends_because: 'age' },
    { id: 'age-archived', ends_on: '2027-04-30', ends_because: 'age' },
    { id: 'age-new', ends_on: '2027-04-30', ends_because: 'age' },
    { id: 'term', ends_on: '2027-05-16', ends_because: 'term' },
    { id: 'term-in-month', ends_on: '2027-04-30', ends_because: 'age' },
  ]);
  // A stored reference that is no case number may hold a name: removed; a case number stays.
  expect(sqlite.prepare('SELECT id, reference FROM registrations WHERE reference IS NOT NULL').all()).toEqual([
    { id: 'age-active', reference: 'DOS-2026-0042' },
  ]);
});
