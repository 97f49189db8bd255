/**
 * Input rules the API and the pages share, so a case number is judged the same way
 * whichever way it arrives. (The API adds OpenAPI descriptions on top.)
 */
import { z } from 'zod';
import { referenceProblem } from '../identity/reference.ts';

/** The own case number: never names, content, a BSN or a birth date. */
export const ReferenceField = z
  .string()
  .trim()
  .max(40, 'Het eigen kenmerk is hoogstens 40 tekens.')
  .regex(/^[A-Za-z0-9 ._/-]*$/, 'Alleen een dossiernummer: letters, cijfers, spatie en . _ / - (geen namen of inhoud).');

/** Refuses a reference that carries the submitted birth date or any valid BSN. */
export function checkReference(value: { reference?: string | null | undefined; birthDate: string }, ctx: z.RefinementCtx): void {
  const problem = value.reference ? referenceProblem(value.reference, value.birthDate) : null;
  if (problem) ctx.addIssue({ code: 'custom', path: ['reference'], message: problem });
}
