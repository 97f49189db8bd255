/**
 * The keyed audit chain (ADR 0009). Each row carries a MAC over its own content, made when
 * it is inserted; the sealer then links rows in `seq` order with a chain MAC over
 * (seq, previous chain MAC, row MAC). The sealer refuses to seal over a gap in `seq`, a row
 * whose own MAC fails, or a predecessor whose chain MAC fails; verification checks all of
 * it, stale unsealed rows, and the chain's head against the latest anchor outside the
 * database. Rows without a row MAC are the legacy prefix from before migration 0008,
 * sealed with the old unkeyed hash; the first keyed chain MAC covers that prefix's head.
 * The prefix ends at the `audit.redact` row the migration inserts (the lowest such seq):
 * a row without a MAC after it is a forgery, wherever it is.
 */
import { and, asc, desc, eq, gt, isNotNull, isNull, lt, lte } from 'drizzle-orm';
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

/** Defaults for the bounds the jobs and the CLI pass from config (AUDIT_SEAL_GRACE_SECONDS, AUDIT_ANCHOR_SECONDS). */
const DEFAULT_GRACE_MS = 900_000;
const DEFAULT_ANCHOR_MS = 3_600_000;

/**
 * The last seq of the legacy prefix: the `audit.redact` row migration 0008 inserts after
 * the rows that existed then (seq 1 on a fresh database). 0 when there is none: no row may
 * then lack a MAC. A later row cannot move the boundary up, the migration's row is lower.
 */
async function legacyEnd(db: Db): Promise<number> {
  const [row] = await db
    .select({ seq: auditEvents.seq })
    .from(auditEvents)
    .where(eq(auditEvents.action, 'audit.redact'))
    .orderBy(asc(auditEvents.seq))
    .limit(1);
  return row?.seq ?? 0;
}

/** Why a row's own content fails, or null: a keyed row needs a known key and a matching MAC. */
async function rowProblem(keys: AuditKeyring, row: Row, legacyUpTo: number): Promise<string | null> {
  if (row.mac === null && row.keyId === null) {
    return row.seq <= legacyUpTo ? null : 'row has no MAC after the legacy rows of migration 0008 (inserted without the key, or its MAC removed)';
  }
  if (row.mac === null || row.keyId === null) return 'row has a MAC without a key id, or a key id without a MAC';
  if (!keys.has(row.keyId)) return `row is MACed with unknown key id ${row.keyId} (add it to AUDIT_PREVIOUS_KEYS)`;
  return sameMac(await rowMac(keys, { ...row, keyId: row.keyId }), row.mac) ? null : 'row content does not match its MAC';
}

/**
 * Why a sealed row's link fails, or null. Legacy rows redacted by migration 0008 (before its
 * own `audit.redact` row, which must match its hash) keep their old hash.
 */
async function sealProblem(keys: AuditKeyring, row: Row, prevHash: string, legacyUpTo: number): Promise<string | null> {
  if (row.prevHash !== prevHash) return 'row is not linked to its predecessor';
  if (row.mac === null) {
    if (await legacyHash(prevHash, row).then((h) => h === row.hash)) return null;
    const redacted = row.seq < legacyUpTo && [row.registrationId, row.matchId, row.targetUserId].includes('redacted');
    return redacted ? null : 'legacy row does not match its hash';
  }
  return sameMac(await chainMac(keys, row, prevHash), row.hash) ? null : 'chain MAC does not verify';
}

export interface SealOptions {
  /** The clock's time; a keyed row older than `graceMs` is not sealed. */
  now?: Date;
  /** AUDIT_SEAL_GRACE_SECONDS in ms. */
  graceMs?: number;
  batchSize?: number;
}

/**
 * Seals every unsealed audit row in `seq` order, up to `batchSize` per unit, until none are
 * left. Throws AuditIntegrityError (sealing nothing further) on a gap in `seq`, a row
 * whose own MAC fails, a predecessor that does not verify, or a keyed row older than
 * `graceMs`: the jobs seal every JOB_INTERVAL_SECONDS, so an old unsealed row means its seal
 * was removed, and re-sealing would bless whatever was deleted or reordered meanwhile (the
 * row MAC leaves `seq` out). Two sealers racing compute the same MACs, and the conditional
 * update leaves an already sealed row alone, so a race is harmless.
 */
export async function sealAuditChain(db: Db, atomic: Atomic, keys: AuditKeyring, options: SealOptions = {}): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  const oldest = (options.now ?? new Date()).getTime() - (options.graceMs ?? DEFAULT_GRACE_MS);
  const legacyUpTo = await legacyEnd(db);
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
      await assertSealedRowVerifies(db, keys, previous, legacyUpTo);
    }
    const [later] = await db
      .select({ seq: auditEvents.seq })
      .from(auditEvents)
      .where(and(gt(auditEvents.seq, pending[0]!.seq), isNotNull(auditEvents.hash)))
      .limit(1);
    if (later) throw new AuditIntegrityError(pending[0]!.seq, 'unsealed row before sealed rows');
    let prevHash = previous?.hash ?? GENESIS;
    let prevSeq = previous?.seq ?? 0;
    const statements = [];
    for (const row of pending) {
      if (row.seq !== prevSeq + 1) throw new AuditIntegrityError(prevSeq + 1, 'missing row (gap in seq)');
      const problem =
        (await rowProblem(keys, row, legacyUpTo)) ??
        (row.seq > legacyUpTo && row.at.getTime() < oldest ? 'row left unsealed longer than the sealing interval (its seal was removed?)' : null);
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
 * The oldest keyed, sealed row older than `bound` (ms before `now`), or null: such a row
 * must be covered by an anchor (AUDIT_ANCHOR_SECONDS + AUDIT_SEAL_GRACE_SECONDS after it was
 * written), so without any anchor the anchors were deleted.
 */
async function unanchoredOldRow(db: Db, now: Date, bound: number): Promise<number | null> {
  const [row] = await db
    .select({ seq: auditEvents.seq })
    .from(auditEvents)
    .where(and(isNotNull(auditEvents.mac), isNotNull(auditEvents.hash), lt(auditEvents.at, new Date(now.getTime() - bound))))
    .orderBy(asc(auditEvents.seq))
    .limit(1);
  return row?.seq ?? null;
}

const NO_ANCHOR = 'no anchor found, though sealed rows are older than the anchoring interval (anchors deleted?)';

export interface VerifyOptions {
  anchors?: AnchorStore;
  now?: Date;
  /** AUDIT_SEAL_GRACE_SECONDS in ms. */
  graceMs?: number;
  /** AUDIT_ANCHOR_SECONDS in ms. */
  anchorMs?: number;
  /**
   * Start at the latest anchor instead of seq 1 (the audit console on Workers, where D1
   * allows a limited number of queries per invocation): the anchored row must still be
   * there with the anchored chain MAC, its own MAC and its seal must verify, and every row
   * after it is checked as usual. Rows before the anchor are not read: a change there is
   * found by a full verification (`audit verify`), not by this one. Without an anchor, the
   * whole trail is verified.
   */
  fromAnchor?: boolean;
}

/**
 * Verifies the whole trail (or, with `fromAnchor`, the part after the latest anchor): contiguous `seq` from 1, every row's own MAC, every link and
 * chain MAC, no unsealed row older than `graceMs`, and the latest anchor (its row must still
 * be there, with the anchored chain MAC; with an anchor store but no anchor, no keyed sealed
 * row may be older than `anchorMs + graceMs`). Returns the first bad sequence number.
 */
export async function verifyAuditChain(db: Db, keys: AuditKeyring, options: VerifyOptions = {}): Promise<VerifyResult> {
  const now = options.now ?? new Date();
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const anchor = options.anchors ? await options.anchors.latest() : null;
  const legacyUpTo = await legacyEnd(db);
  let prevHash = GENESIS;
  let prevSeq = 0;
  let checked = 0;
  let sealed = 0;
  let unsealedFrom: number | null = null;
  let head: VerifyResult['head'] = null;
  let anchorSeen = false;
  const result = (brokenAt: number | null, reason: string | null): VerifyResult => ({ ok: brokenAt === null, checked, sealed, head, anchor, brokenAt, reason });
  if (options.fromAnchor && anchor) {
    const [anchored] = await db.select().from(auditEvents).where(eq(auditEvents.seq, anchor.seq));
    if (!anchored || anchored.hash === null) {
      return result(anchor.seq, `the chain ends before the anchor of ${anchor.at} (seq ${anchor.seq}): rows were deleted or left unsealed`);
    }
    if (!sameMac(anchored.hash, anchor.hash)) return result(anchor.seq, `row differs from the anchor of ${anchor.at}`);
    const [before] = await db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.seq, anchor.seq - 1));
    const problem = (await rowProblem(keys, anchored, legacyUpTo)) ?? (await sealProblem(keys, anchored, before?.hash ?? GENESIS, legacyUpTo));
    if (problem) return result(anchor.seq, problem);
    prevHash = anchored.hash;
    prevSeq = anchored.seq;
    head = { seq: anchored.seq, hash: anchored.hash };
    anchorSeen = true;
    checked = 1;
    sealed = 1;
  }
  for (;;) {
    const rows = await db.select().from(auditEvents).where(gt(auditEvents.seq, prevSeq)).orderBy(asc(auditEvents.seq)).limit(1000);
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.seq !== prevSeq + 1) return result(prevSeq + 1, 'missing row (gap in seq)');
      const problem = await rowProblem(keys, row, legacyUpTo);
      if (problem) return result(row.seq, problem);
      if (row.hash === null) {
        if (anchor && row.seq <= anchor.seq) return result(row.seq, `row was sealed and anchored on ${anchor.at} but is unsealed now`);
        unsealedFrom ??= row.seq;
        if (now.getTime() - row.at.getTime() > graceMs) return result(row.seq, 'row left unsealed longer than the sealing interval');
      } else {
        if (unsealedFrom !== null) return result(unsealedFrom, 'unsealed row before sealed rows');
        const sealProblemText = await sealProblem(keys, row, prevHash, legacyUpTo);
        if (sealProblemText) return result(row.seq, sealProblemText);
        prevHash = row.hash;
        head = { seq: row.seq, hash: row.hash };
        sealed++;
        if (anchor && row.seq === anchor.seq) {
          if (!sameMac(row.hash, anchor.hash)) return result(row.seq, `row differs from the anchor of ${anchor.at}`);
          anchorSeen = true;
        }
      }
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
  if (options.anchors && !anchor) {
    const old = await unanchoredOldRow(db, now, (options.anchorMs ?? DEFAULT_ANCHOR_MS) + graceMs);
    if (old !== null) return result(old, NO_ANCHOR);
  }
  return result(null, null);
}

/**
 * Checks the chain against the latest anchor before a new one is written, so a chain cut
 * or rewritten below it is never re-anchored: the anchored row must still be there with
 * its chain MAC, and every row from it to the head must verify and link. Without an anchor,
 * no keyed sealed row may be older than `anchorMs + graceMs` (the first anchor after the
 * keyed chain starts). Throws AuditIntegrityError with the first bad seq.
 */
async function checkAgainstAnchor(db: Db, keys: AuditKeyring, latest: AuditAnchor | null, head: Row, now: Date, bound: number, legacyUpTo: number) {
  if (!latest) {
    const old = await unanchoredOldRow(db, now, bound);
    if (old !== null) throw new AuditIntegrityError(old, NO_ANCHOR);
    return;
  }
  const fail = (seq: number, reason: string) => new AuditIntegrityError(seq, `${reason} (checked against the anchor of ${latest.at}, seq ${latest.seq})`);
  const [anchored] = await db.select().from(auditEvents).where(eq(auditEvents.seq, latest.seq));
  if (!anchored || anchored.hash === null || head.seq < latest.seq)
    throw fail(Math.min(head.seq + 1, latest.seq), 'the chain ends before the anchor: rows were deleted or left unsealed');
  if (!sameMac(anchored.hash, latest.hash)) throw fail(latest.seq, 'row differs from the anchor');
  let prevHash = anchored.hash;
  let prevSeq = anchored.seq;
  while (prevSeq < head.seq) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(and(gt(auditEvents.seq, prevSeq), lte(auditEvents.seq, head.seq)))
      .orderBy(asc(auditEvents.seq))
      .limit(1000);
    if (rows.length === 0) throw fail(prevSeq + 1, 'missing row (gap in seq)');
    for (const row of rows) {
      if (row.seq !== prevSeq + 1) throw fail(prevSeq + 1, 'missing row (gap in seq)');
      if (row.hash === null) throw fail(row.seq, 'unsealed row before sealed rows');
      const problem = (await rowProblem(keys, row, legacyUpTo)) ?? (await sealProblem(keys, row, prevHash, legacyUpTo));
      if (problem) throw fail(row.seq, problem);
      prevHash = row.hash;
      prevSeq = row.seq;
    }
  }
}

export interface AnchorOptions {
  /** AUDIT_ANCHOR_SECONDS in ms. */
  anchorMs?: number;
  /** AUDIT_SEAL_GRACE_SECONDS in ms. */
  graceMs?: number;
}

/** A sealed row's own MAC and its seal over its predecessor both verify, or this throws with its seq. */
async function assertSealedRowVerifies(db: Db, keys: AuditKeyring, row: Row, legacyUpTo: number): Promise<void> {
  const [before] = await db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.seq, row.seq - 1));
  const problem = (await rowProblem(keys, row, legacyUpTo)) ?? (await sealProblem(keys, row, before?.hash ?? GENESIS, legacyUpTo));
  if (problem) throw new AuditIntegrityError(row.seq, problem);
}
/**
 * Writes the chain's head to the anchor store, after checking the chain against the latest
 * anchor (checkAgainstAnchor) and that the head row verifies. Returns the anchor, or null
 * when nothing is sealed yet (and no anchor expects something).
 */
export async function anchorAuditChain(db: Db, keys: AuditKeyring, anchors: AnchorStore, now: Date, options: AnchorOptions = {}): Promise<AuditAnchor | null> {
  const latest = await anchors.latest();
  const [head] = await db.select().from(auditEvents).where(isNotNull(auditEvents.hash)).orderBy(desc(auditEvents.seq)).limit(1);
  if (!head) {
    if (latest) throw new AuditIntegrityError(1, `no sealed rows, but the anchor of ${latest.at} names seq ${latest.seq}`);
    return null;
  }
  const legacyUpTo = await legacyEnd(db);
  await checkAgainstAnchor(db, keys, latest, head, now, (options.anchorMs ?? DEFAULT_ANCHOR_MS) + (options.graceMs ?? DEFAULT_GRACE_MS), legacyUpTo);
  await assertSealedRowVerifies(db, keys, head, legacyUpTo);
  const anchor: AuditAnchor = { seq: head.seq, hash: head.hash!, keyId: head.keyId, at: now.toISOString() };
  await anchors.append(anchor);
  return anchor;
}

/**
 * Anchors when the last anchor is older than `intervalMs` and the chain moved (the jobs
 * call this); refuses, like anchorAuditChain, when the chain no longer matches the last anchor.
 */
export async function anchorIfDue(
  db: Db,
  keys: AuditKeyring,
  anchors: AnchorStore,
  now: Date,
  intervalMs: number,
  graceMs = DEFAULT_GRACE_MS,
): Promise<AuditAnchor | null> {
  const latest = await anchors.latest();
  if (latest && now.getTime() - new Date(latest.at).getTime() < intervalMs) return null;
  const [head] = await db
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .where(isNotNull(auditEvents.hash))
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  if (!head && !latest) return null;
  if (head && latest && head.seq === latest.seq && head.hash === latest.hash) return null;
  return anchorAuditChain(db, keys, anchors, now, { anchorMs: intervalMs, graceMs });
}
