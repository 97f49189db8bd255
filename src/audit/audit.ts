import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { auditEvents } from '../db/schema.ts';
import { placeholders, statementTemplate } from '../db/template.ts';
import { timeOrderedId } from '../identity/ids.ts';
import type { Atomic, Statement } from '../db/types.ts';
import { actorOrganisation, type Ctx } from '../context.ts';
import type { AuditKeyring } from './key.ts';

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

type Row = typeof auditEvents.$inferSelect;
type RowContent = Pick<
  Row,
  | 'keyId'
  | 'id'
  | 'at'
  | 'actorType'
  | 'actorId'
  | 'actorRoles'
  | 'organisationId'
  | 'action'
  | 'outcome'
  | 'registrationId'
  | 'matchId'
  | 'targetUserId'
  | 'requestId'
  | 'origin'
  | 'detail'
>;

/** A row's content fields in their fixed order: what both the row MAC and the legacy hash cover. */
export function contentFields(row: Omit<RowContent, 'keyId'>): unknown[] {
  return [
    row.id,
    row.at.getTime(),
    row.actorType,
    row.actorId,
    row.organisationId,
    row.action,
    row.outcome,
    row.registrationId,
    row.matchId,
    row.targetUserId,
    row.requestId,
    row.origin,
    row.detail,
    // Since migration 0010: the actor's roles, covered only when recorded, so the rows
    // written before keep their MACs and legacy hashes.
    ...(row.actorRoles === null ? [] : [row.actorRoles]),
  ];
}

/** What a row's own MAC covers: every field known when it is inserted (not `seq`), in a fixed order. */
export function rowMessage(row: RowContent): string {
  return `betrokken-audit-row-v1\n${JSON.stringify([row.keyId, ...contentFields(row)])}`;
}

export function rowMac(keys: AuditKeyring, row: RowContent & { keyId: string }): Promise<string> {
  return keys.mac(row.keyId, rowMessage(row));
}

/**
 * The row MAC as a value drizzle reads only when it builds the query, i.e. when the unit
 * runs. Web Crypto is async and statement lists are built synchronously (ADR 0001), so the
 * MAC is computed beside the statement and `withAuditMacs` awaits it before the unit runs
 * (ADR 0009). Run outside that wrapper, the statement throws instead of inserting a row
 * without its MAC.
 */
class PendingMac implements SQLWrapper {
  value: string | null = null;
  getSQL(): SQL {
    if (this.value === null) throw new Error('audit row MAC not ready: run audit statements through deps.atomic (withAuditMacs)');
    return sql`${this.value}`;
  }
  shouldOmitSQLParens() {
    return true;
  }
}

const pending = new WeakMap<object, Promise<void>>();

const AUDIT_COLUMNS = [
  'id',
  'at',
  'actorType',
  'actorId',
  'actorRoles',
  'organisationId',
  'action',
  'outcome',
  'registrationId',
  'matchId',
  'targetUserId',
  'requestId',
  'origin',
  'detail',
  'keyId',
  'mac',
] as const;
type AuditInsert = { [K in (typeof AUDIT_COLUMNS)[number]]: (typeof auditEvents.$inferInsert)[K] };

/** The audit row's insert, built once (src/db/template.ts): every unit has one or more. */
const insertAuditEvent = statementTemplate<AuditInsert>((db) => db.insert(auditEvents).values(placeholders(...AUDIT_COLUMNS)));

/** The insert for one audit event, to put in the same atomic unit as the change. */
export function auditStatement(ctx: Ctx, event: AuditEvent): Statement {
  const keys = ctx.deps.auditKeys;
  const at = ctx.deps.clock.now();
  const row = {
    id: timeOrderedId(at.getTime()),
    at,
    actorType: ctx.actor.type,
    actorId: ctx.actor.id,
    actorRoles: ctx.actor.type === 'professional' ? ctx.actor.roles.join(',') : null,
    organisationId: actorOrganisation(ctx.actor),
    action: event.action,
    outcome: event.outcome,
    registrationId: event.registrationId ?? null,
    matchId: event.matchId ?? null,
    targetUserId: event.targetUserId ?? null,
    requestId: ctx.requestId,
    origin: ctx.origin,
    detail: event.detail ?? null,
    keyId: keys.currentId,
  };
  if (keys.macSync) return insertAuditEvent(ctx.deps.db, { ...row, mac: keys.macSync(row.keyId, rowMessage(row)) });
  const mac = new PendingMac();
  const statement = ctx.deps.db.insert(auditEvents).values({ ...row, mac: sql`${mac}` });
  pending.set(
    statement,
    rowMac(keys, row).then((value) => {
      mac.value = value;
    }),
  );
  return statement;
}

/** Wraps a runtime's Atomic so the audit rows' MACs are computed before the unit runs. */
export function withAuditMacs(atomic: Atomic): Atomic {
  return async (statements) => {
    const waits: Promise<void>[] = [];
    for (const statement of statements) {
      const wait = pending.get(statement);
      if (wait) waits.push(wait);
    }
    if (waits.length > 0) await Promise.all(waits);
    return atomic(statements);
  };
}

/**
 * Records an event on its own (reads, refusals). Within a request the events are collected
 * and written in one unit when the request ends (`ReadAudits`, src/app.ts), so a page that
 * reads four lists writes once, not four times; elsewhere (jobs, CLI) a unit of one statement.
 */
export function recordAudit(ctx: Ctx, event: AuditEvent): Promise<void> {
  if (ctx.reads?.open) {
    ctx.reads.statements.push(auditStatement(ctx, event));
    return Promise.resolve();
  }
  return ctx.deps.atomic([auditStatement(ctx, event)]);
}
