import type { BatchItem } from 'drizzle-orm/batch';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema.ts';

/** The drizzle database as both drivers see it: better-sqlite3 ('sync') and D1 ('async').
 * Code always `await`s queries, which works for both. */
export type Db = BaseSQLiteDatabase<'sync' | 'async', unknown, typeof schema>;

/** One statement of an atomic unit: an unexecuted drizzle query. */
export type Statement = BatchItem<'sqlite'>;

/**
 * Runs statements as one all-or-nothing unit: a synchronous transaction on better-sqlite3,
 * `batch` on D1 (ADR 0001). Throws AtomicConflict when a guard or uniqueness guard refused
 * the unit, so the caller can re-read and decide again.
 */
export type Atomic = (statements: Statement[]) => Promise<void>;

export class AtomicConflict extends Error {
  constructor(cause: unknown) {
    super('the state changed while the unit was decided; retry', { cause });
    this.name = 'AtomicConflict';
  }
}

/** Constraint names whose violation means "somebody else got there first": retry. */
const CONFLICT_MARKERS = [
  'atomic_guard_ok_ck',
  'registrations.subject_pseudonym, registrations.professional_id',
  'matches.subject_pseudonym',
  'match_members.match_id, match_members.registration_id',
];

export function isConflictError(error: unknown): boolean {
  const message = error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}` : '';
  return CONFLICT_MARKERS.some((m) => message.includes(m));
}
