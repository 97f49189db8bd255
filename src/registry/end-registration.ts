/**
 * End a registration ("betrokkenheid beëindigen"). The reason decides what remains:
 * `resolved` and `expired` archive it (ARCHIVE_YEARS, at most until the subject turns 23);
 * `unjustified` and `erasure` delete it for real. Leaving may shrink or close the open
 * match, which notifies the remaining members through the outbox, in the same guarded unit.
 *
 * `turned_23` and `deceased` concern the young person, not one registration: no
 * registration of the subject may remain (law 7.1.4.5/6), so every registration of every
 * organisation is deleted, archive entries included, and the other registrants are told
 * that their registration ended (`endForSubject`). `turned_23` is the expiry job's;
 * `deceased` is never chosen here: a death is reported and confirmed by two municipal
 * admins (src/registry/death.ts), which then calls `endForSubject`.
 *
 * Mail about a registration of a deactivated professional goes to their organisation's
 * coordinators (src/notify/recipients.ts); a deactivated organisation takes no part in
 * matching (src/matching/detect.ts).
 */
import { isState } from '../db/constant.ts';
import { authorize } from '../auth/permissions.ts';
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement } from '../audit/audit.ts';
import type { Ctx } from '../context.ts';
import { matches, matchMembers, registrations } from '../db/schema.ts';
import type { Statement } from '../db/types.ts';
import { Id } from '../identity/ids.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { applyLeaveDecision } from '../matching/apply.ts';
import { decideOnLeave } from '../matching/detect.ts';
import { enqueueStatement } from '../notify/outbox.ts';
import { addressed } from '../notify/recipients.ts';
import { archiveUntil, archives } from './lifecycle.ts';
import { isoDate } from '../lib/dates.ts';
import { withConflictRetry } from './retry.ts';
import { ownedBy } from './registration-dto.ts';
import { readSubjectState, subjectGuard, type SubjectState } from './subject-state.ts';
import { CHOOSABLE_END_REASONS, type EndReason } from '../vocabulary.ts';
import { countStatements } from '../stats/counters.ts';

export interface EndResult {
  id: string;
  reason: EndReason;
  outcome: 'archived' | 'deleted';
  endedAt: string;
  matchId: string | null;
  matchClosed: boolean;
  /** Other organisations' registrations that ended with this one (`turned_23`, `deceased`). */
  alsoEnded: number;
}

const SUBJECT_WIDE: readonly EndReason[] = ['turned_23', 'deceased'];

/** A person ends a registration for one of the reasons they may choose. */
export const END_REASON_ERROR = 'Kies "resolved" (afgerond) of "unjustified" (onterecht). Een overlijden meldt u apart; de gemeente bevestigt het.';
export const EndRegistrationInput = z.strictObject({ registrationId: Id, reason: z.enum(CHOOSABLE_END_REASONS, { error: END_REASON_ERROR }) });

export async function endRegistration(ctx: Ctx, input: z.input<typeof EndRegistrationInput>): Promise<EndResult> {
  const { registrationId, reason } = parseInput(EndRegistrationInput, input);
  await authorize(ctx, 'register', 'registration.end');
  return end(ctx, registrationId, reason);
}

/**
 * The expiry job's end, after the last active day: `expired` by term, `turned_23` by age.
 * `expired` is no reason a person may choose, hence a verb of its own.
 */
export const ExpireRegistrationInput = z.strictObject({ registrationId: Id, reason: z.enum(['expired', 'turned_23']) });

export async function expireRegistration(ctx: Ctx, input: z.input<typeof ExpireRegistrationInput>): Promise<EndResult> {
  const { registrationId, reason } = parseInput(ExpireRegistrationInput, input);
  if (ctx.actor.type !== 'system') throw new ServiceError('forbidden', 'Alleen de vervaltaak beëindigt een registratie wegens het verstrijken van de termijn.');
  return end(ctx, registrationId, reason);
}

async function end(ctx: Ctx, registrationId: string, reason: EndReason): Promise<EndResult> {
  const { db, atomic } = ctx.deps;
  const owner = ownedBy(ctx.actor);
  const [found] = await db
    .select({ status: registrations.status, subjectPseudonym: registrations.subjectPseudonym })
    .from(registrations)
    .where(and(eq(registrations.id, registrationId), owner))
    .limit(1);
  const notFound = async () => {
    await atomic([auditStatement(ctx, { action: 'registration.end', outcome: 'not_found', registrationId, detail: { reason } })]);
    return audited(new ServiceError('not_found', 'Registratie niet gevonden.'));
  };
  // Archived registrations are visible to no one: for everybody they are "not found".
  if (found?.status !== 'active') throw await notFound();
  const subject = found.subjectPseudonym;

  return withConflictRetry(async () => {
    const state = await readSubjectState(db, subject);
    const own = state.active.find((r) => r.registrationId === registrationId);
    if (!own) throw await notFound(); // ended by someone else in the meantime
    const unit = SUBJECT_WIDE.includes(reason)
      ? endForSubject(ctx, state, registrationId, reason)
      : endOne(ctx, state, registrationId, reason, own.ageLimitMonth);
    await atomic([subjectGuard(db, subject, state.fingerprint), ...unit.statements]);
    return unit.result;
  });
}

export type Unit = { statements: Statement[]; result: EndResult };

export function endOne(ctx: Ctx, state: SubjectState, registrationId: string, reason: EndReason, ageLimitMonth: string): Unit {
  const { db, clock, config } = ctx.deps;
  const now = clock.now();
  const archive = archives(reason);
  const decision = decideOnLeave(state.openMatch, registrationId);
  const applied = applyLeaveDecision(db, decision, registrationId, state.recipients, now, !archive);
  // Counted in the same unit as the end (src/stats/counters.ts): a deleted registration leaves
  // only this. An archived one (erased on request) was counted when it ended.
  const active = state.active.find((r) => r.registrationId === registrationId);
  const statements: Statement[] = [
    ...applied.statements,
    ...(active ? countStatements(db, { metric: `ended:${reason}`, at: now, sectors: [active.sector] }) : []),
    archive
      ? db
          .update(registrations)
          .set({ status: 'archived', endedAt: now, endReason: reason, archiveUntil: archiveUntil(isoDate(now), config.ARCHIVE_YEARS, ageLimitMonth) })
          .where(and(eq(registrations.id, registrationId), isState(registrations.status, 'active')))
      : db.delete(registrations).where(eq(registrations.id, registrationId)),
    auditStatement(ctx, {
      action: 'registration.end',
      outcome: 'success',
      registrationId,
      matchId: applied.matchId,
      detail: { reason, outcome: archive ? 'archived' : 'deleted' },
    }),
  ];
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
  return {
    statements,
    result: {
      id: registrationId,
      reason,
      outcome: archive ? 'archived' : 'deleted',
      endedAt: now.toISOString(),
      matchId: applied.matchId,
      matchClosed: decision.kind === 'close',
      alsoEnded: 0,
    },
  };
}

/**
 * Deletes every registration of the subject (active and archived, every organisation) and
 * closes its match; the registrants are told that their registration ended (a deactivated
 * professional's mail goes to their coordinators). `registrationId` is the registration whose
 * end (or, for a confirmed death, whose report) caused it; its own registrant is told too
 * when `tellCause` (a death confirmed by the municipality, not chosen by them).
 */
export function endForSubject(
  ctx: Ctx,
  state: SubjectState,
  registrationId: string,
  reason: EndReason,
  options: { tellCause?: boolean; detail?: Record<string, string> } = {},
): Unit {
  const { db, clock } = ctx.deps;
  const now = clock.now();
  const all = state.registrations.map((r) => r.registrationId);
  const others = state.active.filter((r) => r.registrationId !== registrationId);
  const told = options.tellCause ? state.active : others;
  const archived = state.registrations.filter((r) => r.status === 'archived');
  const causeActive = state.active.some((r) => r.registrationId === registrationId);
  const matchId = state.openMatch?.id ?? null;
  const statements: Statement[] = [];
  // Close first: the trigger `match_members_gc` then deletes the match with its last member.
  if (matchId) {
    statements.push(db.update(matches).set({ status: 'closed', closedAt: now, subjectPseudonym: null }).where(eq(matches.id, matchId)));
  }
  statements.push(
    db.delete(matchMembers).where(inArray(matchMembers.registrationId, all)),
    db.delete(registrations).where(inArray(registrations.id, all)),
    // Each active registration that ends is counted once; archived ones were counted when they ended.
    ...state.active
      .filter((r) => r.registrationId === registrationId || others.includes(r))
      .flatMap((r) => countStatements(db, { metric: `ended:${reason}`, at: now, sectors: [r.sector] })),
    ...told.flatMap((r) =>
      addressed(
        {
          idempotencyKey: `registration:${r.registrationId}:ended-with:${registrationId}`,
          template: 'registration_ended',
          payload: { matchId: null, registrationId: r.registrationId },
        },
        r.professionalId,
        state.recipients,
      ).map((n) => enqueueStatement(db, n, now)),
    ),
    ...[...(causeActive ? [registrationId] : []), ...others.map((r) => r.registrationId)].map((id) =>
      auditStatement(ctx, {
        action: 'registration.end',
        outcome: 'success',
        registrationId: id,
        matchId,
        detail: { reason, outcome: 'deleted', ...(id === registrationId ? {} : { endedWith: registrationId }), ...options.detail },
      }),
    ),
    ...archived.map((r) => auditStatement(ctx, { action: 'archive.destroy', outcome: 'success', registrationId: r.registrationId, detail: { reason } })),
  );
  return {
    statements,
    result: {
      id: registrationId,
      reason,
      outcome: 'deleted',
      endedAt: now.toISOString(),
      matchId,
      matchClosed: matchId !== null,
      alsoEnded: others.length,
    },
  };
}
