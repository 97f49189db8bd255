import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runServerEntry, SERVER_ENTRY } from '../support/process.ts';

const dir = mkdtempSync(join(tmpdir(), 'betrokken-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('npm start’s entry creates the database and a dev key (0600), migrates, and serves on the printed URL', async () => {
  const port = String(20000 + Math.floor(Math.random() * 20000));
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    env: {
      ...process.env,
      PORT: port,
      DATABASE_PATH: join(dir, 'data', 'betrokken.db'),
      MAIL_DIR: join(dir, 'mail'),
      PSEUDONYM_KEY: '',
      NODE_ENV: 'development',
    },
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const match = /ready on (http:\/\/localhost:\d+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.on('exit', () => reject(new Error(`exited early: ${err}`)));
    });
    expect(url).toBe(`http://localhost:${port}`);
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(existsSync(join(dir, 'data', 'betrokken.db'))).toBe(true);
    expect(statSync(join(dir, 'data', 'pseudonym.key')).mode & 0o777).toBe(0o600);
    expect(err).toContain('PSEUDONYM_KEY is not set');

    // SIGTERM: it says it stops, finishes, closes the database and says it stopped.
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = out
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { message: string; signal?: string; ms?: number });
    expect(lines.find((l) => l.message === 'stopping')?.signal).toBe('SIGTERM');
    expect(lines.find((l) => l.message === 'stopped')?.ms).toEqual(expect.any(Number));
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

it('refuses to start in production without PSEUDONYM_KEY, naming the variable', async () => {
  const run = await runServerEntry({ NODE_ENV: 'production', PSEUDONYM_KEY: '', DATABASE_PATH: join(dir, 'prod.db') });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('PSEUDONYM_KEY');
  expect(existsSync(join(dir, 'pseudonym.key'))).toBe(false);
});

it('names every bad variable at start-up', async () => {
  const run = await runServerEntry({ PORT: 'x', SMTP_URL: 'ftp://nope', PSEUDONYM_KEY: 'short', DATABASE_PATH: join(dir, 'bad.db') });
  expect(run.code).toBe(2);
  for (const name of ['PORT', 'SMTP_URL', 'PSEUDONYM_KEY']) expect(run.stderr).toContain(name);
});
