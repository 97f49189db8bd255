/**
 * Statistics counted when things happen (docs/operations.md, "Statistics"): each verb that
 * registers, ends, matches, records contact or coordination, or escalates adds these
 * statements to its own atomic unit, so a count can neither be lost nor doubled by a retry
 * of a unit that did not commit. Deleted registrations and closed matches are really gone;
 * these counters are all that remains of them, and they hold no ids.
 */
import { sql } from 'drizzle-orm';
import { statisticsCounters } from '../db/schema.ts';
import { statementTemplate } from '../db/template.ts';
import type { Db, Statement } from '../db/types.ts';
import { isoDate } from '../lib/dates.ts';
import type { EndReason, Sector } from '../vocabulary.ts';

/** What is counted. `ended` is per end reason; the `*_days` metrics are histograms by working days. */
export type Metric = 'registrations' | `ended:${EndReason}` | 'matches' | 'contact_days' | 'coordinator_days' | 'escalations';

export interface Count {
  metric: Metric;
  /** The Dutch month the figure belongs to: of the event, or for follow-up of the match's creation. */
  at: Date;
  /** The sectors the event concerns; every count is also added to the total ('all'). */
  sectors: readonly Sector[];
  /** Working days, for the histograms. */
  bucket?: number;
}

export function monthOf(instant: Date): string {
  return isoDate(instant).slice(0, 7);
}

/** Upserts +1 for the month × each distinct sector, and for the total. */
export function countStatements(db: Db, count: Count): Statement[] {
  const month = monthOf(count.at);
  const bucket = count.bucket ?? 0;
  return [...new Set<string>([...count.sectors, 'all'])].map((sector) => addOne(db, { month, sector, metric: count.metric, bucket }));
}

/** Built once (src/db/template.ts): every registration counts. */
const addOne = statementTemplate<{ month: string; sector: string; metric: string; bucket: number }>((db) =>
  db
    .insert(statisticsCounters)
    .values({
      month: sql.placeholder('month'),
      sector: sql.placeholder('sector'),
      metric: sql.placeholder('metric'),
      bucket: sql.placeholder('bucket'),
      count: 1,
    })
    .onConflictDoUpdate({
      target: [statisticsCounters.month, statisticsCounters.sector, statisticsCounters.metric, statisticsCounters.bucket],
      set: { count: sql`${statisticsCounters.count} + 1` },
    }),
);
