/**
 * The advice requests a professional still has to answer, for their overview: the mail is
 * not the only way to find them (docs/operations.md, "The rights desk"). The same holder
 * rule as the advice page (src/rights/advice.ts): whoever holds the registration now, or,
 * once it is gone, the professional the item names. Ids, kinds and dates only.
 */
import { isState } from '../db/constant.ts';
import { and, asc, eq, isNull, ne, or, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import { authorize } from '../auth/permissions.ts';
import type { Ctx } from '../context.ts';
import { readPlan, readTemplate, type ReadPlan } from '../db/template.ts';
import { registrations, rightsRequestItems, rightsRequests } from '../db/schema.ts';
import type { RightsRequestKind } from '../vocabulary.ts';

export interface OpenAdvice {
  itemId: string;
  kind: Exclude<RightsRequestKind, 'access'>;
  adviceDueOn: string | null;
}

/** At most this many on the overview; the mail links to each one as well. */
const LIMIT = 20;

/** The advice items waiting for a professional: built once (src/db/template.ts). */
const openAdviceOf = readTemplate<{ me: string }, { itemId: string; kind: string; adviceDueOn: string | null }>((db, value) =>
  db
    .select({ itemId: rightsRequestItems.id, kind: rightsRequests.kind, adviceDueOn: rightsRequestItems.adviceDueOn })
    .from(rightsRequests)
    .innerJoin(rightsRequestItems, eq(rightsRequestItems.requestId, rightsRequests.id))
    .leftJoin(registrations, eq(registrations.id, rightsRequestItems.registrationId))
    .where(
      and(
        isState(rightsRequests.status, 'open'),
        ne(rightsRequests.kind, 'access'),
        isNull(rightsRequestItems.advice),
        or(eq(registrations.professionalId, value('me')), and(isNull(registrations.id), eq(rightsRequestItems.professionalId, value('me')))),
      ),
    )
    .orderBy(asc(sql`coalesce(${rightsRequestItems.adviceDueOn}, '9999-12-31')`), asc(rightsRequestItems.id))
    .limit(LIMIT),
);

/** As a read plan: the overview reads it together with its other lists (src/registry/overview.ts). */
export async function planOpenAdvice(ctx: Ctx): Promise<ReadPlan<OpenAdvice[]>> {
  await authorize(ctx, 'register', 'rights.advice_list');
  if (ctx.actor.type !== 'professional') return readPlan([] as const, () => []);
  return readPlan([[openAdviceOf, { me: ctx.actor.id }]] as const, async ([rows]) => {
    if (rows.length > 0) {
      await recordAudit(ctx, { action: 'rights.advice_list', outcome: 'success', detail: { shown: rows.length } });
    }
    return rows.map((r) => ({ itemId: r.itemId, kind: r.kind as OpenAdvice['kind'], adviceDueOn: r.adviceDueOn }));
  });
}
