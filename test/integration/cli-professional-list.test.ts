/**
 * `professional list` as issue 13 names it, through the package bin (the real process):
 * `--organisation <id>` (or `--org`) filters, `--json` puts exactly one JSON object on
 * stdout, and the list names people only: never a client's BSN, pseudonym, registration or
 * case number, even for a professional with active registrations.
 */
import { describe, expect, it } from 'vitest';
import { registerInvolvement } from '../../src/registry/register-involvement.ts';
import { createNodeDeps } from '../../src/entry/node-deps.ts';
import { parseEnv } from '../../src/env.ts';
import { randomBsn } from '../support/bsn.ts';
import { memoryMailer } from '../support/context.ts';
import { cliInTempDir, runBin } from '../support/process.ts';

const { env, cli } = cliInTempDir('betrokken-cli-professional-list-');

async function json(...args: string[]) {
  const run = await cli(...args, '--json');
  if (run.code !== 0) throw new Error(`${args.join(' ')}: ${run.code} ${run.stdout} ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, any>;
}

describe('professional list', () => {
  it('filters by --organisation, prints one JSON object, and never a client', { timeout: 120_000 }, async () => {
    const { id: orgId } = await json('org', 'create', '--name', 'Jeugdteam Zuid', '--sector', 'youth_care');
    const { id: otherOrg } = await json('org', 'create', '--name', 'School West', '--sector', 'education');
    const { id: anna } = await json('professional', 'create', '--org', orgId, '--name', 'Anna de Vries', '--email', 'anna@example.org');
    const { id: bram } = await json('professional', 'create', '--org', orgId, '--name', 'Bram Bakker', '--email', 'bram@example.org');
    await json('professional', 'create', '--org', otherOrg, '--name', 'Carla Smit', '--email', 'carla@example.org');

    // Anna registers a child, with her own case number.
    const bsn = randomBsn();
    const reference = 'DOSSIER-4711';
    const deps = createNodeDeps(parseEnv({ ...env, NODE_ENV: 'test' }), { mailer: memoryMailer(), log: () => {} });
    let registrationId: string;
    let pseudonym: Uint8Array;
    try {
      const ctx = {
        deps,
        actor: { type: 'professional' as const, id: anna, organisationId: orgId, roles: ['professional' as const] },
        requestId: null,
        origin: null,
      };
      const result = await registerInvolvement(ctx, { bsn, birthDate: '2013-03-01', professionalEmail: 'anna@example.org', reference });
      registrationId = result.registration.id;
      pseudonym = (await deps.pseudonymizer.pseudonymize(bsn)).bytes;
    } finally {
      deps.close();
    }

    const run = await runBin(['professional', 'list', '--organisation', orgId, '--json'], { ...env, BETROKKEN_OPERATOR: 'test-operator' });
    expect(run.code, run.stderr).toBe(0);
    const list = JSON.parse(run.stdout) as { items: { id: string; name: string; activeRegistrations: number }[]; total: number };
    expect(list.items.map((p) => p.name)).toEqual(['Anna de Vries', 'Bram Bakker']);
    expect(list.total).toBe(2);
    expect(list.items.find((p) => p.id === anna)?.activeRegistrations).toBe(1);
    expect(list.items.find((p) => p.id === bram)?.activeRegistrations).toBe(0);

    const hex = Array.from(pseudonym, (b) => b.toString(16).padStart(2, '0')).join('');
    const base64 = btoa(String.fromCharCode(...pseudonym));
    for (const secret of [bsn, reference, registrationId, hex, base64]) expect(run.stdout + run.stderr).not.toContain(secret);

    // The text form and the short --org say the same.
    const text = await runBin(['professional', 'list', '--org', orgId], { ...env, BETROKKEN_OPERATOR: 'test-operator' });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Anna de Vries <anna@example.org>  Jeugdteam Zuid');
    expect(text.stdout).not.toContain('Carla Smit');
    expect(text.stdout).not.toContain(bsn);
  });

  it('refuses --org and --organisation naming different organisations as usage (exit 2)', { timeout: 60_000 }, async () => {
    const run = await cli('professional', 'list', '--org', crypto.randomUUID(), '--organisation', crypto.randomUUID(), '--json');
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'usage' });
    expect(run.stdout).toContain('--organisation');
  });
});
