import { sql, type Placeholder, type SQL } from 'drizzle-orm';
import { atomicGuard } from './schema.ts';
import type { Db, Statement } from './types.ts';

/**
 * The optimistic guard that opens a unit of work: it writes `ok = (fingerprint = expected)`
 * into the one-row `atomic_guard` table, whose CHECK (ok = 1) aborts the unit when the
 * state it was decided on has changed since it was read. The caller re-reads and retries.
 */
export function guardStatement(db: Db, fingerprint: SQL, expected: string | Placeholder): Statement {
  const ok = sql`(${fingerprint}) IS ${expected}`;
  return db
    .insert(atomicGuard)
    .values({ id: 1, ok: sql`${ok}` as unknown as number })
    .onConflictDoUpdate({ target: atomicGuard.id, set: { ok: sql`excluded.ok` as unknown as number } });
}
