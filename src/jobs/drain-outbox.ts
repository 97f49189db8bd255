/**
 * Sends due outbox rows. Each row is claimed with a lease (so two drainers never send the
 * same row at once), sent with a Message-ID that is stable per row, then marked sent.
 * A drainer that dies between sending and marking leaves a lease that runs out: the row
 * is sent again, recognisably the same message (at-least-once delivery).
 * Failures back off exponentially; after OUTBOX_MAX_ATTEMPTS the row is dead-lettered.
 */
import { and, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { outbox } from '../db/schema.ts';
import { SEND_CONCURRENCY } from '../notify/mailer.ts';
import { renderMail, type TemplateName } from '../notify/templates.ts';

export const LEASE_MS = 60_000;
const BASE_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 6 * 60 * 60_000;

export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
}

export interface DrainResult {
  claimed: number;
  sent: number;
  failed: number;
  dead: number;
}

export async function drainOutbox(deps: Deps, options: { batchSize?: number; owner?: string } = {}): Promise<DrainResult> {
  const { db, clock, config, mailer } = deps;
  const owner = options.owner ?? crypto.randomUUID();
  const now = clock.now();
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        eq(outbox.status, 'pending'),
        lte(outbox.nextAttemptAt, now),
        or(isNull(outbox.leaseUntil), lte(outbox.leaseUntil, now)),
      ),
    )
    .orderBy(outbox.nextAttemptAt)
    .limit(options.batchSize ?? 50);
  // One conditional UPDATE claims the rows: a concurrent drainer's claim matches none of them.
  const claimed = await db
    .update(outbox)
    .set({ leaseOwner: owner, leaseUntil: new Date(now.getTime() + LEASE_MS), attempts: sql`${outbox.attempts} + 1` })
    .where(and(inArray(outbox.id, due), or(isNull(outbox.leaseUntil), lte(outbox.leaseUntil, now))))
    .returning();

  const result: DrainResult = { claimed: claimed.length, sent: 0, failed: 0, dead: 0 };
  const host = new URL(config.PUBLIC_URL).hostname;
  const deliver = async (row: (typeof claimed)[number]) => {
    const mail = renderMail(row.template as TemplateName, row.payload as { matchId: string; registrationId: string }, config.PUBLIC_URL);
    try {
      await mailer.send({ ...mail, to: row.recipientEmail, from: config.MAIL_FROM, messageId: `<outbox-${row.id}@${host}>` });
      await db
        .update(outbox)
        .set({ status: 'sent', sentAt: clock.now(), leaseOwner: null, leaseUntil: null, lastError: null })
        .where(and(eq(outbox.id, row.id), eq(outbox.leaseOwner, owner)));
      result.sent++;
    } catch (error) {
      const dead = row.attempts >= config.OUTBOX_MAX_ATTEMPTS;
      // Only the error's class and SMTP code/response: never the message body.
      const lastError = describeError(error);
      await db
        .update(outbox)
        .set({
          status: dead ? 'dead' : 'pending',
          nextAttemptAt: new Date(clock.now().getTime() + backoffMs(row.attempts)),
          leaseOwner: null,
          leaseUntil: null,
          lastError,
        })
        .where(and(eq(outbox.id, row.id), eq(outbox.leaseOwner, owner)));
      deps.log('warn', 'outbox send failed', { outboxId: row.id, attempts: row.attempts, dead, error: lastError });
      if (dead) result.dead++;
      else result.failed++;
    }
  };
  const queue = [...claimed];
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) await deliver(row);
  };
  await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, queue.length) }, worker));
  return result;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const smtp = error as Error & { code?: string; responseCode?: number };
  return [error.name, smtp.code, smtp.responseCode, error.message].filter(Boolean).join(' ').slice(0, 500);
}

export async function outboxStatus(deps: Deps) {
  const rows = await deps.db
    .select({ status: outbox.status, count: sql<number>`count(*)` })
    .from(outbox)
    .groupBy(outbox.status);
  const counts = { pending: 0, sent: 0, dead: 0 };
  for (const r of rows) counts[r.status] = Number(r.count);
  return counts;
}
