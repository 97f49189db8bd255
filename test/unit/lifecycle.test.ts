import { describe, expect, it } from 'vitest';
import { archiveUntil, computeTerm } from '../../src/registry/lifecycle.ts';
import { addMonths, ageOn, isoDate } from '../../src/lib/dates.ts';

describe('registration term', () => {
  it('is active through the day before the term’s anniversary for a young child', () => {
    expect(computeTerm('2015-03-10', '2026-11-23', 24)).toEqual({
      endsOn: '2028-11-22',
      endsBecause: 'term',
      ageLimitMonth: '2038-03-01',
      informWhom: 'representative',
    });
  });

  it('honours a shorter municipal term', () => {
    expect(computeTerm('2015-03-10', '2026-11-23', 12)?.endsOn).toBe('2027-11-22');
  });

  it('ends before the month of the 23rd birthday when that comes first', () => {
    expect(computeTerm('2004-02-01', '2026-11-23', 24)).toEqual({ endsOn: '2027-01-31', endsBecause: 'age', ageLimitMonth: '2027-02-01', informWhom: 'youth' });
  });

  it('keeps nothing that reveals the birth day: the same end for every birthday in a month', () => {
    const ends = ['2004-02-01', '2004-02-17', '2004-02-29'].map((birthDate) => computeTerm(birthDate, '2026-11-23', 24));
    expect(ends.map((term) => term?.endsOn)).toEqual(['2027-01-31', '2027-01-31', '2027-01-31']);
    expect(new Set(ends.map((term) => JSON.stringify(term))).size).toBe(1);
  });

  it('refuses a subject of 23 or older', () => {
    expect(computeTerm('2003-11-23', '2026-11-23', 24)).toBeNull();
    expect(computeTerm('1990-01-01', '2026-11-23', 24)).toBeNull();
  });

  it('accepts a subject who turns 23 tomorrow, active for today only', () => {
    expect(computeTerm('2003-11-24', '2026-11-23', 24)).toMatchObject({ endsOn: '2026-11-23', endsBecause: 'age' });
  });

  it('says who must be informed, by age at registration: under 12, 12 to 15, 16 and older', () => {
    expect(computeTerm('2014-11-24', '2026-11-23', 24)?.informWhom).toBe('representative'); // 11
    expect(computeTerm('2014-11-23', '2026-11-23', 24)?.informWhom).toBe('both'); // 12 today
    expect(computeTerm('2010-11-24', '2026-11-23', 24)?.informWhom).toBe('both'); // 15
    expect(computeTerm('2010-11-23', '2026-11-23', 24)?.informWhom).toBe('youth'); // 16 today
  });

  it('takes today as the Dutch calendar date', () => {
    expect(isoDate(new Date('2026-11-23T23:30:00Z'))).toBe('2026-11-24'); // 00:30 in Amsterdam
    expect(isoDate(new Date('2026-07-01T21:59:00Z'))).toBe('2026-07-01'); // 23:59 summer time
  });

  it('gives each instant its own date around midnight, also when asked one after another (the quarter-hour memo)', () => {
    // Winter: midnight in Amsterdam is 23:00 UTC; summer: 22:00 UTC; and the nights the clock changes.
    for (const [instant, date] of [
      ['2026-11-23T22:59:59.999Z', '2026-11-23'],
      ['2026-11-23T23:00:00.000Z', '2026-11-24'],
      ['2026-11-23T22:59:59.999Z', '2026-11-23'],
      ['2026-07-01T21:59:59.999Z', '2026-07-01'],
      ['2026-07-01T22:00:00.000Z', '2026-07-02'],
      ['2026-03-28T22:59:59.999Z', '2026-03-28'],
      ['2026-03-28T23:00:00.000Z', '2026-03-29'],
      ['2026-10-24T21:59:59.999Z', '2026-10-24'],
      ['2026-10-24T22:00:00.000Z', '2026-10-25'],
    ] as const) {
      expect(isoDate(new Date(instant))).toBe(date);
    }
  });

  it('clamps month arithmetic to the end of the month', () => {
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-11-23', 24)).toBe('2028-11-23');
  });

  it('computes whole years of age', () => {
    expect(ageOn('2010-11-24', '2026-11-23')).toBe(15);
    expect(ageOn('2010-11-23', '2026-11-23')).toBe(16);
  });

  it('keeps archive entries five years, but not past the month the subject turns 23', () => {
    expect(archiveUntil('2026-11-23', 5, '2040-05-01')).toBe('2031-11-23');
    expect(archiveUntil('2026-11-23', 5, '2028-05-01')).toBe('2028-05-01');
  });
});
