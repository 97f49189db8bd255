import { validateBsn } from './bsn.ts';

/**
 * The own reference is a case number, never identity. Refuses a reference that carries
 * something identifying the young person: a number that passes as a BSN (the submitted one
 * or any other), or the birth date in a common notation. Returns a message, or null.
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
