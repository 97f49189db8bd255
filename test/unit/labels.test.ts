/**
 * Dates as the pages show them. formatDate remembers what it formatted per UTC hour
 * (src/views/labels.ts); it must still give Amsterdam's calendar date for every instant,
 * around midnight and across both daylight-saving changes.
 */
import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime } from '../../src/views/labels.ts';

const AMSTERDAM = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', day: 'numeric', month: 'long', year: 'numeric' });

describe('formatDate', () => {
  it("gives Amsterdam's date for every minute-ish instant around midnight and the DST changes, formatted once per hour", () => {
    const ranges: Array<[string, string]> = [
      ['2026-03-28T18:00:00Z', '2026-03-30T06:00:00Z'], // to summer time: 29 March, 01:00 UTC
      ['2026-10-24T18:00:00Z', '2026-10-26T06:00:00Z'], // to winter time: 25 October, 01:00 UTC
      ['2026-12-31T20:00:00Z', '2027-01-01T04:00:00Z'], // a new year in winter time
    ];
    for (const [from, to] of ranges) {
      // Every 7 minutes: instants at many offsets within each hour, in random order so a
      // remembered hour is met from every side.
      const instants: Date[] = [];
      for (let t = Date.parse(from); t < Date.parse(to); t += 7 * 60_000) instants.push(new Date(t));
      instants.sort(() => Math.random() - 0.5);
      for (const at of instants) {
        expect(formatDate(at), at.toISOString()).toBe(AMSTERDAM.format(at));
        expect(formatDate(at.toISOString()), at.toISOString()).toBe(AMSTERDAM.format(at));
      }
    }
  });

  it('gives a calendar date as that day, and an instant with its time', () => {
    expect(formatDate('2026-03-29')).toBe('29 maart 2026');
    expect(formatDate('2026-10-25')).toBe('25 oktober 2026');
    expect(formatDate('2026-10-24T22:30:00Z')).toBe('25 oktober 2026'); // 00:30 summer time
    expect(formatDate('2026-10-25T22:30:00Z')).toBe('25 oktober 2026'); // 23:30 winter time
    expect(formatDateTime('2026-10-25T22:30:00Z')).toBe('25 oktober 2026, 23:30');
  });
});
