/**
 * What the match monitor does with an escalated match: records an action with its day
 * (called, mailed, members agreed, followed up — the last takes the match off the queue),
 * and proposes a coordinator to the members, who confirm it by taking coordination
 * (src/matching/follow-up.ts). The monitor cannot close a match nor coordinate. Audited.
 */
import { isState } from '../db/constant.ts';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement, recordAudit } from '../audit/audit.ts';
import { authorize } from '../auth/permissions.ts';
import type { Ctx } from '../context.ts';
import { guardStatement } from '../db/guard.ts';
import { matches, matchMembers, monitorActions, organisations, professionals, registrations } from '../db/schema.ts';
import { AtomicConflict, type Statement } from '../db/types.ts';
import { Id } from '../identity/ids.ts';
import { isoDate } from '../lib/dates.ts';
import { audited, type FieldErrors, parseInput, ServiceError } from '../lib/errors.ts';
import { proposalGuard } from '../jobs/follow-up.ts';
import { enqueueStatement } from '../notify/outbox.ts';
import { addressed, readRecipients } from '../notify/recipients.ts';
import { mayCoordinate, readSettings } from '../settings/settings.ts';
import { MONITOR_ACTIONS } from '../vocabulary.ts';
import { escalatedMatch } from './queue.ts';

export const RecordMonitorActionInput = z.strictObject({
  matchId: Id,
  kind: z.enum(MONITOR_ACTIONS, { error: 'Kies wat u hebt gedaan.' }),
  on: z.iso.date({ error: 'Datum als JJJJ-MM-DD.' }),
});

async function refuse(ctx: Ctx, action: string, matchId: string, fields: FieldErrors): Promise<never> {
  await recordAudit(ctx, { action, outcome: 'invalid', matchId });
  throw audited(new ServiceError('invalid_input', 'De invoer is niet geldig.', fields));
}

async function run(ctx: Ctx, statements: Statement[]): Promise<void> {
  try {
    await ctx.deps.atomic(statements);
  } catch (error) {
    if (error instanceof AtomicConflict) throw new ServiceError('conflict', 'De match is zojuist gewijzigd. Laad de pagina opnieuw.');
    throw error;
  }
}

/** The match is still open and escalated. */
function stillEscalated(ctx: Ctx, matchId: string): Statement {
  return guardStatement(
    ctx.deps.db,
    sql`SELECT CAST(count(*) AS TEXT) FROM ${matches} WHERE id = ${matchId} AND status = 'open' AND escalated_at IS NOT NULL`,
    '1',
  );
}

/** "Actie vastleggen": a kind and a day between the escalation and today. */
export async function recordMonitorAction(ctx: Ctx, input: z.input<typeof RecordMonitorActionInput>): Promise<void> {
  const { matchId, kind, on } = parseInput(RecordMonitorActionInput, input);
  await authorize(ctx, 'match_monitoring', 'monitor.action');
  const { db, clock } = ctx.deps;
  const match = await escalatedMatch(ctx, matchId, 'monitor.action');
  const now = clock.now();
  if (on > isoDate(now) || on < isoDate(match.escalatedAt)) {
    await refuse(ctx, 'monitor.action', matchId, { on: ['De datum ligt tussen de escalatie en vandaag.'] });
  }
  await run(ctx, [
    stillEscalated(ctx, matchId),
    db.insert(monitorActions).values({ id: crypto.randomUUID(), matchId, monitorId: ctx.actor.id, kind, on, createdAt: now }),
    ...(kind === 'followed_up'
      ? [
          db
            .update(matches)
            .set({ monitorDoneAt: now })
            .where(and(eq(matches.id, matchId), isNull(matches.monitorDoneAt))),
        ]
      : []),
    auditStatement(ctx, { action: 'monitor.action', outcome: 'success', matchId, detail: { kind } }),
  ]);
}

export const ProposeCoordinatorInput = z.strictObject({ matchId: Id, registrationId: Id });

/** "Regievoerder voorstellen": an active member whose sector may coordinate; every member is told. */
export async function proposeCoordinator(ctx: Ctx, input: z.input<typeof ProposeCoordinatorInput>): Promise<void> {
  const { matchId, registrationId } = parseInput(ProposeCoordinatorInput, input);
  await authorize(ctx, 'match_monitoring', 'monitor.propose');
  const { db, clock } = ctx.deps;
  const match = await escalatedMatch(ctx, matchId, 'monitor.propose');
  if (match.coordinatorRegistrationId !== null) {
    await recordAudit(ctx, { action: 'monitor.propose', outcome: 'invalid', matchId, detail: { reason: 'coordinator' } });
    throw audited(new ServiceError('conflict', 'De leden hebben al een regievoerder; een voorstel is niet meer nodig.'));
  }
  const members = await db
    .select({
      registrationId: matchMembers.registrationId,
      professionalId: matchMembers.professionalId,
      sector: organisations.sector,
      reachable: sql<number>`${professionals.active} AND ${organisations.active}`,
    })
    .from(matchMembers)
    .innerJoin(registrations, eq(registrations.id, matchMembers.registrationId))
    .innerJoin(organisations, eq(organisations.id, matchMembers.organisationId))
    .innerJoin(professionals, eq(professionals.id, matchMembers.professionalId))
    .where(and(eq(matchMembers.matchId, matchId), isNull(matchMembers.leftAt), isState(registrations.status, 'active')));
  // A deactivated professional (or organisation) cannot take coordination: proposing them would stall the match.
  const chosen = members.find((m) => m.registrationId === registrationId && Boolean(m.reachable));
  if (!chosen) await refuse(ctx, 'monitor.propose', matchId, { registrationId: ['Kies een betrokken professional uit de lijst.'] });
  const settings = await readSettings(db, ctx.deps.config);
  if (!mayCoordinate(settings, chosen!.sector)) {
    await refuse(ctx, 'monitor.propose', matchId, {
      registrationId: ['Volgens de regels van de gemeente mag deze sector signaleren, maar geen regie voeren.'],
    });
  }
  const now = clock.now();
  const recipients = await readRecipients(
    db,
    members.map((m) => m.professionalId),
  );
  const notes = members.flatMap((m) =>
    addressed(
      {
        idempotencyKey: `match:${matchId}:proposed:${registrationId}:${now.getTime()}:${m.registrationId}`,
        template: 'coordinator_proposed',
        payload: { matchId, registrationId: m.registrationId },
      },
      m.professionalId,
      recipients,
    ),
  );
  await run(ctx, [
    proposalGuard(ctx, matchId, registrationId, { unproposed: false }),
    db.update(matches).set({ proposedRegistrationId: registrationId, proposedAt: now, proposedBy: ctx.actor.id }).where(eq(matches.id, matchId)),
    ...notes.map((n) => enqueueStatement(db, n, now)),
    auditStatement(ctx, { action: 'monitor.propose', outcome: 'success', matchId, registrationId, detail: { notifications: notes.length } }),
  ]);
}
