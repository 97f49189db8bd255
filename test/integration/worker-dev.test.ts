/**
 * A Workers deployment is bootstrapped exactly like a Node one: the operator CLI sets up
 * organisations on the local D1 state (`--d1-local`), `npm run dev:worker` serves the
 * Worker on that state in real workerd, and registrations over HTTP match.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { randomBsn } from '../support/bsn.ts';
import { runBin } from '../support/process.ts';

const state = mkdtempSync(join(tmpdir(), 'betrokken-d1-'));
// dev:worker generates .dev.vars in the checkout when missing: leave the checkout as found.
const hadDevVars = existsSync('.dev.vars');
let stop = () => {};
afterAll(() => {
  stop();
  rmSync(state, { recursive: true, force: true });
  if (!hadDevVars) rmSync('.dev.vars', { force: true });
});

const cli = async (...args: string[]) => {
  const run = await runBin([...args, '--d1-local', '--persist-to', state, '--json'], { BETROKKEN_OPERATOR: 'test-operator' });
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Record<string, string>;
};

it('CLI --d1-local sets up the directory; dev:worker serves it; registrations match', { timeout: 180_000 }, async () => {
  // No `migrate` first: like the SQLite file, a fresh local D1 state is migrated on first use.
  const orgs = [];
  for (const [name, sector] of [
    ['School', 'education'],
    ['Wijkteam', 'district_team'],
  ] as const) {
    const { id } = await cli('org', 'create', '--name', name, '--sector', sector);
    const email = `${sector}@example.org`;
    await cli('professional', 'create', '--org', id!, '--name', `Prof ${name}`, '--email', email);
    const { token } = await cli('api-client', 'create', '--org', id!, '--name', 'CMS');
    orgs.push({ email, token: token! });
  }

  const port = String(30000 + Math.floor(Math.random() * 20000));
  const dev = spawn(process.execPath, ['scripts/dev-worker.mjs', '--port', port, '--persist-to', state], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  stop = () => {
    try {
      process.kill(-dev.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      if (/Ready on/.test(out)) resolve();
    };
    dev.stdout!.on('data', onData);
    dev.stderr!.on('data', onData);
    dev.on('exit', (code) => reject(new Error(`dev:worker exited (${code}): ${out}`)));
  });

  const bsn = randomBsn();
  const register = (org: { email: string; token: string }) =>
    fetch(`http://localhost:${port}/api/v1/registrations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ bsn, birthDate: '2013-09-09', professionalEmail: org.email, criterionConfirmed: true }),
    });
  expect((await register(orgs[0]!)).status).toBe(201);
  const second = await register(orgs[1]!);
  expect(second.status).toBe(201);
  expect(((await second.json()) as { matchId: string | null }).matchId).toEqual(expect.any(String));
  // Two invitations (professional create) and the two match notifications: the unit that made
  // the match kicked the drainer, which sends every due row after the response (waitUntil,
  // ADR 0013; wrangler dev records what the send_email binding sends). Wait for it to finish.
  let status = await cli('outbox', 'status');
  for (let tries = 0; Number(status.sent) < 4 && tries < 20; tries++) {
    await new Promise((r) => setTimeout(r, 500));
    status = await cli('outbox', 'status');
  }
  expect(status).toEqual({ pending: 0, sent: 4, dead: 0 });
  // The CLI does not drain the Worker's outbox: it has no mail binding (the Cron Trigger and the kick do).
  const jobs = await runBin(['jobs', 'run', '--d1-local', '--persist-to', state, '--json'], {});
  expect(jobs.code).toBe(2);
  expect(await cli('outbox', 'status')).toEqual({ pending: 0, sent: 4, dead: 0 });
});
