/**
 * Extend a registration ("verlengen", docs/domain.md "§4 Lifetime of a registration"): before the
 * term ends, the registering professional confirms the legal criterion again (not stored)
 * and the registration gets a new term from that confirmation: through the earlier of the
 * day before the term's anniversary (REGISTRATION_TERM_MONTHS) and the last day of the
 * month before the 23rd birthday's month. Each confirmed term stays within the law's limit.
 * An end date never moves earlier: with nothing to extend (e.g. already at the age limit)
 * the request is refused. Audited with the reason of the end only, never the end date (for
 * an age cap it would reveal the birth month).
 */
import { isState } from '../db/constant.ts';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement } from '../audit/audit.ts';
import { authorize } from '../auth/permissions.ts';
import { actorOrganisation, type Ctx } from '../context.ts';
import { guardStatement } from '../db/guard.ts';
import { professionals, registrations } from '../db/schema.ts';
import { AtomicConflict } from '../db/types.ts';
import { Id, ProfessionalEmail } from '../identity/ids.ts';
import { addDays, addMonths, isoDate } from '../lib/dates.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { CRITERION_ERROR } from './register-involvement.ts';
import { findOwnRegistration, ownedBy, type RegistrationView } from './registration-dto.ts';

export const ExtendRegistrationInput = z.strictObject({
  registrationId: Id,
  /** The registering professional, who confirms the criterion again. */
  professionalEmail: ProfessionalEmail,
  criterionConfirmed: z.literal(true, { error: CRITERION_ERROR }),
});

/** The new last active day and its reason, for a confirmation on `today`. */
export function extendedTerm(today: string, ageLimitMonth: string, termMonths: number): { endsOn: string; endsBecause: 'term' | 'age' } {
  const termEnd = addDays(addMonths(today, termMonths), -1);
  const beforeAgeLimit = addDays(ageLimitMonth, -1);
  return beforeAgeLimit < termEnd ? { endsOn: beforeAgeLimit, endsBecause: 'age' } : { endsOn: termEnd, endsBecause: 'term' };
}

export async function extendRegistration(ctx: Ctx, input: z.input<typeof ExtendRegistrationInput>): Promise<RegistrationView> {
  const { registrationId, professionalEmail } = parseInput(ExtendRegistrationInput, input);
  await authorize(ctx, 'register', 'registration.extend');
  const { db, clock, config, atomic } = ctx.deps;
  const [current] = actorOrganisation(ctx.actor)
    ? await db
        .select({ endsOn: registrations.endsOn, endsBecause: registrations.endsBecause, ageLimitMonth: registrations.ageLimitMonth })
        .from(registrations)
        .innerJoin(professionals, eq(professionals.id, registrations.professionalId))
        .where(
          and(
            eq(registrations.id, registrationId),
            isState(registrations.status, 'active'),
            // The one who registered confirms again: an API client names them, a page is them.
            eq(professionals.email, professionalEmail.trim().toLowerCase()),
            ownedBy(ctx.actor),
          ),
        )
        .limit(1)
    : [];
  if (!current) {
    await atomic([auditStatement(ctx, { action: 'registration.extend', outcome: 'not_found', registrationId })]);
    throw audited(new ServiceError('not_found', 'Registratie niet gevonden.'));
  }
  const now = clock.now();
  const next = extendedTerm(isoDate(now), current.ageLimitMonth, config.REGISTRATION_TERM_MONTHS);
  if (next.endsOn <= current.endsOn) {
    const reason = next.endsBecause === 'age' ? 'age_limit' : 'already_longest';
    await atomic([auditStatement(ctx, { action: 'registration.extend', outcome: 'invalid', registrationId, detail: { reason } })]);
    throw audited(
      new ServiceError(
        'invalid_input',
        reason === 'age_limit'
          ? 'Deze registratie loopt al tot de leeftijdsgrens (23 jaar): verlengen kan niet.'
          : 'Deze registratie loopt al zo lang als een nieuwe termijn zou duren: verlengen verandert niets. Probeer het later opnieuw.',
      ),
    );
  }
  try {
    await atomic([
      // Ended or extended in the meantime: nothing changes (409, look again).
      guardStatement(db, sql`SELECT status || '|' || ends_on FROM ${registrations} WHERE id = ${registrationId}`, `active|${current.endsOn}`),
      db.update(registrations).set({ endsOn: next.endsOn, endsBecause: next.endsBecause, extendedAt: now }).where(eq(registrations.id, registrationId)),
      auditStatement(ctx, { action: 'registration.extend', outcome: 'success', registrationId, detail: { endsBecause: next.endsBecause } }),
    ]);
  } catch (error) {
    if (error instanceof AtomicConflict) throw new ServiceError('conflict', 'De registratie is zojuist gewijzigd. Laad de pagina opnieuw.');
    throw error;
  }
  const view = await findOwnRegistration(db, registrationId, ctx.actor);
  if (!view) throw new ServiceError('not_found', 'Registratie niet gevonden.');
  return view;
}
