/**
 * The registering professional's advice on a correction, erasure or objection request
 * (permission `register`). Who may advise on an item: whoever holds the registration now
 * (after a transfer, the new holder; src/registry/transfer.ts), or, once the registration is
 * gone, the professional the item names. A deactivated professional cannot log in: their
 * organisation coordinator gets the mail (src/notify/recipients.ts) and transfers the
 * registration, after which its new holder advises. Anyone else gets a 404, audited.
 *
 * The advice is a closed choice (grant or refuse), never free text, and can be changed
 * while the request is open. The page shows the request's kind and due date, and the
 * professional's own registration (their own reference included: it is theirs), also an
 * archived one: the law asks its registrant for advice, so this is the one place besides
 * the earlier-involvement notice where an archived registration is shown to its professional.
 */
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement, recordAudit } from '../audit/audit.ts';
import { authorize } from '../auth/permissions.ts';
import type { Ctx } from '../context.ts';
import { guardStatement } from '../db/guard.ts';
import { organisations, registrations, rightsRequestItems, rightsRequests } from '../db/schema.ts';
import { AtomicConflict } from '../db/types.ts';
import { Id } from '../identity/ids.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { RIGHTS_DECISIONS, type RightsDecision, type RightsRequestKind, type RightsRequestStatus } from '../vocabulary.ts';

export const AdviceItemInput = z.strictObject({ itemId: Id });
export const GiveAdviceInput = z.strictObject({ itemId: Id, advice: z.enum(RIGHTS_DECISIONS, { error: 'Kies of u toekennen of afwijzen adviseert.' }) });

export interface AdviceView {
  itemId: string;
  requestId: string;
  kind: Exclude<RightsRequestKind, 'access'>;
  requestStatus: RightsRequestStatus;
  adviceDueOn: string | null;
  advice: RightsDecision | null;
  adviceAt: Date | null;
  registration: {
    id: string;
    /** Null once the registration is gone. */
    status: 'active' | 'archived' | null;
    reference: string | null;
    registeredAt: Date | null;
    endsOn: string | null;
    endedAt: Date | null;
    organisationName: string;
  };
  /** The same professional's other items in this request. */
  others: { itemId: string; registrationId: string; advice: RightsDecision | null }[];
}

function holder() {
  return sql<string>`coalesce(${registrations.professionalId}, ${rightsRequestItems.professionalId})`;
}

async function readItem(ctx: Ctx, itemId: string) {
  const [row] = await ctx.deps.db
    .select({
      itemId: rightsRequestItems.id,
      requestId: rightsRequestItems.requestId,
      kind: rightsRequests.kind,
      requestStatus: rightsRequests.status,
      adviceDueOn: rightsRequestItems.adviceDueOn,
      advice: rightsRequestItems.advice,
      adviceAt: rightsRequestItems.adviceAt,
      holder: holder(),
      registrationId: rightsRequestItems.registrationId,
      status: registrations.status,
      reference: registrations.reference,
      registeredAt: registrations.registeredAt,
      endsOn: registrations.endsOn,
      endedAt: registrations.endedAt,
      organisationName: organisations.name,
    })
    .from(rightsRequestItems)
    .innerJoin(rightsRequests, eq(rightsRequests.id, rightsRequestItems.requestId))
    .innerJoin(organisations, eq(organisations.id, rightsRequestItems.organisationId))
    .leftJoin(registrations, eq(registrations.id, rightsRequestItems.registrationId))
    .where(eq(rightsRequestItems.id, itemId))
    .limit(1);
  const mine = row && row.kind !== 'access' && ctx.actor.type === 'professional' && row.holder === ctx.actor.id;
  return mine ? row : null;
}

async function notFound(ctx: Ctx, action: string, itemId: string): Promise<never> {
  await recordAudit(ctx, { action, outcome: 'not_found', detail: { itemId } });
  throw audited(new ServiceError('not_found', 'Adviesvraag niet gevonden.'));
}

/** The advice page's content, for the registration's holder only. Audited `rights.advice_read`. */
export async function getAdviceItem(ctx: Ctx, input: z.input<typeof AdviceItemInput>): Promise<AdviceView> {
  const { itemId } = parseInput(AdviceItemInput, input);
  await authorize(ctx, 'register', 'rights.advice_read');
  const row = await readItem(ctx, itemId);
  if (!row) return notFound(ctx, 'rights.advice_read', itemId);
  const others = await ctx.deps.db
    .select({ itemId: rightsRequestItems.id, registrationId: rightsRequestItems.registrationId, advice: rightsRequestItems.advice })
    .from(rightsRequestItems)
    .leftJoin(registrations, eq(registrations.id, rightsRequestItems.registrationId))
    .where(and(eq(rightsRequestItems.requestId, row.requestId), sql`${holder()} = ${ctx.actor.id}`, sql`${rightsRequestItems.id} <> ${itemId}`));
  await recordAudit(ctx, {
    action: 'rights.advice_read',
    outcome: 'success',
    registrationId: row.registrationId,
    detail: { rightsRequestId: row.requestId, itemId },
  });
  return {
    itemId,
    requestId: row.requestId,
    kind: row.kind as AdviceView['kind'],
    requestStatus: row.requestStatus,
    adviceDueOn: row.adviceDueOn,
    advice: row.advice,
    adviceAt: row.adviceAt,
    registration: {
      id: row.registrationId,
      status: row.status,
      reference: row.reference,
      registeredAt: row.registeredAt,
      endsOn: row.endsOn,
      endedAt: row.endedAt,
      organisationName: row.organisationName,
    },
    others,
  };
}

/** The holder's advice, grant or refuse, while the request is open. Audited `rights.advice`. */
export async function giveAdvice(ctx: Ctx, input: z.input<typeof GiveAdviceInput>): Promise<void> {
  const { itemId, advice } = parseInput(GiveAdviceInput, input);
  await authorize(ctx, 'register', 'rights.advice');
  const row = await readItem(ctx, itemId);
  if (!row) return notFound(ctx, 'rights.advice', itemId);
  if (row.requestStatus !== 'open') {
    await recordAudit(ctx, {
      action: 'rights.advice',
      outcome: 'denied',
      registrationId: row.registrationId,
      detail: { rightsRequestId: row.requestId, itemId, reason: `status_${row.requestStatus}` },
    });
    throw audited(new ServiceError('conflict', 'De gemeente heeft over dit verzoek al beslist; advies geven kan niet meer.'));
  }
  const { db, clock } = ctx.deps;
  try {
    await ctx.deps.atomic([
      guardStatement(db, sql`SELECT status FROM ${rightsRequests} WHERE id = ${row.requestId}`, 'open'),
      db.update(rightsRequestItems).set({ advice, adviceAt: clock.now(), adviceBy: ctx.actor.id }).where(eq(rightsRequestItems.id, itemId)),
      auditStatement(ctx, {
        action: 'rights.advice',
        outcome: 'success',
        registrationId: row.registrationId,
        detail: { rightsRequestId: row.requestId, itemId, advice },
      }),
    ]);
  } catch (error) {
    if (error instanceof AtomicConflict) throw new ServiceError('conflict', 'De gemeente heeft over dit verzoek zojuist beslist; advies geven kan niet meer.');
    throw error;
  }
}
