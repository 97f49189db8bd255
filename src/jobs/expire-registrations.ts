/**
 * Ends registrations whose last active day (`endsOn`) has passed: by term they are archived
 * (`expired`), by age they are deleted (`turned_23`). Each one goes through
 * `expireRegistration`, which ends it exactly as a professional's `endRegistration` does, so
 * matches shrink or close and members are notified the same way. Idempotent: a
 * registration ended by a concurrent run is simply not found the second time.
 */
import { isState } from '../db/constant.ts';
import { and, asc, lt } from 'drizzle-orm';
import type { Ctx } from '../context.ts';
import { registrations } from '../db/schema.ts';
import { ServiceError } from '../lib/errors.ts';
import { expireRegistration } from '../registry/end-registration.ts';
import { isoDate } from '../lib/dates.ts';

export async function expireRegistrations(ctx: Ctx, batchSize = 200): Promise<{ expired: number; turned23: number }> {
  const today = isoDate(ctx.deps.clock.now());
  const due = await ctx.deps.db
    .select({ id: registrations.id, endsBecause: registrations.endsBecause })
    .from(registrations)
    .where(and(isState(registrations.status, 'active'), lt(registrations.endsOn, today)))
    .orderBy(asc(registrations.endsOn))
    .limit(batchSize);
  const result = { expired: 0, turned23: 0 };
  for (const row of due) {
    try {
      const ended = await expireRegistration(ctx, { registrationId: row.id, reason: row.endsBecause === 'age' ? 'turned_23' : 'expired' });
      // At 23 every registration of the subject ends at once (the others are not found later).
      if (row.endsBecause === 'age') result.turned23 += 1 + ended.alsoEnded;
      else result.expired++;
    } catch (error) {
      if (!(error instanceof ServiceError && error.code === 'not_found')) throw error;
    }
  }
  return result;
}
