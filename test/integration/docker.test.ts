/**
 * The container (issue 13, operators): the Dockerfile, .dockerignore and compose.yaml.
 *
 * Always, without Docker: the files say what docs/operations.md promises (multi-stage,
 * production dependencies only, non-root, the /data volume, a healthcheck that needs no
 * curl, the port, the command), compose.yaml parses with Betrokken and the mail catcher, and
 * the image's healthcheck command works against the server the image runs (dist/), started
 * here as the image starts it. With Docker (`docker info` succeeds, as on a CI runner with a
 * daemon): the image is built and run, becomes healthy and answers /healthz. Without a
 * daemon that test is skipped, and says why.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// `yaml` (ISC) is in node_modules through @hono/zod-openapi; a test may use it, the app does not.
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_KEY_HEX } from '../support/context.ts';
import { TEST_AUDIT_KEY_HEX } from '../support/driver-node.ts';
import { SERVER_ENTRY, startServerEntry } from '../support/process.ts';

const dockerfile = readFileSync('Dockerfile', 'utf8');
const dockerignore = readFileSync('.dockerignore', 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'))
  .map((line) => {
    const [keyword, ...rest] = line.split(/\s+/);
    return { keyword: keyword!.toUpperCase(), args: rest.join(' ') };
  });

/** The instructions of the last stage (the image that runs). */
const lastFrom = instructions.map((i) => i.keyword).lastIndexOf('FROM');
const runtime = instructions.slice(lastFrom);
const jsonArgs = (args: string) => JSON.parse(args.replace(/^.*?(\[.*\])\s*$/, '$1')) as string[];

describe('Dockerfile', () => {
  it('has a build stage and a runtime stage on Node 24', () => {
    const froms = instructions.filter((i) => i.keyword === 'FROM').map((i) => i.args);
    expect(froms).toHaveLength(2);
    expect(froms[0]).toMatch(/^node:\$\{NODE_VERSION\}-slim AS build$/);
    expect(froms[1]).toMatch(/^node:\$\{NODE_VERSION\}-slim AS runtime$/);
    expect(instructions.find((i) => i.keyword === 'ARG' && i.args.startsWith('NODE_VERSION'))?.args).toBe('NODE_VERSION=24');
  });

  it('builds with npm ci and npm run build, with the tools for the native addons, then drops the dev dependencies', () => {
    const build = instructions.slice(0, lastFrom);
    const runs = build.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(runs.some((r) => /python3/.test(r) && /\bmake\b/.test(r) && /g\+\+/.test(r))).toBe(true);
    expect(runs.some((r) => r.startsWith('npm ci'))).toBe(true);
    expect(runs.some((r) => r.includes('npm run build') && r.includes('npm prune --omit=dev'))).toBe(true);
  });

  it('copies only the pruned node_modules, dist and the migrations into the runtime stage', () => {
    const copies = runtime.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies.every((c) => c.startsWith('--from=build '))).toBe(true);
    const sources = copies.map((c) => c.split(/\s+/)[1]);
    expect(sources.sort()).toEqual(['/app/dist', '/app/migrations', '/app/node_modules', '/app/package.json']);
  });

  it('runs as a non-root user, with its data on the /data volume, port 8787 and the server entry', () => {
    const users = runtime.filter((i) => i.keyword === 'USER').map((i) => i.args);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    expect(runtime.find((i) => i.keyword === 'VOLUME')?.args).toBe('/data');
    expect(runtime.find((i) => i.keyword === 'EXPOSE')?.args).toBe('8787');
    const env = runtime
      .filter((i) => i.keyword === 'ENV')
      .map((i) => i.args)
      .join(' ');
    expect(env).toContain('DATABASE_PATH=/data/betrokken.db');
    expect(env).toContain('NODE_ENV=production');
    const cmd = jsonArgs(runtime.find((i) => i.keyword === 'CMD')!.args);
    expect(cmd[0]).toBe('node');
    expect(cmd.at(-1)).toBe(SERVER_ENTRY);
    // The image runs the server as `npm start` does, V8's heap flags included (docs/operations.md).
    const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
    expect(cmd.join(' ')).toBe(start);
  });

  it('checks its health with node (no curl in the slim image) on /healthz', () => {
    const healthcheck = runtime.find((i) => i.keyword === 'HEALTHCHECK')!;
    expect(healthcheck).toBeDefined();
    const cmd = jsonArgs(healthcheck.args);
    expect(cmd.slice(0, 2)).toEqual(['node', '-e']);
    expect(cmd[2]).toContain('/healthz');
  });

  it('keeps data, keys, secrets, dependencies and build output out of the build context', () => {
    for (const entry of ['.git', '.env', 'node_modules', 'dist', 'data', '*.db', '*.key', 'test', 'src/views/assets.generated.ts'])
      expect(dockerignore, entry).toContain(entry);
    // What the build needs stays in.
    for (const needed of ['src', 'scripts', 'migrations', 'package.json', 'package-lock.json']) expect(dockerignore).not.toContain(needed);
  });
});

describe('compose.yaml', () => {
  const compose = parse(readFileSync('compose.yaml', 'utf8')) as {
    services: Record<string, { build?: unknown; image?: string; environment?: Record<string, string>; ports?: string[]; volumes?: string[] }>;
    volumes: Record<string, unknown>;
  };

  it('runs Betrokken and the Mailpit mail catcher, Betrokken sending to it', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['betrokken', 'mailpit']);
    const betrokken = compose.services.betrokken!;
    expect(betrokken.build).toBe('.');
    expect(betrokken.environment?.SMTP_URL).toBe('smtp://mailpit:1025');
    expect(compose.services.mailpit!.image).toMatch(/^axllent\/mailpit:v\d+\.\d+\.\d+$/);
    expect(compose.services.mailpit!.ports?.some((p) => p.endsWith(':8025'))).toBe(true);
  });

  it('keeps the data on a named volume and takes the keys from the environment, required', () => {
    const betrokken = compose.services.betrokken!;
    expect(betrokken.volumes).toContain('betrokken-data:/data');
    expect(Object.keys(compose.volumes)).toContain('betrokken-data');
    for (const key of ['PSEUDONYM_KEY', 'AUDIT_KEY', 'PUBLIC_URL']) expect(betrokken.environment?.[key]).toMatch(new RegExp(`^\\$\\{${key}:\\?`));
    // Published on this host only: a TLS proxy serves it to the network.
    for (const service of Object.values(compose.services)) for (const port of service.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
  });
});

describe("the image's commands, run here as the image runs them", () => {
  const dir = mkdtempSync(join(tmpdir(), 'betrokken-docker-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const healthcheck = jsonArgs(runtime.find((i) => i.keyword === 'HEALTHCHECK')!.args);
  const check = (port: string) => spawnSync(process.execPath, healthcheck.slice(1), { env: { ...process.env, PORT: port }, timeout: 10_000 }).status;

  it('the healthcheck passes while the server runs and fails once it has stopped', { timeout: 60_000 }, async () => {
    const port = String(20000 + Math.floor(Math.random() * 20000));
    const env = Object.fromEntries(
      runtime
        .filter((i) => i.keyword === 'ENV')
        .flatMap((i) => i.args.split(/\s+/))
        .map((pair) => pair.split('=') as [string, string]),
    );
    const server = await startServerEntry({
      ...env,
      PORT: port,
      DATABASE_PATH: join(dir, 'betrokken.db'),
      AUDIT_ANCHOR_DIR: join(dir, 'anchors'),
      MAIL_DIR: join(dir, 'mail'),
      PUBLIC_URL: 'https://betrokken.example',
      PSEUDONYM_KEY: TEST_KEY_HEX,
      AUDIT_KEY: TEST_AUDIT_KEY_HEX,
    });
    try {
      expect(check(port)).toBe(0);
    } finally {
      await server.stop();
    }
    expect(check(port)).toBe(1);
  });
});

function dockerAvailable(): { ok: boolean; reason: string } {
  const info = spawnSync('docker', ['info'], { encoding: 'utf8', timeout: 20_000 });
  if (info.error) return { ok: false, reason: `no docker command (${info.error.message})` };
  if (info.status !== 0) return { ok: false, reason: `docker info failed: ${(info.stderr || info.stdout).trim().split('\n').at(-1)}` };
  return { ok: true, reason: '' };
}

const docker = dockerAvailable();
if (!docker.ok) console.log(`docker.test.ts: building and running the image is skipped: ${docker.reason}`);

describe('the image, built and run (needs a Docker daemon)', () => {
  const tag = `betrokken-test:${process.pid}`;
  const name = `betrokken-test-${process.pid}`;
  const run = (...args: string[]) => spawnSync('docker', args, { encoding: 'utf8', timeout: 900_000, maxBuffer: 64 * 1024 * 1024 });

  it.skipIf(!docker.ok)('builds, starts as a non-root user, becomes healthy and answers /healthz', { timeout: 1_200_000 }, async () => {
    const build = run('build', '-t', tag, '.');
    expect(build.status, build.stderr.slice(-2000)).toBe(0);
    try {
      const started = run(
        'run',
        '-d',
        '--name',
        name,
        '-p',
        '127.0.0.1::8787',
        '-e',
        'PUBLIC_URL=https://betrokken.example',
        '-e',
        `PSEUDONYM_KEY=${TEST_KEY_HEX}`,
        '-e',
        `AUDIT_KEY=${TEST_AUDIT_KEY_HEX}`,
        tag,
      );
      expect(started.status, started.stderr).toBe(0);
      expect(run('inspect', '--format', '{{.Config.User}}', tag).stdout.trim()).toBe('node');
      let health = '';
      for (let i = 0; i < 120 && health !== 'healthy'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        health = run('inspect', '--format', '{{.State.Health.Status}}', name).stdout.trim();
      }
      expect(health, run('logs', name).stderr.slice(-2000)).toBe('healthy');
      const address = run('port', name, '8787/tcp').stdout.trim().split('\n')[0]!;
      const response = await fetch(`http://${address}/healthz`);
      expect(await response.json()).toEqual({ status: 'ok' });
    } finally {
      run('rm', '-f', name);
      run('rmi', '-f', tag);
    }
  });
});
