/**
 * The professional's overview (the start page): their matches, their newest active
 * registrations, those not yet informed and the advice the municipality asks of them. Each
 * list is its own verb, with its own access check and audit event; here their reads run
 * together, in one round trip on D1 (src/db/template.ts, `runReadPlans`).
 */
import type { Ctx } from '../context.ts';
import { runReadPlans } from '../db/template.ts';
import { planMyMatches } from '../matching/my-matches.ts';
import { planOpenAdvice } from '../rights/my-advice.ts';
import { planRegistrations } from './read-registrations.ts';

/** Active registrations shown on the overview; the list page has the rest. */
const ACTIVE_SHOWN = 10;
/** Not yet informed: all of them that fit, as each one is a task. */
const NOT_INFORMED_SHOWN = 50;

export async function readOverview(ctx: Ctx) {
  const [matches, active, notInformed, advice] = await runReadPlans(ctx.deps.db, [
    await planMyMatches(ctx),
    await planRegistrations(ctx, { status: 'active', limit: ACTIVE_SHOWN }),
    await planRegistrations(ctx, { status: 'not_informed', limit: NOT_INFORMED_SHOWN }),
    await planOpenAdvice(ctx),
  ] as const);
  return { matches, active, notInformed, advice };
}
