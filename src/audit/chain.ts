/**
 * The keyed audit chain (ADR 0009). Each row carries a MAC over its own content, made when
 * it is inserted; the sealer then links rows in `seq` order with a chain MAC over
 * (seq, previous chain MAC, row MAC). The sealer refuses to seal over a gap in `seq`, a row
 * whose own MAC fails, or a predecessor whose chain MAC fails; verification checks all of
 * it, stale unsealed rows, and the chain's head against the latest anchor outside the
 * database. Rows without a row MAC are the legacy prefix from before migration 0008,
 * sealed with the old unkeyed hash; the first keyed chain MAC covers that prefix's head.
 */
import { and, asc, desc, eq, gt, isNotNull, isNull, lt } from 'drizzle-orm';
import { auditEvents } from '../db/schema.ts';
import type { Atomic, Db } from '../db/types.ts';
import type { AnchorStore, AuditAnchor } from './anchor.ts';
import { contentFields, rowMac } from './audit.ts';
import { type AuditKeyring, sameMac, toHex } from './key.ts';

type Row = typeof auditEvents.$inferSelect;

const GENESIS = '0'.repeat(64);

export class AuditIntegrityError extends Error {
  constructor(
    readonly seq: number,
    readonly reason: string,
  ) {
    super(`audit trail fails at seq ${seq}: ${reason}`);
    this.name = 'AuditIntegrityError';
  }
}

/** The legacy (pre-0008) unkeyed hash of a row: every field and the previous row's hash. */
async function legacyHash(prevHash: string, row: Row): Promise<string> {
  const fields = [row.seq, ...contentFields(row)];
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${prevHash}\n${JSON.stringify(fields)}`));
  return toHex(digest);
}

function chainMac(keys: AuditKeyring, row: Row, prevHash: string): Promise<string> {
  return keys.mac(row.keyId!, `betrokken-audit-chain-v1\n${row.seq}\n${prevHash}\n${row.mac}`);
}

/** Why a row's own content fails, or null: a keyed row needs a known key and a matching MAC. */
async function rowProblem(keys: AuditKeyring, row: Row, keyedBefore: boolean): Promise<string | null> {
  if (row.mac === null && row.keyId === null) return keyedBefore ? 'row has no MAC after keyed rows (inserted without the key)' : null;
  if (row.mac === null || row.keyId === null) return 'row has a MAC without a key id, or a key id without a MAC';
  if (!keys.has(row.keyId)) return `row is MACed with unknown key id ${row.keyId} (add it to AUDIT_PREVIOUS_KEYS)`;
  return sameMac(await rowMac(keys, { ...row, keyId: row.keyId }), row.mac) ? null : 'row content does not match its MAC';
}

/** Why a sealed row's link fails, or null. Legacy rows redacted by migration 0008 keep their old hash. */
async function sealProblem(keys: AuditKeyring, row: Row, prevHash: string): Promise<string | null> {
  if (row.prevHash !== prevHash) return 'row is not linked to its predecessor';
  if (row.mac === null) {
    if (await legacyHash(prevHash, row).then((h) => h === row.hash)) return null;
    const redacted = [row.registrationId, row.matchId, row.targetUserId].includes('redacted');
    return redacted ? null : 'legacy row does not match its hash';
  }
  return sameMac(await chainMac(keys, row, prevHash), row.hash) ? null : 'chain MAC does not verify';
}

/**
 * Seals every unsealed audit row in `seq` order, up to `batchSize` per unit, until none are
 * left. Throws AuditIntegrityError (sealing nothing further) on a gap in `seq`, a row
 * whose own MAC fails, or a predecessor that does not verify: sealing over a forged row
 * would make it look genuine. Two sealers racing compute the same MACs, and the
 * conditional update leaves an already sealed row alone, so a race is harmless.
 */
export async function sealAuditChain(db: Db, atomic: Atomic, keys: AuditKeyring, batchSize = 500): Promise<number> {
  let sealed = 0;
  for (;;) {
    const pending = await db.select().from(auditEvents).where(isNull(auditEvents.hash)).orderBy(asc(auditEvents.seq)).limit(batchSize);
    if (pending.length === 0) return sealed;
    const [previous] = await db
      .select()
      .from(auditEvents)
      .where(and(isNotNull(auditEvents.hash), lt(auditEvents.seq, pending[0]!.seq)))
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    if (previous) {
      // The predecessor must itself verify, or a forger could null the seals from a row on.
      const [before] = await db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.seq, previous.seq - 1));
      const problem = (await rowProblem(keys, previous, false)) ?? (await sealProblem(keys, previous, before?.hash ?? GENESIS));
      if (problem) throw new AuditIntegrityError(previous.seq, problem);
    }
    const [later] = await db
      .select({ seq: auditEvents.seq })
      .from(auditEvents)
      .where(and(gt(auditEvents.seq, pending[0]!.seq), isNotNull(auditEvents.hash)))
      .limit(1);
    if (later) throw new AuditIntegrityError(pending[0]!.seq, 'unsealed row before sealed rows');
    let prevHash = previous?.hash ?? GENESIS;
    let prevSeq = previous?.seq ?? 0;
    let keyedBefore = previous?.mac != null;
    const statements = [];
    for (const row of pending) {
      if (row.seq !== prevSeq + 1) throw new AuditIntegrityError(prevSeq + 1, 'missing row (gap in seq)');
      const problem = await rowProblem(keys, row, keyedBefore);
      if (problem) {
        // Seal what came before the bad row; the bad row stops the chain.
        if (statements.length > 0) await atomic(statements);
        throw new AuditIntegrityError(row.seq, problem);
      }
      const hash = row.mac === null ? await legacyHash(prevHash, row) : await chainMac(keys, row, prevHash);
      statements.push(
        db
          .update(auditEvents)
          .set({ prevHash, hash })
          .where(and(eq(auditEvents.seq, row.seq), isNull(auditEvents.hash))),
      );
      prevHash = hash;
      prevSeq = row.seq;
      keyedBefore ||= row.mac !== null;
    }
    await atomic(statements);
    sealed += pending.length;
  }
}

export interface VerifyResult {
  ok: boolean;
  /** Rows read, sealed or not. */
  checked: number;
  sealed: number;
  /** The last sealed row (the head), or null for an empty chain. */
  head: { seq: number; hash: string } | null;
  anchor: AuditAnchor | null;
  /** The first bad sequence number and why, or null. */
  brokenAt: number | null;
  reason: string | null;
}

/**
 * Verifies the whole trail: contiguous `seq` from 1, every row's own MAC, every link and
 * chain MAC, no unsealed row older than `graceMs`, and the latest anchor (its row must still
 * be there, with the anchored chain MAC). Returns the first bad sequence number.
 */
export async function verifyAuditChain(
  db: Db,
  keys: AuditKeyring,
  options: { anchors?: AnchorStore; now?: Date; graceMs?: number } = {},
): Promise<VerifyResult> {
  const now = options.now ?? new Date();
  const graceMs = options.graceMs ?? 15 * 60_000;
  const anchor = options.anchors ? await options.anchors.latest() : null;
  let prevHash = GENESIS;
  let prevSeq = 0;
  let checked = 0;
  let sealed = 0;
  let keyedBefore = false;
  let unsealedFrom: number | null = null;
  let head: VerifyResult['head'] = null;
  let anchorSeen = false;
  const result = (brokenAt: number | null, reason: string | null): VerifyResult => ({ ok: brokenAt === null, checked, sealed, head, anchor, brokenAt, reason });
  for (;;) {
    const rows = await db.select().from(auditEvents).where(gt(auditEvents.seq, prevSeq)).orderBy(asc(auditEvents.seq)).limit(1000);
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.seq !== prevSeq + 1) return result(prevSeq + 1, 'missing row (gap in seq)');
      const problem = await rowProblem(keys, row, keyedBefore);
      if (problem) return result(row.seq, problem);
      if (row.hash === null) {
        if (anchor && row.seq <= anchor.seq) return result(row.seq, `row was sealed and anchored on ${anchor.at} but is unsealed now`);
        unsealedFrom ??= row.seq;
        if (now.getTime() - row.at.getTime() > graceMs) return result(row.seq, 'row left unsealed longer than the sealing interval');
      } else {
        if (unsealedFrom !== null) return result(unsealedFrom, 'unsealed row before sealed rows');
        const sealProblemText = await sealProblem(keys, row, prevHash);
        if (sealProblemText) return result(row.seq, sealProblemText);
        prevHash = row.hash;
        head = { seq: row.seq, hash: row.hash };
        sealed++;
        if (anchor && row.seq === anchor.seq) {
          if (!sameMac(row.hash, anchor.hash)) return result(row.seq, `row differs from the anchor of ${anchor.at}`);
          anchorSeen = true;
        }
      }
      keyedBefore ||= row.mac !== null;
      prevSeq = row.seq;
      checked++;
    }
  }
  if (anchor && !anchorSeen) {
    return result(
      Math.min(prevSeq + 1, anchor.seq),
      `the chain ends before the anchor of ${anchor.at} (seq ${anchor.seq}): rows were deleted or left unsealed`,
    );
  }
  return result(null, null);
}

/**
 * Writes the chain's head to the anchor store, after checking the head row verifies.
 * Returns the anchor, or null when nothing is sealed yet.
 */
export async function anchorAuditChain(db: Db, keys: AuditKeyring, anchors: AnchorStore, now: Date): Promise<AuditAnchor | null> {
  const [head] = await db.select().from(auditEvents).where(isNotNull(auditEvents.hash)).orderBy(desc(auditEvents.seq)).limit(1);
  if (!head) return null;
  const [before] = await db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.seq, head.seq - 1));
  const problem = (await rowProblem(keys, head, before?.mac != null)) ?? (await sealProblem(keys, head, before?.hash ?? GENESIS));
  if (problem) throw new AuditIntegrityError(head.seq, problem);
  const anchor: AuditAnchor = { seq: head.seq, hash: head.hash!, keyId: head.keyId, at: now.toISOString() };
  await anchors.append(anchor);
  return anchor;
}

/** Anchors when the head moved and the last anchor is older than `intervalMs` (the jobs call this). */
export async function anchorIfDue(db: Db, keys: AuditKeyring, anchors: AnchorStore, now: Date, intervalMs: number): Promise<AuditAnchor | null> {
  const latest = await anchors.latest();
  if (latest && now.getTime() - new Date(latest.at).getTime() < intervalMs) return null;
  const [head] = await db.select({ seq: auditEvents.seq }).from(auditEvents).where(isNotNull(auditEvents.hash)).orderBy(desc(auditEvents.seq)).limit(1);
  if (!head || head.seq === latest?.seq) return null;
  return anchorAuditChain(db, keys, anchors, now);
}
