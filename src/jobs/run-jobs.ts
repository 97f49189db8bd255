/**
 * Runs every job once, in order. The Node entry calls this from an in-process timer, the
 * Workers entry from a Cron Trigger. Each job is idempotent; a run that did something (or
 * failed) is audited as the system actor.
 */
import { sealAuditChain } from '../audit/chain.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Ctx } from '../context.ts';
import type { Deps } from '../deps.ts';
import { drainOutbox } from './drain-outbox.ts';
import { expireRegistrations } from './expire-registrations.ts';
import { purgeRetention } from './purge-retention.ts';

type Job = { name: string; run(ctx: Ctx): Promise<Record<string, number>> };

export const JOBS: Job[] = [
  { name: 'expire-registrations', run: (ctx) => expireRegistrations(ctx) },
  { name: 'purge-retention', run: (ctx) => purgeRetention(ctx) },
  { name: 'drain-outbox', run: async (ctx) => ({ ...(await drainOutbox(ctx.deps)) }) },
];

export async function runJobs(deps: Deps): Promise<void> {
  for (const job of JOBS) {
    const ctx: Ctx = { deps, actor: { type: 'system', id: job.name }, requestId: null, origin: null };
    try {
      const result = await job.run(ctx);
      if (Object.values(result).some((n) => n > 0)) {
        await recordAudit(ctx, { action: `job.${job.name}`, outcome: 'success', detail: result });
      }
    } catch (error) {
      deps.log('error', 'job failed', { job: job.name, error: error instanceof Error ? error.name : 'unknown' });
      await recordAudit(ctx, { action: `job.${job.name}`, outcome: 'error' }).catch(() => {});
    }
  }
  await sealAuditChain(deps.db, deps.atomic);
}

/**
 * Starts the in-process scheduler; runs never overlap. `afterRun` is the runtime's own
 * housekeeping (on Node: a WAL checkpoint). Returns a stop function.
 */
export function startScheduler(deps: Deps, intervalMs: number, afterRun: () => void = () => {}): () => void {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = runJobs(deps).then(afterRun).finally(() => {
      running = null;
    });
  };
  const timer = setInterval(tick, intervalMs);
  tick();
  return () => clearInterval(timer);
}
