/**
 * The auditor's way to a young person's audit trail: only through a rights request's id
 * (docs/domain.md, "§11 Audit trail" and "§9 Rights of the subject"; the console never
 * searches by BSN). The trail is the request's own events (`detail.rightsRequestId`), every
 * event of the registrations its items cover (active, archived or deleted since), and every
 * event of the matches those registrations were in that carries only the match id
 * (`match.read`, `monitor.view`, `match.escalate`, …; a match concerns one subject), newest
 * first. Reading it is audited (`audit.request_trail`); an unknown id is a 404, audited too.
 */
import { and, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.ts';
import { AUDIT_EVENT_VIEW, type AuditEventView } from '../audit/search.ts';
import { authorize } from '../auth/permissions.ts';
import type { Ctx } from '../context.ts';
import { auditEvents, matchMembers, rightsRequestItems, rightsRequests } from '../db/schema.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import type { RightsRequestKind } from '../vocabulary.ts';

/** The form's field: a request id, or the message for anything else (never echoed). */
export const RequestTrailInput = z.strictObject({
  requestId: z
    .string({ error: 'Vul het id van het verzoek in.' })
    .trim()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'Vul het id van een verzoek in (een UUID, zoals 0b8f…-…).')
    .transform((v) => v.toLowerCase()),
});

/** At most this many events on the page: a request covers a handful of registrations. */
export const TRAIL_LIMIT = 1000;

/** Ids per `IN (…)` list: D1 binds at most 100 parameters per statement. */
const CHUNK = 50;

function chunks<T>(values: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += CHUNK) out.push(values.slice(i, i + CHUNK));
  return out;
}

export interface RequestTrail {
  request: { id: string; kind: RightsRequestKind; reference: string; receivedOn: string; openedAt: Date };
  registrationIds: string[];
  events: AuditEventView[];
  /** More events exist than shown. */
  truncated: boolean;
}

export async function requestAuditTrail(ctx: Ctx, input: z.input<typeof RequestTrailInput>): Promise<RequestTrail> {
  const { requestId } = parseInput(RequestTrailInput, input);
  await authorize(ctx, 'audit_trail', 'audit.request_trail');
  const { db } = ctx.deps;
  const [request] = await db
    .select({
      id: rightsRequests.id,
      kind: rightsRequests.kind,
      reference: rightsRequests.reference,
      receivedOn: rightsRequests.receivedOn,
      openedAt: rightsRequests.openedAt,
    })
    .from(rightsRequests)
    .where(eq(rightsRequests.id, requestId))
    .limit(1);
  if (!request) {
    await recordAudit(ctx, { action: 'audit.request_trail', outcome: 'not_found', detail: { rightsRequestId: requestId } });
    throw audited(new ServiceError('not_found', 'Verzoek niet gevonden.'));
  }
  const items = await db
    .select({ registrationId: rightsRequestItems.registrationId })
    .from(rightsRequestItems)
    .where(eq(rightsRequestItems.requestId, requestId));
  const registrationIds = [...new Set(items.map((i) => i.registrationId))];
  // Three indexed reads, merged: the request's own events all lie after its opening (the
  // index on `at`), the registrations' events are found by the index on registration_id,
  // the events of their matches by the index on match_id. Every IN list is chunked.
  const own = await db
    .select(AUDIT_EVENT_VIEW)
    .from(auditEvents)
    .where(and(gte(auditEvents.at, request.openedAt), sql`json_extract(${auditEvents.detail}, '$.rightsRequestId') = ${requestId}`))
    .orderBy(desc(auditEvents.seq))
    .limit(TRAIL_LIMIT + 1);
  const ofRegistrations = [];
  const matchIds = new Set<string>();
  for (const ids of chunks(registrationIds)) {
    ofRegistrations.push(
      ...(await db
        .select(AUDIT_EVENT_VIEW)
        .from(auditEvents)
        .where(inArray(auditEvents.registrationId, ids))
        .orderBy(desc(auditEvents.seq))
        .limit(TRAIL_LIMIT + 1)),
    );
    // The matches they were in: from their events (a deleted registration leaves no member
    // row) and from the members still present.
    const fromEvents = await db
      .selectDistinct({ matchId: auditEvents.matchId })
      .from(auditEvents)
      .where(and(inArray(auditEvents.registrationId, ids), sql`${auditEvents.matchId} IS NOT NULL`));
    const fromMembers = await db.selectDistinct({ matchId: matchMembers.matchId }).from(matchMembers).where(inArray(matchMembers.registrationId, ids));
    for (const { matchId } of [...fromEvents, ...fromMembers]) if (matchId) matchIds.add(matchId);
  }
  const ofMatches = [];
  for (const ids of chunks([...matchIds])) {
    ofMatches.push(
      ...(await db
        .select(AUDIT_EVENT_VIEW)
        .from(auditEvents)
        .where(inArray(auditEvents.matchId, ids))
        .orderBy(desc(auditEvents.seq))
        .limit(TRAIL_LIMIT + 1)),
    );
  }
  const bySeq = new Map([...own, ...ofRegistrations, ...ofMatches].map((e) => [e.seq, e]));
  const rows = [...bySeq.values()].sort((a, b) => b.seq - a.seq);
  const events = rows.slice(0, TRAIL_LIMIT);
  await recordAudit(ctx, { action: 'audit.request_trail', outcome: 'success', detail: { rightsRequestId: requestId, events: events.length } });
  return { request, registrationIds, events, truncated: rows.length > TRAIL_LIMIT };
}
