import { and, asc, desc, eq, gt, isNotNull, isNull, lt } from 'drizzle-orm';
import { auditEvents } from '../db/schema.ts';
import type { Atomic, Db } from '../db/types.ts';

type Row = typeof auditEvents.$inferSelect;

const GENESIS = '0'.repeat(64);

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The hash of a row covers every field and the previous row's hash, in a fixed order. */
export function hashRow(prevHash: string, row: Row): Promise<string> {
  const fields = [
    row.seq,
    row.id,
    row.at.getTime(),
    row.actorType,
    row.actorId,
    row.organisationId,
    row.action,
    row.outcome,
    row.registrationId,
    row.matchId,
    row.targetUserId,
    row.requestId,
    row.origin,
    row.detail,
  ];
  return sha256Hex(`${prevHash}\n${JSON.stringify(fields)}`);
}

/**
 * Seals every unsealed audit row, in `seq` order: each gets the previous row's hash and
 * its own. Rows are inserted unsealed inside their atomic unit (a hash of the previous row
 * cannot be computed inside a D1 batch) and sealed here, 500 per unit, until none are left.
 * Two sealers racing compute the same hashes from the same sealed prefix, and the
 * conditional update leaves an already sealed row alone, so a race is harmless.
 */
export async function sealAuditChain(db: Db, atomic: Atomic, batchSize = 500): Promise<number> {
  let sealed = 0;
  for (;;) {
    const pending = await db.select().from(auditEvents).where(isNull(auditEvents.hash)).orderBy(asc(auditEvents.seq)).limit(batchSize);
    if (pending.length === 0) return sealed;
    const [previous] = await db
      .select({ hash: auditEvents.hash })
      .from(auditEvents)
      .where(and(isNotNull(auditEvents.hash), lt(auditEvents.seq, pending[0]!.seq)))
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    let prevHash = previous?.hash ?? GENESIS;
    const statements = [];
    for (const row of pending) {
      const hash = await hashRow(prevHash, row);
      statements.push(
        db
          .update(auditEvents)
          .set({ prevHash, hash })
          .where(and(eq(auditEvents.seq, row.seq), isNull(auditEvents.hash))),
      );
      prevHash = hash;
    }
    await atomic(statements);
    sealed += pending.length;
  }
}

/** Recomputes the chain; returns the seq of the first row that does not verify, or null. */
export async function verifyAuditChain(db: Db): Promise<{ checked: number; brokenAt: number | null }> {
  let prevHash = GENESIS;
  let checked = 0;
  let after = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(and(isNotNull(auditEvents.hash), gt(auditEvents.seq, after)))
      .orderBy(asc(auditEvents.seq))
      .limit(1000);
    if (rows.length === 0) return { checked, brokenAt: null };
    for (const row of rows) {
      if (row.prevHash !== prevHash || (await hashRow(prevHash, row)) !== row.hash) return { checked, brokenAt: row.seq };
      prevHash = row.hash!;
      checked++;
      after = row.seq;
    }
  }
}
