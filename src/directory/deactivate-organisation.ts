/**
 * Deactivating an organisation (docs/domain.md, "People and organisations leave"): it stops
 * at once (no login for its people, no registering, no matching — those effects are checked
 * where they happen), and what happens to its active registrations is chosen explicitly:
 * ended as `resolved` (archived) or `unjustified` (deleted). Ending them all is an
 * irreversible mass action, so it becomes a bulk job that waits for a second municipal
 * admin's approval (four eyes, src/jobs/bulk-jobs.ts) and is then done in slices.
 */
import { isState } from '../db/constant.ts';
import { and, count, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement, recordAudit } from '../audit/audit.ts';
import { authorize } from '../auth/permissions.ts';
import type { Ctx } from '../context.ts';
import { guardStatement } from '../db/guard.ts';
import { bulkJobs, organisations, registrations } from '../db/schema.ts';
import { Id } from '../identity/ids.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { CHOOSABLE_END_REASONS } from '../vocabulary.ts';

export { approveBulkJob, getBulkJob, listBulkJobs, rejectBulkJob } from '../jobs/bulk-jobs.ts';

export const CountActiveRegistrationsInput = z.strictObject({ organisationId: Id });

/** How many active registrations an organisation has (a count only: no registration is read). */
export async function countActiveRegistrations(ctx: Ctx, input: z.input<typeof CountActiveRegistrationsInput>): Promise<number> {
  const { organisationId } = parseInput(CountActiveRegistrationsInput, input);
  await authorize(ctx, 'beheer', 'organisation.count_registrations');
  return activeCount(ctx, organisationId);
}

async function activeCount(ctx: Ctx, organisationId: string): Promise<number> {
  const [row] = await ctx.deps.db
    .select({ n: count() })
    .from(registrations)
    .where(and(eq(registrations.organisationId, organisationId), isState(registrations.status, 'active')));
  return row?.n ?? 0;
}

export const DeactivateOrganisationInput = z.strictObject({
  organisationId: Id,
  /** What happens to its active registrations: `resolved` archives them, `unjustified` deletes them. */
  reason: z.enum(CHOOSABLE_END_REASONS, { error: 'Kies wat er met de lopende registraties gebeurt.' }),
});

/**
 * Deactivates the organisation now and, when it has active registrations, requests the
 * bulk job that ends them with `reason` (status `awaiting_approval`): one atomic unit with
 * the audit row. Refuses an unknown or already deactivated organisation and the
 * municipality's own row (404).
 */
export async function deactivateOrganisation(ctx: Ctx, input: z.input<typeof DeactivateOrganisationInput>): Promise<{ jobId: string | null; total: number }> {
  const { organisationId, reason } = parseInput(DeactivateOrganisationInput, input);
  await authorize(ctx, 'beheer', 'organisation.deactivate');
  const { db, clock } = ctx.deps;
  const [organisation] = await db
    .select({ kind: organisations.kind, active: organisations.active })
    .from(organisations)
    .where(eq(organisations.id, organisationId))
    .limit(1);
  if (organisation?.kind !== 'organisation' || !organisation.active) {
    await recordAudit(ctx, { action: 'organisation.deactivate', outcome: 'not_found', detail: { organisationId } });
    throw audited(new ServiceError('not_found', 'Organisatie niet gevonden of al gedeactiveerd.'));
  }
  const total = await activeCount(ctx, organisationId);
  const now = clock.now();
  const jobId = total > 0 ? crypto.randomUUID() : null;
  // Guard: still active. A concurrent deactivation fails here (AtomicConflict) instead of
  // requesting a second job.
  const stillActive = sql`(SELECT active FROM organisations WHERE id = ${organisationId})`;
  await ctx.deps.atomic([
    guardStatement(db, sql`CAST(${stillActive} AS TEXT)`, '1'),
    db.update(organisations).set({ active: false, deactivatedAt: now }).where(eq(organisations.id, organisationId)),
    ...(jobId
      ? [
          db.insert(bulkJobs).values({
            id: jobId,
            kind: 'end_organisation',
            status: 'awaiting_approval',
            organisationId,
            params: { reason },
            requestedBy: ctx.actor.id,
            requestedAt: now,
            total,
            processed: 0,
            updatedAt: now,
          }),
        ]
      : []),
    auditStatement(ctx, {
      action: 'organisation.deactivate',
      outcome: 'success',
      detail: { organisationId, reason, activeRegistrations: total, jobId },
    }),
  ]);
  return { jobId, total };
}
