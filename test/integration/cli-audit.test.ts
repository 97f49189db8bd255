/**
 * `audit search`, `audit export --csv` and `audit verify` through the CLI process, as an
 * operator runs them: the same validation as the console (a BSN-shaped value refused and
 * never printed or stored), JSON pages with a cursor, CSV on stdout, and all of it audited
 * under the operator's name.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { randomBsn } from '../support/bsn.ts';
import { cliInTempDir } from '../support/process.ts';

const { env, cli } = cliInTempDir('betrokken-cli-audit-');

describe('audit console on the command line', () => {
  it('searches, pages, exports and verifies, audited under the operator', async () => {
    // Some events: each organisation created is audited.
    for (let i = 0; i < 4; i++) expect((await cli('org', 'create', '--name', `Org ${i}`, '--sector', 'education', '--json')).code).toBe(0);

    const first = await cli('audit', 'search', '--action', 'organisation.create', '--limit', '3', '--json');
    expect(first.code).toBe(0);
    const page = JSON.parse(first.stdout) as { events: { seq: number; action: string; actorId: string }[]; next: string | null };
    expect(page.events).toHaveLength(3);
    expect(page.events.every((e) => e.action === 'organisation.create' && e.actorId === 'test-operator')).toBe(true);
    expect(page.next).not.toBeNull();
    const second = JSON.parse((await cli('audit', 'search', '--action', 'organisation.create', '--limit', '3', '--cursor', page.next!, '--json')).stdout);
    expect(second.events).toHaveLength(1);
    expect(second.events[0].seq).toBeLessThan(page.events[2]!.seq);
    expect(second.next).toBeNull();

    const text = await cli('audit', 'search', '--action', 'organisation.create');
    expect(text.stdout).toContain('4 event(s), newest first');

    const exported = await cli('audit', 'export', '--csv', '--action', 'organisation.create');
    expect(exported.code).toBe(0);
    const lines = exported.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^seq,id,at,actor_type,actor_id,/);
    expect(lines).toHaveLength(5);
    expect(lines.slice(1).every((line) => line.includes(',operator,test-operator,'))).toBe(true);
    expect((await cli('audit', 'export', '--action', 'organisation.create')).code).toBe(2);

    const verify = await cli('audit', 'verify');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/Audit trail intact \(\d+ events, \d+ sealed, head seq \d+; no anchor yet\); checked \d+ events in \d+ ms/);

    const db = new Database(env.DATABASE_PATH, { readonly: true });
    const rows = db.prepare("SELECT action, actor_id, detail FROM audit_events WHERE action IN ('audit.search', 'audit.export')").all() as {
      action: string;
      actor_id: string;
      detail: string;
    }[];
    db.close();
    expect(rows.filter((r) => r.action === 'audit.search')).toHaveLength(3);
    expect(rows.filter((r) => r.action === 'audit.export')).toHaveLength(1);
    expect(rows.every((r) => r.actor_id === 'test-operator' && JSON.parse(r.detail).action === 'organisation.create')).toBe(true);
  }, 240_000);

  it('refuses a bad filter before opening the database, and never prints a BSN back', async () => {
    const bsn = randomBsn();
    const refused = await cli('audit', 'search', '--actor', bsn, '--json');
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain('BSN');
    expect(refused.stdout + refused.stderr).not.toContain(bsn);
    const badId = await cli('audit', 'search', '--registration', 'abc', '--json');
    expect(badId.code).toBe(2);
    expect(JSON.parse(badId.stdout).error.message).toMatch(/--registration: .*registratie-id/);
    const db = new Database(env.DATABASE_PATH, { readonly: true });
    const all = JSON.stringify(db.prepare('SELECT * FROM audit_events').all());
    db.close();
    expect(all).not.toContain(bsn);
  }, 120_000);

  it('needs a named operator', async () => {
    const { BETROKKEN_OPERATOR: _, ...anonymous } = env;
    const { runBin } = await import('../support/process.ts');
    const result = await runBin(['audit', 'search', '--json'], { ...anonymous, BETROKKEN_OPERATOR: '' });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('--operator');
  }, 60_000);
});
