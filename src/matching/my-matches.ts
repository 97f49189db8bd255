/**
 * The matches a professional is in, for the dashboard: through their own active
 * registrations. "New" means something happened the professional has not seen yet: they
 * never opened the match, or a member joined or the coordinator changed since they did.
 */
import { isState } from '../db/constant.ts';
import { authorize } from '../auth/permissions.ts';
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { recordAudit } from '../audit/audit.ts';
import type { Ctx } from '../context.ts';
import { matches, matchMembers, organisations, registrations } from '../db/schema.ts';
import { readPlan, readTemplate, type ReadPlan } from '../db/template.ts';
import { ServiceError } from '../lib/errors.ts';

export interface MyMatch {
  id: string;
  registrationId: string;
  reference: string | null;
  createdAt: string;
  /** Organisations with an active member, the professional's own included. */
  organisations: number;
  coordinatorChosen: boolean;
  isNew: boolean;
}

/** The professional's open matches through their active registrations: built once (src/db/template.ts). */
const myMatches = readTemplate<
  { professionalId: string },
  {
    matchId: string;
    createdAt: Date;
    coordinatorRegistrationId: string | null;
    coordinatorSince: Date | null;
    registrationId: string;
    reference: string | null;
    seenAt: Date | null;
  }
>((db, value) =>
  db
    .select({
      matchId: matches.id,
      createdAt: matches.createdAt,
      coordinatorRegistrationId: matches.coordinatorRegistrationId,
      coordinatorSince: matches.coordinatorSince,
      // The member's column, not registrations.id: a D1 batch maps columns by name (one `id`).
      registrationId: matchMembers.registrationId,
      reference: registrations.reference,
      seenAt: matchMembers.seenAt,
    })
    .from(matchMembers)
    .innerJoin(matches, eq(matches.id, matchMembers.matchId))
    .innerJoin(registrations, eq(registrations.id, matchMembers.registrationId))
    .where(
      and(
        eq(matchMembers.professionalId, value('professionalId')),
        isNull(matchMembers.leftAt),
        isState(matches.status, 'open'),
        isState(registrations.status, 'active'),
      ),
    )
    .orderBy(desc(matches.createdAt)),
);

const mineSq = alias(matchMembers, 'mine');

/** The active members of those matches, to count organisations and see what changed. */
const myMatchMembers = readTemplate<{ professionalId: string }, { matchId: string; organisationId: string; joinedAt: Date }>((db, value) =>
  db
    .select({ matchId: matchMembers.matchId, organisationId: matchMembers.organisationId, joinedAt: matchMembers.joinedAt })
    .from(matchMembers)
    .innerJoin(registrations, eq(registrations.id, matchMembers.registrationId))
    // A deactivated organisation takes no part in matching: it is not counted.
    .innerJoin(organisations, and(eq(organisations.id, matchMembers.organisationId), eq(organisations.active, true)))
    .where(
      and(
        // A subquery, not a list of ids: D1 binds at most 100 parameters.
        inArray(
          matchMembers.matchId,
          db
            .select({ id: mineSq.matchId })
            .from(mineSq)
            .where(eq(mineSq.professionalId, value('professionalId'))),
        ),
        isNull(matchMembers.leftAt),
        isState(registrations.status, 'active'),
      ),
    ),
);

/** As a read plan: the overview reads it together with its other lists (src/registry/overview.ts). */
export async function planMyMatches(ctx: Ctx): Promise<ReadPlan<MyMatch[]>> {
  await authorize(ctx, 'matches', 'match.list');
  if (ctx.actor.type !== 'professional') throw new ServiceError('forbidden', 'Alleen een professional heeft eigen matches.');
  const values = { professionalId: ctx.actor.id };
  return readPlan(
    [
      [myMatches, values],
      [myMatchMembers, values],
    ] as const,
    async ([mine, members]) => {
      await recordAudit(ctx, { action: 'match.list', outcome: 'success', detail: { count: mine.length, matchIds: mine.map((m) => m.matchId).join(',') } });
      const byMatch = new Map<string, typeof members>();
      for (const member of members) {
        const list = byMatch.get(member.matchId);
        if (list) list.push(member);
        else byMatch.set(member.matchId, [member]);
      }
      return mine.map((m) => {
        const of = byMatch.get(m.matchId) ?? [];
        const seen = m.seenAt?.getTime() ?? -1;
        const changed = Math.max(...of.map((r) => r.joinedAt.getTime()), m.coordinatorSince?.getTime() ?? 0);
        return {
          id: m.matchId,
          registrationId: m.registrationId,
          reference: m.reference,
          createdAt: m.createdAt.toISOString(),
          organisations: new Set(of.map((r) => r.organisationId)).size,
          coordinatorChosen: m.coordinatorRegistrationId !== null,
          isNew: seen < changed,
        };
      });
    },
  );
}
