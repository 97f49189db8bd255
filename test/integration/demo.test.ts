/**
 * `npm run demo` (scripts/demo.mjs → src/cli/demo.ts): against a fresh temporary database it
 * creates the demo municipality and prints each account once; one printed professional then
 * logs in through the app with that password and a code from that TOTP secret and sees a
 * match. It refuses a second run on the same database (unless --force) and production.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'otplib';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { runDemo } from '../../src/cli/demo.ts';
import { createNodeDeps } from '../../src/entry/node-deps.ts';
import { parseEnv } from '../../src/env.ts';
import { listOutbox } from '../../src/notify/outbox-admin.ts';
import { memoryMailer, TEST_KEY_HEX, type TestContext } from '../support/context.ts';
import { TEST_AUDIT_KEY_HEX } from '../support/driver-node.ts';
import { runTs } from '../support/process.ts';
import { WebClient } from '../support/web-client.ts';

const dir = mkdtempSync(join(tmpdir(), 'betrokken-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = {
  DATABASE_PATH: join(dir, 'demo.db'),
  MAIL_DIR: join(dir, 'mail'),
  PSEUDONYM_KEY: TEST_KEY_HEX,
  AUDIT_KEY: TEST_AUDIT_KEY_HEX,
  AUDIT_ANCHOR_DIR: join(dir, 'anchors'),
  LOG_LEVEL: 'silent',
  NODE_ENV: 'development',
  PUBLIC_URL: 'https://betrokken.test',
};

/** The printed table's rows: e-mail, role, organisation, password, TOTP secret. */
function accounts(stdout: string) {
  const rows = stdout.split('\n').filter((line) => /^\S+@\S+\s{2,}/.test(line));
  return rows.map((row) => {
    const cells = row.split(/\s{2,}/);
    return { email: cells[0]!, role: cells[1]!, password: cells.at(-2)!, secret: cells.at(-1)! };
  });
}

describe('npm run demo', () => {
  let stdout = '';

  it('creates organisations, people in every role, registrations and matches, printing each account once', async () => {
    const run = await runTs('scripts/demo.mjs', [], env);
    expect(run.code, run.stderr).toBe(0);
    stdout = run.stdout;
    expect(stdout).toMatch(/4 organisations, 8 people, 5 registrations, 2 matches/);
    const printed = accounts(stdout);
    expect(printed).toHaveLength(8);
    expect(new Set(printed.map((a) => a.role))).toEqual(
      new Set(['professional', 'coördinator organisatie', 'functioneel beheerder', 'matchopvolger', 'auditor']),
    );
    for (const account of printed) {
      expect(account.password.length).toBeGreaterThanOrEqual(12);
      expect(account.secret).toMatch(/^[A-Z2-7]{16,}$/);
      // Printed once in the table, once in its otpauth URL, nowhere else.
      expect(stdout.split(account.password)).toHaveLength(2);
      expect(stdout).toContain(`secret=${account.secret}`);
    }
  });

  it('lets a printed professional log in with the password and TOTP and see the match; the match mails are queued', async () => {
    const sanne = accounts(stdout).find((a) => a.email.startsWith('sanne.'))!;
    const deps = createNodeDeps(parseEnv(env), { mailer: memoryMailer(), log: () => {} });
    try {
      const app = createApp(deps);
      const client = new WebClient({ app, config: deps.config } as unknown as TestContext);
      const password = await client.post('/login', { email: sanne.email, password: sanne.password });
      expect(password.location).toMatch(/^\/login\/code/);
      // The demo used the current step to confirm enrolment: the next one is accepted (one step of drift).
      const code = await generate({ secret: sanne.secret, epoch: Math.floor(Date.now() / 1000) + 30 });
      const login = await client.post('/login/code', { code });
      expect(login.status).toBe(303);
      const dashboard = await client.get('/');
      expect(dashboard.status).toBe(200);
      const matchPath = /href="(\/matches\/[0-9a-f-]{36})"/.exec(dashboard.html)?.[1];
      expect(matchPath).toBeDefined();
      const match = await client.get(matchPath!);
      expect(match.status).toBe(200);
      expect(match.html).toContain('mehmet.yilmaz@wijkteam.example');

      const pending = await listOutbox({ deps, actor: { type: 'operator', id: 'test' }, requestId: null, origin: 'test' }, { status: 'pending' });
      expect(pending.items.length).toBeGreaterThan(0);
      expect(pending.items.every((item) => item.template.startsWith('match'))).toBe(true);
    } finally {
      deps.close();
    }
  });

  it('refuses a database that already has organisations unless --force, and production', async () => {
    const io = () => {
      const lines = { out: [] as string[], error: [] as string[] };
      return { lines, io: { env, out: (l: string) => void lines.out.push(l), error: (l: string) => void lines.error.push(l) } };
    };
    const again = io();
    expect(await runDemo([], again.io)).toBe(1);
    expect(again.lines.error.join('\n')).toContain('--force');
    expect(again.lines.out).toEqual([]);

    const production = io();
    expect(await runDemo([], { ...production.io, env: { ...env, NODE_ENV: 'production' } })).toBe(2);
    expect(production.lines.error.join('\n')).toContain('production');

    const forced = io();
    expect(await runDemo(['--force'], forced.io)).toBe(0);
    expect(forced.lines.out.join('\n')).toContain('2 matches');
    expect(accounts(forced.lines.out.join('\n')).every((a) => /-[0-9a-f]{4}@/.test(a.email))).toBe(true);
  }, 60_000);
});
