/**
 * Destroys what has outlived its retention: archive entries past ARCHIVE_YEARS or the
 * subject's 23rd birthday month (real deletion; the audit keeps that it happened, without
 * the data), and sent or dead outbox rows after 30 days. A closed match goes with its last
 * member row (trigger `match_members_gc`).
 */
import { isState } from '../db/constant.ts';
import { and, inArray, lte, ne } from 'drizzle-orm';
import { auditStatement } from '../audit/audit.ts';
import type { Ctx } from '../context.ts';
import { matchMembers, outbox, registrations } from '../db/schema.ts';
import { purgeRateLimits } from '../auth/throttle.ts';
import { isoDate } from '../lib/dates.ts';

const SENT_OUTBOX_DAYS = 30;

/** D1 allows at most 100 bound parameters per statement: destroy in units of this many. */
const UNIT = 50;

export async function purgeRetention(ctx: Ctx, batchSize = 500): Promise<{ archiveEntries: number; outbox: number }> {
  const { db, clock, atomic } = ctx.deps;
  const now = clock.now();
  const today = isoDate(now);
  const expired = await db
    .select({ id: registrations.id })
    .from(registrations)
    .where(and(isState(registrations.status, 'archived'), lte(registrations.archiveUntil, today)))
    .limit(batchSize);
  const ids = expired.map((r) => r.id);
  for (let i = 0; i < ids.length; i += UNIT) {
    const unit = ids.slice(i, i + UNIT);
    await atomic([
      db.delete(matchMembers).where(inArray(matchMembers.registrationId, unit)),
      db.delete(registrations).where(and(inArray(registrations.id, unit), isState(registrations.status, 'archived'))),
      ...unit.map((id) => auditStatement(ctx, { action: 'archive.destroy', outcome: 'success', registrationId: id })),
    ]);
  }
  const sentBefore = new Date(now.getTime() - SENT_OUTBOX_DAYS * 86_400_000);
  const oldOutbox = await db
    .delete(outbox)
    .where(and(ne(outbox.status, 'pending'), lte(outbox.createdAt, sentBefore)))
    .returning({ id: outbox.id });
  await purgeRateLimits(ctx);
  return { archiveEntries: ids.length, outbox: oldOutbox.length };
}
