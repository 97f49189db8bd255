import { and, eq, isNull } from 'drizzle-orm';
import { matchMembers, registrations, type InformHow, type InformWhom } from '../db/schema.ts';
import type { Db } from '../db/types.ts';

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

type Row = Pick<
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

/** An active registration of the given organisation with its open match, or null. */
export async function findOwnRegistration(db: Db, id: string, organisationId: string | null) {
  const [row] = await db
    .select(viewColumns)
    .from(registrations)
    .leftJoin(matchMembers, and(eq(matchMembers.registrationId, registrations.id), isNull(matchMembers.leftAt)))
    .where(
      and(
        eq(registrations.id, id),
        eq(registrations.status, 'active'),
        organisationId === null ? undefined : eq(registrations.organisationId, organisationId),
      ),
    )
    .limit(1);
  return row ? toView(row, row.matchId ?? null) : null;
}
