/**
 * The people commands of the operator CLI (`professional list|show|edit|deactivate|
 * reactivate|reset-2fa|reinvite`): one JSON object with --json, the changes audited under
 * the named operator, bad options refused as usage (exit 2).
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEvents, outbox, professionals } from '../../src/db/schema.ts';
import { createNodeDeps } from '../../src/entry/node-deps.ts';
import { parseEnv } from '../../src/env.ts';
import { memoryMailer } from '../support/context.ts';
import { cliInTempDir } from '../support/process.ts';

const { env, cli } = cliInTempDir('betrokken-cli-people-');

async function json(...args: string[]) {
  const run = await cli(...args, '--json');
  if (run.code !== 0) throw new Error(`${args.join(' ')}: ${run.code} ${run.stdout} ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, any>;
}

function withDb<T>(use: (deps: ReturnType<typeof createNodeDeps>) => Promise<T>): Promise<T> {
  const deps = createNodeDeps(parseEnv({ ...env, NODE_ENV: 'test' }), { mailer: memoryMailer(), log: () => {} });
  return use(deps).finally(() => deps.close());
}

describe('professional commands', () => {
  it('lists, shows, edits, deactivates, reactivates, resets the second factor and reinvites', { timeout: 180_000 }, async () => {
    const { id: orgId } = await json('org', 'create', '--name', 'Wijkteam Noord', '--sector', 'district_team');
    const { id } = await json('professional', 'create', '--org', orgId, '--name', 'Fatima Oz', '--email', 'fatima@example.org');
    await json('user', 'create', '--role', 'auditor', '--name', 'Gert Audit', '--email', 'gert@example.org');

    const list = await json('professional', 'list', '--org', orgId);
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ id, name: 'Fatima Oz', organisationName: 'Wijkteam Noord', roles: ['professional'], active: true, activated: false });
    const searched = await json('professional', 'list', '--search', 'gert', '--role', 'auditor');
    expect(searched.items.map((p: { name: string }) => p.name)).toEqual(['Gert Audit']);
    expect(searched.items[0].organisationId).toBeNull();

    const shown = await json('professional', 'show', '--id', id);
    expect(shown).toMatchObject({ id, email: 'fatima@example.org' });
    expect(JSON.stringify(shown)).not.toMatch(/password|totp/i);

    const edited = await json('professional', 'edit', '--id', id, '--phone', '06-1', '--role', 'professional,organisation_coordinator');
    expect(edited).toMatchObject({ phone: '06-1', roles: ['professional', 'organisation_coordinator'], changed: ['phone', 'roles'] });

    const reinvited = await json('professional', 'reinvite', '--id', id);
    expect(reinvited).toEqual({ id, invited: true });
    const reset = await json('professional', 'reset-2fa', '--id', id);
    expect(reset).toEqual({ id, secondFactorReset: true });

    const deactivated = await json('professional', 'deactivate', '--id', id);
    expect(deactivated).toMatchObject({ id, active: false, changed: true, activeRegistrations: 0 });
    expect((await json('professional', 'list', '--org', orgId, '--active', 'no')).items).toHaveLength(1);
    expect((await json('professional', 'list', '--org', orgId, '--active', 'yes')).items).toHaveLength(0);
    expect(await json('professional', 'reactivate', '--id', id)).toMatchObject({ active: true, changed: true });

    await withDb(async (deps) => {
      const [row] = await deps.db.select().from(professionals).where(eq(professionals.id, id));
      expect(row).toMatchObject({ active: true, phone: '06-1', deactivatedAt: null });
      const mails = await deps.db.select().from(outbox).where(eq(outbox.recipientProfessionalId, id));
      expect(mails.map((m) => m.template).sort()).toEqual(['invitation', 'invitation', 'second_factor_reset']);
      const rows = await deps.db.select().from(auditEvents).where(eq(auditEvents.targetUserId, id));
      const actions = rows.map((r) => r.action);
      for (const action of [
        'professional.update',
        'professional.roles',
        'professional.reinvite',
        'professional.reset_second_factor',
        'professional.deactivate',
        'professional.reactivate',
      ])
        expect(actions).toContain(action);
      expect(rows.filter((r) => r.action.startsWith('professional.')).every((r) => r.actorType === 'operator' && r.actorId === 'test-operator')).toBe(true);
    });
  });

  it('refuses bad options as usage (exit 2) with the option named, and an unknown person as not found (exit 1)', { timeout: 60_000 }, async () => {
    const missing = await cli('professional', 'show', '--json');
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout).error.code).toBe('usage');
    const badActive = await cli('professional', 'list', '--active', 'maybe');
    expect(badActive.code).toBe(2);
    expect(badActive.stderr).toContain('--active');
    const unknown = await cli('professional', 'deactivate', '--id', 'no-such-person', '--json');
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout).error.code).toBe('not_found');
  });
});
