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
import { isState } from '../db/constant.ts';
import { readTemplate, readTogether, statementTemplate } from '../db/template.ts';
import type { ActiveRegistration, OpenMatch } from '../matching/detect.ts';
import type { Sector } from '../vocabulary.ts';
import { resolveRecipients, type Recipients } from '../notify/recipients.ts';

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
  /** A deactivated professional is no contact and gets no mail (their registration stays). */
  professionalActive: boolean;
}

export interface SubjectState {
  registrations: SubjectRegistration[];
  active: SubjectRegistration[];
  openMatch: OpenMatch | null;
  /** `${registrationId}:${organisationId}` of every disclosure of an archived registration. */
  disclosures: Set<string>;
  /** Who receives mail meant for each registrant (src/notify/recipients.ts). */
  recipients: Recipients;
  /**
   * Each registrant's own address, active or not. Prefer `recipients` with `addressed()`
   * (src/notify/recipients.ts); the drainer still redirects a mail queued here for a
   * deactivated professional when it sends it.
   */
  emails: Map<string, string>;
  fingerprint: string;
}

/** The subject's registrations with their registrants: built once (src/db/template.ts). */
const subjectRegistrations = readTemplate<{ subject: Buffer }, RegistrationRow>((db, value) =>
  db
    .select({
      registrationId: registrations.id,
      status: registrations.status,
      ageLimitMonth: registrations.ageLimitMonth,
      organisationId: registrations.organisationId,
      professionalId: registrations.professionalId,
      registeredAt: registrations.registeredAt,
      endedAt: registrations.endedAt,
      // Aliased: a D1 batch maps columns by name, and both tables have `name` and `active`.
      professionalName: sql<string>`${professionals.name}`.as('professional_name'),
      email: professionals.email,
      phone: professionals.phone,
      organisationName: organisations.name,
      sector: organisations.sector,
      professionalActive: sql<boolean>`${professionals.active}`.mapWith(professionals.active).as('professional_active'),
      organisationActive: organisations.active,
    })
    .from(registrations)
    .innerJoin(professionals, eq(professionals.id, registrations.professionalId))
    .innerJoin(organisations, eq(organisations.id, registrations.organisationId))
    .where(eq(registrations.subjectPseudonym, value('subject'))),
);

/** The members of the subject's open match, if any. */
const openMatchMembers = readTemplate<{ subject: Buffer }, MemberRow>((db, value) =>
  db
    .select({ matchId: matches.id, registrationId: matchMembers.registrationId, joinedSeq: matchMembers.joinedSeq })
    .from(matches)
    .leftJoin(matchMembers, and(eq(matchMembers.matchId, matches.id), isNull(matchMembers.leftAt)))
    .where(and(eq(matches.subjectPseudonym, value('subject')), isState(matches.status, 'open'))),
);

/** A row of `subjectRegistrations`: the registration as read, before the state is made of it. */
type RegistrationRow = Omit<SubjectRegistration, 'organisationInactive'> & { organisationActive: boolean };

interface MemberRow {
  matchId: string;
  registrationId: string | null;
  joinedSeq: number | null;
}

/** The reads a subject's state is made of, for `readTogether` beside a verb's own reads. */
export function subjectStateReads(pseudonym: Buffer) {
  return [
    [subjectRegistrations, { subject: pseudonym }],
    [openMatchMembers, { subject: pseudonym }],
  ] as const;
}

export async function readSubjectState(db: Db, pseudonym: Buffer): Promise<SubjectState> {
  const [rows, memberRows] = await readTogether(db, subjectStateReads(pseudonym));
  return subjectStateFrom(db, pseudonym, rows, memberRows);
}

/** The state from the rows of `subjectStateReads` (a later read only for archived ones or orphaned registrants). */
export async function subjectStateFrom(db: Db, pseudonym: Buffer, rows: RegistrationRow[], memberRows: MemberRow[]): Promise<SubjectState> {
  const hasArchived = rows.some((r) => r.status === 'archived');
  const disclosureRows = hasArchived
    ? await db
        .select({ registrationId: archiveDisclosures.registrationId, organisationId: archiveDisclosures.organisationId })
        .from(archiveDisclosures)
        .innerJoin(registrations, eq(registrations.id, archiveDisclosures.registrationId))
        .where(eq(registrations.subjectPseudonym, pseudonym))
    : [];

  // A deactivated organisation takes no part in matching (decided in src/matching/detect.ts).
  const registrationRows = rows.map(({ organisationActive, ...r }) => ({ ...r, organisationInactive: !organisationActive }));
  const byId = new Map(registrationRows.map((r) => [r.registrationId, r]));
  const active = registrationRows.filter((r) => r.status === 'active');
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
  const sorted = [...registrationRows].sort((a, b) => (a.registrationId < b.registrationId ? -1 : 1));
  const fingerprint = [
    sorted.map((r) => `${r.registrationId}:${r.status}:${r.professionalId}:${r.organisationInactive ? 0 : 1}`).join(','),
    openMatch?.id ?? '',
    String(disclosureRows.length),
  ].join('|');
  const recipients = await resolveRecipients(
    db,
    active.map((r) => ({
      professionalId: r.professionalId,
      email: r.email,
      organisationId: r.organisationId,
      active: r.professionalActive,
      organisationActive: !r.organisationInactive,
    })),
  );
  return {
    registrations: registrationRows,
    active,
    openMatch,
    disclosures: new Set(disclosureRows.map((d) => `${d.registrationId}:${d.organisationId}`)),
    recipients,
    emails: new Map(registrationRows.map((r) => [r.professionalId, r.email])),
    fingerprint,
  };
}

/** The guard for a unit on this subject: the same fingerprint, computed by SQLite. */
export function subjectGuard(db: Db, pseudonym: Buffer, expected: string): Statement {
  return subjectGuardTemplate(db, { subject: pseudonym, expected });
}

/** Built once (src/db/template.ts): every unit on a subject opens with it. */
const subjectGuardTemplate = statementTemplate<{ subject: Buffer; expected: string }>((db) => {
  const subject = sql.placeholder('subject');
  const fingerprint = sql`
    coalesce((SELECT group_concat(r.id || ':' || r.status || ':' || r.professional_id || ':' || o.active, ',' ORDER BY r.id) FROM registrations r JOIN organisations o ON o.id = r.organisation_id WHERE r.subject_pseudonym = ${subject}), '')
    || '|' || coalesce((SELECT id FROM matches WHERE subject_pseudonym = ${subject} AND status = 'open'), '')
    || '|' || (SELECT count(*) FROM archive_disclosures d JOIN registrations r ON r.id = d.registration_id WHERE r.subject_pseudonym = ${subject})`;
  return guardStatement(db, fingerprint, sql.placeholder('expected')) as unknown as { toSQL(): { sql: string; params: unknown[] } };
});
