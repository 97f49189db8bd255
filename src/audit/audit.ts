import { auditEvents } from '../db/schema.ts';
import type { Statement } from '../db/types.ts';
import { actorOrganisation, type Ctx } from '../context.ts';

export type AuditOutcome = (typeof auditEvents.$inferInsert)['outcome'];

export interface AuditEvent {
  /** `{entity}.{verb}`, e.g. `registration.create`. */
  action: string;
  outcome: AuditOutcome;
  registrationId?: string | null;
  matchId?: string | null;
  targetUserId?: string | null;
  /** Non-identifying facts only (ids, counts, codes): never a BSN or pseudonym. */
  detail?: Record<string, string | number | boolean | null>;
}

/** The insert for one audit event, to put in the same atomic unit as the change. */
export function auditStatement(ctx: Ctx, event: AuditEvent): Statement {
  return ctx.deps.db.insert(auditEvents).values({
    id: crypto.randomUUID(),
    at: ctx.deps.clock.now(),
    actorType: ctx.actor.type,
    actorId: ctx.actor.id,
    organisationId: actorOrganisation(ctx.actor),
    action: event.action,
    outcome: event.outcome,
    registrationId: event.registrationId ?? null,
    matchId: event.matchId ?? null,
    targetUserId: event.targetUserId ?? null,
    requestId: ctx.requestId,
    origin: ctx.origin,
    detail: event.detail ?? null,
  });
}

/** Records an event on its own (reads, refusals): a unit of one statement. */
export function recordAudit(ctx: Ctx, event: AuditEvent): Promise<void> {
  return ctx.deps.atomic([auditStatement(ctx, event)]);
}
