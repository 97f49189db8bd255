/** Helpers for bench/registrations.ts: BSNs, child processes, memory. Node only. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { build, bundleScript, isStale } from '../scripts/build.mjs';

/**
 * The check digit that makes `prefix` (8 digits) + digit pass the elfproef
 * (9·d1 + 8·d2 + … + 2·d8 − 1·d9 ≡ 0 mod 11), or null when it would have to be 10.
 */
export function elfproefDigit(prefix: number): number | null {
  let sum = 0;
  let rest = prefix;
  for (let weight = 2; weight <= 9; weight++) {
    sum += weight * (rest % 10);
    rest = Math.floor(rest / 10);
  }
  const digit = sum % 11;
  return digit === 10 ? null : digit;
}

/**
 * Random valid BSNs, each at most once, drawn from 8-digit prefixes in [low, high).
 * Disjoint ranges keep the pre-fill's subjects and the load's subjects apart, so every
 * benchmark request registers a new subject. With low >= 10,000,000 the first digit is
 * not 0, so the all-equal case (only 000000000 passes the elfproef) cannot occur.
 */
export function bsnSource(low: number, high: number): () => string {
  const used = new Set<number>(); // numbers, not strings: a million entries stay small
  return () => {
    for (;;) {
      const prefix = low + Math.floor(Math.random() * (high - low));
      const digit = elfproefDigit(prefix);
      if (digit === null) continue;
      const bsn = prefix * 10 + digit;
      if (used.has(bsn)) continue;
      used.add(bsn);
      return String(bsn);
    }
  };
}

/** A port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The node arguments that run the server as `npm start` does: the compiled
 * dist/entry/node.mjs (scripts/build.mjs), built first when missing or stale.
 */
export async function serverArgs(): Promise<string[]> {
  if (isStale()) await build();
  // Exactly `npm start`'s command (docs/operations.md: V8's heap flags).
  const start = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start;
  return start.split(' ').slice(1);
}

/** The node arguments that run the baseline (bench/hello-server.ts) compiled the same way, so neither side pays for tsx. */
export async function helloServerArgs(): Promise<string[]> {
  return [await bundleScript('bench/hello-server.ts', 'bench')];
}

export interface NodeChild {
  process: ChildProcess;
  pid: number;
  /** Everything the child wrote to stderr (warnings, errors), for the report. */
  stderr: string[];
}

/**
 * Starts `node <args>` with this process's own Node binary, so `pid` is the server itself
 * (not an npx or shell wrapper) and /proc/<pid>/status describes the server's memory.
 * Resolves once stdout matches `ready`.
 */
export function startNode(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; ready: RegExp; timeoutMs?: number }): Promise<NodeChild> {
  const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child did not become ready in time: node ${args.join(' ')}\n${stderr.join('')}`));
    }, options.timeoutMs ?? 60_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (options.ready.test(stdout)) {
        clearTimeout(timer);
        resolve({ process: child, pid: child.pid!, stderr });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code ?? signal}) before it was ready: node ${args.join(' ')}\n${stderr.join('')}`));
    });
  });
}

/** SIGTERM, then SIGKILL if the child has not exited after 10 s. */
export async function stopNode(child: NodeChild): Promise<void> {
  const proc = child.process;
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Peak resident set size (VmHWM) of a live process in bytes; null where /proc is missing. */
export function peakRssBytes(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * CPU time (user + system) a live process has used so far, in seconds; null where /proc is
 * missing. /proc reports it in USER_HZ ticks, which Linux fixes at 100 per second.
 */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at field 3 (state).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime: fields 14 and 15
  } catch {
    return null;
  }
}

/** Busy CPU time of the whole machine so far (all cores, in seconds); null without /proc. */
export function machineBusySeconds(): number | null {
  try {
    const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
    return (user! + nice! + system! + irq! + softirq! + steal!) / 100;
  } catch {
    return null;
  }
}
