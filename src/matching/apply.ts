/**
 * Turns a matching decision into statements for the caller's atomic unit: the match and
 * member rows and one outbox row per recipient (mail leaves only through the outbox:
 * docs/architecture.md). The caller puts them after its guard, so they only take effect
 * if the state they were decided on still holds.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { matches, matchMembers } from '../db/schema.ts';
import type { Db, Statement } from '../db/types.ts';
import { enqueueStatement, type Notification } from '../notify/outbox.ts';
import type { ActiveRegistration, LeaveDecision, RegisterDecision } from './detect.ts';

export interface Applied {
  statements: Statement[];
  matchId: string | null;
  notifications: number;
}

type Emails = ReadonlyMap<string, string>;

function notification(matchId: string, event: string, template: Notification['template'], recipient: ActiveRegistration, emails: Emails): Notification {
  const email = emails.get(recipient.professionalId);
  if (!email) throw new Error(`no email known for professional ${recipient.professionalId}`);
  return {
    idempotencyKey: `match:${matchId}:${event}:${recipient.registrationId}`,
    template,
    recipientProfessionalId: recipient.professionalId,
    recipientEmail: email,
    payload: { matchId, registrationId: recipient.registrationId },
  };
}

function memberStatement(db: Db, matchId: string, member: ActiveRegistration, seq: number, now: Date): Statement {
  return db.insert(matchMembers).values({
    id: crypto.randomUUID(),
    matchId,
    registrationId: member.registrationId,
    organisationId: member.organisationId,
    professionalId: member.professionalId,
    joinedAt: now,
    joinedSeq: seq,
  });
}

export function applyRegisterDecision(
  db: Db,
  decision: RegisterDecision,
  newcomer: ActiveRegistration,
  subjectPseudonym: Buffer,
  emails: Emails,
  now: Date,
): Applied {
  if (decision.kind === 'none') return { statements: [], matchId: null, notifications: 0 };
  if (decision.kind === 'create') {
    const matchId = crypto.randomUUID();
    const notes = decision.members.map((m) => notification(matchId, 'created', 'match_created', m, emails));
    return {
      matchId,
      notifications: notes.length,
      statements: [
        db.insert(matches).values({ id: matchId, subjectPseudonym, status: 'open', createdAt: now }),
        ...decision.members.map((m) => memberStatement(db, matchId, m, 1, now)),
        ...notes.map((n) => enqueueStatement(db, n, now)),
      ],
    };
  }
  const { matchId } = decision;
  const event = `joined:${newcomer.registrationId}`;
  const notes = [
    notification(matchId, event, 'match_joined', newcomer, emails),
    ...decision.existing.map((m) => notification(matchId, event, 'match_member_added', m, emails)),
  ];
  return {
    matchId,
    notifications: notes.length,
    statements: [memberStatement(db, matchId, newcomer, decision.seq, now), ...notes.map((n) => enqueueStatement(db, n, now))],
  };
}

/**
 * The leaver's membership ends (`left_at`), or its member row is deleted with the
 * registration when the registration itself is deleted (`deleteMembership`).
 */
export function applyLeaveDecision(
  db: Db,
  decision: LeaveDecision,
  leavingRegistrationId: string,
  emails: Emails,
  now: Date,
  deleteMembership: boolean,
): Applied {
  const membership: Statement[] = deleteMembership
    ? [db.delete(matchMembers).where(eq(matchMembers.registrationId, leavingRegistrationId))]
    : [
        db
          .update(matchMembers)
          .set({ leftAt: now })
          .where(and(eq(matchMembers.registrationId, leavingRegistrationId), isNull(matchMembers.leftAt))),
      ];
  // A coordinator who leaves no longer coordinates: the others agree anew.
  membership.push(
    db.update(matches).set({ coordinatorRegistrationId: null, coordinatorSince: null }).where(eq(matches.coordinatorRegistrationId, leavingRegistrationId)),
  );
  if (decision.kind === 'none') return { statements: membership, matchId: null, notifications: 0 };
  const { matchId } = decision;
  const event = `left:${leavingRegistrationId}`;
  const closing = decision.kind === 'close';
  const notes = decision.remaining.map((m) => notification(matchId, event, closing ? 'match_closed' : 'match_member_left', m, emails));
  const statements: Statement[] = [...membership, ...notes.map((n) => enqueueStatement(db, n, now))];
  if (closing) {
    const remainingIds = decision.remaining.map((m) => m.registrationId);
    statements.push(db.update(matches).set({ status: 'closed', closedAt: now, subjectPseudonym: null }).where(eq(matches.id, matchId)));
    if (remainingIds.length > 0) {
      statements.push(
        db
          .update(matchMembers)
          .set({ leftAt: now })
          .where(and(eq(matchMembers.matchId, matchId), inArray(matchMembers.registrationId, remainingIds), isNull(matchMembers.leftAt))),
      );
    }
  }
  return { statements, matchId, notifications: notes.length };
}
