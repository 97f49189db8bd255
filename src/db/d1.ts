/** Cloudflare D1 client for the Workers entry. */
import type { D1Database } from '@cloudflare/workers-types';
import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema.ts';
import { AtomicConflict, isConflictError, type Atomic, type Db, type Statement } from './types.ts';

export function openD1Database(binding: D1Database): { db: Db; atomic: Atomic } {
  const db = drizzle(binding, { schema });
  // D1 has no interactive transactions; `batch` runs the list as one all-or-nothing unit
  // (ADR 0001), so the guard that opens a unit aborts all of it.
  const atomic: Atomic = async (statements) => {
    if (statements.length === 0) return;
    try {
      await db.batch(statements as [Statement, ...Statement[]]);
    } catch (error) {
      if (isConflictError(error)) throw new AtomicConflict(error);
      throw error;
    }
  };
  return { db: db as unknown as Db, atomic };
}
