/**
 * Working days as Dutch law counts them (Algemene termijnenwet, art. 3): every day except
 * Saturday, Sunday and the generally recognised holidays — New Year's Day, Good Friday
 * (art. 3 lid 2), Easter Monday, King's Day (27 April, or 26 April when the 27th is a
 * Sunday), 5 May (every year), Ascension Day, Whit Monday, Christmas Day and Boxing Day.
 * Days the government equates by decree (art. 3 lid 3, e.g. the Friday after Ascension)
 * are not included (docs/operations.md, "Deadlines"). Easter itself comes from
 * `date-easter` (ADR 0012); the set is pinned per year in test/unit/working-days.test.ts.
 * Dates are ISO `YYYY-MM-DD` text on the Dutch calendar (src/lib/dates.ts). Pure.
 */
import { gregorianEaster } from 'date-easter';
import { addDays } from './dates.ts';

const cache = new Map<number, ReadonlySet<string>>();

function iso(y: number, m: number, d: number): string {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** The Algemene termijnenwet's holidays of one year, as ISO dates. */
export function holidays(year: number): ReadonlySet<string> {
  const known = cache.get(year);
  if (known) return known;
  const e = gregorianEaster(year);
  const easter = iso(e.year, e.month, e.day);
  const kingsDay = weekday(iso(year, 4, 27)) === 0 ? iso(year, 4, 26) : iso(year, 4, 27);
  const set = new Set([
    iso(year, 1, 1),
    addDays(easter, -2), // Good Friday
    addDays(easter, 1), // Easter Monday
    kingsDay,
    iso(year, 5, 5),
    addDays(easter, 39), // Ascension Day
    addDays(easter, 50), // Whit Monday
    iso(year, 12, 25),
    iso(year, 12, 26),
  ]);
  cache.set(year, set);
  return set;
}

export function isWorkingDay(date: string): boolean {
  const day = weekday(date);
  return day !== 0 && day !== 6 && !holidays(Number(date.slice(0, 4))).has(date);
}

/**
 * The `n`-th working day after `date` (the day itself does not count: a match made on
 * Monday with n = 5 is due the next Monday). n = 0 gives `date`.
 */
export function addWorkingDays(date: string, n: number): string {
  let day = date;
  for (let left = n; left > 0; ) {
    day = addDays(day, 1);
    if (isWorkingDay(day)) left--;
  }
  return day;
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: string, to: string): number {
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) {
    if (isWorkingDay(day)) count++;
  }
  return count;
}

/**
 * The latest start date whose `n`-th working day is before `today`: anything that started
 * on or before it has passed its deadline of `n` working days (the deadline day itself is
 * still in time).
 */
export function latestStartPastDeadline(today: string, n: number): string {
  // Walk back to the day before today, then n working days further back: the start day
  // whose n-th working day is yesterday or earlier. Non-working days just before a
  // deadline belong to the same start, so step back to the last day that still qualifies.
  let start = addDays(today, -1);
  while (addWorkingDays(start, n) >= today) start = addDays(start, -1);
  return start;
}
