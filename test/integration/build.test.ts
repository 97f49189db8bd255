/**
 * The build step (scripts/build.mjs, issue 12) on a fresh clone: a directory with the
 * repository's sources, scripts and package.json but no dist/. The package bin builds dist/
 * by itself before its first command and prints nothing but the JSON object on stdout;
 * `npm start` builds and serves. The clone copies the sources and links migrations/ and
 * node_modules/ to this checkout; the shared dist/ of the test run is never touched.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { TEST_KEY_HEX } from '../support/context.ts';
import { TEST_AUDIT_KEY_HEX } from '../support/driver-node.ts';

const ROOT = resolve('.');
const clone = mkdtempSync(join(tmpdir(), 'betrokken-clone-'));
for (const name of ['migrations', 'node_modules']) symlinkSync(join(ROOT, name), join(clone, name));
for (const name of ['src', 'bin', 'scripts', 'package.json', 'tsconfig.json']) cpSync(join(ROOT, name), join(clone, name), { recursive: true });
afterAll(() => rmSync(clone, { recursive: true, force: true }));

const env = {
  ...process.env,
  DATABASE_PATH: join(clone, 'data', 'clone.db'),
  MAIL_DIR: join(clone, 'mail'),
  PSEUDONYM_KEY: TEST_KEY_HEX,
  AUDIT_KEY: TEST_AUDIT_KEY_HEX,
  AUDIT_ANCHOR_DIR: join(clone, 'anchors'),
  BETROKKEN_OPERATOR: 'test-operator',
  LOG_LEVEL: 'silent',
};

function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: clone, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

it('the bin builds dist/ on its first run, then runs the compiled CLI with only the JSON object on stdout', async () => {
  expect(existsSync(join(clone, 'dist'))).toBe(false);
  const first = await run(process.execPath, ['bin/betrokken.mjs', 'org', 'list', '--json']);
  expect(first.code).toBe(0);
  expect(JSON.parse(first.stdout)).toEqual({ items: [], total: 0 });
  expect(first.stdout.trim().split('\n')).toHaveLength(1);
  expect(existsSync(join(clone, 'dist', 'cli', 'main.mjs'))).toBe(true);
  expect(existsSync(join(clone, 'dist', 'entry', 'node.mjs'))).toBe(true);

  // A source newer than the build makes the bin build again (it never runs stale code).
  const { isStale } = await import(join(clone, 'scripts', 'build.mjs'));
  expect(isStale()).toBe(false);
  const past = new Date(Date.now() - 3_600_000);
  utimesSync(join(clone, 'dist', 'build.json'), past, past);
  expect(isStale()).toBe(true);
  const second = await run(process.execPath, ['bin/betrokken.mjs', 'outbox', 'status', '--json']);
  expect(second.code).toBe(0);
  expect(JSON.parse(second.stdout)).toEqual({ pending: 0, sent: 0, dead: 0 });
  expect(isStale()).toBe(false);
});

it('`npm start` builds and serves on a fresh clone', async () => {
  const port = String(20000 + Math.floor(Math.random() * 20000));
  const child = spawn('npm', ['start'], { cwd: clone, env: { ...env, PORT: port }, detached: true });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  try {
    const url = await new Promise<string>((ready, fail) => {
      child.stdout.on('data', (d) => {
        out += d;
        const match = /Betrokken is ready on (http:\/\/localhost:\d+)/.exec(out);
        if (match) ready(match[1]!);
      });
      child.on('exit', (code) => fail(new Error(`npm start exited (${code}): ${out}${err}`)));
    });
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
  } finally {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  }
});

it('a source that does not compile stops the bin with exit code 2 and the reason on stderr, nothing on stdout', async () => {
  const file = join(clone, 'src', 'lib', 'dates.ts');
  const source = readFileSync(file, 'utf8');
  writeFileSync(file, `${source}\nexport const broken = ;\n`);
  try {
    const failed = await run(process.execPath, ['bin/betrokken.mjs', 'org', 'list', '--json']);
    expect(failed.code).toBe(2);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain('could not build the CLI');
    expect(failed.stderr).toContain('dates.ts');
  } finally {
    writeFileSync(file, source);
  }
});
