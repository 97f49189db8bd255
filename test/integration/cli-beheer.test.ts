/**
 * The beheer console's CLI parity (org, api-client, outbox): real processes on a temp
 * SQLite file, every command with --json printing exactly one JSON object, refusals with
 * clear exit codes (1 refused, 2 bad usage), every action audited under the operator.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.ts';
import { auditEvents, outbox } from '../../src/db/schema.ts';
import { createNodeDeps } from '../../src/entry/node-deps.ts';
import { parseEnv } from '../../src/env.ts';
import { REISSUED_MARK } from '../../src/notify/outbox-admin.ts';
import { randomBsn } from '../support/bsn.ts';
import { memoryMailer } from '../support/context.ts';
import { cliInTempDir } from '../support/process.ts';

const { env, cli } = cliInTempDir('betrokken-cli-beheer-');

// Each command is a process of its own (a few seconds on a busy machine); these tests run many.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });

/** Runs a command with --json; stdout must be exactly one JSON object. */
async function json(...args: string[]) {
  const run = await cli(...args, '--json');
  const lines = run.stdout.trim().split('\n');
  expect(lines, `${args.join(' ')}: ${run.stdout}${run.stderr}`).toHaveLength(1);
  return { code: run.code, body: JSON.parse(lines[0]!) as Record<string, any> };
}

let deps: ReturnType<typeof createNodeDeps>;
let orgId: string;

beforeAll(async () => {
  const created = await json('org', 'create', '--name', 'Jeugdhulp Rijnmond', '--sector', 'youth_care');
  expect(created.code).toBe(0);
  orgId = created.body.id;
  await json('org', 'create', '--name', 'Basisschool Het Anker', '--sector', 'education');
  deps = createNodeDeps(parseEnv({ ...env, NODE_ENV: 'test' }), { mailer: memoryMailer(), log: () => {} });
});
afterAll(() => deps?.close());

describe('org', () => {
  it('refuses the same name twice (any case) with a clear message and exit 1', async () => {
    const again = await json('org', 'create', '--name', 'JEUGDHULP rijnmond', '--sector', 'hospital');
    expect(again.code).toBe(1);
    expect(again.body).toEqual({ error: { code: 'conflict', message: expect.stringContaining('already exists') } });
    expect(again.body.error.message).toContain('--name');
  });

  it('lists with search, sector and active filters, never the municipality', async () => {
    const all = await json('org', 'list');
    expect(all.code).toBe(0);
    expect(all.body.items.map((o: { name: string }) => o.name)).toEqual(['Basisschool Het Anker', 'Jeugdhulp Rijnmond']);
    expect(all.body.total).toBe(2);
    const searched = await json('org', 'list', '--search', 'anker');
    expect(searched.body.items.map((o: { name: string }) => o.name)).toEqual(['Basisschool Het Anker']);
    const sector = await json('org', 'list', '--sector', 'youth_care', '--active', 'yes');
    expect(sector.body.items.map((o: { id: string }) => o.id)).toEqual([orgId]);
    const inactive = await json('org', 'list', '--active', 'no');
    expect(inactive.body.items).toEqual([]);
    const bad = await json('org', 'list', '--active', 'maybe');
    expect(bad.code).toBe(2);
    expect(bad.body.error.message).toContain('--active');
  });

  it('shows and edits one, including the convenant', async () => {
    const edited = await json(
      'org',
      'edit',
      '--id',
      orgId,
      '--name',
      'Jeugdhulp Rijnmond-Noord',
      '--convenant-status',
      'pending',
      '--convenant-date',
      '2026-01-15',
    );
    expect(edited.code).toBe(0);
    expect(edited.body).toMatchObject({ id: orgId, name: 'Jeugdhulp Rijnmond-Noord', convenantStatus: 'pending', convenantSignedOn: '2026-01-15' });
    const shown = await json('org', 'show', '--id', orgId);
    expect(shown.body).toMatchObject({
      id: orgId,
      name: 'Jeugdhulp Rijnmond-Noord',
      sector: 'youth_care',
      active: true,
      professionals: 0,
      activeRegistrations: 0,
      apiClients: [],
    });
    const taken = await json('org', 'edit', '--id', orgId, '--name', 'basisschool het anker');
    expect(taken.code).toBe(1);
    expect(taken.body.error.code).toBe('conflict');
    const badDate = await json('org', 'edit', '--id', orgId, '--convenant-date', '2026-02-30');
    expect(badDate.code).toBe(2);
    expect(badDate.body.error.message).toContain('--convenant-date');
    const missing = await json('org', 'show');
    expect(missing.code).toBe(2);
    expect(missing.body.error.message).toContain('--id');
    const unknown = await json('org', 'show', '--id', crypto.randomUUID());
    expect(unknown.code).toBe(1);
    expect(unknown.body.error.code).toBe('not_found');
  });

  it('deactivates with a chosen reason', async () => {
    const org = await json('org', 'create', '--name', 'Opheffen BV', '--sector', 'other');
    const bad = await json('org', 'deactivate', '--id', org.body.id, '--reason', 'deceased');
    expect(bad.code).toBe(2);
    const done = await json('org', 'deactivate', '--id', org.body.id, '--reason', 'unjustified');
    expect(done.code).toBe(0);
    expect(done.body).toEqual({ id: org.body.id, jobId: null, total: 0 });
    const inactive = await json('org', 'list', '--active', 'no');
    expect(inactive.body.items.map((o: { id: string }) => o.id)).toEqual([org.body.id]);
  });
});

describe('api-client', () => {
  it('lists without tokens and revokes: the token is refused at once', async () => {
    const created = await json('api-client', 'create', '--org', orgId, '--name', 'Dossier');
    const { id, token } = created.body;
    await json('professional', 'create', '--org', orgId, '--name', 'Anna', '--email', 'anna@jeugdhulp.example');
    const listed = await cli('api-client', 'list', '--org', orgId, '--json');
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(token);
    expect(JSON.parse(listed.stdout).items).toEqual([
      expect.objectContaining({ id, name: 'Dossier', organisationId: orgId, active: true, organisationName: 'Jeugdhulp Rijnmond-Noord' }),
    ]);
    expect(JSON.parse(listed.stdout).items[0]).not.toHaveProperty('tokenHash');

    const app = createApp(deps);
    const register = () =>
      app.request('/api/v1/registrations', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ bsn: randomBsn(), birthDate: '2014-03-01', professionalEmail: 'anna@jeugdhulp.example', criterionConfirmed: true }),
      });
    expect((await register()).status).toBe(201);
    const revoked = await json('api-client', 'revoke', '--id', id);
    expect(revoked).toEqual({ code: 0, body: { id, revoked: true, alreadyRevoked: false } });
    expect((await register()).status).toBe(401);
    const again = await json('api-client', 'revoke', '--id', id);
    expect(again.body.alreadyRevoked).toBe(true);
    const unknown = await json('api-client', 'revoke', '--id', crypto.randomUUID());
    expect(unknown.code).toBe(1);
    const shown = await json('org', 'show', '--id', orgId);
    expect(shown.body).toMatchObject({ activeRegistrations: 1, professionals: 1, apiClients: [expect.objectContaining({ id, active: false })] });
  });
});

describe('outbox', () => {
  it('lists by status without content, and retries a dead invitation with a new link, once', async () => {
    const pending = await cli('outbox', 'list', '--status', 'pending', '--json');
    expect(pending.code).toBe(0);
    const body = JSON.parse(pending.stdout);
    const invitation = body.items.find((m: { recipientEmail: string }) => m.recipientEmail === 'anna@jeugdhulp.example');
    expect(invitation).toMatchObject({ template: 'invitation', status: 'pending', attempts: 0 });
    const [row] = await deps.db.select().from(outbox).where(eq(outbox.id, invitation.id));
    expect(pending.stdout).not.toContain(row!.payload.token!);
    expect(pending.stdout).not.toContain('payload');

    // As the drainer leaves a mail it gave up on: dead, its link scrubbed.
    await deps.db
      .update(outbox)
      .set({ status: 'dead', attempts: 8, lastError: 'Error 550 mailbox unavailable', payload: {} })
      .where(eq(outbox.id, invitation.id));
    const dead = await json('outbox', 'list', '--status', 'dead');
    expect(dead.body.items).toEqual([
      expect.objectContaining({ id: invitation.id, lastError: 'Error 550 mailbox unavailable', retryable: true, reissues: true }),
    ]);
    const retried = await json('outbox', 'retry', '--id', invitation.id);
    expect(retried).toEqual({ code: 0, body: { id: invitation.id, outcome: 'reissued' } });
    const rows = await deps.db.select().from(outbox).where(eq(outbox.recipientEmail, 'anna@jeugdhulp.example'));
    expect(rows.find((r) => r.id === invitation.id)).toMatchObject({ status: 'dead', lastError: REISSUED_MARK });
    expect(rows.filter((r) => r.status === 'pending' && r.template === 'invitation')).toHaveLength(1);
    const twice = await json('outbox', 'retry', '--id', invitation.id);
    expect(twice.code).toBe(1);
    expect(twice.body.error.code).toBe('conflict');
    const missing = await json('outbox', 'retry');
    expect(missing.code).toBe(2);
    expect(missing.body.error.message).toContain('--id');
    const badStatus = await json('outbox', 'list', '--status', 'lost');
    expect(badStatus.code).toBe(2);
  });
});

describe('audit', () => {
  it('records every read and change under the named operator', async () => {
    const rows = await deps.db.select().from(auditEvents);
    for (const action of [
      'organisation.list',
      'organisation.read',
      'organisation.update',
      'api_client.list',
      'api_client.revoke',
      'outbox.list',
      'outbox.retry',
    ]) {
      const mine = rows.filter((r) => r.action === action);
      expect(mine.length, action).toBeGreaterThan(0);
      expect(
        mine.every((r) => r.actorType === 'operator' && r.actorId === 'test-operator'),
        action,
      ).toBe(true);
    }
    expect(rows.some((r) => r.action === 'organisation.create' && r.outcome === 'invalid' && r.detail?.reason === 'name_taken')).toBe(true);
  });
});
