/**
 * After a match: members agree who coordinates ("Ik neem de regie"), hand it back ("Regie
 * teruggeven"), answer a proposal (confirm by taking coordination, or decline it) and
 * record that they have been in touch ("Contact opgenomen"). All act for a professional
 * who is an active member of the open match through their own registration; anyone else
 * gets "not found". The municipality's coordination rules (src/settings/settings.ts) refuse
 * coordination to a sector that may signal but not coordinate.
 *
 * The first coordinator and the day two organisations had been in touch are counted once
 * for the statistics (src/stats/counters.ts), in the same unit, guarded so that two
 * concurrent requests cannot both count.
 */
import { isState } from '../db/constant.ts';
import { authorize } from '../auth/permissions.ts';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement, recordAudit } from '../audit/audit.ts';
import { actorOrganisation, type Ctx } from '../context.ts';
import { guardStatement } from '../db/guard.ts';
import { matches, matchMembers, organisations, professionals, registrations } from '../db/schema.ts';
import { AtomicConflict, type Statement } from '../db/types.ts';
import { Id, ProfessionalEmail } from '../identity/ids.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { enqueueStatement } from '../notify/outbox.ts';
import { addressed, readRecipients } from '../notify/recipients.ts';
import { isoDate } from '../lib/dates.ts';
import { workingDaysBetween } from '../lib/working-days.ts';
import { withConflictRetry } from '../registry/retry.ts';
import { countingSectors } from './apply.ts';
import { mayCoordinate, readSettings } from '../settings/settings.ts';
import { countStatements } from '../stats/counters.ts';
import type { TemplateName } from '../vocabulary.ts';

/** The acting professional's active membership of the open match, or a 404 (audited). */
async function membership(ctx: Ctx, matchId: string, professionalEmail: string, action: string) {
  const organisationId = actorOrganisation(ctx.actor);
  const members = await ctx.deps.db
    .select({
      id: matchMembers.id,
      registrationId: matchMembers.registrationId,
      professionalId: matchMembers.professionalId,
      organisationId: matchMembers.organisationId,
      sector: organisations.sector,
      joinedAt: matchMembers.joinedAt,
      contactOn: matchMembers.contactOn,
      email: professionals.email,
    })
    .from(matchMembers)
    .innerJoin(matches, eq(matches.id, matchMembers.matchId))
    .innerJoin(registrations, eq(registrations.id, matchMembers.registrationId))
    .innerJoin(professionals, eq(professionals.id, matchMembers.professionalId))
    .innerJoin(organisations, eq(organisations.id, matchMembers.organisationId))
    .where(and(eq(matchMembers.matchId, matchId), isState(matches.status, 'open'), isNull(matchMembers.leftAt), isState(registrations.status, 'active')));
  // A logged-in professional acts only as themselves; an API client for any of its professionals.
  const me = members.find(
    (m) =>
      m.organisationId === organisationId &&
      m.email === professionalEmail.trim().toLowerCase() &&
      (ctx.actor.type !== 'professional' || m.professionalId === ctx.actor.id),
  );
  if (!me) {
    await recordAudit(ctx, { action, outcome: 'not_found', matchId });
    throw audited(new ServiceError('not_found', 'Match niet gevonden, of u bent er geen lid van.'));
  }
  const [match] = await ctx.deps.db
    .select({
      createdAt: matches.createdAt,
      coordinator: matches.coordinatorRegistrationId,
      proposed: matches.proposedRegistrationId,
      coordinatorFirstOn: matches.coordinatorFirstOn,
      contactReachedOn: matches.contactReachedOn,
      foundingSectors: matches.foundingSectors,
    })
    .from(matches)
    .where(eq(matches.id, matchId));
  return { me, members, others: members.filter((m) => m.id !== me.id), match: match! };
}

/** The open match and this member are still as read: otherwise the unit does nothing. */
function stillMember(ctx: Ctx, matchId: string, memberId: string) {
  return guardStatement(
    ctx.deps.db,
    sql`SELECT CAST(count(*) AS TEXT) FROM ${matchMembers} mm JOIN ${matches} m ON m.id = mm.match_id WHERE mm.id = ${memberId} AND m.id = ${matchId} AND m.status = 'open' AND mm.left_at IS NULL`,
    '1',
  );
}

async function run(ctx: Ctx, statements: Statement[]) {
  try {
    await ctx.deps.atomic(statements);
  } catch (error) {
    if (error instanceof AtomicConflict) throw new ServiceError('conflict', 'De match is zojuist gewijzigd. Laad de pagina opnieuw.');
    throw error;
  }
}

/** One mail per other member about this event; a deactivated member's goes to their coordinators. */
async function tellOthers(ctx: Ctx, matchId: string, others: { registrationId: string; professionalId: string }[], template: TemplateName, event: string) {
  const recipients = await readRecipients(
    ctx.deps.db,
    others.map((m) => m.professionalId),
  );
  return others.flatMap((m) =>
    addressed(
      { idempotencyKey: `match:${matchId}:${event}:${m.registrationId}`, template, payload: { matchId, registrationId: m.registrationId } },
      m.professionalId,
      recipients,
    ),
  );
}

/** The match, and the member who acts: an API client names them, a page passes its own. */
export const TakeCoordinationInput = z.strictObject({ matchId: Id, professionalEmail: ProfessionalEmail });

export const SIGNAL_ONLY_MESSAGE =
  'Volgens de regels van de gemeente mag uw sector signaleren, maar geen regie nemen. Spreek met de andere betrokkenen af wie de regie neemt.';

/**
 * "Ik neem de regie": the acting professional becomes the match's coordinator; confirms a
 * proposal too (the proposal is cleared). Refused for a sector that may only signal.
 */
export async function takeCoordination(ctx: Ctx, input: z.input<typeof TakeCoordinationInput>): Promise<void> {
  const { matchId, professionalEmail } = parseInput(TakeCoordinationInput, input);
  await authorize(ctx, 'matches', 'match.coordinate');
  const { db, clock, config } = ctx.deps;
  const { me, others, match } = await membership(ctx, matchId, professionalEmail, 'match.coordinate');
  if (match.coordinator === me.registrationId) {
    // Already so: nothing changes and nobody is told again; the request is still audited.
    await recordAudit(ctx, { action: 'match.coordinate', outcome: 'success', matchId, registrationId: me.registrationId, detail: { unchanged: true } });
    return;
  }
  const settings = await readSettings(db, config);
  if (!mayCoordinate(settings, me.sector)) {
    await recordAudit(ctx, {
      action: 'match.coordinate',
      outcome: 'denied',
      matchId,
      registrationId: me.registrationId,
      detail: { reason: 'signal_only', sector: me.sector },
    });
    throw audited(new ServiceError('invalid_input', SIGNAL_ONLY_MESSAGE, { confirm: [SIGNAL_ONLY_MESSAGE] }));
  }
  const now = clock.now();
  const today = isoDate(now);
  const notes = await tellOthers(ctx, matchId, others, 'coordinator_chosen', `coordinator:${me.registrationId}:${now.getTime()}`);
  const first = match.coordinatorFirstOn === null;
  await run(ctx, [
    stillMember(ctx, matchId, me.id),
    // Two members taking it at once: the second finds the coordinator changed (409, look again).
    // The first day is part of it, so a take decided before a take-and-return cannot count twice.
    guardStatement(
      db,
      sql`SELECT coalesce(coordinator_registration_id, '') || '|' || coalesce(coordinator_first_on, '') FROM ${matches} WHERE id = ${matchId}`,
      `${match.coordinator ?? ''}|${match.coordinatorFirstOn ?? ''}`,
    ),
    db
      .update(matches)
      .set({
        coordinatorRegistrationId: me.registrationId,
        coordinatorSince: now,
        proposedRegistrationId: null,
        proposedAt: null,
        proposedBy: null,
        ...(first ? { coordinatorFirstOn: today } : {}),
      })
      .where(eq(matches.id, matchId)),
    ...(first
      ? countStatements(db, {
          metric: 'coordinator_days',
          at: match.createdAt,
          sectors: await countingSectors(db, matchId, match.foundingSectors),
          bucket: workingDaysBetween(isoDate(match.createdAt), today),
        })
      : []),
    ...notes.map((n) => enqueueStatement(db, n, now)),
    auditStatement(ctx, {
      action: 'match.coordinate',
      outcome: 'success',
      matchId,
      registrationId: me.registrationId,
      detail: { notifications: notes.length, ...(match.proposed === me.registrationId ? { proposal: 'accepted' } : {}) },
    }),
  ]);
}

export const ReturnCoordinationInput = z.strictObject({ matchId: Id, professionalEmail: ProfessionalEmail });

/** "Regie teruggeven": the coordinator stops coordinating; the other members are told. */
export async function returnCoordination(ctx: Ctx, input: z.input<typeof ReturnCoordinationInput>): Promise<void> {
  const { matchId, professionalEmail } = parseInput(ReturnCoordinationInput, input);
  await authorize(ctx, 'matches', 'match.coordinate_return');
  const { db, clock } = ctx.deps;
  const { me, others, match } = await membership(ctx, matchId, professionalEmail, 'match.coordinate_return');
  if (match.coordinator !== me.registrationId) {
    await recordAudit(ctx, {
      action: 'match.coordinate_return',
      outcome: 'denied',
      matchId,
      registrationId: me.registrationId,
      detail: { reason: 'not_coordinator' },
    });
    throw audited(new ServiceError('conflict', 'U hebt de regie in deze match niet, dus u kunt haar niet teruggeven.'));
  }
  const now = clock.now();
  const notes = await tellOthers(ctx, matchId, others, 'coordination_returned', `returned:${me.registrationId}:${now.getTime()}`);
  await run(ctx, [
    stillMember(ctx, matchId, me.id),
    guardStatement(db, sql`SELECT coalesce(coordinator_registration_id, '') FROM ${matches} WHERE id = ${matchId}`, me.registrationId),
    db.update(matches).set({ coordinatorRegistrationId: null, coordinatorSince: null }).where(eq(matches.id, matchId)),
    ...notes.map((n) => enqueueStatement(db, n, now)),
    auditStatement(ctx, {
      action: 'match.coordinate_return',
      outcome: 'success',
      matchId,
      registrationId: me.registrationId,
      detail: { notifications: notes.length },
    }),
  ]);
}

export const DeclineProposalInput = z.strictObject({ matchId: Id, professionalEmail: ProfessionalEmail });

/** "Voorstel afwijzen": the proposed member declines to coordinate; the proposal is cleared. */
export async function declineProposal(ctx: Ctx, input: z.input<typeof DeclineProposalInput>): Promise<void> {
  const { matchId, professionalEmail } = parseInput(DeclineProposalInput, input);
  await authorize(ctx, 'matches', 'match.proposal_decline');
  const { db } = ctx.deps;
  const { me, match } = await membership(ctx, matchId, professionalEmail, 'match.proposal_decline');
  if (match.proposed !== me.registrationId) {
    await recordAudit(ctx, {
      action: 'match.proposal_decline',
      outcome: 'denied',
      matchId,
      registrationId: me.registrationId,
      detail: { reason: 'not_proposed' },
    });
    throw audited(new ServiceError('conflict', 'U bent in deze match niet (meer) voorgesteld als regievoerder.'));
  }
  await run(ctx, [
    stillMember(ctx, matchId, me.id),
    guardStatement(db, sql`SELECT coalesce(proposed_registration_id, '') FROM ${matches} WHERE id = ${matchId}`, me.registrationId),
    db.update(matches).set({ proposedRegistrationId: null, proposedAt: null, proposedBy: null }).where(eq(matches.id, matchId)),
    auditStatement(ctx, { action: 'match.proposal_decline', outcome: 'success', matchId, registrationId: me.registrationId }),
  ]);
}

export const RecordContactInput = z.strictObject({
  matchId: Id,
  professionalEmail: ProfessionalEmail,
  on: z.iso.date({ error: 'Datum als JJJJ-MM-DD.' }),
});

/**
 * The day at least two organisations had been in touch: the second-earliest of each
 * organisation's first contact day, or null while fewer than two have recorded contact.
 */
export function contactReachedOn(members: readonly { organisationId: string; contactOn: string | null }[]): string | null {
  const firstByOrganisation = new Map<string, string>();
  for (const m of members) {
    if (!m.contactOn) continue;
    const known = firstByOrganisation.get(m.organisationId);
    if (!known || m.contactOn < known) firstByOrganisation.set(m.organisationId, m.contactOn);
  }
  const days = [...firstByOrganisation.values()].sort();
  return days[1] ?? null;
}

/** "Contact opgenomen": the acting member records the day they were in touch. */
export async function recordContact(ctx: Ctx, input: z.input<typeof RecordContactInput>): Promise<void> {
  const { matchId, professionalEmail, on } = parseInput(RecordContactInput, input);
  await authorize(ctx, 'matches', 'match.contact');
  const { db, clock } = ctx.deps;
  try {
    // A concurrent record may change whether two organisations are now in touch: decide again.
    await withConflictRetry(async () => {
      const { me, others, match } = await membership(ctx, matchId, professionalEmail, 'match.contact');
      if (on > isoDate(clock.now()) || on < isoDate(me.joinedAt)) {
        throw new ServiceError('invalid_input', 'De invoer is niet geldig.', { on: ['De datum ligt tussen uw deelname aan de match en vandaag.'] });
      }
      const reached = match.contactReachedOn === null ? contactReachedOn([...others, { ...me, contactOn: on }]) : null;
      const sectors = reached ? await countingSectors(db, matchId, match.foundingSectors) : [];
      const othersContact = others
        .filter((m) => m.contactOn !== null)
        .map((m) => `${m.organisationId}:${m.contactOn}`)
        .sort()
        .join(',');
      await ctx.deps.atomic([
        stillMember(ctx, matchId, me.id),
        ...(match.contactReachedOn === null
          ? [
              // Counted once: nobody else reached it, and the others' contact days are as read.
              guardStatement(
                db,
                sql`SELECT coalesce((SELECT contact_reached_on FROM ${matches} WHERE id = ${matchId}), '') || '|' || coalesce((SELECT group_concat(k, ',') FROM (SELECT mm.organisation_id || ':' || mm.contact_on AS k FROM ${matchMembers} mm JOIN ${registrations} r ON r.id = mm.registration_id WHERE mm.match_id = ${matchId} AND mm.left_at IS NULL AND r.status = 'active' AND mm.contact_on IS NOT NULL AND mm.id != ${me.id} ORDER BY k)), '')`,
                `|${othersContact}`,
              ),
            ]
          : []),
        db.update(matchMembers).set({ contactOn: on }).where(eq(matchMembers.id, me.id)),
        ...(reached
          ? [
              db.update(matches).set({ contactReachedOn: reached }).where(eq(matches.id, matchId)),
              ...countStatements(db, {
                metric: 'contact_days',
                at: match.createdAt,
                sectors,
                bucket: workingDaysBetween(isoDate(match.createdAt), reached),
              }),
            ]
          : []),
        auditStatement(ctx, { action: 'match.contact', outcome: 'success', matchId, registrationId: me.registrationId }),
      ]);
    }, 5);
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'conflict')
      throw new ServiceError('conflict', 'De match is zojuist gewijzigd. Laad de pagina opnieuw.');
    throw error;
  }
}
