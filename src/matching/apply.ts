/**
 * Turns a matching decision into statements for the caller's atomic unit: the match and
 * member rows and one outbox row per recipient (mail leaves only through the outbox:
 * docs/architecture.md). The caller puts them after its guard, so they only take effect
 * if the state they were decided on still holds.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { matches, matchMembers, organisations } from '../db/schema.ts';
import { placeholders, statementTemplate } from '../db/template.ts';
import type { Db, Statement } from '../db/types.ts';
import { timeOrderedId } from '../identity/ids.ts';
import { enqueueStatement, type Notification } from '../notify/outbox.ts';
import { addressed, type Recipients } from '../notify/recipients.ts';
import { countStatements } from '../stats/counters.ts';
import type { Sector } from '../vocabulary.ts';
import { type ActiveRegistration, type LeaveDecision, participates, type RegisterDecision } from './detect.ts';

export interface Applied {
  statements: Statement[];
  matchId: string | null;
  notifications: number;
}

/**
 * The mails about one member's registration: to its professional, or, when they are
 * deactivated, to their organisation's coordinators (src/notify/recipients.ts); none for a
 * member of a deactivated organisation.
 */
function notification(matchId: string, event: string, template: Notification['template'], member: ActiveRegistration, recipients: Recipients): Notification[] {
  if (!participates(member)) return [];
  return addressed(
    { idempotencyKey: `match:${matchId}:${event}:${member.registrationId}`, template, payload: { matchId, registrationId: member.registrationId } },
    member.professionalId,
    recipients,
  );
}

/**
 * The sectors a match's follow-up figures (contact_days, coordinator_days, escalations) are
 * counted under: the same as the match itself, its founders' (`founding_sectors`). A match
 * from before that column: the sectors of the founding members still on record, else of
 * all current members.
 */
export async function countingSectors(db: Db, matchId: string, stored: readonly string[] | null): Promise<Sector[]> {
  if (stored) return [...stored] as Sector[];
  const rows = await db
    .select({ joinedSeq: matchMembers.joinedSeq, leftAt: matchMembers.leftAt, sector: organisations.sector })
    .from(matchMembers)
    .innerJoin(organisations, eq(organisations.id, matchMembers.organisationId))
    .where(eq(matchMembers.matchId, matchId));
  const founders = rows.filter((r) => r.joinedSeq === 1);
  return [...new Set((founders.length > 0 ? founders : rows.filter((r) => r.leftAt === null)).map((r) => r.sector))].sort();
}

// Built once (src/db/template.ts): every match writes these on the registration's path.
const insertMember = statementTemplate<typeof matchMembers.$inferInsert>((db) =>
  db.insert(matchMembers).values(placeholders('id', 'matchId', 'registrationId', 'organisationId', 'professionalId', 'joinedAt', 'joinedSeq')),
);

const insertMatch = statementTemplate<typeof matches.$inferInsert>((db) =>
  db.insert(matches).values(placeholders('id', 'subjectPseudonym', 'status', 'createdAt', 'foundingSectors')),
);

function memberStatement(db: Db, matchId: string, member: ActiveRegistration, seq: number, now: Date): Statement {
  return insertMember(db, {
    id: timeOrderedId(now.getTime()),
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
  recipients: Recipients,
  now: Date,
  /** The sector of each registration's organisation: a created match is counted for its founders' sectors (src/stats/counters.ts). */
  sectorOf: ReadonlyMap<string, Sector>,
): Applied {
  if (decision.kind === 'none') return { statements: [], matchId: null, notifications: 0 };
  if (decision.kind === 'create') {
    const matchId = crypto.randomUUID();
    const notes = decision.members.flatMap((m) => notification(matchId, 'created', 'match_created', m, recipients));
    // Kept on the match: its contact, coordinator and escalation figures count under these too.
    const foundingSectors = [...new Set(decision.members.flatMap((m) => sectorOf.get(m.registrationId) ?? []))].sort();
    return {
      matchId,
      notifications: notes.length,
      statements: [
        insertMatch(db, { id: matchId, subjectPseudonym, status: 'open', createdAt: now, foundingSectors }),
        ...decision.members.map((m) => memberStatement(db, matchId, m, 1, now)),
        ...notes.map((n) => enqueueStatement(db, n, now)),
        ...countStatements(db, { metric: 'matches', at: now, sectors: foundingSectors }),
      ],
    };
  }
  const { matchId } = decision;
  const event = `joined:${newcomer.registrationId}`;
  const notes = [
    ...notification(matchId, event, 'match_joined', newcomer, recipients),
    ...decision.existing.flatMap((m) => notification(matchId, event, 'match_member_added', m, recipients)),
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
  recipients: Recipients,
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
  // A coordinator who leaves no longer coordinates: the others agree anew. A proposal of the
  // leaver lapses with them.
  membership.push(
    db.update(matches).set({ coordinatorRegistrationId: null, coordinatorSince: null }).where(eq(matches.coordinatorRegistrationId, leavingRegistrationId)),
    db
      .update(matches)
      .set({ proposedRegistrationId: null, proposedAt: null, proposedBy: null })
      .where(eq(matches.proposedRegistrationId, leavingRegistrationId)),
  );
  if (decision.kind === 'none') return { statements: membership, matchId: null, notifications: 0 };
  const { matchId } = decision;
  const event = `left:${leavingRegistrationId}`;
  const closing = decision.kind === 'close';
  const notes = decision.remaining.flatMap((m) => notification(matchId, event, closing ? 'match_closed' : 'match_member_left', m, recipients));
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
