/**
 * Checkpoints off the event loop (ADR 0019): on a file database a worker thread with its own
 * connection copies the WAL into the database file (PASSIVE), and the server connection's
 * auto-checkpoint is only a backstop with a larger threshold; the data stays whole, and a
 * process that started the worker still exits by itself.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleScript } from '../../scripts/build.mjs';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, createCheckpointer, UNITS_PER_CHECKPOINT } from '../../src/db/node-checkpointer.ts';
import { openNodeDatabase } from '../../src/db/node.ts';
import { statisticsCounters } from '../../src/db/schema.ts';

const dir = mkdtempSync(join(tmpdir(), 'betrokken-checkpointer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The helper process compiled as the server is: the worker's driver is found from the bundle.
let commitAndLeave: string;
beforeAll(async () => {
  commitAndLeave = await bundleScript('test/support/commit-and-leave.ts', 'test');
});

const counter = (database: ReturnType<typeof openNodeDatabase>, metric: string) =>
  database.db.insert(statisticsCounters).values({ month: '2026-11', sector: 'onderwijs', metric, bucket: 0, count: 1 });

describe('checkpoints off the event loop', () => {
  it('copies the WAL into the database file from a worker thread once enough units were committed; the data stays whole', async () => {
    const path = join(dir, 'passes.db');
    const database = openNodeDatabase(path);
    try {
      expect(database.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_AUTOCHECKPOINT_PAGES);
      const checkpointer = database.checkpointer!;

      // Fewer units than a pass needs: no pass (and no worker thread).
      await Promise.all(Array.from({ length: UNITS_PER_CHECKPOINT - 1 }, (_, n) => database.atomic([counter(database, `a${n}`)])));
      await checkpointer.idle();
      expect(checkpointer.stats.passes).toBe(0);

      // One more unit: a pass, which copied the WAL's pages into the file.
      await database.atomic([counter(database, 'last')]);
      await checkpointer.idle();
      expect(checkpointer.stats).toMatchObject({ passes: 1, failures: 0 });
      expect(checkpointer.stats.pages).toBeGreaterThan(0);
      // Nothing was left for this connection to copy.
      const [left] = database.sqlite.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number; checkpointed: number }>;
      expect(left!.checkpointed).toBe(left!.log);
    } finally {
      database.close();
    }

    const reopened = openNodeDatabase(path);
    try {
      expect(reopened.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(reopened.sqlite.prepare('select count(*) as n from statistics_counters').get()).toEqual({ n: UNITS_PER_CHECKPOINT });
    } finally {
      reopened.close();
    }
  });

  it('warns when the worker cannot run and leaves the checkpoints to the backstop, without starting it again', async () => {
    const warnings: string[] = [];
    const checkpointer = createCheckpointer(join(dir, 'missing', 'none.db'), (message) => warnings.push(message));
    checkpointer.committed(UNITS_PER_CHECKPOINT);
    await checkpointer.idle();
    expect(checkpointer.stats).toMatchObject({ passes: 0, failures: 1 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^checkpoint thread stopped: .*(unable to open|directory does not exist)/);

    checkpointer.committed(UNITS_PER_CHECKPOINT);
    await checkpointer.idle();
    expect(checkpointer.stats.failures).toBe(1);
    checkpointer.close();
  });

  it('keeps an in-memory database without a checkpointer (it has no WAL)', () => {
    const database = openNodeDatabase(':memory:');
    try {
      expect(database.checkpointer).toBeNull();
    } finally {
      database.close();
    }
  });

  it('does not keep a process alive that started the worker and ended without closing the database', async () => {
    const child = spawn(process.execPath, [commitAndLeave], {
      env: { ...process.env, DATABASE_PATH: join(dir, 'leave.db') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ passes: 1, failures: 0 });
  }, 60_000);
});
