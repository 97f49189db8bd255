/** better-sqlite3 client for the Node entry. Imported only from Node-side code. */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.ts';
import { AtomicConflict, isConflictError, type Atomic, type Db, type Statement } from './types.ts';

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations');

export interface NodeDatabase {
  db: Db;
  atomic: Atomic;
  sqlite: Database.Database;
  /** Units committed and the commits (fsyncs) they took: units per commit is the group size. */
  stats: { units: number; commits: number };
  /** Copies the WAL into the database file and truncates it (old page images included). */
  checkpoint(): void;
  close(): void;
}

interface PendingUnit {
  statements: Statement[];
  resolve(): void;
  reject(error: unknown): void;
}

export function openNodeDatabase(path: string, options: { migrate?: boolean } = {}): NodeDatabase {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  // Durable before we answer: every commit is fsynced, so a registration answered with 201
  // survives a power cut. Group commit (below) pays for the fsync (ADR 0015).
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON'); // D1 always enforces them; so do we
  sqlite.pragma('busy_timeout = 5000');
  // Deleted means gone: overwrite freed content, so an erased registration's pseudonym
  // does not linger in free pages (the WAL is truncated by `checkpoint()` after jobs run).
  sqlite.pragma('secure_delete = ON');
  cachePreparedStatements(sqlite);
  const db = drizzle({ client: sqlite, schema });
  if (options.migrate ?? true) migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  const group = groupCommit(sqlite);
  return {
    db: db as unknown as Db,
    atomic: group.atomic,
    sqlite,
    stats: group.stats,
    checkpoint: () => void sqlite.pragma('wal_checkpoint(TRUNCATE)'),
    close: () => {
      group.flush(); // a unit handed over just before closing still commits
      sqlite.close();
    },
  };
}

// Captured once: a test's fake timers must not hold the database's commits back.
const nextTurn = globalThis.setImmediate;

/**
 * Group commit (ADR 0015). Units that arrive while the event loop is busy are collected
 * and, on the next turn of the loop, run in one IMMEDIATE transaction, each under its own
 * savepoint: a unit whose guard or constraint fails is rolled back alone and its caller gets
 * the error, the others commit together with one fsync. No caller is answered before the
 * COMMIT has returned, so nothing is acknowledged that is not on disk. Within a group the
 * units run in arrival order, one after another, exactly as separate transactions would:
 * each guard sees what the units before it wrote (ADR 0001). A lone unit waits for nothing
 * but the rest of the current turn.
 */
function groupCommit(sqlite: Database.Database) {
  const begin = sqlite.prepare('BEGIN IMMEDIATE');
  const commit = sqlite.prepare('COMMIT');
  const rollback = sqlite.prepare('ROLLBACK');
  const savepoint = sqlite.prepare('SAVEPOINT unit');
  const release = sqlite.prepare('RELEASE unit');
  const rollbackTo = sqlite.prepare('ROLLBACK TO unit');
  const stats = { units: 0, commits: 0 };
  let pending: PendingUnit[] = [];

  const settleFailure = (unit: PendingUnit, error: unknown) => unit.reject(isConflictError(error) ? new AtomicConflict(error) : error);

  /** Runs `units` as one transaction; a unit that fails is settled at once and left out. */
  const runGroup = (units: PendingUnit[]): void => {
    try {
      begin.run();
    } catch (error) {
      for (const unit of units) settleFailure(unit, error); // e.g. busy: another process writes
      return;
    }
    const done: PendingUnit[] = [];
    for (let i = 0; i < units.length; i++) {
      const unit = units[i]!;
      savepoint.run();
      try {
        for (const statement of unit.statements) (statement as unknown as { run(): unknown }).run();
        release.run();
        done.push(unit);
      } catch (error) {
        if (!sqlite.inTransaction) {
          // SQLite ended the whole transaction (an I/O error, say): the units before this one
          // were not committed either. Fail this unit and run the others again.
          settleFailure(unit, error);
          runGroup([...done, ...units.slice(i + 1)]);
          return;
        }
        rollbackTo.run();
        release.run();
        settleFailure(unit, error);
      }
    }
    try {
      commit.run();
    } catch (error) {
      if (sqlite.inTransaction) rollback.run();
      for (const unit of done) unit.reject(error);
      return;
    }
    stats.commits++;
    stats.units += done.length;
    for (const unit of done) unit.resolve();
  };

  const flush = () => {
    if (pending.length === 0) return;
    const units = pending;
    pending = [];
    runGroup(units);
  };

  const atomic: Atomic = (statements) => {
    if (statements.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      if (pending.length === 0) nextTurn(flush);
      pending.push({ statements, resolve, reject });
    });
  };
  return { atomic, stats, flush };
}

/**
 * drizzle prepares every query anew, and compiling SQL was ~17 % of a registration's CPU
 * (bench/, CPU profile). Our statements come from a fixed set of shapes, so compiled
 * statements are kept by SQL text. drizzle switches a statement to raw mode when it maps
 * rows itself; a cached reader is reset to the default first so no caller inherits that.
 */
function cachePreparedStatements(sqlite: Database.Database, max = 1000): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (statement) {
      if (statement.reader) statement.raw(false);
      return statement;
    }
    statement = prepare(source);
    if (cache.size >= max) cache.clear();
    cache.set(source, statement);
    return statement;
  }) as typeof sqlite.prepare;
}
