/**
 * What a unit of work on one subject is decided on: the subject's registrations (with the
 * registrants' contact details), its open match, and the archive disclosures. The
 * fingerprint summarises it; the unit's guard re-computes it in SQL and aborts the unit
 * if it changed in between (ADR 0001).
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { archiveDisclosures, matches, matchMembers, organisations, professionals, registrations } from '../db/schema.ts';
import type { Db, Statement } from '../db/types.ts';
import { guardStatement } from '../db/guard.ts';
import type { ActiveRegistration, OpenMatch } from '../matching/detect.ts';
import type { Sector } from '../vocabulary.ts';

export interface SubjectRegistration extends ActiveRegistration {
  status: 'active' | 'archived';
  ageLimitMonth: string;
  registeredAt: Date;
  endedAt: Date | null;
  professionalName: string;
  email: string;
  phone: string | null;
  organisationName: string;
  sector: Sector;
}

export interface SubjectState {
  registrations: SubjectRegistration[];
  active: SubjectRegistration[];
  openMatch: OpenMatch | null;
  /** `${registrationId}:${organisationId}` of every disclosure of an archived registration. */
  disclosures: Set<string>;
  emails: Map<string, string>;
  fingerprint: string;
}

export async function readSubjectState(db: Db, pseudonym: Buffer): Promise<SubjectState> {
  const rows = await db
    .select({
      registrationId: registrations.id,
      status: registrations.status,
      ageLimitMonth: registrations.ageLimitMonth,
      organisationId: registrations.organisationId,
      professionalId: registrations.professionalId,
      registeredAt: registrations.registeredAt,
      endedAt: registrations.endedAt,
      professionalName: professionals.name,
      email: professionals.email,
      phone: professionals.phone,
      organisationName: organisations.name,
      sector: organisations.sector,
    })
    .from(registrations)
    .innerJoin(professionals, eq(professionals.id, registrations.professionalId))
    .innerJoin(organisations, eq(organisations.id, registrations.organisationId))
    .where(eq(registrations.subjectPseudonym, pseudonym));

  const memberRows = await db
    .select({ matchId: matches.id, registrationId: matchMembers.registrationId, joinedSeq: matchMembers.joinedSeq })
    .from(matches)
    .leftJoin(matchMembers, and(eq(matchMembers.matchId, matches.id), isNull(matchMembers.leftAt)))
    .where(and(eq(matches.subjectPseudonym, pseudonym), eq(matches.status, 'open')));

  const hasArchived = rows.some((r) => r.status === 'archived');
  const disclosureRows = hasArchived
    ? await db
        .select({ registrationId: archiveDisclosures.registrationId, organisationId: archiveDisclosures.organisationId })
        .from(archiveDisclosures)
        .innerJoin(registrations, eq(registrations.id, archiveDisclosures.registrationId))
        .where(eq(registrations.subjectPseudonym, pseudonym))
    : [];

  const byId = new Map(rows.map((r) => [r.registrationId, r]));
  const active = rows.filter((r) => r.status === 'active');
  let openMatch: OpenMatch | null = null;
  if (memberRows.length > 0) {
    const members = memberRows.flatMap((m) => {
      const registration = m.registrationId ? byId.get(m.registrationId) : undefined;
      return registration ? [registration] : [];
    });
    openMatch = {
      id: memberRows[0]!.matchId,
      members,
      lastSeq: Math.max(0, ...memberRows.map((m) => m.joinedSeq ?? 0)),
    };
  }
  const sorted = [...rows].sort((a, b) => (a.registrationId < b.registrationId ? -1 : 1));
  const fingerprint = [sorted.map((r) => `${r.registrationId}:${r.status}`).join(','), openMatch?.id ?? '', String(disclosureRows.length)].join('|');
  return {
    registrations: rows,
    active,
    openMatch,
    disclosures: new Set(disclosureRows.map((d) => `${d.registrationId}:${d.organisationId}`)),
    emails: new Map(rows.map((r) => [r.professionalId, r.email])),
    fingerprint,
  };
}

/** The guard for a unit on this subject: the same fingerprint, computed by SQLite. */
export function subjectGuard(db: Db, pseudonym: Buffer, expected: string): Statement {
  const fingerprint = sql`
    coalesce((SELECT group_concat(id || ':' || status, ',' ORDER BY id) FROM registrations WHERE subject_pseudonym = ${pseudonym}), '')
    || '|' || coalesce((SELECT id FROM matches WHERE subject_pseudonym = ${pseudonym} AND status = 'open'), '')
    || '|' || (SELECT count(*) FROM archive_disclosures d JOIN registrations r ON r.id = d.registration_id WHERE r.subject_pseudonym = ${pseudonym})`;
  return guardStatement(db, fingerprint, expected);
}
