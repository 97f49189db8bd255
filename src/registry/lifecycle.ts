/**
 * Date rules of a registration (DOMAIN "Lifetime of a registration"). Pure; dates are
 * ISO `YYYY-MM-DD` calendar dates. "Today" is the Dutch calendar date (Europe/Amsterdam):
 * a registration made at 00:30 in Rotterdam is made on that day, not the UTC day before.
 */
import { ARCHIVING_REASONS, type EndReason, type InformWhom } from '../db/schema.ts';

const dutchCalendar = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar date of an instant in the Netherlands. */
export function isoDate(instant: Date): string {
  return dutchCalendar.format(instant);
}

function parse(date: string): { y: number; m: number; d: number } {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return { y, m, d };
}

function format(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Adds months, clamping to the last day of the target month (29 Feb + 12 months = 28 Feb). */
export function addMonths(date: string, months: number): string {
  const { y, m, d } = parse(date);
  const index = y * 12 + (m - 1) + months;
  const ty = Math.floor(index / 12);
  const tm = (index % 12) + 1;
  const last = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
  return format(ty, tm, Math.min(d, last));
}

export function addDays(date: string, days: number): string {
  const { y, m, d } = parse(date);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole years of age on `on`. */
export function ageOn(birthDate: string, on: string): number {
  const b = parse(birthDate);
  const o = parse(on);
  return o.y - b.y - (o.m < b.m || (o.m === b.m && o.d < b.d) ? 1 : 0);
}

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
