/**
 * The rights desk on the command line: reading only (list, show, the auditor's trail by
 * request id), audited under the operator; nothing there takes a BSN.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/context.ts';
import { createNodeDeps } from '../../src/entry/node-deps.ts';
import { parseEnv } from '../../src/env.ts';
import { openRightsRequest } from '../../src/rights/requests.ts';
import { randomBsn } from '../support/bsn.ts';
import { cliInTempDir } from '../support/process.ts';

const { env, cli } = cliInTempDir('betrokken-cli-rights-');

describe('the rights desk on the command line', () => {
  it('lists, shows and traces a request; an unknown id fails; every read is audited under the operator', async () => {
    const org = JSON.parse((await cli('org', 'create', '--name', 'Org Loket', '--sector', 'youth_care', '--json')).stdout) as { id: string };
    const p = JSON.parse(
      (await cli('professional', 'create', '--org', org.id, '--name', 'P', '--email', 'p@example.org', '--role', 'professional', '--json')).stdout,
    ) as { id: string };
    const bsn = randomBsn();
    const deps = createNodeDeps(parseEnv({ ...env, NODE_ENV: 'test' }), { log: () => {} });
    let requestId: string;
    try {
      const pseudonym = await deps.pseudonymizer.pseudonymize(bsn);
      const db = new Database(env.DATABASE_PATH);
      db.prepare(
        "INSERT INTO registrations (id, subject_pseudonym, key_id, organisation_id, professional_id, status, registered_at, ends_on, ends_because, age_limit_month) VALUES ('r1', ?, ?, ?, ?, 'active', ?, '2028-01-01', 'term', '2030-01-01')",
      ).run(Buffer.from(pseudonym.bytes), pseudonym.keyId, org.id, p.id, Date.now());
      db.close();
      const operator: Ctx = { deps, actor: { type: 'operator', id: 'desk-operator' }, requestId: null, origin: 'cli' };
      ({ id: requestId } = await openRightsRequest(operator, {
        kind: 'erasure',
        bsn,
        birthDate: '2012-05-17',
        reference: 'AVG-2026-0042',
        receivedOn: '2026-01-05',
      }));
    } finally {
      deps.close();
    }

    const list = JSON.parse((await cli('rights', 'list', '--json')).stdout) as { pending: { id: string; items: number }[] };
    expect(list.pending).toEqual([expect.objectContaining({ id: requestId, items: 1 })]);
    const shown = await cli('rights', 'show', '--id', requestId);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Org Loket');
    expect(shown.stdout).toContain('AVG-2026-0042');
    const trail = await cli('rights', 'trail', '--id', requestId);
    expect(trail.code).toBe(0);
    expect(trail.stdout).toContain('rights.open');
    expect((await cli('rights', 'show', '--id', crypto.randomUUID())).code).not.toBe(0);
    expect((await cli('rights', 'trail', '--id', bsn)).code).not.toBe(0);

    const check = new Database(env.DATABASE_PATH, { readonly: true });
    const audit = check
      .prepare("SELECT action, actor_id, outcome FROM audit_events WHERE action IN ('rights.list', 'rights.read', 'audit.request_trail') ORDER BY seq")
      .all();
    const all = JSON.stringify(check.prepare('SELECT * FROM audit_events').all());
    check.close();
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'rights.list', actor_id: 'test-operator', outcome: 'success' },
        { action: 'rights.read', actor_id: 'test-operator', outcome: 'success' },
        { action: 'rights.read', actor_id: 'test-operator', outcome: 'not_found' },
        { action: 'audit.request_trail', actor_id: 'test-operator', outcome: 'success' },
      ]),
    );
    expect(all).not.toContain(bsn);
  }, 120_000);
});
