/**
 * The own reference ("eigen kenmerk") is a case number, never identity. These rules are
 * shared by the register verb, the API and the pages, so a case number is judged the same
 * way whichever way it arrives.
 */
import { z } from 'zod';
import { validateBsn } from './bsn.ts';

/** Said for either finding: the professional needs to know what to change, not which it was. */
export const REFERENCE_LOOKS_IDENTIFYING =
  'Het eigen kenmerk lijkt op een BSN of geboortedatum. Vul alleen uw dossiernummer in, zonder gegevens van de jeugdige.';

/** Runs of digits joined only by separators (space . - / _: all a case number may hold), as a BSN or date is often written. */
const JOINED_DIGITS = /\d+(?:[\s._/-]+\d+)*/g;

/** The ways a birth date is commonly written: yyyy-mm-dd, dd-mm-yyyy, d-m-yyyy, compact. */
function dateNotations(birthDate: string): RegExp[] {
  const [y, m, d] = birthDate.split('-') as [string, string, string];
  const dd = `0?${Number(d)}`;
  const mm = `0?${Number(m)}`;
  const sep = '[\\s._/-]+';
  const forms = [`${y}${sep}${mm}${sep}${dd}`, `${dd}${sep}${mm}${sep}${y}`, `${y}${m}${d}`, `${d}${m}${y}`];
  // Not part of a longer number: 12022014 is no date inside 1120220145.
  return forms.map((f) => new RegExp(`(?<!\\d)${f}(?!\\d)`));
}

/**
 * Refuses a reference that carries something identifying the young person (docs/domain.md):
 * a number that passes as a BSN (the submitted one or any other), also when its digits are
 * split by spaces, dots, dashes or slashes, or the birth date in a common notation.
 * Returns a message, or null.
 */
export function referenceProblem(reference: string, birthDate: string | undefined): string | null {
  for (const run of reference.match(/\d{8,9}/g) ?? []) {
    if (validateBsn(run).ok) return REFERENCE_LOOKS_IDENTIFYING;
  }
  for (const run of reference.match(JOINED_DIGITS) ?? []) {
    const digits = run.replace(/\D/g, '');
    // A BSN is written in three or more groups (1234.56.782, 123-456-782); two groups are
    // how case numbers look (DOS-2026-0106), and one in eleven of those would pass the
    // elfproef by chance.
    const groups = run.split(/[\s._/-]+/).length;
    if (groups >= 3 && (digits.length === 8 || digits.length === 9) && validateBsn(digits).ok) return REFERENCE_LOOKS_IDENTIFYING;
  }
  if (birthDate && /^\d{4}-\d{2}-\d{2}$/.test(birthDate) && dateNotations(birthDate).some((r) => r.test(reference))) {
    return REFERENCE_LOOKS_IDENTIFYING;
  }
  return null;
}

/**
 * The own case number in case-number shape (docs/domain.md): letters, digits and `-_./`,
 * at least one digit, no spaces, at most 40 characters. "Jan de Vries 12 mei" cannot pass:
 * a name needs a space or has no digit. An empty value means "none".
 */
export const ReferenceField = z
  .string()
  .trim()
  .max(40, 'Het eigen kenmerk is hoogstens 40 tekens.')
  .regex(/^[A-Za-z0-9._/-]*$/, 'Alleen een dossiernummer: letters, cijfers en - _ . / zonder spaties (geen namen of inhoud).')
  .refine((value) => value === '' || /\d/.test(value), 'Een dossiernummer bevat minstens één cijfer (zo kan het geen naam zijn).');

/** For `.superRefine`: refuses a reference that carries the submitted birth date or any valid BSN. */
export function checkReference(value: { reference?: string | null | undefined; birthDate: string }, ctx: z.RefinementCtx): void {
  const problem = value.reference ? referenceProblem(value.reference, value.birthDate) : null;
  if (problem) ctx.addIssue({ code: 'custom', path: ['reference'], message: problem });
}
