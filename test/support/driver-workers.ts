/**
 * Workers test driver: runs inside workerd (vitest-pool-workers), on a real D1 database
 * in miniflare, emptied and migrated from the same migrations folder per test context.
 */
import type { R2Bucket } from '@cloudflare/workers-types';
import { applyD1Migrations, env, type D1Migration } from 'cloudflare:test';
import type { Clock, Log } from '../../src/deps.ts';
import { createWorkerDeps, type WorkerEnv } from '../../src/entry/worker.ts';
import type { Mailer } from '../../src/notify/mailer.ts';

/** The bindings of wrangler.toml as workerd gives them, plus the migrations the pool reads. */
type TestBindings = WorkerEnv & { AUDIT_ANCHORS: R2Bucket; TEST_MIGRATIONS: D1Migration[] };

export const runtime = 'workers' as const;

/** The tests' AUDIT_KEY (ADR 0009); a test that forges MACs uses a different one. */
export const TEST_AUDIT_KEY_HEX = 'a7'.repeat(32);

export async function createDriver(options: { env: Record<string, string>; mailer: Mailer | undefined; clock: Clock; log: Log }) {
  const bindings = env as unknown as TestBindings;
  await emptyStorage(bindings);
  await applyD1Migrations(bindings.DB, bindings.TEST_MIGRATIONS);
  const base = createWorkerDeps({ ...bindings, AUDIT_KEY: TEST_AUDIT_KEY_HEX, ...options.env });
  const deps = { ...base, mailer: options.mailer ?? base.mailer, clock: options.clock, log: options.log };
  return { runtime, deps, close() {} };
}

/**
 * Test files share one workerd runtime (`isolate: false` in vitest.config.ts: importing the
 * app once per worker instead of once per file), so a context starts by emptying what an
 * earlier file left: every table of D1 (the migrations then rebuild them) and the anchor
 * bucket. The pool's `reset()` does not reach D1's storage, so this drops the tables itself,
 * newest first (children before the tables they reference).
 */
async function emptyStorage(bindings: TestBindings) {
  const { results } = await bindings.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' ORDER BY rowid DESC",
  ).all<{ name: string }>();
  if (results.length > 0) {
    await bindings.DB.batch([bindings.DB.prepare('PRAGMA defer_foreign_keys = on'), ...results.map(({ name }) => bindings.DB.prepare(`DROP TABLE "${name}"`))]);
  }
  for (let listed = await bindings.AUDIT_ANCHORS.list(); listed.objects.length > 0; listed = await bindings.AUDIT_ANCHORS.list()) {
    await bindings.AUDIT_ANCHORS.delete(listed.objects.map((object) => object.key));
  }
}
