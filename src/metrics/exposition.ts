/**
 * What `/metrics` answers: the process's counters (src/metrics/registry.ts) and gauges read
 * from the database at scrape time, exact on both runtimes, in Prometheus text format 0.0.4.
 * Aggregates only: a count of mails, never a row, an address or an id.
 */
import { sql } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { type Family, memoryFamilies, renderFamilies } from './registry.ts';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Both counts in one query, each on the outbox's partial indexes (pending; sent or dead). */
async function outboxGauges(deps: Pick<Deps, 'db'>): Promise<Family[]> {
  const row = await deps.db.get<{ pending: number; dead: number }>(
    sql`SELECT (SELECT count(*) FROM outbox WHERE status = 'pending') AS pending, (SELECT count(*) FROM outbox WHERE status = 'dead') AS dead`,
  );
  return [
    {
      name: 'betrokken_outbox_depth',
      help: 'Mails waiting in the outbox to be sent (status pending, including those backing off after a failure).',
      type: 'gauge',
      samples: [{ value: Number(row?.pending ?? 0) }],
    },
    {
      name: 'betrokken_outbox_dead',
      help: 'Mails given up on (dead letters): they need an operator (outbox retry or the mail page in the console).',
      type: 'gauge',
      samples: [{ value: Number(row?.dead ?? 0) }],
    },
  ];
}

/** The whole exposition text. */
export async function renderMetrics(deps: Pick<Deps, 'db'>): Promise<string> {
  return renderFamilies([...memoryFamilies(), ...(await outboxGauges(deps))]);
}

/**
 * Whether the `Authorization` header carries the configured token, compared in constant time:
 * both sides are hashed first (SHA-256, equal lengths whatever was sent) and every byte is
 * compared, so the answer's timing says nothing about how much of a guess was right.
 */
export async function metricsTokenMatches(expected: string, authorization: string | undefined): Promise<boolean> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  const given = match?.[1] ?? '';
  const encoder = new TextEncoder();
  const [a, b] = await Promise.all([crypto.subtle.digest('SHA-256', encoder.encode(expected)), crypto.subtle.digest('SHA-256', encoder.encode(given))]);
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  let difference = given.length > 0 ? 0 : 1;
  for (let i = 0; i < x.length; i++) difference |= x[i]! ^ y[i]!;
  return difference === 0;
}
