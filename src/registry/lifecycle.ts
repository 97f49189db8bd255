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
 * (2 years at most, law 7.1.4.5) and the subject's 23rd year. Returns null when the subject
 * is 23 or older. Nothing kept may reveal the birth day (docs/domain.md): an age-capped
 * registration ends on the last day of the month before the 23rd birthday's month (or
 * today, when that month has begun), and only that month is kept, to destroy archive
 * entries at 23.
 */
export function computeTerm(birthDate: string, today: string, termMonths: number): Term | null {
  const age = ageOn(birthDate, today);
  if (age >= 23) return null;
  const ageLimitMonth = `${addMonths(birthDate, 23 * 12).slice(0, 7)}-01`;
  const beforeAgeLimit = addDays(ageLimitMonth, -1);
  const lastDayByAge = beforeAgeLimit < today ? today : beforeAgeLimit;
  const termEnd = addDays(addMonths(today, termMonths), -1);
  const byAge = lastDayByAge < termEnd;
  return {
    endsOn: byAge ? lastDayByAge : termEnd,
    endsBecause: byAge ? 'age' : 'term',
    ageLimitMonth,
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
