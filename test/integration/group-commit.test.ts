/**
 * Durable group commit on Node (ADR 0015): every write connection runs WAL with
 * synchronous = NORMAL and the group commit fdatasyncs the WAL before it answers a unit
 * (the same guarantee as FULL, off the event loop); concurrent units share one transaction,
 * each under its own savepoint, and a unit that fails is rolled back alone.
 */
import { fdatasync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { guardStatement } from '../../src/db/guard.ts';
import { openNodeDatabase } from '../../src/db/node.ts';
import { statisticsCounters } from '../../src/db/schema.ts';
import { Bound } from '../../src/db/template.ts';
import { AtomicConflict, type Statement } from '../../src/db/types.ts';
import { createNodeDeps } from '../../src/entry/node-deps.ts';
import { parseEnv } from '../../src/env.ts';
import { TEST_KEY_HEX } from '../support/context.ts';
import { TEST_AUDIT_KEY_HEX } from '../support/driver-node.ts';

const dir = mkdtempSync(join(tmpdir(), 'betrokken-group-commit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SYNCHRONOUS_NORMAL = 1;

type NodeDb = ReturnType<typeof openNodeDatabase>['db'];
const counter = (db: NodeDb, metric: string) => db.insert(statisticsCounters).values({ month: '2026-11', sector: 'onderwijs', metric, bucket: 0, count: 1 });
/** A database whose table `boom` ends the whole transaction on insert, as an I/O error can; and what it reports. */
function withTransactionEnder(name: string) {
  const database = openNodeDatabase(join(dir, name));
  const failures: unknown[] = [];
  database.onFailure((error) => failures.push(error));
  database.sqlite.exec("CREATE TABLE boom (x); CREATE TRIGGER boom_ends_it BEFORE INSERT ON boom BEGIN SELECT RAISE(ROLLBACK, 'boom'); END;");
  return { database, failures };
}
const metrics = async (db: NodeDb) => (await db.select({ metric: statisticsCounters.metric }).from(statisticsCounters)).map((r) => r.metric);

describe('group commit', () => {
  it('runs every write connection in WAL mode with synchronous = NORMAL and its own WAL sync: the server, the CLI and the jobs share openNodeDatabase', async () => {
    const path = join(dir, 'pragma.db');
    const raw = openNodeDatabase(path);
    const deps = createNodeDeps(
      parseEnv({
        DATABASE_PATH: path,
        PSEUDONYM_KEY: TEST_KEY_HEX,
        AUDIT_KEY: TEST_AUDIT_KEY_HEX,
        MAIL_DIR: join(dir, 'mail'),
        AUDIT_ANCHOR_DIR: join(dir, 'a'),
      }),
    );
    try {
      for (const [n, database] of [raw, deps.database].entries()) {
        expect(database.sqlite.pragma('synchronous', { simple: true })).toBe(SYNCHRONOUS_NORMAL);
        expect(database.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
        // …and a unit is answered only after the WAL was synced for it.
        const syncs = database.stats.syncs;
        await database.atomic([
          database.db.insert(statisticsCounters).values({ month: '2026-11', sector: 'onderwijs', metric: `pragma-${n}`, bucket: 0, count: 1 }),
        ]);
        expect(database.stats.syncs).toBeGreaterThan(syncs);
      }
    } finally {
      deps.close();
      raw.close();
    }
  });

  it('commits concurrent units in one transaction; a failing unit is rolled back alone and its caller gets the error', async () => {
    const database = openNodeDatabase(join(dir, 'group.db'));
    const { db, atomic, stats } = database;
    try {
      const counter = (metric: string) => db.insert(statisticsCounters).values({ month: '2026-11', sector: 'onderwijs', metric, bucket: 0, count: 1 });
      const refusingGuard = guardStatement(db, sql`'actual'`, 'expected');
      const before = { ...stats };

      const results = await Promise.allSettled([
        atomic([counter('first')]),
        // Writes one row, then its guard refuses: neither may remain.
        atomic([counter('refused-partial'), refusingGuard]),
        atomic([counter('third')]),
      ]);

      expect(results[0]!.status).toBe('fulfilled');
      expect(results[2]!.status).toBe('fulfilled');
      expect(results[1]!.status).toBe('rejected');
      expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(AtomicConflict);
      const metrics = (await db.select({ metric: statisticsCounters.metric }).from(statisticsCounters)).map((r) => r.metric).sort();
      expect(metrics).toEqual(['first', 'third']);
      // Both good units took one commit: one fsync instead of two.
      expect(stats.commits - before.commits).toBe(1);
      expect(stats.units - before.units).toBe(2);
      expect(stats.syncs - before.syncs).toBe(1);
    } finally {
      database.close();
    }
  });

  it('applies units in arrival order, so a later unit sees what an earlier one in the same group wrote', async () => {
    const database = openNodeDatabase(join(dir, 'order.db'));
    const { db, atomic } = database;
    try {
      const insert = db.insert(statisticsCounters).values({ month: '2026-11', sector: 'zorg', metric: 'm', bucket: 0, count: 1 });
      // The second unit's guard holds only when the first unit's row is there.
      const seesFirst = guardStatement(db, sql`(SELECT cast(count(*) AS text) FROM statistics_counters WHERE metric = 'm')`, '1');
      const bump = db.update(statisticsCounters).set({ count: 5 }).where(eq(statisticsCounters.metric, 'm'));
      await Promise.all([atomic([insert]), atomic([seesFirst, bump])]);
      const [row] = await db.select({ count: statisticsCounters.count }).from(statisticsCounters);
      expect(row?.count).toBe(5);
    } finally {
      database.close();
    }
  });

  it('answers only after the commit: another connection sees the unit as soon as it resolves', async () => {
    const path = join(dir, 'visible.db');
    const database = openNodeDatabase(path);
    const other = new Database(path, { readonly: true });
    try {
      const pending = database.atomic([
        database.db.insert(statisticsCounters).values({ month: '2026-11', sector: 'politie', metric: 'seen', bucket: 0, count: 1 }),
      ]);
      const count = () => (other.prepare("SELECT count(*) AS n FROM statistics_counters WHERE metric = 'seen'").get() as { n: number }).n;
      expect(count()).toBe(0); // run, but its transaction is still open
      await pending;
      expect(count()).toBe(1);
    } finally {
      other.close();
      database.close();
    }
  });

  it('opens a database that was never written (no migrations) and syncs its first unit', async () => {
    const path = join(dir, 'fresh.db');
    openNodeDatabase(path).close(); // the schema
    const database = openNodeDatabase(path, { migrate: false });
    try {
      await database.atomic([database.db.insert(statisticsCounters).values({ month: '2026-11', sector: 'zorg', metric: 'fresh', bucket: 0, count: 1 })]);
      expect(database.stats.syncs).toBe(1);
    } finally {
      database.close();
    }
  });

  it('stops once a write outside a unit made SQLite end the group transaction: its units and every later one fail, and it says so once', async () => {
    const { database, failures } = withTransactionEnder('ended.db');
    const { db, atomic, sqlite } = database;
    try {
      // A write outside a unit that makes SQLite end the whole transaction, as an I/O error can.
      const first = atomic([counter(db, 'before-the-end')]);
      expect(() => sqlite.prepare('INSERT INTO boom VALUES (1)').run()).toThrow('boom');
      expect(sqlite.inTransaction).toBe(false);
      const second = atomic([counter(db, 'after-the-end')]);
      const results = await Promise.allSettled([first, second]);

      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      // Before, the second unit ran outside any transaction: its SAVEPOINT began one and its
      // RELEASE committed it, and then it was reported failed.
      expect(await metrics(db)).toEqual([]);
      expect(failures).toHaveLength(1);
      await expect(atomic([counter(db, 'later')])).rejects.toThrow('lost a transaction');
      expect(sqlite.inTransaction).toBe(false);
    } finally {
      database.close();
    }
  });

  it('stops once a unit made SQLite end the group transaction: the units before it in the group fail too', async () => {
    const { database, failures } = withTransactionEnder('ended-by-unit.db');
    const { db, atomic } = database;
    try {
      const results = await Promise.allSettled([
        atomic([counter(db, 'earlier')]),
        atomic([counter(db, 'same-unit'), new Bound('INSERT INTO boom VALUES (1)', []) as unknown as Statement]),
        atomic([counter(db, 'later')]),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(await metrics(db)).toEqual([]);
      expect(failures).toHaveLength(1);
    } finally {
      database.close();
    }
  });

  it('fails every unit once the WAL could not be synced, and says so once', async () => {
    let syncs = 0;
    const database = openNodeDatabase(join(dir, 'eio.db'), {
      // The disk refuses the first sync, then reports clean again, as Linux does after it
      // dropped the pages it could not write.
      syncWal: (fd, done) => {
        if (syncs++ === 0) done(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
        else fdatasync(fd, done);
      },
    });
    const failures: Error[] = [];
    database.onFailure((error) => failures.push(error));
    const { db, atomic } = database;
    const counter = (metric: string) => db.insert(statisticsCounters).values({ month: '2026-11', sector: 'zorg', metric, bucket: 0, count: 1 });
    try {
      await expect(atomic([counter('unsynced')])).rejects.toThrow('EIO');
      await expect(atomic([counter('after')])).rejects.toThrow('lost a transaction');
      expect(failures.map((e) => e.message)).toEqual(['EIO: i/o error, fdatasync']);
      expect(syncs).toBe(1);
    } finally {
      database.close();
    }
  });

  it('closes with a WAL sync of its own even while one is in flight (the process may end right after)', async () => {
    let release: (() => void) | null = null;
    const database = openNodeDatabase(join(dir, 'close-sync.db'), {
      // A slow disk: the sync after the commit has not ended when the database is closed.
      syncWal: (fd, done) => {
        release = () => fdatasync(fd, done);
      },
    });
    const pending = database.atomic([
      database.db.insert(statisticsCounters).values({ month: '2026-11', sector: 'politie', metric: 'closing', bucket: 0, count: 1 }),
    ]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(database.stats.commits).toBe(1);
    expect(release).not.toBeNull();
    expect(database.stats.syncs).toBe(0);
    database.close();
    expect(database.stats.syncs).toBe(1); // synced inside close(), not after it
    release!();
    await pending;
  });

  it('commits a unit handed over just before the database is closed', async () => {
    const path = join(dir, 'close.db');
    const database = openNodeDatabase(path);
    const pending = database.atomic([
      database.db.insert(statisticsCounters).values({ month: '2026-11', sector: 'politie', metric: 'late', bucket: 0, count: 1 }),
    ]);
    database.close();
    await pending;
    const reopened = new Database(path, { readonly: true });
    try {
      expect((reopened.prepare("SELECT count(*) AS n FROM statistics_counters WHERE metric = 'late'").get() as { n: number }).n).toBe(1);
    } finally {
      reopened.close();
    }
  });
});
