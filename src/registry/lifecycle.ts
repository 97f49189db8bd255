/**
 * Date rules of a registration (docs/domain.md, "Lifetime of a registration"). Pure; the
 * calendar arithmetic itself is in src/lib/dates.ts.
 */
import { ARCHIVING_REASONS, type EndReason, type InformWhom } from '../vocabulary.ts';
import { addDays, addMonths, ageOn } from '../lib/dates.ts';

export interface Term {
  /** The last day the registration is active. */
  endsOn: string;
  endsBecause: 'term' | 'age';
  ageLimitMonth: string;
  /** Who must be informed (law 7.1.5.1): under 12 the representative, 12–15 both, 16+ the youth. */
  informWhom: InformWhom;
}

export function informWhom(age: number): InformWhom {
  return age < 12 ? 'representative' : age < 16 ? 'both' : 'youth';
}

/**
 * A registration is active through the earlier of the day before the term's anniversary
 * (2 years at most, law 7.1.4.5) and the day before the 23rd birthday. Returns null when
 * the subject is 23 or older. The birth date is not part of the result: only the month of
 * the 23rd birthday is kept, to destroy archive entries at 23.
 */
export function computeTerm(birthDate: string, today: string, termMonths: number): Term | null {
  const age = ageOn(birthDate, today);
  if (age >= 23) return null;
  const birthday23 = addMonths(birthDate, 23 * 12);
  const dayBefore23 = addDays(birthday23, -1);
  const termEnd = addDays(addMonths(today, termMonths), -1);
  const byAge = dayBefore23 < termEnd;
  return {
    endsOn: byAge ? dayBefore23 : termEnd,
    endsBecause: byAge ? 'age' : 'term',
    ageLimitMonth: `${birthday23.slice(0, 7)}-01`,
    informWhom: informWhom(age),
  };
}

/** Archived rows are destroyed after ARCHIVE_YEARS, or when the subject turns 23. */
export function archiveUntil(endedOn: string, archiveYears: number, ageLimitMonth: string): string {
  const byYears = addMonths(endedOn, archiveYears * 12);
  return byYears < ageLimitMonth ? byYears : ageLimitMonth;
}

export function archives(reason: EndReason): boolean {
  return ARCHIVING_REASONS.includes(reason);
}
