import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createApp } from '../../src/app.ts';
import { auditEvents, outbox, personRoles, professionals } from '../../src/db/schema.ts';
import { MUNICIPALITY_ID } from '../../src/directory/roles.ts';
import { createNodeDeps } from '../../src/entry/node-deps.ts';
import { parseEnv } from '../../src/env.ts';
import { memoryMailer } from '../support/context.ts';
import { randomBsn } from '../support/bsn.ts';
import { cliInTempDir, runBin } from '../support/process.ts';

const { dir, env, cli } = cliInTempDir('betrokken-cli-');

describe('operator CLI', () => {
  it('sets up an organisation, a professional and an API client that can register', async () => {
    const org = await cli('org', 'create', '--name', 'GGD Regio', '--sector', 'youth_health', '--json');
    expect(org.code).toBe(0);
    const { id: orgId } = JSON.parse(org.stdout);
    const prof = await cli('professional', 'create', '--org', orgId, '--name', 'Anna Bakker', '--email', 'Anna@GGD.example', '--phone', '010-1', '--json');
    expect(prof.code).toBe(0);
    expect(JSON.parse(prof.stdout)).toEqual({ id: expect.any(String) });
    const client = await cli('api-client', 'create', '--org', orgId, '--name', 'Dossier', '--json');
    const { token } = JSON.parse(client.stdout);
    expect(token).toMatch(/^btk_[A-Za-z0-9_-]{43}$/);

    const deps = createNodeDeps(parseEnv({ ...env, NODE_ENV: 'test' }), { mailer: memoryMailer(), log: () => {} });
    try {
      const response = await createApp(deps).request('/api/v1/registrations', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ bsn: randomBsn(), birthDate: '2015-01-01', professionalEmail: 'anna@ggd.example', criterionConfirmed: true }),
      });
      expect(response.status).toBe(201);
    } finally {
      deps.close();
    }

    // `professional create` queued the invitation mail (the registration made no match).
    const status = await cli('outbox', 'status', '--json');
    expect(JSON.parse(status.stdout)).toEqual({ pending: 1, sent: 0, dead: 0 });
    const jobs = await cli('jobs', 'run', '--json');
    expect(JSON.parse(jobs.stdout)).toEqual({ outbox: { pending: 0, sent: 1, dead: 0 } });
    const [mail] = readdirSync(join(dir, 'mail'));
    const eml = await simpleParser(readFileSync(join(dir, 'mail', mail!)));
    expect(eml.to).toMatchObject({ text: 'anna@ggd.example' });
    expect(eml.text).toMatch(/account\/activate\?token=[A-Za-z0-9_-]{43}/);
    const verify = await cli('audit', 'verify', '--json');
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ brokenAt: null });
  });

  it('prints exactly one JSON object with --json, also for errors, with clear exit codes', async () => {
    const usage = await cli('org', 'create', '--name', 'X', '--sector', 'bakery', '--json');
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toMatchObject({ error: { code: 'usage', message: expect.stringContaining('--sector') } });

    const missing = await cli('professional', 'create', '--org', 'no-such-org', '--name', 'X', '--email', 'x@example.org', '--json');
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: 'not_found' } });

    const unknown = await cli('frobnicate', '--json');
    expect(unknown.code).toBe(2);
    expect(unknown.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('checks options with the verb’s own schema and names every wrong one, before any database is opened', async () => {
    const fresh = { ...env, DATABASE_PATH: join(dir, 'never-created.db') };
    const bad = await runBin(['professional', 'create', '--name', 'X', '--email', 'not-an-address'], fresh);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--org: /);
    expect(bad.stderr).toMatch(/--email: must be an email address/);
    expect(readdirSync(dir)).not.toContain('never-created.db');
  });

  it('refuses a duplicate professional email', async () => {
    const { id } = JSON.parse((await cli('org', 'create', '--name', 'School', '--sector', 'education', '--json')).stdout);
    await cli('professional', 'create', '--org', id, '--name', 'A', '--email', 'dup@example.org', '--json');
    const again = await cli('professional', 'create', '--org', id, '--name', 'B', '--email', 'DUP@example.org', '--json');
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ error: { code: 'conflict' } });
  });

  it('names the operator in the audit trail, and refuses a change without one', async () => {
    const nameless = { ...env, BETROKKEN_OPERATOR: '' };
    const refused = await runBin(['org', 'create', '--name', 'Zonder naam', '--sector', 'education', '--json'], nameless);
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'usage', message: expect.stringContaining('--operator') } });
    // A read needs no name: it writes nothing.
    expect((await runBin(['outbox', 'status', '--json'], nameless)).code).toBe(0);

    const named = await runBin(['org', 'create', '--name', 'Met naam', '--sector', 'education', '--operator', 'j.de.vries', '--json'], nameless);
    expect(named.code).toBe(0);
    const { id } = JSON.parse(named.stdout);
    const deps = createNodeDeps(parseEnv({ ...env, NODE_ENV: 'test' }), { mailer: memoryMailer(), log: () => {} });
    try {
      const rows = await deps.db.select().from(auditEvents).where(eq(auditEvents.action, 'organisation.create'));
      expect(rows.find((r) => r.detail?.organisationId === id)).toMatchObject({ actorType: 'operator', actorId: 'j.de.vries', outcome: 'success' });
      expect(rows.every((r) => r.actorId !== null)).toBe(true);
    } finally {
      deps.close();
    }
  });

  it('makes the first municipal admin with `user create`: no organisation, invited by mail', async () => {
    const made = await cli('user', 'create', '--role', 'municipal_admin', '--name', 'Fatima El Amrani', '--email', 'f.elamrani@gemeente.example', '--json');
    expect(made.code).toBe(0);
    const { id } = JSON.parse(made.stdout);
    const deps = createNodeDeps(parseEnv({ ...env, NODE_ENV: 'test' }), { mailer: memoryMailer(), log: () => {} });
    try {
      expect(await deps.db.select().from(personRoles).where(eq(personRoles.professionalId, id))).toEqual([{ professionalId: id, role: 'municipal_admin' }]);
      const [row] = await deps.db.select({ organisationId: professionals.organisationId }).from(professionals).where(eq(professionals.id, id));
      expect(row).toEqual({ organisationId: MUNICIPALITY_ID });
      const [invitation] = await deps.db.select().from(outbox).where(eq(outbox.recipientProfessionalId, id));
      expect(invitation).toMatchObject({ template: 'invitation' });
    } finally {
      deps.close();
    }
    const mixed = await cli('user', 'create', '--role', 'auditor,professional', '--name', 'Y', '--email', 'y@gemeente.example', '--json');
    expect(mixed.code).toBe(2);
    expect(JSON.parse(mixed.stdout).error.message).toContain('--role');
  });

  it('refuses a second organisation with the same name, whatever its case', async () => {
    await cli('org', 'create', '--name', 'Jeugdzorg Noord', '--sector', 'youth_care', '--json');
    const again = await cli('org', 'create', '--name', 'jeugdzorg noord', '--sector', 'youth_care', '--json');
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ error: { code: 'conflict', message: expect.stringContaining('already exists') } });
  });

  it('runs as the package bin with nothing but the JSON object on stdout, ready for a pipe', async () => {
    for (const args of [
      ['outbox', 'status', '--json'],
      ['org', 'list', '--json'],
    ]) {
      const run = await runBin(args, env);
      expect(run.code).toBe(0);
      expect(run.stdout.trim().split('\n')).toHaveLength(1);
      expect(JSON.parse(run.stdout)).toBeTypeOf('object');
    }
    const list = JSON.parse((await runBin(['org', 'list', '--json'], env)).stdout);
    expect(list.items.map((o: { name: string }) => o.name)).toContain('GGD Regio');
  });
});
