/**
 * Bulk jobs on the command line: an operator deactivates an organisation; no operator can
 * approve (the second pair of eyes is a municipal admin logged in with the second factor);
 * once an admin approved, `jobs run` ends the registrations; `registrations transfer` queues
 * a transfer. All audited under the operators.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/context.ts';
import { createNodeDeps } from '../../src/entry/node-deps.ts';
import { parseEnv } from '../../src/env.ts';
import { approveBulkJob } from '../../src/jobs/bulk-jobs.ts';
import { cliInTempDir } from '../support/process.ts';

const { env, cli } = cliInTempDir('betrokken-cli-jobs-');

describe('bulk jobs on the command line', () => {
  it('deactivate → own approval refused → second operator approves → jobs run ends them; transfer queues a job', async () => {
    const org = JSON.parse((await cli('org', 'create', '--name', 'Org Taken', '--sector', 'education', '--json')).stdout) as { id: string };
    const emptyJob = JSON.parse((await cli('org', 'deactivate', '--id', org.id, '--reason', 'resolved', '--json')).stdout);
    expect(emptyJob).toMatchObject({ jobId: null, total: 0 });
    expect((await cli('job', 'list', '--json')).stdout).toContain('"items":[]');

    // A job needs registrations: insert two directly (the API is not what this suite tests).
    const other = JSON.parse((await cli('org', 'create', '--name', 'Org Twee', '--sector', 'youth_care', '--json')).stdout) as { id: string };
    const a = JSON.parse(
      (await cli('professional', 'create', '--org', other.id, '--name', 'A', '--email', 'a@example.org', '--role', 'professional', '--json')).stdout,
    ) as { id: string };
    const b = JSON.parse(
      (await cli('professional', 'create', '--org', other.id, '--name', 'B', '--email', 'b@example.org', '--role', 'professional', '--json')).stdout,
    ) as { id: string };
    const db = new Database(env.DATABASE_PATH);
    const insert = db.prepare(
      "INSERT INTO registrations (id, subject_pseudonym, key_id, organisation_id, professional_id, status, registered_at, ends_on, ends_because, age_limit_month) VALUES (?, ?, 'k1', ?, ?, 'active', ?, '2028-01-01', 'term', '2030-01-01')",
    );
    insert.run('r1', Buffer.from('subject-1'), other.id, a.id, Date.now());
    insert.run('r2', Buffer.from('subject-2'), other.id, a.id, Date.now());
    db.close();

    const transfer = await cli('registrations', 'transfer', '--from', a.id, '--to', b.id, '--json');
    expect(transfer.code).toBe(0);
    const queued = JSON.parse(transfer.stdout) as { jobId: string; transferred: number; skipped: number };
    expect(queued).toMatchObject({ transferred: 0, skipped: 0, jobId: expect.any(String) });
    expect((await cli('registrations', 'transfer', '--from', a.id, '--json')).code).toBe(2); // --to missing

    const deactivated = JSON.parse((await cli('org', 'deactivate', '--id', other.id, '--reason', 'unjustified', '--json')).stdout) as {
      jobId: string;
      total: number;
    };
    expect(deactivated.total).toBe(2);
    expect((await cli('job', 'approve', '--id', deactivated.jobId, '--json')).code).toBe(2); // no such command
    const deps = createNodeDeps(parseEnv({ ...env, NODE_ENV: 'test' }), { log: () => {} });
    try {
      const asOperator: Ctx = { deps, actor: { type: 'operator', id: 'second-operator' }, requestId: null, origin: 'cli' };
      await expect(approveBulkJob(asOperator, { jobId: deactivated.jobId })).rejects.toMatchObject({ code: 'forbidden' });
      const admin = JSON.parse(
        (await cli('user', 'create', '--role', 'municipal_admin', '--name', 'Admin', '--email', 'admin@gemeente.example', '--json')).stdout,
      );
      const asAdmin: Ctx = {
        deps,
        actor: { type: 'professional', id: admin.id, organisationId: null, roles: ['municipal_admin'] },
        requestId: null,
        origin: null,
      };
      expect(await approveBulkJob(asAdmin, { jobId: deactivated.jobId })).toMatchObject({ status: 'queued', requestedBy: 'test-operator' });
    } finally {
      deps.close();
    }

    expect((await cli('jobs', 'run')).code).toBe(0);
    const list = JSON.parse((await cli('job', 'list', '--status', 'done', '--json')).stdout) as { items: { id: string; kind: string }[] };
    expect(list.items.map((j) => j.kind).sort()).toEqual(['end_organisation', 'transfer']);
    const shown = await cli('job', 'show', '--id', deactivated.jobId);
    expect(shown.stdout).toContain('done');
    expect(shown.stdout).toContain('2/2');

    const check = new Database(env.DATABASE_PATH, { readonly: true });
    expect(check.prepare('SELECT count(*) AS n FROM registrations WHERE organisation_id = ?').get(other.id)).toEqual({ n: 0 });
    const audit = check.prepare("SELECT action, actor_id, outcome FROM audit_events WHERE action LIKE 'bulk_job.%' ORDER BY seq").all();
    check.close();
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'bulk_job.approve', actor_id: 'second-operator', outcome: 'denied' },
        { action: 'bulk_job.approve', actor_id: expect.any(String), outcome: 'success' },
      ]),
    );
  }, 240_000);
});
