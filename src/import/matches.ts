/**
 * The matches an import implies (ADR 0016). The imported registrations are already in the
 * index; for each subject whose active registrations span two or more (active)
 * organisations but are not all members of its open match, this makes the match the
 * normal path would have made had they been registered one by one: it reads the subject's
 * state, decides with `decideOnRegister`, writes with `applyRegisterDecision` under the
 * subject's guard, and audits match.create / match.join as registering does (ADR 0001).
 *
 * Idempotent: a subject whose registrations are all members has nothing to do, so running
 * it again after a crash (or over the same file) creates nothing twice. Without `notify`
 * nobody is mailed (an empty recipient list, see src/notify/recipients.ts): the members
 * find the match on their overview.
 */
import { auditStatement } from '../audit/audit.ts';
import type { Ctx } from '../context.ts';
import { AtomicConflict, type Statement } from '../db/types.ts';
import { applyRegisterDecision } from '../matching/apply.ts';
import { type ActiveRegistration, decideOnRegister, type OpenMatch, participates } from '../matching/detect.ts';
import type { Recipients } from '../notify/recipients.ts';
import { withConflictRetry } from '../registry/retry.ts';
import { readSubjectState, type SubjectRegistration, subjectGuard } from '../registry/subject-state.ts';

export interface MatchCounts {
  created: number;
  joined: number;
  mailsQueued: number;
  /** Milliseconds reading the subjects and deciding, and writing the units. */
  decideMs: number;
  writeMs: number;
}

interface Planned {
  statements: Statement[];
  created: number;
  joined: number;
  mails: number;
}

const byRegistration = (a: SubjectRegistration, b: SubjectRegistration) =>
  a.registeredAt.getTime() - b.registeredAt.getTime() || (a.registrationId < b.registrationId ? -1 : 1);

/** Reads one subject and decides its unit; null when it needs no match change. */
async function plan(ctx: Ctx, subject: Buffer, notify: boolean): Promise<Planned | null> {
  const { db, clock } = ctx.deps;
  const state = await readSubjectState(db, subject);
  const taking = state.active.filter(participates).sort(byRegistration);
  const members = new Set(state.openMatch?.members.map((m) => m.registrationId));
  const newcomers = taking.filter((r) => !members.has(r.registrationId));
  if (newcomers.length === 0) return null;
  if (!state.openMatch && new Set(taking.map((r) => r.organisationId)).size < 2) return null;

  const now = clock.now();
  const silent: Recipients = new Map(state.active.map((r) => [r.professionalId, []]));
  const recipients = notify ? state.recipients : silent;
  const sectorOf = new Map(state.active.map((r) => [r.registrationId, r.sector]));
  const statements: Statement[] = [subjectGuard(db, subject, state.fingerprint)];
  const result: Planned = { statements, created: 0, joined: 0, mails: 0 };
  let open: OpenMatch | null = state.openMatch;
  let pending = newcomers;
  if (!open) {
    // As if the last of them registered after the others: one match with all of them.
    const last = newcomers.at(-1)!;
    const decision = decideOnRegister(
      taking.filter((r) => r !== last),
      null,
      last,
    );
    const applied = applyRegisterDecision(db, decision, last, subject, recipients, now, sectorOf);
    if (decision.kind !== 'create' || !applied.matchId) return null;
    statements.push(...applied.statements, matchAudit(ctx, 'match.create', last, applied.matchId, applied.notifications));
    result.created++;
    result.mails += applied.notifications;
    open = { id: applied.matchId, members: decision.members, lastSeq: 1 };
    pending = [];
  }
  for (const newcomer of pending) {
    const decision = decideOnRegister(state.active, open, newcomer);
    if (decision.kind !== 'join') continue;
    const applied = applyRegisterDecision(db, decision, newcomer, subject, recipients, now, sectorOf);
    statements.push(...applied.statements, matchAudit(ctx, 'match.join', newcomer, decision.matchId, applied.notifications));
    result.joined++;
    result.mails += applied.notifications;
    open = { ...open, members: [...open.members, newcomer], lastSeq: decision.seq };
  }
  return result;
}

function matchAudit(ctx: Ctx, action: 'match.create' | 'match.join', newcomer: ActiveRegistration, matchId: string, notifications: number): Statement {
  return auditStatement(ctx, {
    action,
    outcome: 'success',
    registrationId: newcomer.registrationId,
    matchId,
    detail: { notifications, import: true },
  });
}

/**
 * Brings each subject's match up to date. The units are handed to `atomic` together, so on
 * Node the group commit writes them in few transactions; a unit whose subject changed in
 * between (a registration through the API meanwhile) is decided again.
 */
export async function applyImportMatches(ctx: Ctx, subjects: Buffer[], notify: boolean): Promise<MatchCounts> {
  const counts: MatchCounts = { created: 0, joined: 0, mailsQueued: 0, decideMs: 0, writeMs: 0 };
  const deciding = performance.now();
  const add = (planned: Planned | null) => {
    if (!planned) return;
    counts.created += planned.created;
    counts.joined += planned.joined;
    counts.mailsQueued += planned.mails;
  };
  const planned: { subject: Buffer; unit: Planned }[] = [];
  for (const subject of subjects) {
    const unit = await plan(ctx, subject, notify);
    if (unit) planned.push({ subject, unit });
  }
  const retried: Buffer[] = [];
  const writing = performance.now();
  counts.decideMs = writing - deciding;
  await Promise.all(
    planned.map(({ subject, unit }) =>
      ctx.deps.atomic(unit.statements).then(
        () => add(unit),
        (error: unknown) => {
          if (!(error instanceof AtomicConflict)) throw error;
          retried.push(subject);
        },
      ),
    ),
  );
  counts.writeMs = performance.now() - writing;
  for (const subject of retried) {
    await withConflictRetry(async () => {
      const unit = await plan(ctx, subject, notify);
      if (unit) await ctx.deps.atomic(unit.statements);
      add(unit);
    });
  }
  return counts;
}
