/**
 * Register that a professional is involved with a subject ("signaal afgeven").
 *
 * Read the subject's state, decide (pure), write one guarded unit: the registration, the
 * match change, its outbox rows, the disclosures of earlier involvement and the audit
 * events. If another unit on the same subject got in between, the guard aborts ours and we
 * decide again on the new state (ADR 0001).
 */
import { authorize } from '../auth/permissions.ts';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement, recordAudit } from '../audit/audit.ts';
import { actorOrganisation, type Ctx } from '../context.ts';
import { archiveDisclosures, organisations, professionals, registrations } from '../db/schema.ts';
import { placeholders, readTemplate, readTogether, statementTemplate } from '../db/template.ts';
import type { Statement } from '../db/types.ts';
import { holdsRole } from '../directory/roles.ts';
import { BsnField } from '../identity/bsn.ts';
import { ProfessionalEmail, timeOrderedId } from '../identity/ids.ts';
import { checkReference, ReferenceField } from '../identity/reference.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { applyRegisterDecision } from '../matching/apply.ts';
import { decideOnRegister } from '../matching/detect.ts';
import { computeTerm } from './lifecycle.ts';
import { isoDate } from '../lib/dates.ts';
import { withConflictRetry } from './retry.ts';
import { readSubjectState, subjectGuard, subjectStateFrom, subjectStateReads } from './subject-state.ts';
import { toView, type RegistrationView } from './registration-dto.ts';
import type { Sector } from '../vocabulary.ts';
import { countStatements } from '../stats/counters.ts';

/** Every way of registering asks the professional to confirm the legal criterion (law 7.1.3.1); it is checked, not stored. */
export const CRITERION_ERROR = 'Bevestig dat u een redelijk vermoeden hebt dat de jeugdige een ernstig risico loopt (Jeugdwet 7.1.3.1).';

export const RegisterInvolvementInput = z
  .strictObject({
    /** Normalised to 9 digits; pseudonymised at once and then dropped. */
    bsn: BsnField,
    /** Checks the age and computes the end date, then dropped. */
    birthDate: z.iso.date({ error: 'Geboortedatum als JJJJ-MM-DD.' }),
    /** The professional of the acting organisation who is involved. */
    professionalEmail: ProfessionalEmail,
    reference: ReferenceField.nullish(),
  })
  .superRefine(checkReference);

export interface EarlierInvolvement {
  organisationName: string;
  sector: Sector;
  professionalName: string;
  email: string;
  phone: string | null;
  registeredAt: string;
  endedAt: string | null;
}

export interface RegisterResult {
  created: boolean;
  registration: RegistrationView;
  earlierInvolvement: EarlierInvolvement[];
}

/**
 * The professional, by email, within the acting organisation, with whether they may register
 * now. A logged-in professional registers only their own involvement (`self`); an API
 * client names any professional of its organisation. Built once (src/db/template.ts): one
 * read answers both "is the organisation still active" and "who is this professional".
 */
const professionalByEmail = readTemplate<{ email: string; organisationId: string; self: string | null }, ProfessionalRow>((db, value) =>
  db
    .select({
      id: professionals.id,
      email: professionals.email,
      sector: organisations.sector,
      organisationActive: organisations.active,
      // Only someone designated to register (the professional role), whoever names them.
      eligible: sql<number>`${professionals.active} AND ${holdsRole('professional')}`,
    })
    .from(professionals)
    .innerJoin(organisations, eq(organisations.id, professionals.organisationId))
    .where(
      and(
        eq(professionals.email, value('email')),
        eq(professionals.organisationId, value('organisationId')),
        sql`(${value('self')} IS NULL OR ${professionals.id} = ${value('self')})`,
      ),
    )
    .limit(1),
);

const organisationActive = readTemplate<{ organisationId: string }, { active: boolean }>((db, value) =>
  db
    .select({ active: organisations.active })
    .from(organisations)
    .where(eq(organisations.id, value('organisationId')))
    .limit(1),
);

/**
 * The active professional who registers, or a refusal (audited): a deactivated organisation
 * no longer registers (docs/domain.md, "People and organisations leave"), and only an active
 * professional of the acting organisation with the professional role is named.
 */
async function actingProfessional(ctx: Ctx, organisationId: string, professional: ProfessionalRow | undefined) {
  const active = professional ? professional.organisationActive : ((await organisationActive(ctx.deps.db, { organisationId }))[0]?.active ?? true);
  if (!active) {
    await recordAudit(ctx, { action: 'registration.create', outcome: 'denied', detail: { reason: 'organisation_deactivated' } });
    throw audited(new ServiceError('forbidden', 'Uw organisatie is gedeactiveerd en kan niet meer registreren.'));
  }
  if (!professional?.eligible) {
    await ctx.deps.atomic([auditStatement(ctx, { action: 'registration.create', outcome: 'denied', detail: { reason: 'professional_not_in_organisation' } })]);
    throw audited(new ServiceError('forbidden', 'Deze persoon is geen actieve professional van uw organisatie (of heeft de rol professional niet).'));
  }
  return { id: professional.id, email: professional.email, sector: professional.sector, organisationId };
}

/** The registration's insert, built once (src/db/template.ts). */
const insertRegistration = statementTemplate<typeof registrations.$inferInsert>((db) =>
  db
    .insert(registrations)
    .values(
      placeholders(
        'id',
        'subjectPseudonym',
        'keyId',
        'organisationId',
        'professionalId',
        'reference',
        'status',
        'registeredAt',
        'endsOn',
        'endsBecause',
        'ageLimitMonth',
        'informWhom',
        'informedOn',
        'informedHow',
      ),
    ),
);

interface ProfessionalRow {
  id: string;
  email: string;
  sector: Sector;
  organisationActive: boolean;
  eligible: number;
}

export async function registerInvolvement(ctx: Ctx, input: z.input<typeof RegisterInvolvementInput>): Promise<RegisterResult> {
  const { bsn, birthDate, professionalEmail, reference } = parseInput(RegisterInvolvementInput, input);
  await authorize(ctx, 'register', 'registration.create');
  const { db, clock, config, pseudonymizer, atomic } = ctx.deps;
  const organisationId = actorOrganisation(ctx.actor);
  if (!organisationId) throw new ServiceError('forbidden', 'Alleen een organisatie kan registreren.');
  const pseudonym = await pseudonymizer.pseudonymize(bsn);
  const subject = Buffer.from(pseudonym.bytes);
  // The professional and the subject's state in one round trip on D1 (issue 12).
  const [professionalRows, ...subjectRows] = await readTogether(db, [
    [professionalByEmail, { email: professionalEmail.trim().toLowerCase(), organisationId, self: ctx.actor.type === 'professional' ? ctx.actor.id : null }],
    ...subjectStateReads(subject),
  ] as const);
  const professional = await actingProfessional(ctx, organisationId, professionalRows[0]);
  const today = isoDate(clock.now());
  if (birthDate > today) {
    throw new ServiceError('invalid_input', 'De invoer is niet geldig.', { birthDate: ['De geboortedatum ligt in de toekomst.'] });
  }
  const term = computeTerm(birthDate, today, config.REGISTRATION_TERM_MONTHS);
  if (!term) {
    await atomic([auditStatement(ctx, { action: 'registration.create', outcome: 'invalid', detail: { reason: 'subject_too_old' } })]);
    throw audited(
      new ServiceError('subject_too_old', 'Registreren kan alleen voor jeugdigen jonger dan 23 jaar.', {
        birthDate: ['De jeugdige is 23 jaar of ouder.'],
      }),
    );
  }

  let firstRead: typeof subjectRows | null = subjectRows;
  return withConflictRetry(async () => {
    // The first attempt decides on the state read above; a retry reads it again.
    const state = firstRead ? await subjectStateFrom(db, subject, ...firstRead) : await readSubjectState(db, subject);
    firstRead = null;
    const now = clock.now();

    const existing = state.active.find((r) => r.professionalId === professional.id);
    if (existing) {
      const [row] = await db.select().from(registrations).where(eq(registrations.id, existing.registrationId));
      if (!row) throw new ServiceError('conflict', 'De registratie is zojuist gewijzigd. Probeer het opnieuw.');
      const matchId = state.openMatch?.members.some((m) => m.registrationId === row.id) ? state.openMatch.id : null;
      // Guarded too: if the registration was ended (or moved) since the read, the answer
      // "already registered" would be wrong and the involvement lost; the retry registers anew.
      await atomic([
        subjectGuard(db, subject, state.fingerprint),
        auditStatement(ctx, {
          action: 'registration.create',
          outcome: 'success',
          registrationId: row.id,
          matchId,
          detail: { existing: true, professionalId: professional.id },
        }),
      ]);
      return { created: false, registration: toView(row, matchId), earlierInvolvement: [] };
    }

    const row = {
      id: timeOrderedId(now.getTime()),
      subjectPseudonym: subject,
      keyId: pseudonym.keyId,
      organisationId: professional.organisationId,
      professionalId: professional.id,
      reference: reference || null,
      status: 'active' as const,
      registeredAt: now,
      endsOn: term.endsOn,
      endsBecause: term.endsBecause,
      ageLimitMonth: term.ageLimitMonth,
      informWhom: term.informWhom,
      informedOn: null,
      informedHow: null,
    };
    const newcomer = { registrationId: row.id, organisationId: row.organisationId, professionalId: row.professionalId };
    const decision = decideOnRegister(state.active, state.openMatch, newcomer);
    const recipients = new Map(state.recipients).set(professional.id, [{ professionalId: professional.id, email: professional.email, noActiveContact: false }]);
    const sectorOf = new Map(state.active.map((r) => [r.registrationId, r.sector])).set(row.id, professional.sector);
    const applied = applyRegisterDecision(db, decision, newcomer, subject, recipients, now, sectorOf);

    // Earlier involvement: archived registrations of other organisations, shown once.
    const earlier = state.registrations.filter(
      (r) =>
        r.status === 'archived' &&
        r.organisationId !== professional.organisationId &&
        !state.disclosures.has(`${r.registrationId}:${professional.organisationId}`),
    );

    const statements: Statement[] = [
      subjectGuard(db, subject, state.fingerprint),
      insertRegistration(db, row),
      ...countStatements(db, { metric: 'registrations', at: now, sectors: [professional.sector] }),
      ...applied.statements,
      ...earlier.map((r) =>
        db.insert(archiveDisclosures).values({ registrationId: r.registrationId, organisationId: professional.organisationId, disclosedAt: now }),
      ),
      auditStatement(ctx, {
        action: 'registration.create',
        outcome: 'success',
        registrationId: row.id,
        matchId: applied.matchId,
        detail: { professionalId: professional.id, earlierInvolvementShown: earlier.length },
      }),
    ];
    if (decision.kind !== 'none') {
      statements.push(
        auditStatement(ctx, {
          action: decision.kind === 'create' ? 'match.create' : 'match.join',
          outcome: 'success',
          registrationId: row.id,
          matchId: applied.matchId,
          detail: { notifications: applied.notifications },
        }),
      );
    }
    for (const r of earlier) {
      statements.push(
        auditStatement(ctx, { action: 'archive.disclose', outcome: 'success', registrationId: r.registrationId, detail: { toRegistrationId: row.id } }),
      );
    }
    await atomic(statements);

    return {
      created: true,
      registration: toView(row, applied.matchId),
      earlierInvolvement: earlier.map((r) => ({
        organisationName: r.organisationName,
        sector: r.sector,
        professionalName: r.professionalName,
        email: r.email,
        phone: r.phone,
        registeredAt: r.registeredAt.toISOString(),
        endedAt: r.endedAt?.toISOString() ?? null,
      })),
    };
  });
}
