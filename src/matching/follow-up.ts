/**
 * After a match: members agree who coordinates ("Ik neem de regie") and record that they
 * have been in touch ("Contact opgenomen"). Both act for a professional who is an active
 * member of the open match through their own registration; anyone else gets "not found".
 * Choosing the coordinator notifies the other members through the outbox, in the same unit.
 */
import { authorize } from '../auth/permissions.ts';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement } from '../audit/audit.ts';
import { actorOrganisation, type Ctx } from '../context.ts';
import { guardStatement } from '../db/guard.ts';
import { matches, matchMembers, professionals, registrations } from '../db/schema.ts';
import { AtomicConflict } from '../db/types.ts';
import { Id, ProfessionalEmail } from '../identity/ids.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { enqueueStatement } from '../notify/outbox.ts';
import { addressed, readRecipients } from '../notify/recipients.ts';
import { isoDate } from '../lib/dates.ts';

/** The acting professional's active membership of the open match, or a 404 (audited). */
async function membership(ctx: Ctx, matchId: string, professionalEmail: string, action: string) {
  const organisationId = actorOrganisation(ctx.actor);
  const members = await ctx.deps.db
    .select({
      id: matchMembers.id,
      registrationId: matchMembers.registrationId,
      professionalId: matchMembers.professionalId,
      organisationId: matchMembers.organisationId,
      joinedAt: matchMembers.joinedAt,
      email: professionals.email,
    })
    .from(matchMembers)
    .innerJoin(matches, eq(matches.id, matchMembers.matchId))
    .innerJoin(registrations, eq(registrations.id, matchMembers.registrationId))
    .innerJoin(professionals, eq(professionals.id, matchMembers.professionalId))
    .where(and(eq(matchMembers.matchId, matchId), eq(matches.status, 'open'), isNull(matchMembers.leftAt), eq(registrations.status, 'active')));
  // A logged-in professional acts only as themselves; an API client for any of its professionals.
  const me = members.find(
    (m) =>
      m.organisationId === organisationId &&
      m.email === professionalEmail.trim().toLowerCase() &&
      (ctx.actor.type !== 'professional' || m.professionalId === ctx.actor.id),
  );
  if (!me) {
    await ctx.deps.atomic([auditStatement(ctx, { action, outcome: 'not_found', matchId })]);
    throw audited(new ServiceError('not_found', 'Match niet gevonden, of u bent er geen lid van.'));
  }
  return { me, others: members.filter((m) => m.id !== me.id) };
}

/** The open match and this member are still as read: otherwise the unit does nothing. */
function stillMember(ctx: Ctx, matchId: string, memberId: string) {
  return guardStatement(
    ctx.deps.db,
    sql`SELECT CAST(count(*) AS TEXT) FROM ${matchMembers} mm JOIN ${matches} m ON m.id = mm.match_id WHERE mm.id = ${memberId} AND m.id = ${matchId} AND m.status = 'open' AND mm.left_at IS NULL`,
    '1',
  );
}

async function run(ctx: Ctx, statements: Parameters<Ctx['deps']['atomic']>[0]) {
  try {
    await ctx.deps.atomic(statements);
  } catch (error) {
    if (error instanceof AtomicConflict) throw new ServiceError('conflict', 'De match is zojuist gewijzigd. Laad de pagina opnieuw.');
    throw error;
  }
}

/** The match, and the member who acts: an API client names them, a page passes its own. */
export const TakeCoordinationInput = z.strictObject({ matchId: Id, professionalEmail: ProfessionalEmail });

/** "Ik neem de regie": the acting professional becomes the match's coordinator. */
export async function takeCoordination(ctx: Ctx, input: z.input<typeof TakeCoordinationInput>): Promise<void> {
  const { matchId, professionalEmail } = parseInput(TakeCoordinationInput, input);
  await authorize(ctx, 'matches', 'match.coordinate');
  const { db, clock } = ctx.deps;
  const { me, others } = await membership(ctx, matchId, professionalEmail, 'match.coordinate');
  const [match] = await db.select({ coordinator: matches.coordinatorRegistrationId }).from(matches).where(eq(matches.id, matchId));
  if (match?.coordinator === me.registrationId) {
    // Already so: nothing changes and nobody is told again; the request is still audited.
    await ctx.deps.atomic([
      auditStatement(ctx, { action: 'match.coordinate', outcome: 'success', matchId, registrationId: me.registrationId, detail: { unchanged: true } }),
    ]);
    return;
  }
  const now = clock.now();
  const event = `coordinator:${me.registrationId}:${now.getTime()}`;
  // A deactivated member's mail goes to their coordinators; a deactivated organisation's to nobody.
  const recipients = await readRecipients(
    db,
    others.map((m) => m.professionalId),
  );
  const notes = others.flatMap((m) =>
    addressed(
      {
        idempotencyKey: `match:${matchId}:${event}:${m.registrationId}`,
        template: 'coordinator_chosen',
        payload: { matchId, registrationId: m.registrationId },
      },
      m.professionalId,
      recipients,
    ),
  );
  await run(ctx, [
    stillMember(ctx, matchId, me.id),
    // Two members taking it at once: the second finds the coordinator changed (409, look again).
    guardStatement(db, sql`SELECT coalesce(coordinator_registration_id, '') FROM ${matches} WHERE id = ${matchId}`, match?.coordinator ?? ''),
    db.update(matches).set({ coordinatorRegistrationId: me.registrationId, coordinatorSince: now }).where(eq(matches.id, matchId)),
    ...notes.map((n) => enqueueStatement(db, n, now)),
    auditStatement(ctx, {
      action: 'match.coordinate',
      outcome: 'success',
      matchId,
      registrationId: me.registrationId,
      detail: { notifications: notes.length },
    }),
  ]);
}

export const RecordContactInput = z.strictObject({
  matchId: Id,
  professionalEmail: ProfessionalEmail,
  on: z.iso.date({ error: 'Datum als JJJJ-MM-DD.' }),
});

/** "Contact opgenomen": the acting member records the day they were in touch. */
export async function recordContact(ctx: Ctx, input: z.input<typeof RecordContactInput>): Promise<void> {
  const { matchId, professionalEmail, on } = parseInput(RecordContactInput, input);
  await authorize(ctx, 'matches', 'match.contact');
  const { db, clock } = ctx.deps;
  const { me } = await membership(ctx, matchId, professionalEmail, 'match.contact');
  if (on > isoDate(clock.now()) || on < isoDate(me.joinedAt)) {
    throw new ServiceError('invalid_input', 'De invoer is niet geldig.', { on: ['De datum ligt tussen uw deelname aan de match en vandaag.'] });
  }
  await run(ctx, [
    stillMember(ctx, matchId, me.id),
    db.update(matchMembers).set({ contactOn: on }).where(eq(matchMembers.id, me.id)),
    auditStatement(ctx, { action: 'match.contact', outcome: 'success', matchId, registrationId: me.registrationId }),
  ]);
}
