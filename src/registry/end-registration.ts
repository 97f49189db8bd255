/**
 * End a registration ("betrokkenheid beëindigen"). The reason decides what remains:
 * `resolved` and `expired` archive it (ARCHIVE_YEARS, at most until the subject turns 23);
 * every other reason deletes it for real. `turned_23` and `deceased` also destroy the
 * subject's archive entries. Leaving may shrink or close the open match, which notifies
 * the remaining members through the outbox, in the same guarded unit.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { auditStatement } from '../audit/audit.ts';
import { actorOrganisation, type Ctx } from '../context.ts';
import { matchMembers, registrations, type EndReason } from '../db/schema.ts';
import type { Statement } from '../db/types.ts';
import { ServiceError } from '../lib/errors.ts';
import { applyLeaveDecision } from '../matching/apply.ts';
import { decideOnLeave } from '../matching/detect.ts';
import { archiveUntil, archives, isoDate } from './lifecycle.ts';
import { withConflictRetry } from './retry.ts';
import { readSubjectState, subjectGuard } from './subject-state.ts';

export interface EndResult {
  id: string;
  reason: EndReason;
  /** `archived` or `deleted`. */
  outcome: 'archived' | 'deleted';
  endedAt: string;
  matchId: string | null;
  matchClosed: boolean;
}

const DESTROYS_ARCHIVE: readonly EndReason[] = ['turned_23', 'deceased'];

export async function endRegistration(ctx: Ctx, registrationId: string, reason: EndReason): Promise<EndResult> {
  const { db, clock, config, atomic } = ctx.deps;
  const organisationId = actorOrganisation(ctx.actor);
  const [found] = await db
    .select()
    .from(registrations)
    .where(
      and(
        eq(registrations.id, registrationId),
        organisationId === null ? undefined : eq(registrations.organisationId, organisationId),
      ),
    )
    .limit(1);
  // Archived registrations are visible to no one: for everybody they are "not found".
  if (!found || found.status !== 'active') {
    await atomic([auditStatement(ctx, { action: 'registration.end', outcome: 'not_found', registrationId, detail: { reason } })]);
    throw new ServiceError('not_found', 'Registratie niet gevonden.');
  }
  const subject = found.subjectPseudonym;

  return withConflictRetry(async () => {
    const state = await readSubjectState(db, subject);
    if (!state.active.some((r) => r.registrationId === registrationId)) {
      throw new ServiceError('not_found', 'Registratie niet gevonden.');
    }
    const now = clock.now();
    const archive = archives(reason);
    const decision = decideOnLeave(state.openMatch, registrationId);
    const applied = applyLeaveDecision(db, decision, registrationId, state.emails, now, !archive);

    const statements: Statement[] = [subjectGuard(db, subject, state.fingerprint), ...applied.statements];
    if (archive) {
      statements.push(
        db
          .update(registrations)
          .set({
            status: 'archived',
            endedAt: now,
            endReason: reason,
            archiveUntil: archiveUntil(isoDate(now), config.ARCHIVE_YEARS, found.ageLimitMonth),
          })
          .where(and(eq(registrations.id, registrationId), eq(registrations.status, 'active'))),
      );
    } else {
      statements.push(db.delete(registrations).where(eq(registrations.id, registrationId)));
    }
    const destroyed = DESTROYS_ARCHIVE.includes(reason)
      ? state.registrations.filter((r) => r.status === 'archived').map((r) => r.registrationId)
      : [];
    if (destroyed.length > 0) {
      statements.push(
        db.delete(matchMembers).where(inArray(matchMembers.registrationId, destroyed)),
        db.delete(registrations).where(inArray(registrations.id, destroyed)),
      );
    }
    statements.push(
      auditStatement(ctx, {
        action: 'registration.end',
        outcome: 'success',
        registrationId,
        matchId: applied.matchId,
        detail: { reason, outcome: archive ? 'archived' : 'deleted', archiveEntriesDestroyed: destroyed.length },
      }),
    );
    if (decision.kind !== 'none') {
      statements.push(
        auditStatement(ctx, {
          action: decision.kind === 'close' ? 'match.close' : 'match.leave',
          outcome: 'success',
          registrationId,
          matchId: decision.matchId,
          detail: { notifications: applied.notifications },
        }),
      );
    }
    await atomic(statements);
    return {
      id: registrationId,
      reason,
      outcome: archive ? 'archived' : 'deleted',
      endedAt: now.toISOString(),
      matchId: applied.matchId,
      matchClosed: decision.kind === 'close',
    };
  });
}
