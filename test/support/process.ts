import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { TEST_KEY_HEX } from './context.ts';
import { TEST_AUDIT_KEY_HEX } from './driver-node.ts';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a TypeScript file of ours (a test helper process) with Node + tsx, asynchronously (in-process servers keep working). */
export function runTs(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  return runNode(['--import', 'tsx', script, ...args], env);
}

/**
 * The operator CLI as a process: the package bin (bin/betrokken.mjs), which runs the compiled
 * CLI in dist/ (built once per test run by test/support/build-dist.ts, the global setup).
 */
export function runBin(args: string[], env: Record<string, string>): Promise<Run> {
  return runNode(['bin/betrokken.mjs', ...args], env);
}

/** The compiled server entry that `npm start` runs, as a process that is expected to exit. */
export const SERVER_ENTRY = 'dist/entry/node.mjs';

export function runServerEntry(env: Record<string, string>): Promise<Run> {
  return runNode([SERVER_ENTRY], env);
}

/**
 * The compiled server started with this environment (on top of this process's), resolved
 * once it printed "ready on"; rejected, with its stderr, if it exits first. `stop()` sends
 * SIGTERM and waits for the exit.
 */
export async function startServerEntry(env: Record<string, string>) {
  const child = spawn(process.execPath, [SERVER_ENTRY], { env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('ready on')) resolve();
    });
    child.on('exit', () => reject(new Error(`exited early: ${err}`)));
  });
  return {
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function runNode(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A fresh data directory and the operator CLI pointed at it, with the test keys; `env` is
 * what an in-process app needs to open the same database. Removed after the file's tests.
 */
export function cliInTempDir(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const env = {
    DATABASE_PATH: join(dir, 'cli.db'),
    MAIL_DIR: join(dir, 'mail'),
    PSEUDONYM_KEY: TEST_KEY_HEX,
    AUDIT_KEY: TEST_AUDIT_KEY_HEX,
    AUDIT_ANCHOR_DIR: join(dir, 'anchors'),
    LOG_LEVEL: 'silent',
    // Who the audit trail names for the CLI's actions (required for every change).
    BETROKKEN_OPERATOR: 'test-operator',
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, env, cli: (...args: string[]) => runCliInProcess(args, env) };
}

/**
 * The CLI run in this process (src/cli/cli.ts, the same code the bin runs), with the given
 * environment and its stdout and stderr captured: a command costs milliseconds instead of
 * a process start. The suites that need the process itself (the bin's stdout, exit codes,
 * D1) spawn it with `runBin`.
 */
export async function runCliInProcess(args: string[], env: Record<string, string>): Promise<Run> {
  const { runCli } = await import('../../src/cli/cli.ts');
  let stdout = '';
  let stderr = '';
  const decoder = new TextDecoder();
  const code = await runCli(args, {
    env: { ...process.env, ...env },
    async write(chunk) {
      stdout += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    },
    error(line) {
      stderr += `${line}\n`;
    },
  });
  return { code, stdout, stderr };
}
