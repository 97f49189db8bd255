/**
 * Work on many registrations at once (schema: `bulk_jobs`): ending a deactivated
 * organisation's registrations (requested by one municipal admin, approved by another: four
 * eyes) and transferring all of a professional's registrations to a colleague (queued at once).
 *
 * The runner does a slice of at most SLICE registrations per job per run (a Worker invocation
 * has a query budget on D1), each in its own atomic unit through the verbs' own internals, so
 * matches shrink, close or follow and members are mailed exactly as for one registration.
 * It picks "the next remaining" by query, never by a remembered offset: after a crash it
 * resumes without doing anything twice. Progress (`processed`) is recomputed from what
 * remains; a job is `done` when nothing remains.
 */
import { isState } from '../db/constant.ts';
import { and, count, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement, recordAudit } from '../audit/audit.ts';
import { authorize } from '../auth/permissions.ts';
import type { Ctx } from '../context.ts';
import { guardStatement } from '../db/guard.ts';
import { AtomicConflict, type Db } from '../db/types.ts';
import { bulkJobs, organisations, professionals, registrations } from '../db/schema.ts';
import { Id } from '../identity/ids.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { endRegistration } from '../registry/end-registration.ts';
import { countConflicts, nextTransferable, transferOne } from '../registry/transfer.ts';
import { BULK_JOB_STATUSES, type BulkJobKind, CHOOSABLE_END_REASONS } from '../vocabulary.ts';

/** Registrations per job per run: each costs about ten queries (read, guarded unit, audit). */
export const SLICE = 20;
/** Jobs per run, oldest first: with SLICE, at most ~60 registrations (some 600 queries) per Worker invocation. */
export const JOBS_PER_RUN = 3;

export type BulkJobStatus = (typeof BULK_JOB_STATUSES)[number];

export interface BulkJobView {
  id: string;
  kind: BulkJobKind;
  status: BulkJobStatus;
  organisationId: string;
  organisationName: string;
  /** end_organisation: the chosen end reason. */
  reason: 'resolved' | 'unjustified' | null;
  /** transfer: from and to professional (ids and names). */
  fromProfessionalId: string | null;
  fromProfessionalName: string | null;
  toProfessionalId: string | null;
  toProfessionalName: string | null;
  requestedBy: string;
  requestedByName: string | null;
  requestedAt: string;
  approvedBy: string | null;
  approvedByName: string | null;
  approvedAt: string | null;
  total: number;
  processed: number;
  /** transfer: registrations not moved because the colleague is already registered on the same young person. */
  skipped: number;
  /** transfer: stopped before the end because the colleague was deactivated (or lost the role professional). */
  stopped: 'colleague_unavailable' | null;
  updatedAt: string;
  finishedAt: string | null;
}

const nameOf = (column: typeof bulkJobs.requestedBy | typeof bulkJobs.approvedBy) =>
  sql<string | null>`(SELECT name FROM ${professionals} WHERE ${professionals.id} = ${column})`;
const paramName = (key: 'from' | 'to') =>
  sql<string | null>`(SELECT name FROM ${professionals} WHERE ${professionals.id} = json_extract(${bulkJobs.params}, ${`$.${key}`}))`;

const columns = {
  id: bulkJobs.id,
  kind: bulkJobs.kind,
  status: bulkJobs.status,
  organisationId: bulkJobs.organisationId,
  organisationName: organisations.name,
  params: bulkJobs.params,
  requestedBy: bulkJobs.requestedBy,
  requestedByName: nameOf(bulkJobs.requestedBy),
  requestedAt: bulkJobs.requestedAt,
  approvedBy: bulkJobs.approvedBy,
  approvedByName: nameOf(bulkJobs.approvedBy),
  approvedAt: bulkJobs.approvedAt,
  total: bulkJobs.total,
  processed: bulkJobs.processed,
  updatedAt: bulkJobs.updatedAt,
  finishedAt: bulkJobs.finishedAt,
  fromName: paramName('from'),
  toName: paramName('to'),
};

type Row = Omit<
  BulkJobView,
  | 'stopped'
  | 'reason'
  | 'fromProfessionalId'
  | 'fromProfessionalName'
  | 'toProfessionalId'
  | 'toProfessionalName'
  | 'skipped'
  | 'requestedAt'
  | 'approvedAt'
  | 'updatedAt'
  | 'finishedAt'
> & {
  params: Record<string, string>;
  requestedAt: Date;
  approvedAt: Date | null;
  updatedAt: Date;
  finishedAt: Date | null;
  fromName: string | null;
  toName: string | null;
};

function toView(row: Row): BulkJobView {
  const reason = row.params.reason;
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    organisationId: row.organisationId,
    organisationName: row.organisationName,
    reason: reason === 'resolved' || reason === 'unjustified' ? reason : null,
    fromProfessionalId: row.params.from ?? null,
    fromProfessionalName: row.params.from ? row.fromName : null,
    toProfessionalId: row.params.to ?? null,
    toProfessionalName: row.params.to ? row.toName : null,
    requestedBy: row.requestedBy,
    requestedByName: row.requestedByName,
    requestedAt: row.requestedAt.toISOString(),
    approvedBy: row.approvedBy,
    approvedByName: row.approvedByName,
    approvedAt: row.approvedAt?.toISOString() ?? null,
    total: row.total,
    processed: row.processed,
    skipped: Number(row.params.skipped ?? 0),
    stopped: row.params.stopped === 'colleague_unavailable' ? 'colleague_unavailable' : null,
    updatedAt: row.updatedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/** The unit's guard: the job still has this status when the unit runs (src/db/guard.ts). */
function statusGuard(db: Db, jobId: string, status: (typeof BULK_JOB_STATUSES)[number]) {
  return guardStatement(db, sql`CAST((SELECT status FROM bulk_jobs WHERE id = ${jobId}) AS TEXT)`, status);
}

async function readJob(ctx: Ctx, jobId: string): Promise<BulkJobView | null> {
  const [row] = await ctx.deps.db
    .select(columns)
    .from(bulkJobs)
    .innerJoin(organisations, eq(organisations.id, bulkJobs.organisationId))
    .where(eq(bulkJobs.id, jobId))
    .limit(1);
  return row ? toView(row) : null;
}

export const ListBulkJobsInput = z.strictObject({ status: z.enum(BULK_JOB_STATUSES).optional() });

/** The jobs, newest first (at most 200), optionally of one status. Permission `beheer`; audited read. */
export async function listBulkJobs(ctx: Ctx, input: z.input<typeof ListBulkJobsInput> = {}): Promise<BulkJobView[]> {
  const { status } = parseInput(ListBulkJobsInput, input);
  await authorize(ctx, 'beheer', 'bulk_job.list');
  const rows = await ctx.deps.db
    .select(columns)
    .from(bulkJobs)
    .innerJoin(organisations, eq(organisations.id, bulkJobs.organisationId))
    .where(status ? eq(bulkJobs.status, status) : undefined)
    .orderBy(desc(bulkJobs.requestedAt), desc(bulkJobs.id))
    .limit(200);
  await recordAudit(ctx, { action: 'bulk_job.list', outcome: 'success', detail: { status: status ?? null, count: rows.length } });
  return rows.map((row) => toView(row));
}

export const BulkJobIdInput = z.strictObject({ jobId: Id });

/** One job with its progress (processed of total). Permission `beheer`; audited read. */
export async function getBulkJob(ctx: Ctx, input: z.input<typeof BulkJobIdInput>): Promise<BulkJobView> {
  const { jobId } = parseInput(BulkJobIdInput, input);
  await authorize(ctx, 'beheer', 'bulk_job.read');
  const job = await readJob(ctx, jobId);
  await recordAudit(ctx, { action: 'bulk_job.read', outcome: job ? 'success' : 'not_found', detail: { jobId } });
  if (!job) throw audited(new ServiceError('not_found', 'Taak niet gevonden.'));
  return job;
}

/** The approver's decision on a job awaiting approval; never the requester's own (four eyes). */
async function decide(ctx: Ctx, jobId: string, approve: boolean): Promise<BulkJobView> {
  const action = approve ? 'bulk_job.approve' : 'bulk_job.reject';
  await authorize(ctx, 'four_eyes', action);
  const job = await readJob(ctx, jobId);
  if (!job) {
    await recordAudit(ctx, { action, outcome: 'not_found', detail: { jobId } });
    throw audited(new ServiceError('not_found', 'Taak niet gevonden.'));
  }
  if (job.status !== 'awaiting_approval') {
    await recordAudit(ctx, { action, outcome: 'invalid', detail: { jobId, status: job.status } });
    throw audited(new ServiceError('conflict', 'Over deze taak is al besloten.'));
  }
  if (approve && job.requestedBy === ctx.actor.id) {
    await recordAudit(ctx, { action, outcome: 'denied', detail: { jobId, reason: 'four_eyes' } });
    throw audited(new ServiceError('forbidden', 'Vier ogen: u hebt deze taak zelf aangevraagd. Een tweede functioneel beheerder moet haar goedkeuren.'));
  }
  const { db, clock } = ctx.deps;
  const now = clock.now();
  const pending = and(eq(bulkJobs.id, jobId), isState(bulkJobs.status, 'awaiting_approval'));
  await ctx.deps.atomic([
    // Still awaiting approval: a concurrent decision makes this unit fail.
    statusGuard(db, jobId, 'awaiting_approval'),
    approve
      ? db.update(bulkJobs).set({ status: 'queued', approvedBy: ctx.actor.id, approvedAt: now, updatedAt: now }).where(pending)
      : db.update(bulkJobs).set({ status: 'rejected', approvedBy: ctx.actor.id, approvedAt: now, updatedAt: now, finishedAt: now }).where(pending),
    auditStatement(ctx, { action, outcome: 'success', detail: { jobId, kind: job.kind, organisationId: job.organisationId } }),
  ]);
  return (await readJob(ctx, jobId))!;
}

/** A second municipal admin approves the job (permission `four_eyes`); it is then queued for the runner. */
export async function approveBulkJob(ctx: Ctx, input: z.input<typeof BulkJobIdInput>): Promise<BulkJobView> {
  const { jobId } = parseInput(BulkJobIdInput, input);
  return decide(ctx, jobId, true);
}

/**
 * A municipal admin rejects the job (permission `four_eyes`; the requester may withdraw their
 * own request). The organisation stays deactivated; its registrations stay until decided anew.
 */
export async function rejectBulkJob(ctx: Ctx, input: z.input<typeof BulkJobIdInput>): Promise<BulkJobView> {
  const { jobId } = parseInput(BulkJobIdInput, input);
  return decide(ctx, jobId, false);
}

// ---------------------------------------------------------------------------------------
// The runner.

const EndReasonParam = z.enum(CHOOSABLE_END_REASONS);

/**
 * What remains of a job: `left`, the registrations still to handle (progress is what is no
 * longer left); `movable`, those the runner can still do something with (a transfer's
 * conflicts stay with the professional: skipped). For ending, both are the organisation's
 * active registrations.
 */
async function remaining(ctx: Ctx, job: typeof bulkJobs.$inferSelect): Promise<{ left: number; movable: number }> {
  const mine =
    job.kind === 'end_organisation'
      ? eq(registrations.organisationId, job.organisationId)
      : and(eq(registrations.professionalId, job.params.from ?? ''), eq(registrations.organisationId, job.organisationId));
  const [row] = await ctx.deps.db
    .select({ n: count() })
    .from(registrations)
    .where(and(mine, isState(registrations.status, 'active')));
  const left = row?.n ?? 0;
  if (job.kind === 'end_organisation') return { left, movable: left };
  return { left, movable: left - (await countConflicts(ctx, job.params.from ?? '', job.params.to ?? '', job.organisationId)) };
}

async function nextSlice(ctx: Ctx, job: typeof bulkJobs.$inferSelect, size: number): Promise<string[]> {
  if (job.kind === 'transfer') return nextTransferable(ctx, job.params.from ?? '', job.params.to ?? '', job.organisationId, size);
  const rows = await ctx.deps.db
    .select({ id: registrations.id })
    .from(registrations)
    .where(and(eq(registrations.organisationId, job.organisationId), isState(registrations.status, 'active')))
    .orderBy(registrations.id)
    .limit(size);
  return rows.map((r) => r.id);
}

async function processOne(ctx: Ctx, job: typeof bulkJobs.$inferSelect, registrationId: string): Promise<void> {
  if (job.kind === 'end_organisation') {
    try {
      await endRegistration(ctx, { registrationId, reason: EndReasonParam.parse(job.params.reason) });
    } catch (error) {
      // As the system actor the verb may end any registration. Ended in the meantime (by its
      // professional, the expiry job, a death): nothing to do.
      if (!(error instanceof ServiceError && error.code === 'not_found')) throw error;
    }
    return;
  }
  await transferOne(ctx, {
    registrationId,
    fromProfessionalId: job.params.from ?? '',
    toProfessionalId: job.params.to ?? '',
    organisationId: job.organisationId,
  });
}

/** A transfer's colleague must still be able to take the registrations over (active, role professional). */
async function colleagueAvailable(ctx: Ctx, professionalId: string): Promise<boolean> {
  const [row] = await ctx.deps.db
    .select({ id: professionals.id })
    .from(professionals)
    .where(
      and(
        eq(professionals.id, professionalId),
        eq(professionals.active, true),
        sql`EXISTS (SELECT 1 FROM person_roles WHERE professional_id = ${professionals.id} AND role = 'professional')`,
      ),
    )
    .limit(1);
  return Boolean(row);
}

/** Ends a job: done, with what it did (a transfer: skipped; stopped early: why). */
async function finish(ctx: Ctx, job: typeof bulkJobs.$inferSelect, processed: number, extra: Record<string, string>) {
  const { db, clock } = ctx.deps;
  const now = clock.now();
  try {
    await ctx.deps.atomic([
      // Still queued: two overlapping runs (the timer and `jobs run`) may both get here;
      // only one records the job done, the other finds it done already.
      statusGuard(db, job.id, 'queued'),
      db
        .update(bulkJobs)
        .set({ status: 'done', processed, updatedAt: now, finishedAt: now, params: { ...job.params, ...extra } })
        .where(and(eq(bulkJobs.id, job.id), isState(bulkJobs.status, 'queued'))),
      auditStatement(ctx, {
        action: 'bulk_job.done',
        outcome: 'success',
        detail: { jobId: job.id, kind: job.kind, organisationId: job.organisationId, total: job.total, processed, ...extra },
      }),
    ]);
  } catch (error) {
    if (!(error instanceof AtomicConflict)) throw error;
  }
}

/** One slice of one job; resolves to the registrations handled and whether the job is done. */
async function runJob(ctx: Ctx, job: typeof bulkJobs.$inferSelect, sliceSize: number): Promise<{ processed: number; finished: boolean }> {
  if (job.kind === 'transfer' && !(await colleagueAvailable(ctx, job.params.to ?? ''))) {
    // Deactivated (or no longer a professional) since the request: nothing more moves to them.
    const { left } = await remaining(ctx, job);
    await finish(ctx, job, Math.min(job.total, Math.max(job.processed, job.total - left)), { stopped: 'colleague_unavailable' });
    return { processed: 0, finished: true };
  }
  const slice = await nextSlice(ctx, job, sliceSize);
  for (const registrationId of slice) await processOne(ctx, job, registrationId);
  const { left, movable } = await remaining(ctx, job);
  if (movable <= 0) {
    await finish(ctx, job, job.total, job.kind === 'transfer' ? { skipped: String(left) } : {});
    return { processed: slice.length, finished: true };
  }
  await ctx.deps.atomic([
    ctx.deps.db
      .update(bulkJobs)
      .set({ processed: Math.min(job.total, Math.max(job.processed, job.total - left)), updatedAt: ctx.deps.clock.now() })
      .where(and(eq(bulkJobs.id, job.id), isState(bulkJobs.status, 'queued'))),
  ]);
  return { processed: slice.length, finished: false };
}

/**
 * One run: for each queued job (oldest first), a slice of at most `sliceSize` registrations,
 * then its progress; a job with nothing left is marked done. Runs as the system actor. A job
 * that fails is logged and left queued (the next run resumes it); the others still run.
 */
export async function runBulkJobs(ctx: Ctx, sliceSize = SLICE): Promise<{ processed: number; finished: number; failed: number }> {
  const queued = await ctx.deps.db
    .select()
    .from(bulkJobs)
    .where(isState(bulkJobs.status, 'queued'))
    .orderBy(bulkJobs.requestedAt, bulkJobs.id)
    .limit(JOBS_PER_RUN);
  const result = { processed: 0, finished: 0, failed: 0 };
  for (const job of queued) {
    try {
      const done = await runJob(ctx, job, sliceSize);
      result.processed += done.processed;
      if (done.finished) result.finished++;
    } catch (error) {
      result.failed++;
      const message = error instanceof Error ? error.message.slice(0, 200) : 'unknown';
      ctx.deps.log('error', 'bulk job failed', { jobId: job.id, kind: job.kind, error: message });
    }
  }
  if (result.failed > 0) throw new Error(`${result.failed} bulk job(s) failed; see the log`);
  return result;
}
