/**
 * Workers test driver: runs inside workerd (vitest-pool-workers), on a real D1 database
 * in miniflare, emptied and migrated from the same migrations folder per test file.
 */
import { applyD1Migrations, env, reset, type D1Migration } from 'cloudflare:test';
import type { Clock, Log } from '../../src/deps.ts';
import { createWorkerDeps, type WorkerEnv } from '../../src/entry/worker.ts';
import type { Mailer } from '../../src/notify/mailer.ts';

export const runtime = 'workers' as const;

/** The tests' AUDIT_KEY (ADR 0009); a test that forges MACs uses a different one. */
export const TEST_AUDIT_KEY_HEX = 'a7'.repeat(32);

export async function createDriver(options: { env: Record<string, string>; mailer: Mailer | undefined; clock: Clock; log: Log }) {
  const bindings = env as unknown as WorkerEnv & { TEST_MIGRATIONS: D1Migration[] };
  await reset();
  await applyD1Migrations(bindings.DB, bindings.TEST_MIGRATIONS);
  const base = createWorkerDeps({ ...bindings, AUDIT_KEY: TEST_AUDIT_KEY_HEX, ...options.env });
  const deps = { ...base, mailer: options.mailer ?? base.mailer, clock: options.clock, log: options.log };
  return { runtime, deps, close() {} };
}
