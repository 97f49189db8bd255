/** better-sqlite3 client for the Node entry. Imported only from Node-side code. */
import { closeSync, fdatasync, fdatasyncSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, type Checkpointer, createCheckpointer } from './node-checkpointer.ts';
import type { Log } from '../deps.ts';
import * as schema from './schema.ts';
import { isBound } from './template.ts';
import { AtomicConflict, isConflictError, type Atomic, type Db, type Statement } from './types.ts';

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations');

export interface NodeDatabase {
  db: Db;
  atomic: Atomic;
  sqlite: Database.Database;
  /** Units committed, the commits they took and the WAL syncs that made them durable. */
  stats: { units: number; commits: number; syncs: number };
  /** Checkpoints off the event loop (ADR 0019); null for an in-memory database. */
  checkpointer: Checkpointer | null;
  /** Copies the WAL into the database file and truncates it (old page images included). */
  checkpoint(): void;
  /**
   * Called once if a transaction was lost: a WAL sync or a COMMIT failed, or SQLite ended the
   * open transaction (a disk or file system error). Every unit after that fails: the process
   * must end, so that SQLite recovers the database from what is on disk (ADR 0015).
   */
  onFailure(listener: (error: Error) => void): void;
  close(): void;
}

interface PendingUnit {
  /** Kept to run the unit again if SQLite aborts the whole transaction. */
  statements: Statement[];
  resolve(): void;
  reject(error: unknown): void;
}

type SyncWal = (fd: number, done: (error: NodeJS.ErrnoException | null) => void) => void;

export interface NodeDatabaseOptions {
  migrate?: boolean;
  log?: Log;
  /** The WAL sync (fs.fdatasync); tests give one that fails, as a disk can. */
  syncWal?: SyncWal;
}

export function openNodeDatabase(path: string, options: NodeDatabaseOptions = {}): NodeDatabase {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  // Durable before we answer (ADR 0015): a COMMIT writes the WAL without syncing it, and
  // the group commit below answers a unit only after it has fdatasynced the WAL itself, off
  // the event loop. The same guarantee as FULL (a registration answered with 201 survives a
  // power cut) without blocking every other request for the fsync. SQLite still syncs the
  // WAL before and the database after each checkpoint.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON'); // D1 always enforces them; so do we
  sqlite.pragma('busy_timeout = 5000');
  // Deleted means gone: overwrite freed content, so an erased registration's pseudonym
  // does not linger in free pages (the WAL is truncated by `checkpoint()` after jobs run).
  sqlite.pragma('secure_delete = ON');
  // A unit's savepoint keeps the pages it changes in a statement journal, which spills to a
  // temporary file past 64 KiB; in memory a registration took half the system time (80 to
  // 36 µs, in-process measurement; docs/benchmarks.md).
  sqlite.pragma('temp_store = MEMORY');
  // Checkpoints run on a worker thread of their own (ADR 0019); this connection's
  // auto-checkpoint is only the backstop that lets the WAL start from the beginning again.
  const checkpointer = path === ':memory:' ? null : createCheckpointer(resolve(path), (message) => options.log?.('warn', message));
  if (checkpointer) sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
  const statements = cachePreparedStatements(sqlite);
  const db = drizzle({ client: sqlite, schema });
  if (options.migrate ?? true) migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  statements.schemaChanged();
  const commits = groupCommit(sqlite, path === ':memory:' ? null : walSyncer(resolve(path), options.syncWal ?? fdatasync), checkpointer);
  return {
    db: db as unknown as Db,
    atomic: commits.atomic,
    sqlite,
    stats: commits.stats,
    checkpointer,
    checkpoint: () => {
      commits.flush(); // a checkpoint cannot run inside the open transaction
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
    },
    onFailure: commits.onFailure,
    close: () => {
      commits.close(); // a unit handed over just before closing still commits, durably
      checkpointer?.close();
      sqlite.close();
    },
  };
}

// Captured once: a test's fake timers must not hold the database's commits back.
const nextTurn = globalThis.setImmediate;

interface WalSyncer {
  /** fdatasync of the WAL in libuv's thread pool: everything written before the call. */
  sync(done: (error: Error | null) => void): void;
  syncNow(): void;
  close(): void;
}

/** Syncs the database's WAL file (ADR 0015). SQLite made it when it opened the database. */
function walSyncer(databasePath: string, syncWal: SyncWal): WalSyncer {
  const fd = openSync(`${databasePath}-wal`, 'r+');
  // The WAL's directory entry must be on disk too: once, now.
  const dir = openSync(dirname(databasePath), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
  let inFlight = false;
  let closing = false;
  return {
    sync(done) {
      inFlight = true;
      syncWal(fd, (error) => {
        inFlight = false;
        if (closing) closeSync(fd);
        done(error);
      });
    },
    syncNow: () => fdatasyncSync(fd),
    close() {
      closing = true;
      if (!inFlight) closeSync(fd);
    },
  };
}

/**
 * Group commit (ADR 0015). A unit runs at once, as before, but inside a transaction that
 * stays open for the rest of the event loop's turn: the first unit of a turn opens it
 * (BEGIN IMMEDIATE), every unit runs under its own savepoint, and on the next turn
 * (`setImmediate`) one COMMIT ends it. A unit whose guard or constraint fails is rolled back
 * to its savepoint and its caller gets the error at once; the others are unaffected. Units
 * run in arrival order and each sees what the units before it wrote, exactly as one
 * transaction after another would (ADR 0001).
 *
 * Durability: after the COMMIT the WAL is fdatasynced in the thread pool while the event loop
 * goes on; only then are the group's units answered. Units that arrive during a sync run in
 * the next open transaction, which is committed when the sync ends. No unit's promise
 * resolves before its commit is on disk.
 *
 * A lost transaction ends the database's life in this process (fail-stop): a WAL sync that
 * failed (after an fsync error the kernel may have dropped the pages it could not write and
 * report the next sync as clean, and the WAL's checksums are chained, so nothing committed
 * after the lost frames would survive a crash either), a COMMIT that failed, or SQLite ending
 * the open transaction itself (an I/O error, a full disk, in a unit or in a write outside
 * one). Writes made outside units in that transaction are gone too, although their callers
 * went on; a later unit must not then commit as if nothing happened. So every unit pending
 * and every later one fails, and `onFailure` listeners are told: the process ends and SQLite
 * recovers the database from the disk at the next start. Only failures of the disk or the
 * file system end a transaction: a guard or a constraint undoes its own unit alone.
 */
function groupCommit(sqlite: Database.Database, wal: WalSyncer | null, checkpointer: Checkpointer | null) {
  const begin = sqlite.prepare('BEGIN IMMEDIATE');
  const commit = sqlite.prepare('COMMIT');
  const rollback = sqlite.prepare('ROLLBACK');
  const savepoint = sqlite.prepare('SAVEPOINT unit');
  const release = sqlite.prepare('RELEASE unit');
  const rollbackTo = sqlite.prepare('ROLLBACK TO unit');
  const stats = { units: 0, commits: 0, syncs: 0 };
  /** Units run in the open transaction, waiting for its COMMIT; null when none is open. */
  let group: PendingUnit[] | null = null;
  /** Units committed, waiting for the WAL sync that makes them durable. */
  let committed: PendingUnit[] = [];
  let syncing = false;
  /** Units whose WAL sync is under way. */
  let syncingUnits: PendingUnit[] = [];
  /** Set once a transaction was lost: nothing is committed after it. */
  let broken: Error | null = null;
  const failureListeners: Array<(error: Error) => void> = [];

  const failure = (error: unknown) => (isConflictError(error) ? new AtomicConflict(error) : error);

  const runStatements = (statements: Statement[]) => {
    for (const statement of statements) {
      if (isBound(statement)) sqlite.prepare(statement.sql).run(...statement.params);
      else (statement as unknown as { run(): unknown }).run();
    }
  };

  /** Runs one unit under a savepoint of the open transaction; throws its error after undoing it. */
  const runUnit = (statements: Statement[]) => {
    savepoint.run();
    try {
      runStatements(statements);
      release.run();
    } catch (error) {
      if (sqlite.inTransaction) {
        rollbackTo.run();
        release.run();
      }
      throw error;
    }
  };

  const open = (): PendingUnit[] => {
    // SQLite ended the open transaction since the last unit (an I/O error in a write outside a
    // unit, say). A unit must never run then: outside a transaction its SAVEPOINT would begin
    // one and its RELEASE commit it.
    if (group && !sqlite.inTransaction) fail(new Error('the open transaction was ended by SQLite before its COMMIT'));
    if (broken) throw brokenError();
    if (group) return group;
    begin.run();
    group = [];
    // While the WAL is being synced, the transaction stays open and collects units; the
    // sync's end commits it. The group is as large as the disk is slow, without a timer.
    if (!syncing) nextTurn(flush);
    return group;
  };

  /** Syncs the WAL for every committed unit, one sync at a time; answers them after it. */
  const syncCommitted = () => {
    if (syncing || committed.length === 0) return;
    if (!wal) {
      const units = committed;
      committed = [];
      for (const unit of units) unit.resolve();
      return;
    }
    const units = committed;
    committed = [];
    syncing = true;
    syncingUnits = units;
    wal.sync((error) => {
      syncing = false;
      syncingUnits = [];
      stats.syncs++;
      if (broken) return; // its units were rejected when the database failed
      if (error) {
        for (const unit of units) unit.reject(error);
        fail(error);
        return;
      }
      for (const unit of units) unit.resolve();
      if (group) flush();
      else syncCommitted();
    });
  };

  const brokenError = () => new Error('the database lost a transaction; restart the service', { cause: broken });

  /** A transaction was lost (above): every unit pending and every later one fails. */
  function fail(error: unknown): void {
    if (broken) return;
    broken = error instanceof Error ? error : new Error(String(error));
    const pending = [...syncingUnits, ...committed, ...(group ?? [])];
    group = null;
    committed = [];
    syncingUnits = [];
    try {
      if (sqlite.inTransaction) rollback.run();
    } catch {
      // The disk that lost the transaction may refuse the rollback too; nothing more to undo here.
    }
    for (const unit of pending) unit.reject(brokenError());
    for (const listener of failureListeners) listener(broken);
  }

  /** Commits the open transaction; its units are answered once the WAL is synced. */
  function flush(): void {
    const units = group;
    group = null;
    if (!units) return;
    try {
      commit.run();
    } catch (error) {
      for (const unit of units) unit.reject(error);
      fail(error);
      return;
    }
    stats.commits++;
    stats.units += units.length;
    checkpointer?.committed(units.length);
    committed.push(...units);
    syncCommitted();
  }

  /** Commits and syncs what is open or waiting, at once (closing the database). */
  function close(): void {
    flush();
    const units = committed;
    committed = [];
    // A sync in flight (flush may have just started one) may not end before the process
    // does: sync here too. Its units are answered when it ends.
    if (wal && !broken && (units.length > 0 || syncing)) {
      wal.syncNow();
      stats.syncs++;
    }
    for (const unit of units) unit.resolve();
    wal?.close();
  }

  const atomic: Atomic = (statements) => {
    if (broken) return Promise.reject(brokenError());
    if (statements.length === 0) return Promise.resolve();
    try {
      const units = open();
      try {
        runUnit(statements);
      } catch (error) {
        // SQLite ended the whole transaction (an I/O error, say): the units before this one
        // are gone too.
        if (!sqlite.inTransaction && group === units) fail(error);
        throw error;
      }
      return new Promise<void>((resolve, reject) => units.push({ statements, resolve, reject }));
    } catch (error) {
      return Promise.reject(failure(error));
    }
  };

  const onFailure = (listener: (error: Error) => void) => {
    failureListeners.push(listener);
  };

  return { atomic, stats, flush, close, onFailure };
}

/** A parameter compared with a column: `"t"."c" = ?`, `c <> ?`, `(…) IS ?`, … */
const COMPARED_PARAMETER = /((?:"?(\w+)"?)|\)) (=|<>|!=|<=|>=|<|>|is|IS) \?/g;
/** A parameter as LIMIT or OFFSET. */
const COUNT_PARAMETER = /\b(limit|offset|LIMIT|OFFSET) \?/g;

/**
 * better-sqlite3's SQLite is built with STAT4, and SQLite then compiles a statement again
 * at every run whose parameter could change its plan: a LIMIT, and a parameter compared
 * with a column in a join. Compiling cost more than running: 10–200 µs against 2–8 µs, on
 * every hot read and on the subject guard (ADR 0018; docs/benchmarks.md, "Round 2").
 * So prepared SQL is rewritten: a compared parameter gets a unary plus (a no-op for its
 * value and affinity: SQLite's "+" returns its operand unchanged; the column side keeps its
 * index) and a LIMIT or OFFSET a CAST, which the planner does not look into. We have no
 * statistics tables (no ANALYZE), so no plan could have depended on the value.
 *
 * Except where it can: a partial index (`WHERE status = 'active'`) is used only when the
 * query's own condition implies the index's, which SQLite checks against the bound value.
 * Parameters compared with a column that a partial index's WHERE names (`partialColumns`)
 * stay as they are. Hot queries write such constants as literals instead.
 */
export function stablePlans(source: string, partialColumns: ReadonlySet<string>): string {
  return source
    .replace(COMPARED_PARAMETER, (whole, left: string, column: string | undefined, op: string) =>
      column && partialColumns.has(column) ? whole : `${left} ${op} +?`,
    )
    .replace(COUNT_PARAMETER, '$1 CAST(? AS INTEGER)');
}

/** The columns named in the WHERE clauses of the database's partial indexes. */
function partialIndexColumns(sqlite: Database.Database): Set<string> {
  const definitions = sqlite.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'`).pluck().all() as string[];
  const conditions = definitions.map((definition) => definition.slice(definition.search(/ WHERE /i)).replace(/'[^']*'/g, ''));
  return new Set(conditions.flatMap((condition) => condition.match(/[a-z_][a-z0-9_]*/gi) ?? []));
}

/**
 * drizzle prepares every query anew, and compiling SQL was ~17 % of a registration's CPU
 * (bench/, CPU profile). Our statements come from a fixed set of shapes, so compiled
 * statements are kept by SQL text. drizzle switches a statement to raw mode when it maps
 * rows itself; a cached reader is reset to the default first so no caller inherits that.
 */
function cachePreparedStatements(sqlite: Database.Database, max = 1000): { schemaChanged(): void } {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  let partialColumns: ReadonlySet<string> = new Set();
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (statement) {
      if (statement.reader) statement.raw(false);
      return statement;
    }
    statement = prepare(stablePlans(source, partialColumns));
    if (cache.size >= max) cache.clear();
    cache.set(source, statement);
    return statement;
  }) as typeof sqlite.prepare;
  return {
    /** After migrations: the partial indexes as they are now; statements prepared again. */
    schemaChanged() {
      partialColumns = partialIndexColumns(sqlite);
      cache.clear();
    },
  };
}
