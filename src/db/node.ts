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
  /** Copies the WAL into the database file and truncates it (old page images included). */
  checkpoint(): void;
  close(): void;
}

export function openNodeDatabase(path: string, options: { migrate?: boolean } = {}): NodeDatabase {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL'); // durable at checkpoints; safe with WAL
  sqlite.pragma('foreign_keys = ON'); // D1 always enforces them; so do we
  sqlite.pragma('busy_timeout = 5000');
  // Deleted means gone: overwrite freed content, so an erased registration's pseudonym
  // does not linger in free pages (the WAL is truncated by `checkpoint()` after jobs run).
  sqlite.pragma('secure_delete = ON');
  cachePreparedStatements(sqlite);
  const db = drizzle({ client: sqlite, schema });
  if (options.migrate ?? true) migrate(db, { migrationsFolder: MIGRATIONS_DIR });

  // A synchronous IMMEDIATE transaction: better-sqlite3 cannot hold a transaction across
  // awaits, which is exactly why units are statement lists (ADR 0001).
  const runAll = sqlite.transaction((statements: Statement[]) => {
    for (const statement of statements) (statement as unknown as { run(): unknown }).run();
  });
  const atomic: Atomic = async (statements) => {
    try {
      runAll.immediate(statements);
    } catch (error) {
      if (isConflictError(error)) throw new AtomicConflict(error);
      throw error;
    }
  };
  return {
    db: db as unknown as Db,
    atomic,
    sqlite,
    checkpoint: () => void sqlite.pragma('wal_checkpoint(TRUNCATE)'),
    close: () => sqlite.close(),
  };
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
