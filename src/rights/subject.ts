/**
 * Finding the young person at the rights desk (docs/domain.md, "Rights of the subject"):
 * the admin types the BSN and the birth date from the applicant's request. The BSN is
 * pseudonymised exactly as registering does it (`ctx.deps.pseudonymizer`, the one key),
 * used for one lookup and dropped: it is never stored, logged, audited or shown again. The
 * birth date is only a plausibility check. The request's own reference is the
 * municipality's case number: refused when it looks like a BSN or a date.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Ctx } from '../context.ts';
import { organisations, professionals, registrations } from '../db/schema.ts';
import { BsnField } from '../identity/bsn.ts';
import { referenceProblem } from '../identity/reference.ts';
import { isoDate } from '../lib/dates.ts';
import { ServiceError } from '../lib/errors.ts';

export const RIGHTS_REFERENCE_IDENTIFYING =
  'Het kenmerk van het verzoek lijkt op een BSN of een datum. Gebruik het zaaknummer van de gemeente, zonder gegevens van de jeugdige. Is het een echt zaaknummer waarvan de cijfers toevallig op een BSN lijken, zet dan een letter tussen de cijfergroepen (bijvoorbeeld AVG-2026-Z0106).';

const SEP = '[\\s._/-]';

/** A real calendar date (month 1–12, day 1–31) from its parts. */
function realDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Whether the text holds a date in a common notation: 2012-05-17, 17-5-2012, 17/05/12, 20120517, 17052012. */
export function looksLikeDate(text: string): boolean {
  for (const m of text.matchAll(new RegExp(`(?<!\\d)(\\d{4})${SEP}(\\d{1,2})${SEP}(\\d{1,2})(?!\\d)`, 'g'))) {
    if (realDate(Number(m[1]), Number(m[2]), Number(m[3]))) return true;
  }
  for (const m of text.matchAll(new RegExp(`(?<!\\d)(\\d{1,2})${SEP}(\\d{1,2})${SEP}(\\d{2}|\\d{4})(?!\\d)`, 'g'))) {
    const year = m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
    if (realDate(year, Number(m[2]), Number(m[1]))) return true;
  }
  for (const m of text.matchAll(/(?<!\d)(\d{8})(?!\d)/g)) {
    const s = m[1]!;
    const ymd = realDate(Number(s.slice(0, 4)), Number(s.slice(4, 6)), Number(s.slice(6, 8))) && /^(19|20)/.test(s);
    const dmy = realDate(Number(s.slice(4, 8)), Number(s.slice(2, 4)), Number(s.slice(0, 2))) && /^(19|20)/.test(s.slice(4));
    if (ymd || dmy) return true;
  }
  return false;
}

/** A message when the request's reference looks like a BSN or a date (any date, the birth date first of all), else null. */
export function requestReferenceProblem(reference: string, birthDate?: string): string | null {
  if (referenceProblem(reference, birthDate) || looksLikeDate(reference)) return RIGHTS_REFERENCE_IDENTIFYING;
  return null;
}

/** The municipality's reference for the request: a case number. */
export const RequestReferenceField = z
  .string({ error: 'Vul het kenmerk van het verzoek in.' })
  .trim()
  .min(1, 'Vul het kenmerk van het verzoek in.')
  .max(40, 'Het kenmerk is hoogstens 40 tekens.')
  .regex(/^[A-Za-z0-9._/-]+$/, 'Alleen een zaaknummer: letters, cijfers en . _ / - (geen spaties, namen of inhoud).')
  .regex(/\d/, 'Een zaaknummer bevat minstens één cijfer.');

export const BirthDateField = z.iso.date({ error: 'Vul de geboortedatum in (dag, maand en jaar).' });
export const ReceivedOnField = z.iso.date({ error: 'Vul de datum in waarop het verzoek binnenkwam (dag, maand en jaar).' });

/** The fields that find the young person, shared by the access and the other requests. */
export const SubjectLookupFields = {
  bsn: BsnField,
  birthDate: BirthDateField,
  reference: RequestReferenceField,
  receivedOn: ReceivedOnField,
};

/** For `.superRefine`: the reference must not carry a BSN or a date. */
export function checkRequestReference(value: { reference: string; birthDate: string }, ctx: z.RefinementCtx): void {
  if (requestReferenceProblem(value.reference, value.birthDate)) ctx.addIssue({ code: 'custom', path: ['reference'], message: RIGHTS_REFERENCE_IDENTIFYING });
}

/** Plausibility against today: no birth date or receipt in the future, no birth date before 1900. */
export function checkDates(ctx: Ctx, input: { birthDate: string; receivedOn: string }): void {
  const today = isoDate(ctx.deps.clock.now());
  const fields: Record<string, string[]> = {};
  if (input.birthDate > today) fields.birthDate = ['De geboortedatum ligt in de toekomst.'];
  else if (input.birthDate < '1900-01-01') fields.birthDate = ['Deze geboortedatum is niet aannemelijk.'];
  if (input.receivedOn > today) fields.receivedOn = ['De datum van ontvangst ligt in de toekomst.'];
  if (Object.keys(fields).length > 0) throw new ServiceError('invalid_input', 'De invoer is niet geldig.', fields);
}

export interface FoundRegistration {
  registrationId: string;
  organisationId: string;
  professionalId: string;
  status: 'active' | 'archived';
}

/**
 * Every registration (active and archived) of the young person with this BSN. The BSN is
 * pseudonymised here and goes no further: callers get registration ids only.
 */
export async function findRegistrations(ctx: Ctx, bsn: string): Promise<FoundRegistration[]> {
  const pseudonym = await ctx.deps.pseudonymizer.pseudonymize(bsn);
  return ctx.deps.db
    .select({
      registrationId: registrations.id,
      organisationId: registrations.organisationId,
      professionalId: registrations.professionalId,
      status: registrations.status,
    })
    .from(registrations)
    .innerJoin(organisations, eq(organisations.id, registrations.organisationId))
    .innerJoin(professionals, eq(professionals.id, registrations.professionalId))
    .where(eq(registrations.subjectPseudonym, Buffer.from(pseudonym.bytes)))
    .orderBy(registrations.registeredAt, registrations.id);
}
