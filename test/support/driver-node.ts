/** Node test driver: a fresh better-sqlite3 file per test file, the Node composition. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock, Log } from '../../src/deps.ts';
import { createNodeDeps } from '../../src/entry/node-deps.ts';
import { parseEnv } from '../../src/env.ts';
import type { Mailer } from '../../src/notify/mailer.ts';

export const runtime = 'node' as const;

export async function createDriver(options: { env: Record<string, string>; mailer: Mailer | undefined; clock: Clock; log: Log }) {
  const dir = mkdtempSync(join(tmpdir(), 'betrokken-test-'));
  const config = parseEnv({ DATABASE_PATH: join(dir, 'test.db'), MAIL_DIR: join(dir, 'mail'), ...options.env });
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
