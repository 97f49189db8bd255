/**
 * Runs every job once, in order. The Node entry calls this from an in-process timer, the
 * Workers entry from a Cron Trigger. Each job is idempotent; a run that did something (or
 * failed) is audited as the system actor.
 */
import { anchorIfDue, AuditIntegrityError, sealAuditChain } from '../audit/chain.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Ctx } from '../context.ts';
import type { Deps } from '../deps.ts';
import { metrics } from '../metrics/registry.ts';
import { runBulkJobs } from './bulk-jobs.ts';
import { drainOutbox } from './drain-outbox.ts';
import { expireRegistrations } from './expire-registrations.ts';
import { followUp } from './follow-up.ts';
import { purgeRetention } from './purge-retention.ts';

type Job = { name: string; run(ctx: Ctx): Promise<Record<string, number>> };

// Mail first: if a run is cut short (a Worker invocation has a query budget, ~1,000 on
// D1), waiting notifications still go out; expiry works in modest batches for the same
// reason and catches up over the following runs.
export const JOBS: Job[] = [
  { name: 'drain-outbox', run: async (ctx) => ({ ...(await drainOutbox(ctx.deps)) }) },
  // Reminders, proposals and escalations: at most 20 per step per run (six steps of units of
  // about five statements each), the rest in the following runs (src/jobs/follow-up.ts).
  { name: 'follow-up', run: async (ctx) => ({ ...(await followUp(ctx, 20)) }) },
  { name: 'expire-registrations', run: (ctx) => expireRegistrations(ctx, 50) },
  { name: 'purge-retention', run: (ctx) => purgeRetention(ctx, 200) },
  // At most 20 registrations per job per run (src/jobs/bulk-jobs.ts): D1's query budget.
  { name: 'bulk-jobs', run: (ctx) => runBulkJobs(ctx) },
];

/** The database's own message (SQLite/D1 messages carry no values), not drizzle's wrapper. */
function errorMessage(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? `${cause.name}: ${cause.message}`.slice(0, 300) : 'unknown';
}

/** Runs every job once; resolves to the names of the jobs that failed (each is still audited). */
export async function runJobs(deps: Deps): Promise<string[]> {
  const failed: string[] = [];
  for (const job of JOBS) {
    const ctx: Ctx = { deps, actor: { type: 'system', id: job.name }, requestId: null, origin: null };
    try {
      const result = await job.run(ctx);
      if (Object.values(result).some((n) => n > 0)) {
        await recordAudit(ctx, { action: `job.${job.name}`, outcome: 'success', detail: result });
      }
      metrics.jobRun(job.name, 'success');
    } catch (error) {
      failed.push(job.name);
      metrics.jobRun(job.name, 'error');
      deps.log('error', 'job failed', { job: job.name, error: errorMessage(error) });
      await recordAudit(ctx, { action: `job.${job.name}`, outcome: 'error' }).catch(() => {});
    }
  }
  const sealed = await sealAndAnchor(deps);
  metrics.jobRun('seal-audit', sealed ? 'success' : 'error');
  if (!sealed) failed.push('seal-audit');
  return failed;
}

/**
 * Seals the audit chain and anchors its head outside the database when due (ADR 0009).
 * A refusal to seal (a forged, missing or long-unsealed row) or to anchor (the chain no
 * longer matches the last anchor, or there is none though there should be) is logged with the first bad seq and fails
 * the run, every run, until an operator looks (docs/operations.md, "Audit trail integrity").
 */
export async function sealAndAnchor(deps: Deps): Promise<boolean> {
  try {
    const graceMs = deps.config.AUDIT_SEAL_GRACE_SECONDS * 1000;
    await sealAuditChain(deps.db, deps.atomic, deps.auditKeys, { now: deps.clock.now(), graceMs });
    await anchorIfDue(deps.db, deps.auditKeys, deps.auditAnchors, deps.clock.now(), deps.config.AUDIT_ANCHOR_SECONDS * 1000, graceMs);
    return true;
  } catch (error) {
    const fields = error instanceof AuditIntegrityError ? { seq: error.seq, reason: error.reason } : { error: errorMessage(error) };
    deps.log('error', 'audit sealing or anchoring failed', fields);
    return false;
  }
}

/**
 * Starts the in-process scheduler; runs never overlap. `afterRun` is the runtime's own
 * housekeeping (on Node: a WAL checkpoint). Returns a stop function, which resolves once a
 * run under way has finished (a shutdown must not close the database under it).
 */
export function startScheduler(deps: Deps, intervalMs: number, afterRun: () => void = () => {}): () => Promise<void> {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = runJobs(deps)
      .then(() => afterRun())
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  tick();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
