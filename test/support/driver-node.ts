/** Node test driver: a fresh better-sqlite3 file per test file, the Node composition. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock, Log } from '../../src/deps.ts';
import { createNodeDeps } from '../../src/entry/node-deps.ts';
import { parseEnv } from '../../src/env.ts';
import type { Mailer } from '../../src/notify/mailer.ts';

export const runtime = 'node' as const;

/** The tests' AUDIT_KEY (ADR 0009); a test that forges MACs uses a different one. */
export const TEST_AUDIT_KEY_HEX = 'a7'.repeat(32);

export async function createDriver(options: { env: Record<string, string>; mailer: Mailer | undefined; clock: Clock; log: Log }) {
  const dir = mkdtempSync(join(tmpdir(), 'betrokken-test-'));
  const config = parseEnv({
    DATABASE_PATH: join(dir, 'test.db'),
    MAIL_DIR: join(dir, 'mail'),
    AUDIT_KEY: TEST_AUDIT_KEY_HEX,
    AUDIT_ANCHOR_DIR: join(dir, 'anchors'),
    ...options.env,
  });
  const deps = createNodeDeps(config, { ...(options.mailer ? { mailer: options.mailer } : {}), clock: options.clock, log: options.log });
  return {
    runtime,
    deps,
    dir,
    close() {
      deps.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
