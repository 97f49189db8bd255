/**
 * Deciding a correction, erasure or objection request (municipal admin) and executing it
 * (a second municipal admin: four eyes, like a confirmed death, src/registry/death.ts).
 *
 * - The admin decides per registration, grant or refuse (`rights.decide`), while the
 *   request is open; a decision may be changed until the last item is decided. Deciding the
 *   last item settles the request: all refused → done, nothing deleted, no second admin
 *   needed; any grant → awaiting approval, with the deciding admin as `decidedBy`. Every
 *   item keeps who decided it (`rights_request_items.decided_by`).
 * - A second, different municipal admin (never one who decided a granted item or settled
 *   the request; the CLI's operator never counts, `four_eyes`) approves: every granted registration is deleted for real (not
 *   archived), end reason `erasure`, through `endOne` of src/registry/end-registration.ts,
 *   so its match shrinks or closes and the remaining members are told exactly as when a
 *   professional ends one; then the request is done (`rights.approve`). Each registration is
 *   its own guarded unit (its subject's fingerprint and the request's status), with the
 *   item's `executedAt` in it, so an interrupted approval resumes where it stopped. A
 *   registration that is gone by then is marked executed and skipped (`rights.execute`,
 *   outcome not_found).
 * - Either admin may send an awaiting request back (`rights.send_back`): open again, the
 *   decisions kept, so the admin changes what needs changing and decides again.
 */
import { isState } from '../db/constant.ts';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement } from '../audit/audit.ts';
import { authorize } from '../auth/permissions.ts';
import type { Ctx } from '../context.ts';
import { guardStatement } from '../db/guard.ts';
import { registrations, rightsRequestItems, rightsRequests } from '../db/schema.ts';
import { AtomicConflict } from '../db/types.ts';
import { Id } from '../identity/ids.ts';
import { parseInput, ServiceError } from '../lib/errors.ts';
import { endOne } from '../registry/end-registration.ts';
import { withConflictRetry } from '../registry/retry.ts';
import { readSubjectState, subjectGuard } from '../registry/subject-state.ts';
import { RIGHTS_DECISIONS, type RightsRequestStatus } from '../vocabulary.ts';
import { refuse, requestGuard, requireRequest, RightsRequestIdInput } from './requests.ts';

export const DecideItemInput = z.strictObject({
  requestId: Id,
  itemId: Id,
  decision: z.enum(RIGHTS_DECISIONS, { error: 'Kies toekennen of afwijzen.' }),
});

function conflict(error: unknown): never {
  if (error instanceof AtomicConflict) throw new ServiceError('conflict', 'Het verzoek is zojuist gewijzigd. Laad de pagina opnieuw.');
  throw error;
}

/** Records the admin's decision on one registration; the last one settles the request. */
export async function decideRightsItem(ctx: Ctx, input: z.input<typeof DecideItemInput>): Promise<{ status: RightsRequestStatus }> {
  const { requestId, itemId, decision } = parseInput(DecideItemInput, input);
  await authorize(ctx, 'rights_desk', 'rights.decide');
  const { request, items } = await requireRequest(ctx, requestId, 'rights.decide');
  const item = items.find((i) => i.id === itemId);
  if (!item) {
    await refuse(ctx, 'rights.decide', requestId, 'unknown_item', new ServiceError('not_found', 'Deze registratie hoort niet bij dit verzoek.'));
  }
  if (request.kind === 'access' || request.status !== 'open') {
    await refuse(
      ctx,
      'rights.decide',
      requestId,
      `status_${request.status}`,
      new ServiceError(
        'conflict',
        request.status === 'awaiting_approval' ? 'Het verzoek wacht op goedkeuring door een tweede beheerder.' : 'Dit verzoek is al afgehandeld.',
      ),
    );
  }
  const after = items.map((i) => (i.id === itemId ? decision : i.decision));
  const complete = after.every((d) => d !== null);
  const status: RightsRequestStatus = !complete ? 'open' : after.includes('grant') ? 'awaiting_approval' : 'done';
  const { db, clock } = ctx.deps;
  const now = clock.now();
  try {
    await ctx.deps.atomic([
      requestGuard(ctx, request, items),
      db.update(rightsRequestItems).set({ decision, decidedBy: ctx.actor.id }).where(eq(rightsRequestItems.id, itemId)),
      ...(status === 'open'
        ? []
        : [
            db
              .update(rightsRequests)
              .set({ status, decidedBy: ctx.actor.id, decidedAt: now, ...(status === 'done' ? { closedAt: now } : {}) })
              .where(and(eq(rightsRequests.id, requestId), isState(rightsRequests.status, 'open'))),
          ]),
      auditStatement(ctx, {
        action: 'rights.decide',
        outcome: 'success',
        registrationId: item!.registrationId,
        detail: { rightsRequestId: requestId, itemId, decision, ...(status === 'open' ? {} : { settled: status }) },
      }),
    ]);
  } catch (error) {
    conflict(error);
  }
  return { status };
}

/** The request is still awaiting approval by the same decider: otherwise the unit does nothing. */
function awaitingGuard(ctx: Ctx, requestId: string, decidedBy: string | null) {
  return guardStatement(
    ctx.deps.db,
    sql`SELECT status || ':' || coalesce(decided_by, '') FROM ${rightsRequests} WHERE id = ${requestId}`,
    `awaiting_approval:${decidedBy ?? ''}`,
  );
}

async function awaiting(ctx: Ctx, requestId: string, action: string) {
  const loaded = await requireRequest(ctx, requestId, action);
  if (loaded.request.status !== 'awaiting_approval') {
    await refuse(
      ctx,
      action,
      requestId,
      `status_${loaded.request.status}`,
      new ServiceError('conflict', loaded.request.status === 'open' ? 'Eerst beslist een beheerder over elke registratie.' : 'Dit verzoek is al afgehandeld.'),
    );
  }
  return loaded;
}

export interface ApproveResult {
  /** Registrations deleted now. */
  deleted: number;
  /** Granted registrations that were already gone. */
  alreadyGone: number;
  matchesClosed: number;
}

/** The second municipal admin executes the granted decisions (four eyes). */
export async function approveRightsRequest(ctx: Ctx, input: z.input<typeof RightsRequestIdInput>): Promise<ApproveResult> {
  const { requestId } = parseInput(RightsRequestIdInput, input);
  await authorize(ctx, 'four_eyes', 'rights.approve');
  const { request, items } = await awaiting(ctx, requestId, 'rights.approve');
  // Four eyes: whoever decided any granted item (or settled the request) may not approve it,
  // whichever item they decided and however often the request was sent back.
  if (request.decidedBy === ctx.actor.id || items.some((i) => i.decision === 'grant' && i.decidedBy === ctx.actor.id)) {
    await refuse(
      ctx,
      'rights.approve',
      requestId,
      'four_eyes',
      new ServiceError('forbidden', 'Vier ogen: u hebt zelf over dit verzoek beslist. Een andere functioneel beheerder moet het goedkeuren.'),
    );
  }
  const { db, clock } = ctx.deps;
  // Every unit checks the request is still awaiting approval with the decisions read here
  // (sent back and decided otherwise in the meantime: nothing is deleted).
  const result: ApproveResult = { deleted: 0, alreadyGone: 0, matchesClosed: 0 };
  for (const item of items.filter((i) => i.decision === 'grant' && !i.executedAt)) {
    await withConflictRetry(async () => {
      const now = clock.now();
      const markExecuted = db
        .update(rightsRequestItems)
        .set({ executedAt: now })
        .where(and(eq(rightsRequestItems.id, item.id), isNull(rightsRequestItems.executedAt)));
      const [registration] = await db
        .select({ subject: registrations.subjectPseudonym, ageLimitMonth: registrations.ageLimitMonth })
        .from(registrations)
        .where(eq(registrations.id, item.registrationId))
        .limit(1);
      if (!registration) {
        await ctx.deps.atomic([
          requestGuard(ctx, request, items),
          markExecuted,
          auditStatement(ctx, {
            action: 'rights.execute',
            outcome: 'not_found',
            registrationId: item.registrationId,
            detail: { rightsRequestId: requestId, itemId: item.id },
          }),
        ]);
        result.alreadyGone++;
        return;
      }
      const state = await readSubjectState(db, registration.subject);
      const unit = endOne(ctx, state, item.registrationId, 'erasure', registration.ageLimitMonth);
      await ctx.deps.atomic([
        subjectGuard(db, registration.subject, state.fingerprint),
        requestGuard(ctx, request, items),
        ...unit.statements,
        markExecuted,
        auditStatement(ctx, {
          action: 'rights.execute',
          outcome: 'success',
          registrationId: item.registrationId,
          matchId: unit.result.matchId,
          detail: { rightsRequestId: requestId, itemId: item.id },
        }),
      ]);
      result.deleted++;
      if (unit.result.matchClosed) result.matchesClosed++;
    }).catch(conflict);
  }
  const now = clock.now();
  try {
    await ctx.deps.atomic([
      requestGuard(ctx, request, items),
      db
        .update(rightsRequests)
        .set({ status: 'done', approvedBy: ctx.actor.id, approvedAt: now, closedAt: now })
        .where(and(eq(rightsRequests.id, requestId), isState(rightsRequests.status, 'awaiting_approval'))),
      auditStatement(ctx, { action: 'rights.approve', outcome: 'success', detail: { rightsRequestId: requestId, ...result } }),
    ]);
  } catch (error) {
    conflict(error);
  }
  return result;
}

/** Sends an awaiting request back to the deciding stage (decisions kept). Either admin. */
export async function sendBackRightsRequest(ctx: Ctx, input: z.input<typeof RightsRequestIdInput>): Promise<void> {
  const { requestId } = parseInput(RightsRequestIdInput, input);
  await authorize(ctx, 'four_eyes', 'rights.send_back');
  const { request, items } = await awaiting(ctx, requestId, 'rights.send_back');
  if (items.some((i) => i.executedAt)) {
    // An approval was interrupted after deleting some registrations: it must be finished, not undone.
    await refuse(
      ctx,
      'rights.send_back',
      requestId,
      'partly_executed',
      new ServiceError('conflict', 'De goedkeuring is al deels uitgevoerd. Keur het verzoek opnieuw goed om haar af te maken.'),
    );
  }
  try {
    await ctx.deps.atomic([
      awaitingGuard(ctx, requestId, request.decidedBy),
      ctx.deps.db
        .update(rightsRequests)
        .set({ status: 'open', decidedBy: null, decidedAt: null })
        .where(and(eq(rightsRequests.id, requestId), isState(rightsRequests.status, 'awaiting_approval'))),
      auditStatement(ctx, { action: 'rights.send_back', outcome: 'success', detail: { rightsRequestId: requestId } }),
    ]);
  } catch (error) {
    conflict(error);
  }
}
