/**
 * The rights desk (municipal admin, permission `rights_desk`; docs/domain.md, "Rights of
 * the subject"). An access request is answered at once: the request and one item per
 * registration found (active and archived) are stored, and the page and the letter read the
 * registrations live through those ids. A correction, erasure or objection request is
 * opened with the same items; each registering professional is asked for advice (one mail
 * per professional, through the outbox) within five working days; the AVG deadline is one
 * month from receipt, extendable once by two months. Deciding and executing are in
 * ./decide.ts, the professional's advice in ./advice.ts.
 *
 * Nothing here holds the BSN, the birth date or the pseudonym: requests and items hold ids,
 * the municipality's reference and dates. Every read and write is audited with
 * `detail.rightsRequestId`, which the auditor's trail (./trail.ts) searches by.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement, recordAudit } from '../audit/audit.ts';
import { authorize } from '../auth/permissions.ts';
import type { Ctx } from '../context.ts';
import { guardStatement } from '../db/guard.ts';
import { organisations, professionals, registrations, rightsRequestItems, rightsRequests } from '../db/schema.ts';
import type { Statement } from '../db/types.ts';
import { AtomicConflict } from '../db/types.ts';
import { Id } from '../identity/ids.ts';
import { addMonths, isoDate } from '../lib/dates.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { addWorkingDays } from '../lib/working-days.ts';
import { enqueueStatement } from '../notify/outbox.ts';
import { addressed, readRecipients } from '../notify/recipients.ts';
import type { InformHow, RightsDecision, RightsRequestKind, RightsRequestStatus, Sector } from '../vocabulary.ts';
import { checkDates, checkRequestReference, findRegistrations, SubjectLookupFields } from './subject.ts';

/** Working days the registering professional has to give advice. */
export const ADVICE_WORKING_DAYS = 5;
/** The AVG's term: one month from receipt, extendable once by two (art. 12 lid 3). */
export const DEADLINE_MONTHS = 1;
export const EXTENSION_MONTHS = 2;

export const OBJECTION_KINDS = ['correction', 'erasure', 'objection'] as const satisfies readonly RightsRequestKind[];

export const OpenAccessRequestInput = z.strictObject(SubjectLookupFields).superRefine(checkRequestReference);
export const OpenRightsRequestInput = z
  .strictObject({ kind: z.enum(OBJECTION_KINDS, { error: 'Kies het soort verzoek.' }), ...SubjectLookupFields })
  .superRefine(checkRequestReference);
export const RightsRequestIdInput = z.strictObject({ requestId: Id });

export interface OpenedRequest {
  id: string;
  /** Registrations the request covers. */
  found: number;
  status: RightsRequestStatus;
}

async function run(ctx: Ctx, statements: Statement[]) {
  try {
    await ctx.deps.atomic(statements);
  } catch (error) {
    if (error instanceof AtomicConflict) throw new ServiceError('conflict', 'Het verzoek is zojuist gewijzigd. Laad de pagina opnieuw.');
    throw error;
  }
}

/** An access request: answered at once with every active and archived registration. Audited `rights.access`. */
export async function openAccessRequest(ctx: Ctx, input: z.input<typeof OpenAccessRequestInput>): Promise<OpenedRequest> {
  const { bsn, birthDate, reference, receivedOn } = parseInput(OpenAccessRequestInput, input);
  await authorize(ctx, 'rights_desk', 'rights.access');
  checkDates(ctx, { birthDate, receivedOn });
  const found = await findRegistrations(ctx, bsn);
  const { db, clock } = ctx.deps;
  const now = clock.now();
  const id = crypto.randomUUID();
  await run(ctx, [
    db.insert(rightsRequests).values({
      id,
      kind: 'access',
      status: 'answered',
      reference,
      receivedOn,
      deadlineOn: addMonths(receivedOn, DEADLINE_MONTHS),
      openedBy: ctx.actor.id,
      openedAt: now,
      closedAt: now,
    }),
    ...found.map((r) =>
      db.insert(rightsRequestItems).values({
        id: crypto.randomUUID(),
        requestId: id,
        registrationId: r.registrationId,
        organisationId: r.organisationId,
        professionalId: r.professionalId,
        registrationStatus: r.status,
      }),
    ),
    auditStatement(ctx, { action: 'rights.access', outcome: 'success', detail: { rightsRequestId: id, reference, found: found.length } }),
  ]);
  return { id, found: found.length, status: 'answered' };
}

/**
 * A correction, erasure or objection request: one item per registration, advice asked of
 * each registering professional (one mail per professional). Without registrations it is
 * done at once (the letter says there are none). Audited `rights.open`.
 */
export async function openRightsRequest(ctx: Ctx, input: z.input<typeof OpenRightsRequestInput>): Promise<OpenedRequest> {
  const { kind, bsn, birthDate, reference, receivedOn } = parseInput(OpenRightsRequestInput, input);
  await authorize(ctx, 'rights_desk', 'rights.open');
  checkDates(ctx, { birthDate, receivedOn });
  const found = await findRegistrations(ctx, bsn);
  const { db, clock } = ctx.deps;
  const now = clock.now();
  const id = crypto.randomUUID();
  const adviceDueOn = addWorkingDays(isoDate(now), ADVICE_WORKING_DAYS);
  const items = found.map((r) => ({ ...r, itemId: crypto.randomUUID() }));
  const recipients = await readRecipients(
    db,
    items.map((i) => i.professionalId),
  );
  // One mail per professional, linking to their first item (the advice page lists the others).
  const firstItemOf = new Map<string, string>();
  for (const i of items) if (!firstItemOf.has(i.professionalId)) firstItemOf.set(i.professionalId, i.itemId);
  const status: RightsRequestStatus = items.length === 0 ? 'done' : 'open';
  await run(ctx, [
    db.insert(rightsRequests).values({
      id,
      kind,
      status,
      reference,
      receivedOn,
      deadlineOn: addMonths(receivedOn, DEADLINE_MONTHS),
      openedBy: ctx.actor.id,
      openedAt: now,
      closedAt: status === 'done' ? now : null,
    }),
    ...items.map((r) =>
      db.insert(rightsRequestItems).values({
        id: r.itemId,
        requestId: id,
        registrationId: r.registrationId,
        organisationId: r.organisationId,
        professionalId: r.professionalId,
        registrationStatus: r.status,
        adviceDueOn,
      }),
    ),
    ...[...firstItemOf].flatMap(([professionalId, itemId]) => {
      const item = items.find((i) => i.itemId === itemId)!;
      return addressed(
        {
          idempotencyKey: `rights:${id}:advice:${professionalId}`,
          template: 'advice_requested',
          payload: { registrationId: item.registrationId, adviceItemId: itemId, adviceDueOn },
        },
        professionalId,
        recipients,
      ).map((n) => enqueueStatement(db, n, now));
    }),
    auditStatement(ctx, {
      action: 'rights.open',
      outcome: 'success',
      detail: { rightsRequestId: id, kind, reference, found: items.length, adviceDueOn, advisers: firstItemOf.size },
    }),
  ]);
  return { id, found: items.length, status };
}

// ---- reading ------------------------------------------------------------------------------

export interface RightsItemView {
  id: string;
  registrationId: string;
  /** The registration's status when the request was opened. */
  statusAtOpening: 'active' | 'archived';
  /** Its status now; null once it is gone (deleted by this request or otherwise). */
  status: 'active' | 'archived' | null;
  organisationName: string;
  sector: Sector;
  /** The registration's professional now (after a transfer), or the one at opening once it is gone. */
  professionalName: string;
  professionalEmail: string;
  professionalPhone: string | null;
  professionalActive: boolean;
  registeredAt: Date | null;
  endsOn: string | null;
  endedAt: Date | null;
  informedOn: string | null;
  informedHow: InformHow | null;
  adviceDueOn: string | null;
  advice: RightsDecision | null;
  adviceAt: Date | null;
  decision: RightsDecision | null;
  /** Who decided this item (four eyes: they may not approve a grant). */
  decidedBy: string | null;
  executedAt: Date | null;
}

export interface RightsRequestView {
  id: string;
  kind: RightsRequestKind;
  status: RightsRequestStatus;
  reference: string;
  receivedOn: string;
  deadlineOn: string;
  deadlineExtended: boolean;
  openedBy: string;
  openedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  approvedBy: string | null;
  approvedAt: Date | null;
  closedAt: Date | null;
  items: RightsItemView[];
}

export type RequestRow = typeof rightsRequests.$inferSelect;
export type ItemRow = typeof rightsRequestItems.$inferSelect;

/** The request and its items as stored, or null. */
export async function loadRequest(ctx: Ctx, requestId: string): Promise<{ request: RequestRow; items: ItemRow[] } | null> {
  const [request] = await ctx.deps.db.select().from(rightsRequests).where(eq(rightsRequests.id, requestId)).limit(1);
  if (!request) return null;
  const items = await ctx.deps.db.select().from(rightsRequestItems).where(eq(rightsRequestItems.requestId, requestId)).orderBy(rightsRequestItems.id);
  return { request, items };
}

/** Loads the request or refuses (audited, 404) with the action the caller would have recorded. */
export async function requireRequest(ctx: Ctx, requestId: string, action: string) {
  const loaded = await loadRequest(ctx, requestId);
  if (!loaded) {
    await recordAudit(ctx, { action, outcome: 'not_found', detail: { rightsRequestId: requestId } });
    throw audited(new ServiceError('not_found', 'Verzoek niet gevonden.'));
  }
  return loaded;
}

/** The request's status, decider and decisions (and who decided each) are as read: otherwise the unit does nothing. */
export function requestGuard(ctx: Ctx, request: RequestRow, items: ItemRow[]): Statement {
  const decisions = [...items]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((i) => `${i.id}=${i.decision ?? ''}/${i.decidedBy ?? ''}`)
    .join(',');
  return guardStatement(
    ctx.deps.db,
    sql`SELECT status || ':' || coalesce(decided_by, '') || ':' || deadline_extended || ':' || coalesce((SELECT group_concat(id || '=' || coalesce(decision, '') || '/' || coalesce(decided_by, ''), ',' ORDER BY id) FROM ${rightsRequestItems} WHERE request_id = ${request.id}), '') FROM ${rightsRequests} WHERE id = ${request.id}`,
    `${request.status}:${request.decidedBy ?? ''}:${request.deadlineExtended ? 1 : 0}:${decisions}`,
  );
}

/** Refuses a step (audited with the reason) and throws. */
export async function refuse(ctx: Ctx, action: string, requestId: string, reason: string, error: ServiceError): Promise<never> {
  await recordAudit(ctx, { action, outcome: 'denied', detail: { rightsRequestId: requestId, reason } });
  throw audited(error);
}

async function itemViews(ctx: Ctx, requestId: string): Promise<RightsItemView[]> {
  const rows = await ctx.deps.db
    .select({
      id: rightsRequestItems.id,
      registrationId: rightsRequestItems.registrationId,
      statusAtOpening: rightsRequestItems.registrationStatus,
      status: registrations.status,
      organisationName: organisations.name,
      sector: organisations.sector,
      professionalName: professionals.name,
      professionalEmail: professionals.email,
      professionalPhone: professionals.phone,
      professionalActive: professionals.active,
      registeredAt: registrations.registeredAt,
      endsOn: registrations.endsOn,
      endedAt: registrations.endedAt,
      informedOn: registrations.informedOn,
      informedHow: registrations.informedHow,
      adviceDueOn: rightsRequestItems.adviceDueOn,
      advice: rightsRequestItems.advice,
      adviceAt: rightsRequestItems.adviceAt,
      decision: rightsRequestItems.decision,
      decidedBy: rightsRequestItems.decidedBy,
      executedAt: rightsRequestItems.executedAt,
    })
    .from(rightsRequestItems)
    .leftJoin(registrations, eq(registrations.id, rightsRequestItems.registrationId))
    .innerJoin(organisations, eq(organisations.id, rightsRequestItems.organisationId))
    .innerJoin(professionals, sql`${professionals.id} = coalesce(${registrations.professionalId}, ${rightsRequestItems.professionalId})`)
    .where(eq(rightsRequestItems.requestId, requestId))
    .orderBy(organisations.name, rightsRequestItems.id);
  return rows;
}

/** One request with its items, whatever its status. An audited read (`rights.read`); unknown: 404. */
export async function getRightsRequest(ctx: Ctx, input: z.input<typeof RightsRequestIdInput>): Promise<RightsRequestView> {
  const { requestId } = parseInput(RightsRequestIdInput, input);
  await authorize(ctx, 'rights_desk', 'rights.read');
  const { request } = await requireRequest(ctx, requestId, 'rights.read');
  const items = await itemViews(ctx, requestId);
  await recordAudit(ctx, { action: 'rights.read', outcome: 'success', detail: { rightsRequestId: requestId, items: items.length } });
  return { ...request, items };
}

/** A line of the list: the request without who acted, and how many registrations it covers. */
export type RightsRequestSummary = Pick<
  RightsRequestView,
  'id' | 'kind' | 'status' | 'reference' | 'receivedOn' | 'deadlineOn' | 'deadlineExtended' | 'openedAt'
> & { items: number };

/** The requests still to settle (open, awaiting approval) by deadline, and the 50 latest settled ones. Audited `rights.list`. */
export async function listRightsRequests(ctx: Ctx): Promise<{ pending: RightsRequestSummary[]; settled: RightsRequestSummary[] }> {
  await authorize(ctx, 'rights_desk', 'rights.list');
  const { db } = ctx.deps;
  const columns = {
    id: rightsRequests.id,
    kind: rightsRequests.kind,
    status: rightsRequests.status,
    reference: rightsRequests.reference,
    receivedOn: rightsRequests.receivedOn,
    deadlineOn: rightsRequests.deadlineOn,
    deadlineExtended: rightsRequests.deadlineExtended,
    openedAt: rightsRequests.openedAt,
    // Qualified by hand: drizzle leaves a column of a single-table select unqualified, and the subquery's own `id` would win.
    items: sql<number>`(SELECT count(*) FROM ${rightsRequestItems} i WHERE i.request_id = ${rightsRequests}.id)`,
  };
  const pending = await db
    .select(columns)
    .from(rightsRequests)
    .where(inArray(rightsRequests.status, ['open', 'awaiting_approval']))
    .orderBy(rightsRequests.deadlineOn, rightsRequests.openedAt)
    .limit(500);
  const settled = await db
    .select(columns)
    .from(rightsRequests)
    .where(inArray(rightsRequests.status, ['answered', 'done']))
    .orderBy(desc(rightsRequests.openedAt))
    .limit(50);
  await recordAudit(ctx, { action: 'rights.list', outcome: 'success', detail: { pending: pending.length, settled: settled.length } });
  return { pending, settled };
}

/** Extends the AVG deadline by two months, once, while the request is not settled. Audited `rights.extend`. */
export async function extendRightsDeadline(ctx: Ctx, input: z.input<typeof RightsRequestIdInput>): Promise<{ deadlineOn: string }> {
  const { requestId } = parseInput(RightsRequestIdInput, input);
  await authorize(ctx, 'rights_desk', 'rights.extend');
  const { request, items } = await requireRequest(ctx, requestId, 'rights.extend');
  if (request.status !== 'open' && request.status !== 'awaiting_approval') {
    await refuse(ctx, 'rights.extend', requestId, `status_${request.status}`, new ServiceError('conflict', 'Dit verzoek is al afgehandeld.'));
  }
  if (request.deadlineExtended) {
    await refuse(ctx, 'rights.extend', requestId, 'already_extended', new ServiceError('conflict', 'De termijn van dit verzoek is al eens verlengd.'));
  }
  // From the receipt, not from the (possibly clamped) first deadline: 31 Jan → 30 Apr, not 28 Apr.
  const deadlineOn = addMonths(request.receivedOn, DEADLINE_MONTHS + EXTENSION_MONTHS);
  await run(ctx, [
    requestGuard(ctx, request, items),
    ctx.deps.db
      .update(rightsRequests)
      .set({ deadlineOn, deadlineExtended: true })
      .where(and(eq(rightsRequests.id, requestId), eq(rightsRequests.deadlineExtended, false))),
    auditStatement(ctx, { action: 'rights.extend', outcome: 'success', detail: { rightsRequestId: requestId, deadlineOn } }),
  ]);
  return { deadlineOn };
}
