/**
 * Reading the statistics (municipal admin; docs/operations.md, "Statistics"): per month of
 * the chosen period and per sector group, from the counters alone (src/stats/counters.ts),
 * suppressed by src/stats/suppress.ts before anything leaves this module. Only completed
 * months, each grouped by the organisations at its end, and follow-up figures only for
 * months that ended a full month ago: a month reads the same in every period and at every
 * later time, so comparing two views over time reveals no single event. Every view and
 * export is audited (`statistics.view`, `statistics.export`) with the period only.
 */
import { and, gte, lte } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.ts';
import { authorize } from '../auth/permissions.ts';
import type { Ctx } from '../context.ts';
import { organisations, statisticsCounters } from '../db/schema.ts';
import { isRealOrganisation } from '../directory/roles.ts';
import { addMonths, isoDate, startOfDutchDay } from '../lib/dates.ts';
import { parseInput, ServiceError } from '../lib/errors.ts';
import { readSettings } from '../settings/settings.ts';
import { END_REASONS, type EndReason, SECTORS } from '../vocabulary.ts';
import { groupSectors, medianOfBuckets, organisationsAt, type SectorGroup, type Shown, suppressGrid, THRESHOLD } from './suppress.ts';

/** The longest period one page or file covers. */
export const MAX_MONTHS = 36;

const Month = z
  .string()
  .trim()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'Kies een maand als JJJJ-MM, bijvoorbeeld 2026-01.' });

export const StatisticsInput = z
  .strictObject({ from: Month.optional().or(z.literal('').transform(() => undefined)), to: Month.optional().or(z.literal('').transform(() => undefined)) })
  .superRefine((v, issue) => {
    if (v.from && v.to && v.from > v.to) issue.addIssue({ code: 'custom', path: ['to'], message: 'De laatste maand ligt vóór de eerste maand.' });
    else if (v.from && v.to && monthsBetween(v.from, v.to).length > MAX_MONTHS)
      issue.addIssue({ code: 'custom', path: ['to'], message: `Kies een periode van hoogstens ${MAX_MONTHS} maanden.` });
  });

export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from; m <= to && months.length <= MAX_MONTHS; m = addMonths(`${m}-01`, 1).slice(0, 7)) months.push(m);
  return months;
}

/**
 * A ratio or median as it may be shown: a number, null (hidden, "x": its underlying counts
 * are, or it would exceed 100 %), 'elsewhere' ("–": no own figure this month) or
 * 'incomplete' (the month's follow-up is still going on).
 */
export type Figure = number | null | 'elsewhere' | 'incomplete';

/**
 * Months × columns, with each month's total. No totals over the period: two periods
 * that differ by one month would give that month's hidden figures away by subtraction.
 * Each month is grouped and suppressed on its own, so it reads the same in every period.
 */
export interface Table<T> {
  cells: T[][];
  rowTotals: T[];
}

export type CountTable = Table<Shown>;
export type FigureTable = Table<Figure>;

export interface Statistics {
  from: string;
  to: string;
  months: string[];
  /**
   * The columns: every sector shown on its own in some month of the period, then the merged
   * small sectors ("Overige sectoren") if any month has them.
   */
  groups: SectorGroup[];
  /** Per month, its own grouping (from the organisations at the end of that month). */
  monthGroups: SectorGroup[][];
  /** Per month, whether its follow-up figures are shown (the month ended a full month ago). */
  followUpComplete: boolean[];
  contactDays: number;
  registrations: CountTable;
  ended: Record<EndReason, CountTable>;
  matches: CountTable;
  escalations: CountTable;
  /** Share (0–1) of the matches created in the month with contact within `contactDays` working days. */
  contactShare: FigureTable;
  /** Median working days from the match to contact between two organisations, by the month the match was created. */
  contactMedian: FigureTable;
  /** Median working days from the match to the first coordinator. */
  coordinatorMedian: FigureTable;
}

type Rows = { month: string; sector: string; metric: string; bucket: number; count: number }[];

/** Counters in a form easy to sum: metric → sector → month → bucket → count. */
function index(rows: Rows) {
  const byKey = new Map<string, Map<number, number>>();
  for (const r of rows) {
    const key = `${r.metric}|${r.sector}|${r.month}`;
    if (!byKey.has(key)) byKey.set(key, new Map());
    const buckets = byKey.get(key)!;
    buckets.set(r.bucket, (buckets.get(r.bucket) ?? 0) + r.count);
  }
  /** The histogram of `metric` over these sectors and months. */
  return (metric: string, sectors: readonly string[], months: readonly string[]) => {
    const out = new Map<number, number>();
    for (const s of sectors) for (const m of months) for (const [b, n] of byKey.get(`${metric}|${s}|${m}`) ?? []) out.set(b, (out.get(b) ?? 0) + n);
    return out;
  };
}

const sum = (h: ReadonlyMap<number, number>) => [...h.values()].reduce((a, b) => a + b, 0);

const ELSEWHERE: Shown = { shown: false, reason: 'elsewhere' };
const INCOMPLETE: Shown = { shown: false, reason: 'incomplete' };

/** The month before `month` (YYYY-MM), or `n` months later with a negative n. */
function monthPlus(month: string, n: number): string {
  return addMonths(`${month}-01`, n).slice(0, 7);
}

/** The instant the Dutch month ends (the next month begins). */
function endOfMonth(month: string): Date {
  return startOfDutchDay(`${monthPlus(month, 1)}-01`);
}

function fieldError(field: 'from' | 'to', message: string): ServiceError {
  return new ServiceError('invalid_input', 'De invoer is niet geldig.', { [field]: [message] });
}

/** The period asked for, within the completed months (the current month is never shown). */
export function period(parsed: z.output<typeof StatisticsInput>, now: Date): { from: string; to: string; lastComplete: string } {
  const current = isoDate(now).slice(0, 7);
  const lastComplete = monthPlus(current, -1);
  const refusal = `Kies een afgesloten maand: hoogstens ${lastComplete}. De lopende maand telt nog door en wordt niet getoond.`;
  if (parsed.to && parsed.to > lastComplete) throw fieldError('to', refusal);
  if (parsed.from && parsed.from > lastComplete) throw fieldError('from', refusal);
  const to = parsed.to ?? (parsed.from ? minMonth(monthPlus(parsed.from, 11), lastComplete) : lastComplete);
  const from = parsed.from ?? monthPlus(to, -11);
  if (from > to) throw fieldError('to', 'De laatste maand ligt vóór de eerste maand.');
  return { from, to, lastComplete };
}

async function read(ctx: Ctx, parsed: z.output<typeof StatisticsInput>): Promise<Statistics> {
  const { db, clock, config } = ctx.deps;
  const { from, to } = period(parsed, clock.now());
  const months = monthsBetween(from, to);
  // Follow-up figures are filed under the match's month and change while its matches are
  // followed up: shown only for months that ended a full month ago.
  const followUpUntil = monthPlus(isoDate(clock.now()).slice(0, 7), -2);
  const followUpComplete = months.map((m) => m <= followUpUntil);

  const [rows, lives, settings] = await Promise.all([
    db
      .select()
      .from(statisticsCounters)
      .where(and(gte(statisticsCounters.month, from), lte(statisticsCounters.month, to))),
    db
      .select({ sector: organisations.sector, createdAt: organisations.createdAt, deactivatedAt: organisations.deactivatedAt, active: organisations.active })
      .from(organisations)
      .where(isRealOrganisation),
    readSettings(db, config),
  ]);
  // Each month its own grouping, from the organisations at its end.
  const monthGroups = months.map((m) => {
    const { perSector, existed } = organisationsAt(lives, endOfMonth(m));
    return groupSectors(perSector, existed);
  });
  const separate = new Set(monthGroups.flatMap((gs) => gs.filter((g) => g.key !== 'merged').map((g) => g.key)));
  const groups: SectorGroup[] = SECTORS.filter((s) => separate.has(s)).map((s) => ({ key: s, sectors: [s] }));
  const mergedSectors = new Set(monthGroups.flatMap((gs) => gs.filter((g) => g.key === 'merged').flatMap((g) => g.sectors)));
  if (mergedSectors.size > 0) groups.push({ key: 'merged', sectors: SECTORS.filter((s) => mergedSectors.has(s)) });

  const histogram = index(rows);
  /** A month's own values (one per group of that month) in the columns; the others `elsewhere`. */
  const place = <T>(i: number, values: T[], elsewhere: T): T[] =>
    groups.map((col) => {
      const k = monthGroups[i]!.findIndex((g) => g.key === col.key);
      return k < 0 ? elsewhere : values[k]!;
    });
  /** Per month: the raw counts of its groups and its total, suppressed on their own. */
  const perMonth = (metric: string) =>
    months.map((m, i) => {
      const raw = monthGroups[i]!.map((g) => sum(histogram(metric, g.sectors, [m])));
      const total = sum(histogram(metric, ['all'], [m]));
      // A one-row table whose column totals are its own cells: stricter than needed, as those are not shown apart.
      const s = suppressGrid({ cells: [raw], rowTotals: [total], columnTotals: raw, total });
      return { raw, total, cells: s.cells[0]!, rowTotal: s.rowTotals[0]! };
    });
  const suppressed = (metric: string, followUp = false): CountTable => {
    const rowsOf = perMonth(metric);
    return {
      cells: rowsOf.map((r, i) => (followUp && !followUpComplete[i] ? groups.map(() => INCOMPLETE) : place(i, r.cells, ELSEWHERE))),
      rowTotals: rowsOf.map((r, i) => (followUp && !followUpComplete[i] ? INCOMPLETE : r.rowTotal)),
    };
  };
  /** A follow-up figure per month and group (and for the month's total, sectors ['all']). */
  const figures = (at: (sectors: readonly string[], month: string, i: number, k: number | 'total') => Figure): FigureTable => ({
    cells: months.map((m, i) =>
      followUpComplete[i]
        ? place(
            i,
            monthGroups[i]!.map((g, k) => at(g.sectors, m, i, k)),
            'elsewhere' as Figure,
          )
        : groups.map((): Figure => 'incomplete'),
    ),
    rowTotals: months.map((m, i) => (followUpComplete[i] ? at(['all'], m, i, 'total') : 'incomplete')),
  });

  const matchRows = perMonth('matches');
  // A share is shown only where the matches are, and where neither the matches with contact
  // in time nor those without are below the threshold (either could be derived from it).
  // More in time than matches cannot be right (a match counted for other sectors than its
  // contact): then "x", never a capped share.
  const contactShare = figures((sectors, m, i, k) => {
    const r = matchRows[i]!;
    const n = k === 'total' ? r.total : r.raw[k]!;
    const shown = (k === 'total' ? r.rowTotal : r.cells[k]!).shown;
    const within = [...histogram('contact_days', sectors, [m])].reduce((acc, [bucket, c]) => (bucket <= settings.contactDays ? acc + c : acc), 0);
    return shown && within <= n && within >= THRESHOLD && n - within >= THRESHOLD ? within / n : null;
  });
  const median = (metric: string) =>
    figures((sectors, m) => {
      const h = histogram(metric, sectors, [m]);
      return sum(h) >= THRESHOLD ? medianOfBuckets(h) : null;
    });

  return {
    from,
    to,
    months,
    groups,
    monthGroups,
    followUpComplete,
    contactDays: settings.contactDays,
    registrations: suppressed('registrations'),
    ended: Object.fromEntries(END_REASONS.map((r) => [r, suppressed(`ended:${r}`)])) as Record<EndReason, CountTable>,
    matches: suppressed('matches'),
    escalations: suppressed('escalations', true),
    contactShare,
    contactMedian: median('contact_days'),
    coordinatorMedian: median('coordinator_days'),
  };
}

function minMonth(a: string, b: string): string {
  return a < b ? a : b;
}

/** The figures of a period, for the page. */
export async function readStatistics(ctx: Ctx, input: z.input<typeof StatisticsInput> = {}): Promise<Statistics> {
  const period = parseInput(StatisticsInput, input);
  await authorize(ctx, 'statistics', 'statistics.view');
  const stats = await read(ctx, period);
  await recordAudit(ctx, { action: 'statistics.view', outcome: 'success', detail: { from: stats.from, to: stats.to } });
  return stats;
}

/** The same figures, for the CSV file. */
export async function exportStatistics(ctx: Ctx, input: z.input<typeof StatisticsInput> = {}): Promise<Statistics> {
  const period = parseInput(StatisticsInput, input);
  await authorize(ctx, 'statistics', 'statistics.export');
  const stats = await read(ctx, period);
  await recordAudit(ctx, { action: 'statistics.export', outcome: 'success', detail: { from: stats.from, to: stats.to } });
  return stats;
}
