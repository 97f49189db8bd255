/** Cloudflare D1 client for the Workers entry. */
import type { D1Database } from '@cloudflare/workers-types';
import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema.ts';
import { AtomicConflict, isConflictError, type Atomic, type Db, type Statement } from './types.ts';

export function openD1Database(binding: D1Database): { db: Db; atomic: Atomic } {
  const db = drizzle(binding, { schema });
  // D1 has no interactive transactions; `batch` runs the list as one all-or-nothing unit
  // (ADR 0001), so the guard that opens a unit aborts all of it.
  // The batch is built here rather than by drizzle's `db.batch`, so that a template's bound
  // statement (src/db/template.ts) and a drizzle query can share one unit: both give toSQL().
  const toD1 = (statement: Statement) => {
    const query = (statement as unknown as { toSQL(): { sql: string; params: unknown[] } }).toSQL();
    return binding.prepare(query.sql).bind(...query.params);
  };
  const atomic: Atomic = async (statements) => {
    if (statements.length === 0) return;
    try {
      await binding.batch(statements.map(toD1));
    } catch (error) {
      if (isConflictError(error)) throw new AtomicConflict(error);
      throw error;
    }
  };
  return { db: db as unknown as Db, atomic };
}
