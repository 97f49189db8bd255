/**
 * Calendar dates as the Netherlands counts them. Dates are ISO `YYYY-MM-DD` text; "today"
 * is the Dutch calendar date (Europe/Amsterdam): a registration made at 00:30 in Rotterdam
 * is made on that day, not the UTC day before. Pure: used by registry, matching and jobs.
 */

// Made at first use: the time-zone formatter costs ~25 ms to create, which a CLI command that
// needs no calendar date should not pay at start (issue 12).
let dutchCalendar: Intl.DateTimeFormat | undefined;

// The last quarter of an hour asked about and its date: a Dutch day begins on a whole UTC
// hour (UTC+1 or UTC+2), so every instant in one quarter has the same date, and a request
// asks several times (issue 12: the formatter was 1.5 % of a registration's CPU).
let lastQuarter = Number.NaN;
let lastDate = '';

/** The calendar date of an instant in the Netherlands. */
export function isoDate(instant: Date): string {
  const quarter = Math.floor(instant.getTime() / 900_000);
  if (quarter === lastQuarter) return lastDate;
  dutchCalendar ??= new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' });
  lastDate = dutchCalendar.format(instant);
  lastQuarter = quarter;
  return lastDate;
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

/** The instant a Dutch calendar day begins (00:00 in Europe/Amsterdam, UTC+1 or UTC+2). */
export function startOfDutchDay(date: string): Date {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  for (const hours of [1, 2]) {
    const instant = new Date(utcMidnight - hours * 3_600_000);
    if (isoDate(instant) === date && isoDate(new Date(instant.getTime() - 1)) !== date) return instant;
  }
  throw new Error(`no Dutch midnight for ${date}`);
}
