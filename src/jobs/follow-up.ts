/**
 * The follow-up job (law 7.1.3.2; docs/operations.md, "Deadlines"): reminds members who
 * have not recorded contact after CONTACT_DAYS working days, reminds members and proposes a
 * coordinator by the rules when none was agreed after COORDINATOR_DAYS, escalates a match
 * to the match monitor's queue after ESCALATION_DAYS without contact by two organisations or
 * without a coordinator, and reminds professionals of registrations not yet informed after
 * 14 days and of registrations ending within 30 days.
 *
 * Deadlines count working days (src/lib/working-days.ts) from the match for its founding
 * members and from joining for later ones. Each step works in modest batches (a Worker
 * invocation has a query budget) and catches up over the following runs. Exactly once per
 * member per deadline: every unit opens with a guard that its column is still empty, so a
 * concurrent run's unit fails (AtomicConflict, skipped here), and the outbox's unique
 * idempotency key backs it up.
 */
import { isState } from '../db/constant.ts';
import { and, asc, eq, gte, inArray, isNotNull, isNull, lt, lte, ne, or, type SQL, sql } from 'drizzle-orm';
import { auditStatement } from '../audit/audit.ts';
import type { Ctx } from '../context.ts';
import { guardStatement } from '../db/guard.ts';
import { matches, matchMembers, organisations, professionals, registrations } from '../db/schema.ts';
import { AtomicConflict, type Statement } from '../db/types.ts';
import { addDays, isoDate, startOfDutchDay } from '../lib/dates.ts';
import { latestStartPastDeadline } from '../lib/working-days.ts';
import { countingSectors } from '../matching/apply.ts';
import { enqueueStatement } from '../notify/outbox.ts';
import { addressed, readRecipients } from '../notify/recipients.ts';
import { type FollowUpSettings, readSettings, suggestCoordinator } from '../settings/settings.ts';
import { countStatements } from '../stats/counters.ts';
import type { Sector } from '../vocabulary.ts';

/** "Not yet informed" after this many calendar days. */
export const INFORM_REMINDER_DAYS = 14;
/** "Ends soon" this many calendar days before the last active day. */
export const EXPIRY_REMINDER_DAYS = 30;

export interface FollowUpResult {
  contactReminders: number;
  coordinatorProposals: number;
  coordinatorReminders: number;
  escalations: number;
  informReminders: number;
  expiryReminders: number;
}

/** The first instant after every start day whose `days`-working-day deadline has passed by `today`. */
export function deadlineBound(today: string, days: number): Date {
  return startOfDutchDay(addDays(latestStartPastDeadline(today, days), 1));
}

/** Runs a unit; false when a concurrent run got there first (its guard refused). */
async function once(ctx: Ctx, statements: Statement[]): Promise<boolean> {
  try {
    await ctx.deps.atomic(statements);
    return true;
  } catch (error) {
    if (error instanceof AtomicConflict) return false;
    throw error;
  }
}

export async function followUp(ctx: Ctx, batchSize = 50): Promise<FollowUpResult> {
  const settings = await readSettings(ctx.deps.db, ctx.deps.config);
  const today = isoDate(ctx.deps.clock.now());
  return {
    contactReminders: await remindContact(ctx, settings, today, batchSize),
    // The proposal first: the coordinator reminder says it is on the match page.
    coordinatorProposals: await proposeByRules(ctx, settings, today, batchSize),
    coordinatorReminders: await remindCoordinator(ctx, settings, today, batchSize),
    escalations: await escalate(ctx, settings, today, batchSize),
    informReminders: await remindInform(ctx, today, batchSize),
    expiryReminders: await remindExpiry(ctx, today, batchSize),
  };
}

/** Members of open matches, through an active registration. */
const memberColumns = {
  id: matchMembers.id,
  matchId: matchMembers.matchId,
  registrationId: matchMembers.registrationId,
  professionalId: matchMembers.professionalId,
};

/** One reminder per member and deadline: which members are due, and how a unit re-checks it. */
interface MemberReminder {
  days: number;
  template: 'contact_reminder' | 'coordinator_reminder';
  action: 'match.remind_contact' | 'match.remind_coordinator';
  key: 'contact' | 'coordinator';
  /** The member's "reminded" column. */
  remindedAt: typeof matchMembers.contactRemindedAt | typeof matchMembers.coordinatorRemindedAt;
  /** Beyond an open match, an active registration and the deadline: who is still due. */
  due: SQL[];
  /** The same in the guard, over `mm` (the member) and `m` (its match). */
  stillDue: SQL;
}

async function remindMembers(ctx: Ctx, today: string, batchSize: number, reminder: MemberReminder): Promise<number> {
  const { db, clock } = ctx.deps;
  const due = await db
    .select(memberColumns)
    .from(matchMembers)
    .innerJoin(matches, eq(matches.id, matchMembers.matchId))
    .innerJoin(registrations, eq(registrations.id, matchMembers.registrationId))
    .where(
      and(
        isNull(matchMembers.leftAt),
        isNull(reminder.remindedAt),
        lt(matchMembers.joinedAt, deadlineBound(today, reminder.days)),
        isState(matches.status, 'open'),
        isState(registrations.status, 'active'),
        ...reminder.due,
      ),
    )
    .orderBy(asc(matchMembers.joinedAt), asc(matchMembers.id))
    .limit(batchSize);
  const recipients = await readRecipients(
    db,
    due.map((m) => m.professionalId),
  );
  let sent = 0;
  for (const m of due) {
    const now = clock.now();
    const notes = addressed(
      { idempotencyKey: `reminder:${reminder.key}:${m.id}`, template: reminder.template, payload: { matchId: m.matchId, registrationId: m.registrationId } },
      m.professionalId,
      recipients,
    );
    const done = await once(ctx, [
      guardStatement(
        db,
        sql`SELECT CAST(count(*) AS TEXT) FROM ${matchMembers} mm JOIN ${matches} m ON m.id = mm.match_id JOIN ${registrations} r ON r.id = mm.registration_id
          WHERE mm.id = ${m.id} AND mm.left_at IS NULL AND m.status = 'open' AND r.status = 'active' AND ${reminder.stillDue}`,
        '1',
      ),
      db
        .update(matchMembers)
        .set(reminder.key === 'contact' ? { contactRemindedAt: now } : { coordinatorRemindedAt: now })
        .where(and(eq(matchMembers.id, m.id), isNull(reminder.remindedAt))),
      ...notes.map((n) => enqueueStatement(db, n, now)),
      auditStatement(ctx, {
        action: reminder.action,
        outcome: 'success',
        matchId: m.matchId,
        registrationId: m.registrationId,
        detail: { notifications: notes.length },
      }),
    ]);
    if (done) sent++;
  }
  return sent;
}

/** No "Contact opgenomen" CONTACT_DAYS working days after joining. */
function remindContact(ctx: Ctx, settings: FollowUpSettings, today: string, batchSize: number): Promise<number> {
  return remindMembers(ctx, today, batchSize, {
    days: settings.contactDays,
    template: 'contact_reminder',
    action: 'match.remind_contact',
    key: 'contact',
    remindedAt: matchMembers.contactRemindedAt,
    due: [isNull(matchMembers.contactOn)],
    stillDue: sql`mm.contact_on IS NULL AND mm.contact_reminded_at IS NULL`,
  });
}

/** No coordinator COORDINATOR_DAYS working days after joining; after the rules had their turn (proposeByRules), so the mail can point at a proposal. */
function remindCoordinator(ctx: Ctx, settings: FollowUpSettings, today: string, batchSize: number): Promise<number> {
  return remindMembers(ctx, today, batchSize, {
    days: settings.coordinatorDays,
    template: 'coordinator_reminder',
    action: 'match.remind_coordinator',
    key: 'coordinator',
    remindedAt: matchMembers.coordinatorRemindedAt,
    due: [isNull(matches.coordinatorRegistrationId), isNotNull(matches.rulesProposedAt)],
    stillDue: sql`mm.coordinator_reminded_at IS NULL AND m.coordinator_registration_id IS NULL AND m.rules_proposed_at IS NOT NULL`,
  });
}

/**
 * Active members of these matches (an active registration) with their organisation's
 * sector; with `reachable`, only those whose professional and organisation are active too
 * (whom the rules may propose, as the match page suggests: src/matching/read-match.ts).
 */
async function activeMembers(ctx: Ctx, matchIds: readonly string[], options: { reachable: boolean }) {
  if (matchIds.length === 0) return [];
  return ctx.deps.db
    .select({
      matchId: matchMembers.matchId,
      registrationId: matchMembers.registrationId,
      organisationId: matchMembers.organisationId,
      joinedSeq: matchMembers.joinedSeq,
      contactOn: matchMembers.contactOn,
      sector: organisations.sector,
    })
    .from(matchMembers)
    .innerJoin(registrations, eq(registrations.id, matchMembers.registrationId))
    .innerJoin(organisations, eq(organisations.id, matchMembers.organisationId))
    .innerJoin(professionals, eq(professionals.id, matchMembers.professionalId))
    .where(
      and(
        inArray(matchMembers.matchId, [...matchIds]),
        isNull(matchMembers.leftAt),
        isState(registrations.status, 'active'),
        ...(options.reachable ? [eq(professionals.active, true), eq(organisations.active, true)] : []),
      ),
    );
}

/**
 * The rules propose once per match (`rules_proposed_at`), after COORDINATOR_DAYS without a
 * coordinator: a proposal the member declined, or a coordination handed back, is not
 * proposed again by the job (the match monitor may propose). The column is set also when
 * nobody may be proposed (no reachable member of a sector that may coordinate, or the
 * monitor proposed first), so the match is not tried again; the coordinator reminders
 * follow it (remindCoordinator).
 */
async function proposeByRules(ctx: Ctx, settings: FollowUpSettings, today: string, batchSize: number): Promise<number> {
  const { db, clock } = ctx.deps;
  const due = await db
    .select({ id: matches.id, proposed: matches.proposedRegistrationId })
    .from(matches)
    .where(
      and(
        isState(matches.status, 'open'),
        isNull(matches.coordinatorRegistrationId),
        isNull(matches.rulesProposedAt),
        lt(matches.createdAt, deadlineBound(today, settings.coordinatorDays)),
      ),
    )
    .orderBy(asc(matches.createdAt), asc(matches.id))
    .limit(batchSize);
  const members = await activeMembers(
    ctx,
    due.map((m) => m.id),
    { reachable: true },
  );
  let proposed = 0;
  for (const match of due) {
    const chosen =
      match.proposed === null
        ? suggestCoordinator(
            settings,
            members.filter((m) => m.matchId === match.id),
          )
        : null;
    const now = clock.now();
    const notYet = guardStatement(
      db,
      sql`SELECT CAST(count(*) AS TEXT) FROM ${matches} WHERE id = ${match.id} AND status = 'open' AND coordinator_registration_id IS NULL AND rules_proposed_at IS NULL`,
      '1',
    );
    if (!chosen) {
      await once(ctx, [
        notYet,
        db
          .update(matches)
          .set({ rulesProposedAt: now })
          .where(and(eq(matches.id, match.id), isNull(matches.rulesProposedAt))),
        auditStatement(ctx, {
          action: 'match.propose',
          outcome: 'not_found',
          matchId: match.id,
          detail: { by: 'rules', reason: match.proposed === null ? 'no_eligible_member' : 'already_proposed' },
        }),
      ]);
      continue;
    }
    const done = await once(ctx, [
      notYet,
      proposalGuard(ctx, match.id, chosen.registrationId, { unproposed: true }),
      db
        .update(matches)
        .set({ proposedRegistrationId: chosen.registrationId, proposedAt: now, proposedBy: null, rulesProposedAt: now })
        .where(and(eq(matches.id, match.id), isNull(matches.proposedRegistrationId))),
      auditStatement(ctx, { action: 'match.propose', outcome: 'success', matchId: match.id, registrationId: chosen.registrationId, detail: { by: 'rules' } }),
    ]);
    if (done) proposed++;
  }
  return proposed;
}

/**
 * The match is open without coordinator, and the member to propose is still an active
 * member; with `unproposed`, nobody has been proposed yet either.
 */
export function proposalGuard(ctx: Ctx, matchId: string, registrationId: string, options: { unproposed: boolean }): Statement {
  const unproposed = options.unproposed ? sql` AND m.proposed_registration_id IS NULL` : sql``;
  return guardStatement(
    ctx.deps.db,
    sql`SELECT CAST(count(*) AS TEXT) FROM ${matches} m JOIN ${matchMembers} mm ON mm.match_id = m.id JOIN ${registrations} r ON r.id = mm.registration_id
      WHERE m.id = ${matchId} AND m.status = 'open' AND m.coordinator_registration_id IS NULL${unproposed}
      AND mm.registration_id = ${registrationId} AND mm.left_at IS NULL AND r.status = 'active'`,
    '1',
  );
}

/** SQL: organisations of active members that recorded contact. */
const contactOrganisations = sql`(SELECT count(DISTINCT mm.organisation_id) FROM ${matchMembers} mm JOIN ${registrations} r ON r.id = mm.registration_id
  WHERE mm.match_id = ${matches.id} AND mm.left_at IS NULL AND r.status = 'active' AND mm.contact_on IS NOT NULL)`;

async function escalate(ctx: Ctx, settings: FollowUpSettings, today: string, batchSize: number): Promise<number> {
  const { db, clock } = ctx.deps;
  const due = await db
    .select({ id: matches.id, createdAt: matches.createdAt, coordinator: matches.coordinatorRegistrationId, foundingSectors: matches.foundingSectors })
    .from(matches)
    .where(
      and(
        isState(matches.status, 'open'),
        isNull(matches.escalatedAt),
        lt(matches.createdAt, deadlineBound(today, settings.escalationDays)),
        or(isNull(matches.coordinatorRegistrationId), sql`${contactOrganisations} < 2`),
      ),
    )
    .orderBy(asc(matches.createdAt), asc(matches.id))
    .limit(batchSize);
  const members = await activeMembers(
    ctx,
    due.map((m) => m.id),
    { reachable: false },
  );
  let escalated = 0;
  for (const match of due) {
    const own = members.filter((m) => m.matchId === match.id);
    const contacted = new Set(own.filter((m) => m.contactOn !== null).map((m) => m.organisationId)).size;
    const sectors = await countingSectors(db, match.id, match.foundingSectors);
    if (await once(ctx, escalationUnit(ctx, { ...match, contactOrganisations: contacted, sectors }, clock.now()))) escalated++;
  }
  return escalated;
}

/**
 * The unit that escalates one match as read: it takes effect only if the match is still
 * open, not yet escalated, and still without coordinator or without contact by two
 * organisations (a coordinator agreed and a second contact recorded since the read stop it).
 * Counted under the match's founding sectors, like the match itself.
 */
export function escalationUnit(
  ctx: Ctx,
  match: { id: string; createdAt: Date; coordinator: string | null; contactOrganisations: number; sectors: readonly Sector[] },
  now: Date,
): Statement[] {
  const { db } = ctx.deps;
  return [
    guardStatement(
      db,
      sql`SELECT CAST(count(*) AS TEXT) FROM ${matches} WHERE id = ${match.id} AND status = 'open' AND escalated_at IS NULL
        AND (coordinator_registration_id IS NULL OR ${contactOrganisations} < 2)`,
      '1',
    ),
    db
      .update(matches)
      .set({ escalatedAt: now })
      .where(and(eq(matches.id, match.id), isNull(matches.escalatedAt))),
    ...countStatements(db, { metric: 'escalations', at: match.createdAt, sectors: match.sectors }),
    auditStatement(ctx, {
      action: 'match.escalate',
      outcome: 'success',
      matchId: match.id,
      detail: { contactOrganisations: match.contactOrganisations, coordinator: match.coordinator !== null },
    }),
  ];
}

async function remindInform(ctx: Ctx, today: string, batchSize: number): Promise<number> {
  const { db, clock } = ctx.deps;
  const due = await db
    .select({ id: registrations.id, professionalId: registrations.professionalId })
    .from(registrations)
    .where(
      and(
        isState(registrations.status, 'active'),
        isNull(registrations.informedOn),
        isNull(registrations.informRemindedAt),
        lt(registrations.registeredAt, startOfDutchDay(addDays(today, -INFORM_REMINDER_DAYS))),
      ),
    )
    .orderBy(asc(registrations.registeredAt), asc(registrations.id))
    .limit(batchSize);
  const recipients = await readRecipients(
    db,
    due.map((r) => r.professionalId),
  );
  let sent = 0;
  for (const r of due) {
    const now = clock.now();
    const notes = addressed(
      { idempotencyKey: `reminder:inform:${r.id}`, template: 'inform_reminder', payload: { matchId: null, registrationId: r.id } },
      r.professionalId,
      recipients,
    );
    const done = await once(ctx, [
      guardStatement(
        db,
        sql`SELECT CAST(count(*) AS TEXT) FROM ${registrations} WHERE id = ${r.id} AND status = 'active' AND informed_on IS NULL AND inform_reminded_at IS NULL`,
        '1',
      ),
      db
        .update(registrations)
        .set({ informRemindedAt: now })
        .where(and(eq(registrations.id, r.id), isNull(registrations.informRemindedAt))),
      ...notes.map((n) => enqueueStatement(db, n, now)),
      auditStatement(ctx, { action: 'registration.remind_inform', outcome: 'success', registrationId: r.id, detail: { notifications: notes.length } }),
    ]);
    if (done) sent++;
  }
  return sent;
}

async function remindExpiry(ctx: Ctx, today: string, batchSize: number): Promise<number> {
  const { db, clock } = ctx.deps;
  const due = await db
    .select({ id: registrations.id, professionalId: registrations.professionalId, endsOn: registrations.endsOn, endsBecause: registrations.endsBecause })
    .from(registrations)
    .where(
      and(
        isState(registrations.status, 'active'),
        // Not for one already past its last day: the expiry job ends it.
        gte(registrations.endsOn, today),
        lte(registrations.endsOn, addDays(today, EXPIRY_REMINDER_DAYS)),
        or(isNull(registrations.expiryRemindedFor), and(isNotNull(registrations.expiryRemindedFor), ne(registrations.expiryRemindedFor, registrations.endsOn))),
      ),
    )
    .orderBy(asc(registrations.endsOn), asc(registrations.id))
    .limit(batchSize);
  const recipients = await readRecipients(
    db,
    due.map((r) => r.professionalId),
  );
  let sent = 0;
  for (const r of due) {
    const now = clock.now();
    const notes = addressed(
      {
        idempotencyKey: `reminder:expiry:${r.id}:${r.endsOn}`,
        template: 'expiry_reminder',
        payload: { matchId: null, registrationId: r.id, ...(r.endsBecause === 'age' ? { endsByAge: true } : {}) },
      },
      r.professionalId,
      recipients,
    );
    const done = await once(ctx, [
      guardStatement(
        db,
        sql`SELECT CAST(count(*) AS TEXT) FROM ${registrations} WHERE id = ${r.id} AND status = 'active' AND ends_on = ${r.endsOn} AND expiry_reminded_for IS NOT ${r.endsOn}`,
        '1',
      ),
      db.update(registrations).set({ expiryRemindedFor: r.endsOn }).where(eq(registrations.id, r.id)),
      ...notes.map((n) => enqueueStatement(db, n, now)),
      auditStatement(ctx, {
        action: 'registration.remind_expiry',
        outcome: 'success',
        registrationId: r.id,
        detail: { byAge: r.endsBecause === 'age', notifications: notes.length },
      }),
    ]);
    if (done) sent++;
  }
  return sent;
}
