import { describe, expect, it } from 'vitest';
import { isoDate, startOfDutchDay } from '../../src/lib/dates.ts';
import { addWorkingDays, holidays, isWorkingDay, latestStartPastDeadline, workingDaysBetween } from '../../src/lib/working-days.ts';

// The Algemene termijnenwet's set, pinned per year (art. 3 lid 1 and 2): a library update
// or a wrong rule (5 May only in lustrum years, Good Friday missing) fails here.
const PINNED: Record<number, string[]> = {
  2025: ['01-01', '04-18', '04-21', '04-26', '05-05', '05-29', '06-09', '12-25', '12-26'],
  2026: ['01-01', '04-03', '04-06', '04-27', '05-05', '05-14', '05-25', '12-25', '12-26'],
  2027: ['01-01', '03-26', '03-29', '04-27', '05-05', '05-06', '05-17', '12-25', '12-26'],
  2028: ['01-01', '04-14', '04-17', '04-27', '05-05', '05-25', '06-05', '12-25', '12-26'],
};

describe('working days (Algemene termijnenwet)', () => {
  for (const [year, days] of Object.entries(PINNED)) {
    it(`the holidays of ${year}`, () => {
      expect([...holidays(Number(year))].sort()).toEqual(days.map((d) => `${year}-${d}`));
    });
  }

  it('King’s Day moves to the 26th when the 27th is a Sunday (2025), and a Saturday 27 April stays (2024)', () => {
    expect(isWorkingDay('2025-04-26')).toBe(false); // Saturday anyway, but it is the holiday
    expect(holidays(2025).has('2025-04-27')).toBe(false);
    expect(holidays(2024).has('2024-04-27')).toBe(true);
  });

  it('weekends and holidays do not count; the start day does not count', () => {
    expect(addWorkingDays('2026-11-23', 5)).toBe('2026-11-30'); // Monday → next Monday
    expect(addWorkingDays('2026-11-27', 1)).toBe('2026-11-30'); // Friday → Monday
    expect(addWorkingDays('2026-12-23', 3)).toBe('2026-12-29'); // over Christmas (Fri 25, Sat 26)
    expect(addWorkingDays('2026-04-30', 5)).toBe('2026-05-08'); // over 5 May (Tuesday)
    expect(addWorkingDays('2026-04-02', 1)).toBe('2026-04-07'); // Good Friday and Easter Monday
    expect(addWorkingDays('2026-11-23', 0)).toBe('2026-11-23');
  });

  it('counts working days between two dates', () => {
    expect(workingDaysBetween('2026-11-23', '2026-11-30')).toBe(5);
    expect(workingDaysBetween('2026-12-24', '2026-12-28')).toBe(1);
    expect(workingDaysBetween('2026-11-30', '2026-11-23')).toBe(0);
  });

  it('the latest start whose deadline has passed', () => {
    // Today Tuesday 1 Dec 2026: a start on Monday 23 Nov was due Monday 30 Nov (passed);
    // a start on Tuesday 24 Nov is due today (still in time).
    expect(latestStartPastDeadline('2026-12-01', 5)).toBe('2026-11-23');
    // Today Monday 30 Nov: starts on Fri 20, Sat 21 and Sun 22 Nov were all due Fri 27 Nov.
    expect(latestStartPastDeadline('2026-11-30', 5)).toBe('2026-11-22');
    for (const today of ['2026-12-01', '2026-11-30', '2026-12-29', '2027-01-04']) {
      for (const n of [1, 5, 10, 15]) {
        const start = latestStartPastDeadline(today, n);
        expect(addWorkingDays(start, n) < today).toBe(true);
        expect(addWorkingDays(addDaysIso(start, 1), n) >= today).toBe(true);
      }
    }
  });

  it('a Dutch day starts at local midnight, in winter and in summer', () => {
    expect(startOfDutchDay('2026-01-15').toISOString()).toBe('2026-01-14T23:00:00.000Z');
    expect(startOfDutchDay('2026-07-15').toISOString()).toBe('2026-07-14T22:00:00.000Z');
    expect(isoDate(startOfDutchDay('2026-03-29'))).toBe('2026-03-29'); // the day summer time starts
  });
});

function addDaysIso(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
