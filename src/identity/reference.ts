/**
 * The own reference ("eigen kenmerk") is a case number, never identity. These rules are
 * shared by the register verb, the API and the pages, so a case number is judged the same
 * way whichever way it arrives.
 */
import { z } from 'zod';
import { validateBsn } from './bsn.ts';

/**
 * Refuses a reference that carries something identifying the young person: a number that
 * passes as a BSN (the submitted one or any other), or the birth date in a common notation.
 * Returns a message, or null.
 */
export function referenceProblem(reference: string, birthDate: string | undefined): string | null {
  for (const run of reference.match(/\d{8,9}/g) ?? []) {
    if (validateBsn(run).ok) return 'Het eigen kenmerk mag geen BSN bevatten.';
  }
  if (birthDate && /^\d{4}-\d{2}-\d{2}$/.test(birthDate)) {
    const [y, m, d] = birthDate.split('-');
    const forms = [`${y}${m}${d}`, `${d}${m}${y}`, ...['-', '/', '.', ' '].flatMap((s) => [`${y}${s}${m}${s}${d}`, `${d}${s}${m}${s}${y}`])];
    const compact = reference.replace(/\s+/g, ' ');
    if (forms.some((f) => compact.includes(f))) return 'Het eigen kenmerk mag geen geboortedatum bevatten.';
  }
  return null;
}

/** The own case number: never names, content, a BSN or a birth date. */
export const ReferenceField = z
  .string()
  .trim()
  .max(40, 'Het eigen kenmerk is hoogstens 40 tekens.')
  .regex(/^[A-Za-z0-9 ._/-]*$/, 'Alleen een dossiernummer: letters, cijfers, spatie en . _ / - (geen namen of inhoud).');

/** For `.superRefine`: refuses a reference that carries the submitted birth date or any valid BSN. */
export function checkReference(value: { reference?: string | null | undefined; birthDate: string }, ctx: z.RefinementCtx): void {
  const problem = value.reference ? referenceProblem(value.reference, value.birthDate) : null;
  if (problem) ctx.addIssue({ code: 'custom', path: ['reference'], message: problem });
}
