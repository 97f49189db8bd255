/**
 * Reading the statistics (municipal admin; docs/operations.md, "Statistics"): per month of
 * the chosen period and per sector group, from the counters alone (src/stats/counters.ts),
 * suppressed by src/stats/suppress.ts before anything leaves this module. Every view and
 * export is audited (`statistics.view`, `statistics.export`) with the period only.
 */
import { and, count, eq, gte, lte } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.ts';
import { authorize } from '../auth/permissions.ts';
import type { Ctx } from '../context.ts';
import { organisations, statisticsCounters } from '../db/schema.ts';
import { isRealOrganisation } from '../directory/roles.ts';
import { addMonths, isoDate } from '../lib/dates.ts';
import { parseInput, ServiceError } from '../lib/errors.ts';
import { readSettings } from '../settings/settings.ts';
import { END_REASONS, type EndReason, SECTORS, type Sector } from '../vocabulary.ts';
import { groupSectors, medianOfBuckets, type SectorGroup, type Shown, suppressGrid, THRESHOLD } from './suppress.ts';

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

/** A ratio or median that may be shown (null: hidden, because its underlying count is). */
export type Figure = number | null;

/**
 * Months × sector groups, with each month's total. No totals over the period: two periods
 * that differ by one month would give that month's hidden figures away by subtraction.
 * Each month is suppressed on its own, so it reads the same in every period.
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
  /** The columns, each a sector or the merged small sectors. */
  groups: SectorGroup[];
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

/** One table of the period: months × groups, with the months' totals from 'all'. */
function shape<T>(months: string[], groups: SectorGroup[], at: (sectors: readonly string[], month: string) => T): Table<T> {
  return {
    cells: months.map((m) => groups.map((g) => at(g.sectors, m))),
    rowTotals: months.map((m) => at(['all'], m)),
  };
}

function mapTable<A, B>(t: Table<A>, f: (a: A) => B): Table<B> {
  return { cells: t.cells.map((r) => r.map(f)), rowTotals: t.rowTotals.map(f) };
}

function zip<A, B, C>(a: Table<A>, b: Table<B>, f: (a: A, b: B) => C): Table<C> {
  return {
    cells: a.cells.map((r, i) => r.map((x, j) => f(x, b.cells[i]![j]!))),
    rowTotals: a.rowTotals.map((x, i) => f(x, b.rowTotals[i]!)),
  };
}

/**
 * Suppresses each month on its own (src/stats/suppress.ts): a one-row table whose column
 * totals are its own cells, which is stricter than needed, as those are not shown apart.
 */
function suppressMonths(t: Table<number>): CountTable {
  const rows = t.cells.map((cells, i) => suppressGrid({ cells: [cells], rowTotals: [t.rowTotals[i]!], columnTotals: cells, total: t.rowTotals[i]! }));
  return { cells: rows.map((r) => r.cells[0]!), rowTotals: rows.map((r) => r.rowTotals[0]!) };
}

async function read(ctx: Ctx, parsed: z.output<typeof StatisticsInput>): Promise<Statistics> {
  const { db, clock, config } = ctx.deps;
  const current = isoDate(clock.now()).slice(0, 7);
  const to = parsed.to ?? (parsed.from ? minMonth(addMonths(`${parsed.from}-01`, 11).slice(0, 7), current) : current);
  const from = parsed.from ?? addMonths(`${to}-01`, -11).slice(0, 7);
  if (from > to) throw new ServiceError('invalid_input', 'De invoer is niet geldig.', { to: ['De laatste maand ligt vóór de eerste maand.'] });
  const months = monthsBetween(from, to);

  const [rows, perSector, settings] = await Promise.all([
    db
      .select()
      .from(statisticsCounters)
      .where(and(gte(statisticsCounters.month, from), lte(statisticsCounters.month, to))),
    db
      .select({ sector: organisations.sector, n: count() })
      .from(organisations)
      .where(and(eq(organisations.active, true), isRealOrganisation))
      .groupBy(organisations.sector),
    readSettings(db, config),
  ]);
  const withData = new Set(rows.map((r) => r.sector).filter((s): s is Sector => (SECTORS as readonly string[]).includes(s)));
  const groups = groupSectors(Object.fromEntries(perSector.map((r) => [r.sector, r.n])), withData);
  const histogram = index(rows);
  const counts = (metric: string) => shape(months, groups, (sectors, m) => sum(histogram(metric, sectors, [m])));
  const suppressed = (metric: string) => suppressMonths(counts(metric));

  const matches = suppressed('matches');
  const inTime = shape(months, groups, (sectors, m) => {
    const h = histogram('contact_days', sectors, [m]);
    return [...h].reduce((n, [bucket, c]) => (bucket <= settings.contactDays ? n + c : n), 0);
  });
  // A share is shown only where the matches are, and where neither the matches with contact
  // in time nor those without are below the threshold (either could be derived from it).
  const contactShare = zip(
    zip(counts('matches'), matches, (n, shown) => ({ n, shown: shown.shown })),
    inTime,
    ({ n, shown }, within): Figure => {
      const num = Math.min(within, n);
      return shown && num >= THRESHOLD && n - num >= THRESHOLD ? num / n : null;
    },
  );
  const median = (metric: string) =>
    mapTable(
      shape(months, groups, (sectors, m) => histogram(metric, sectors, [m])),
      (h): Figure => (sum(h) >= THRESHOLD ? medianOfBuckets(h) : null),
    );

  return {
    from,
    to,
    months,
    groups,
    contactDays: settings.contactDays,
    registrations: suppressed('registrations'),
    ended: Object.fromEntries(END_REASONS.map((r) => [r, suppressed(`ended:${r}`)])) as Record<EndReason, CountTable>,
    matches,
    escalations: suppressed('escalations'),
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
