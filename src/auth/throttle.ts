/**
 * The per-IP limit in front of the login steps: a fixed window per client address, counted
 * in the database so it holds across Node workers and Workers isolates alike. The bucket is
 * a keyed hash of the address (no IP address is stored), and one upsert both counts and
 * reads the count, so concurrent attempts cannot slip past it.
 */
import { lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.ts';
import type { Ctx } from '../context.ts';
import { rateLimits } from '../db/schema.ts';
import { parseInput } from '../lib/errors.ts';
import { metrics } from '../metrics/registry.ts';
import { keyedHashHex } from './secrets.ts';

export const LOGIN_WINDOW_MS = 15 * 60_000;

/** The client's address as the runtime saw it; null when unknown (all unknowns share a bucket). */
export const AllowLoginAttemptInput = z.strictObject({ clientAddress: z.string().nullable() });

/** Counts one login attempt from this address; false once it is over the limit (audited once). */
export async function allowLoginAttempt(ctx: Ctx, input: z.input<typeof AllowLoginAttemptInput>): Promise<boolean> {
  const { clientAddress } = parseInput(AllowLoginAttemptInput, input);
  const { db, clock, config } = ctx.deps;
  const windowStart = Math.floor(clock.now().getTime() / LOGIN_WINDOW_MS) * LOGIN_WINDOW_MS;
  const bucket = await keyedHashHex(config.PSEUDONYM_KEY!, 'rate-limit', `login:${clientAddress ?? 'unknown'}`);
  const [row] = await db
    .insert(rateLimits)
    .values({ bucket, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.bucket,
      set: {
        count: sql`CASE WHEN ${rateLimits.windowStart} = excluded.window_start THEN ${rateLimits.count} + 1 ELSE 1 END`,
        windowStart: sql`excluded.window_start`,
      },
    })
    .returning({ count: rateLimits.count });
  const count = row?.count ?? 1;
  if (count === config.LOGIN_LIMIT_PER_IP + 1) {
    await recordAudit(ctx, {
      action: 'account.login_throttle',
      outcome: 'denied',
      detail: { limit: config.LOGIN_LIMIT_PER_IP, minutes: LOGIN_WINDOW_MS / 60_000 },
    });
  }
  if (count > config.LOGIN_LIMIT_PER_IP) metrics.loginRefused('throttled');
  return count <= config.LOGIN_LIMIT_PER_IP;
}

/** Drops finished windows (run with the retention job). */
export async function purgeRateLimits(ctx: Ctx): Promise<number> {
  const current = Math.floor(ctx.deps.clock.now().getTime() / LOGIN_WINDOW_MS) * LOGIN_WINDOW_MS;
  const gone = await ctx.deps.db.delete(rateLimits).where(lt(rateLimits.windowStart, current)).returning({ bucket: rateLimits.bucket });
  return gone.length;
}
