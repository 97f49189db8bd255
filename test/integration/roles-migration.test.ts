/**
 * Migrations 0010/0011 (ADR 0011) on a database from before them: every person keeps their
 * one role as a row of their roles, organisations with the same name (case-insensitive)
 * are told apart before names become unique, the municipality's own row exists and its
 * staff (made before with some organisation) move to it.
 * Additive only: the existing rows and their ids stay where they were.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../src/db/node.ts';
import { MUNICIPALITY_ID } from '../../src/directory/roles.ts';

function apply(sqlite: Database.Database, file: string) {
  for (const part of readFileSync(join(MIGRATIONS_DIR, file), 'utf8').split('--> statement-breakpoint')) if (part.trim()) sqlite.exec(part);
}

describe('migrations 0010 and 0011', () => {
  it('moves each role into person_roles, drops the old column, renames duplicate names and adds the municipality', () => {
    const sqlite = new Database(':memory:');
    sqlite.pragma('foreign_keys = ON');
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith('.sql'))
      .sort();
    const at = files.findIndex((f) => f.startsWith('0010_'));
    for (const f of files.slice(0, at)) apply(sqlite, f);
    const org = sqlite.prepare("INSERT INTO organisations (id, name, sector) VALUES (?, ?, 'education')");
    org.run('aaaaaaaa-0000-4000-8000-000000000001', 'De Brug');
    org.run('bbbbbbbb-0000-4000-8000-000000000002', 'de brug');
    org.run('cccccccc-0000-4000-8000-000000000003', 'Wijkteam');
    const person = sqlite.prepare('INSERT INTO professionals (id, organisation_id, name, email, role) VALUES (?, ?, ?, ?, ?)');
    person.run('p1', 'aaaaaaaa-0000-4000-8000-000000000001', 'Juf', 'juf@example.org', 'professional');
    person.run('p2', 'cccccccc-0000-4000-8000-000000000003', 'Coördinator', 'co@example.org', 'organisation_coordinator');
    // Before, the municipality's staff were made with some organisation.
    person.run('p3', 'cccccccc-0000-4000-8000-000000000003', 'Beheerder', 'admin@gemeente.example', 'municipal_admin');

    for (const f of files.slice(at)) apply(sqlite, f);

    expect(sqlite.prepare('SELECT professional_id, role FROM person_roles ORDER BY professional_id').all()).toEqual([
      { professional_id: 'p1', role: 'professional' },
      { professional_id: 'p2', role: 'organisation_coordinator' },
      { professional_id: 'p3', role: 'municipal_admin' },
    ]);
    expect(sqlite.prepare('SELECT id, organisation_id FROM professionals ORDER BY id').all()).toEqual([
      { id: 'p1', organisation_id: 'aaaaaaaa-0000-4000-8000-000000000001' },
      { id: 'p2', organisation_id: 'cccccccc-0000-4000-8000-000000000003' },
      { id: 'p3', organisation_id: MUNICIPALITY_ID },
    ]);
    const columns = (sqlite.prepare('PRAGMA table_info(professionals)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).not.toContain('role');
    expect(sqlite.prepare('SELECT id, name FROM organisations ORDER BY id').all()).toEqual([
      { id: MUNICIPALITY_ID, name: 'Gemeente (eigen medewerkers)' },
      { id: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'De Brug' },
      { id: 'bbbbbbbb-0000-4000-8000-000000000002', name: 'de brug (bbbbbbbb)' },
      { id: 'cccccccc-0000-4000-8000-000000000003', name: 'Wijkteam' },
    ]);
    expect(sqlite.prepare('SELECT kind FROM organisations WHERE id = ?').get(MUNICIPALITY_ID)).toEqual({ kind: 'municipality' });
    expect(() => org.run('dddddddd-0000-4000-8000-000000000004', 'WIJKTEAM')).toThrow(/UNIQUE/);
    expect(sqlite.pragma('foreign_key_check')).toEqual([]);
  });
});
