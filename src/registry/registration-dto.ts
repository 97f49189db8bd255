import { isState } from '../db/constant.ts';
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { actorOrganisation, type Actor } from '../context.ts';
import { matchMembers, registrations } from '../db/schema.ts';
import type { Db } from '../db/types.ts';
import type { InformHow, InformWhom } from '../vocabulary.ts';

export interface RegistrationView {
  id: string;
  status: 'active' | 'archived';
  organisationId: string;
  professionalId: string;
  reference: string | null;
  registeredAt: string;
  endsAt: string;
  matchId: string | null;
  /** Who must be informed; when and how they were (null until recorded). */
  informWhom: InformWhom;
  informedOn: string | null;
  informedHow: InformHow | null;
}

export type Row = Pick<
  typeof registrations.$inferSelect,
  'id' | 'status' | 'organisationId' | 'professionalId' | 'reference' | 'registeredAt' | 'endsOn' | 'informWhom' | 'informedOn' | 'informedHow'
>;

export function toView(row: Row, matchId: string | null): RegistrationView {
  return {
    id: row.id,
    status: row.status,
    organisationId: row.organisationId,
    professionalId: row.professionalId,
    reference: row.reference,
    registeredAt: row.registeredAt.toISOString(),
    endsAt: row.endsOn,
    matchId,
    informWhom: row.informWhom,
    informedOn: row.informedOn,
    informedHow: row.informedHow,
  };
}

/** A row of `viewColumns`. */
export type ViewRow = Row & { matchId: string | null };

export const viewColumns = {
  id: registrations.id,
  status: registrations.status,
  organisationId: registrations.organisationId,
  professionalId: registrations.professionalId,
  reference: registrations.reference,
  registeredAt: registrations.registeredAt,
  endsOn: registrations.endsOn,
  informWhom: registrations.informWhom,
  informedOn: registrations.informedOn,
  informedHow: registrations.informedHow,
  matchId: matchMembers.matchId,
};

/**
 * Whose registrations an actor may see and change: an API client its organisation's; a
 * professional in the browser only their own (need to know: colleagues in the same
 * organisation are not involved with that young person); the operator and the index's
 * own jobs all. The municipality's staff (no organisation) register nothing, so own nothing.
 */
export type OwnerScope = { organisationId: string; professionalId: string | null } | 'nothing' | 'all';

export function ownerScope(actor: Actor): OwnerScope {
  if (actor.type === 'professional') return actor.organisationId ? { organisationId: actor.organisationId, professionalId: actor.id } : 'nothing';
  const organisationId = actorOrganisation(actor);
  return organisationId ? { organisationId, professionalId: null } : 'all';
}

/** `ownerScope` as a condition on `registrations` (undefined: no condition). */
export function ownedBy(actor: Actor): SQL | undefined {
  const scope = ownerScope(actor);
  if (scope === 'nothing') return sql`0`;
  if (scope === 'all') return undefined;
  return and(eq(registrations.organisationId, scope.organisationId), scope.professionalId ? eq(registrations.professionalId, scope.professionalId) : undefined);
}

/** An active registration the actor owns (see ownedBy), with its open match, or null. */
export async function findOwnRegistration(db: Db, id: string, actor: Actor) {
  const owner = ownedBy(actor);
  const [row] = await db
    .select(viewColumns)
    .from(registrations)
    .leftJoin(matchMembers, and(eq(matchMembers.registrationId, registrations.id), isNull(matchMembers.leftAt)))
    .where(and(eq(registrations.id, id), isState(registrations.status, 'active'), owner))
    .limit(1);
  return row ? toView(row, row.matchId ?? null) : null;
}
