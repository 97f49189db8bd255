/**
 * The audit chain's status for the console (permission `audit_status`: the auditor and the
 * municipal admin; neither sees the trail's content here). A check runs the verifier
 * (src/audit/chain.ts) against the latest external anchor and stores its result in
 * `audit_checks`; a failed check stays as an alert on every page of those people until one
 * of them acknowledges it. All audited.
 *
 * A check starts at the latest external anchor (`fromAnchor`, src/audit/chain.ts): the
 * anchored row must match the anchor, and every row after it is verified, about one query
 * per 1,000 rows after the anchor, which the jobs move forward every AUDIT_ANCHOR_SECONDS,
 * so it stays well inside D1's queries per invocation. A full check from seq 1 (the
 * console's second button, and `audit verify` on the CLI) reads the whole trail: on
 * Workers about one D1 query per 1,000 events.
 */
import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { authorize } from '../auth/permissions.ts';
import type { Ctx } from '../context.ts';
import { auditChecks, auditEvents } from '../db/schema.ts';
import type { Db } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { auditStatement, recordAudit } from './audit.ts';
import type { AuditAnchor } from './anchor.ts';
import { verifyAuditChain } from './chain.ts';

export type AuditCheck = typeof auditChecks.$inferSelect;

/** The deployment's sealing and anchoring intervals, as the jobs and the CLI use them (ADR 0009). */
export function verifyTiming(deps: Deps) {
  return { now: deps.clock.now(), graceMs: deps.config.AUDIT_SEAL_GRACE_SECONDS * 1000, anchorMs: deps.config.AUDIT_ANCHOR_SECONDS * 1000 };
}

export interface AuditCheckRun {
  check: AuditCheck;
  sealed: number;
  /** How long the verifier took (ms). */
  ms: number;
}

export const RunAuditCheckInput = z.strictObject({ full: z.boolean().default(false) });

/** Runs the verifier now and stores the result (audited `audit.verify`, with its outcome). */
export async function runAuditCheck(ctx: Ctx, input: z.input<typeof RunAuditCheckInput> = {}): Promise<AuditCheckRun> {
  await authorize(ctx, 'audit_status', 'audit.verify');
  const { full } = parseInput(RunAuditCheckInput, input);
  const { db, auditKeys, auditAnchors } = ctx.deps;
  const started = performance.now();
  const result = await verifyAuditChain(db, auditKeys, { anchors: auditAnchors, ...verifyTiming(ctx.deps), fromAnchor: !full });
  const ms = Math.round(performance.now() - started);
  const check: AuditCheck = {
    id: crypto.randomUUID(),
    at: ctx.deps.clock.now(),
    ok: result.ok,
    checked: result.checked,
    brokenAt: result.brokenAt,
    reason: result.reason,
    headSeq: result.head?.seq ?? null,
    anchorSeq: result.anchor?.seq ?? null,
    anchorAt: result.anchor?.at ?? null,
    byId: ctx.actor.id,
    acknowledgedBy: null,
    acknowledgedAt: null,
  };
  await ctx.deps.atomic([
    db.insert(auditChecks).values(check),
    auditStatement(ctx, {
      action: 'audit.verify',
      outcome: result.ok ? 'success' : 'error',
      detail: { checkId: check.id, mode: full ? 'full' : 'from_anchor', ok: result.ok, checked: result.checked, brokenAt: result.brokenAt, ms },
    }),
  ]);
  ctx.deps.log(result.ok ? 'info' : 'error', 'audit chain checked', {
    requestId: ctx.requestId,
    mode: full ? 'full' : 'from_anchor',
    ok: result.ok,
    checked: result.checked,
    sealed: result.sealed,
    headSeq: check.headSeq,
    anchorSeq: check.anchorSeq,
    brokenAt: result.brokenAt,
    ms,
  });
  return { check, sealed: result.sealed, ms };
}

export interface AuditStatus {
  /** The latest checks, newest first. */
  checks: AuditCheck[];
  /** The latest failed check nobody acknowledged yet. */
  alert: AuditCheck | null;
  /** The newest sealed row and the newest row. */
  headSeq: number | null;
  lastSeq: number | null;
  anchor: AuditAnchor | null;
}

/** The chain's status page: recent checks, head, latest anchor (audited `audit.status`). */
export async function getAuditStatus(ctx: Ctx): Promise<AuditStatus> {
  await authorize(ctx, 'audit_status', 'audit.status');
  const { db } = ctx.deps;
  const checks = await db.select().from(auditChecks).orderBy(desc(auditChecks.at)).limit(10);
  const [head] = await db.select({ seq: auditEvents.seq }).from(auditEvents).where(isNotNull(auditEvents.hash)).orderBy(desc(auditEvents.seq)).limit(1);
  const [last] = await db.select({ seq: auditEvents.seq }).from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1);
  const anchor = await ctx.deps.auditAnchors.latest().catch(() => null);
  await recordAudit(ctx, { action: 'audit.status', outcome: 'success' });
  return { checks, alert: await unacknowledgedFailure(db), headSeq: head?.seq ?? null, lastSeq: last?.seq ?? null, anchor };
}

/** The latest failed check nobody acknowledged, for the alert on every page (not audited: no content). */
export async function unacknowledgedFailure(db: Db): Promise<AuditCheck | null> {
  const [check] = await db
    .select()
    .from(auditChecks)
    .where(and(eq(auditChecks.ok, false), isNull(auditChecks.acknowledgedAt)))
    .orderBy(desc(auditChecks.at))
    .limit(1);
  return check ?? null;
}

/** The alert for a request: only for people who may see the chain's status. */
export function auditAlertFor(deps: Deps): Promise<AuditCheck | null> {
  return unacknowledgedFailure(deps.db);
}

export const AcknowledgeAuditCheckInput = z.strictObject({ id: z.string().uuid('Geen geldig id.') });

/**
 * Acknowledges a failed check: the alert goes away for everyone (the failure stays in the
 * list). Audited `audit.acknowledge`; acknowledging twice is harmless (the first one counts).
 */
export async function acknowledgeAuditCheck(ctx: Ctx, input: z.input<typeof AcknowledgeAuditCheckInput>): Promise<void> {
  // The auditor's alone: the admins are among those whose actions the trail records.
  await authorize(ctx, 'audit_trail', 'audit.acknowledge');
  const parsed = AcknowledgeAuditCheckInput.safeParse(input);
  const [check] = parsed.success ? await ctx.deps.db.select().from(auditChecks).where(eq(auditChecks.id, parsed.data.id)).limit(1) : [];
  if (!check || check.ok) {
    await recordAudit(ctx, { action: 'audit.acknowledge', outcome: 'not_found', detail: { checkId: parsed.success ? parsed.data.id : null } });
    throw audited(new ServiceError('not_found', 'Deze mislukte controle bestaat niet.'));
  }
  const { db } = ctx.deps;
  await ctx.deps.atomic([
    db
      .update(auditChecks)
      .set({ acknowledgedBy: ctx.actor.id, acknowledgedAt: ctx.deps.clock.now() })
      .where(and(eq(auditChecks.id, check.id), isNull(auditChecks.acknowledgedAt))),
    auditStatement(ctx, { action: 'audit.acknowledge', outcome: 'success', detail: { checkId: check.id, brokenAt: check.brokenAt } }),
  ]);
}
