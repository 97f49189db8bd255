/**
 * Record that the young person and/or their representative were informed of the
 * registration (law 7.1.5.1), when and how. Only by the registering organisation, only on
 * an active registration, never in the future or before the registration.
 */
import { isState } from '../db/constant.ts';
import { authorize } from '../auth/permissions.ts';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement } from '../audit/audit.ts';
import { actorOrganisation, type Ctx } from '../context.ts';
import { registrations } from '../db/schema.ts';
import { Id } from '../identity/ids.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { isoDate } from '../lib/dates.ts';
import { findOwnRegistration, type RegistrationView } from './registration-dto.ts';
import { INFORM_HOW } from '../vocabulary.ts';

/** Registrations not yet informed this many days after registering are flagged. */
export const INFORM_WITHIN_DAYS = 14;

/** When (a date, not in the future) and how (a closed set, never free text) they were told. */
export const RecordInformedInput = z.strictObject({
  registrationId: Id,
  on: z.iso.date({ error: 'Datum als JJJJ-MM-DD.' }),
  how: z.enum(INFORM_HOW, { error: `Een van: ${INFORM_HOW.join(', ')}.` }),
});

export async function recordInformed(ctx: Ctx, input: z.input<typeof RecordInformedInput>): Promise<RegistrationView> {
  const { registrationId, on, how } = parseInput(RecordInformedInput, input);
  await authorize(ctx, 'register', 'registration.inform');
  const { db, atomic, clock } = ctx.deps;
  const current = actorOrganisation(ctx.actor) ? await findOwnRegistration(db, registrationId, ctx.actor) : null;
  if (!current) {
    await atomic([auditStatement(ctx, { action: 'registration.inform', outcome: 'not_found', registrationId })]);
    throw audited(new ServiceError('not_found', 'Registratie niet gevonden.'));
  }
  const today = isoDate(clock.now());
  if (on > today || on < isoDate(new Date(current.registeredAt))) {
    throw new ServiceError('invalid_input', 'De invoer is niet geldig.', {
      on: ['De datum ligt tussen de registratiedatum en vandaag.'],
    });
  }
  const [updated] = await db
    .update(registrations)
    .set({ informedOn: on, informedHow: how })
    .where(and(eq(registrations.id, registrationId), isState(registrations.status, 'active')))
    .returning({ id: registrations.id });
  // Ended in the meantime: nothing was recorded, and the caller hears so.
  await atomic([auditStatement(ctx, { action: 'registration.inform', outcome: updated ? 'success' : 'not_found', registrationId, detail: { how } })]);
  if (!updated) throw audited(new ServiceError('not_found', 'Registratie niet gevonden.'));
  return { ...current, informedOn: on, informedHow: how };
}
