/**
 * Sends due outbox rows. Each row is claimed with a lease (so two drainers never send the
 * same row at once), sent with a Message-ID that is stable per row, then marked sent.
 * A drainer that dies between sending and marking leaves a lease that runs out: the row
 * is sent again, recognisably the same message (at-least-once delivery).
 * Failures back off exponentially; after OUTBOX_MAX_ATTEMPTS the row is dead-lettered.
 * Every outcome is audited (`notification.send`), with the recipient as target user.
 */
import { isState } from '../db/constant.ts';
import { and, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { auditStatement } from '../audit/audit.ts';
import type { Ctx } from '../context.ts';
import type { Deps } from '../deps.ts';
import type { Statement } from '../db/types.ts';
import { organisations, outbox, professionals } from '../db/schema.ts';
import { SEND_CONCURRENCY } from '../notify/mailer.ts';
import { enqueueStatement } from '../notify/outbox.ts';
import { addressed, readRecipients } from '../notify/recipients.ts';
import { renderMail, SECRET_FIELDS } from '../notify/templates.ts';
import type { MailData, TemplateName } from '../vocabulary.ts';

export const LEASE_MS = 60_000;
const BASE_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 6 * 60 * 60_000;

export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
}

export interface DrainResult {
  claimed: number;
  sent: number;
  failed: number;
  dead: number;
  /** Of the dead: meant for a deactivated recipient (redirected to their coordinators where possible). */
  redirected: number;
}

export async function drainOutbox(deps: Deps, options: { batchSize?: number; owner?: string } = {}): Promise<DrainResult> {
  const { db, clock, config, mailer, atomic } = deps;
  const owner = options.owner ?? crypto.randomUUID();
  const now = clock.now();
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(isState(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now), or(isNull(outbox.leaseUntil), lte(outbox.leaseUntil, now))))
    .orderBy(outbox.nextAttemptAt)
    .limit(options.batchSize ?? 50);
  // One conditional UPDATE claims the rows: a concurrent drainer's claim matches none of them.
  // It is a unit of its own, so that nothing is sent before the rows it claimed are committed
  // and on disk: on Node a unit still in the open group transaction is visible on the same
  // connection, and a mail about a match that a failed COMMIT or a power cut undid must not
  // leave (ADR 0015).
  await atomic([
    db
      .update(outbox)
      .set({ leaseOwner: owner, leaseUntil: new Date(now.getTime() + LEASE_MS), attempts: sql`${outbox.attempts} + 1` })
      .where(and(inArray(outbox.id, due), or(isNull(outbox.leaseUntil), lte(outbox.leaseUntil, now)))),
  ]);
  const claimed = await db
    .select()
    .from(outbox)
    .where(and(eq(outbox.leaseOwner, owner), isState(outbox.status, 'pending')))
    .orderBy(outbox.nextAttemptAt);

  const result: DrainResult = { claimed: claimed.length, sent: 0, failed: 0, dead: 0, redirected: 0 };
  const host = new URL(config.PUBLIC_URL).hostname;
  const ctx: Ctx = { deps, actor: { type: 'system', id: 'drain-outbox' }, requestId: null, origin: null };
  const release = { leaseOwner: null, leaseUntil: null } as const;
  const mine = (id: string) => and(eq(outbox.id, id), eq(outbox.leaseOwner, owner), isState(outbox.status, 'pending'));

  const deliver = async (row: (typeof claimed)[number]) => {
    const payload = row.payload as MailData;
    const audit = (outcome: 'success' | 'error', detail: Record<string, string | number>) =>
      auditStatement(ctx, {
        action: 'notification.send',
        outcome,
        matchId: payload.matchId ?? null,
        registrationId: payload.registrationId ?? null,
        targetUserId: row.recipientProfessionalId,
        detail: { outboxId: row.id, template: row.template, ...detail },
      });
    // Renew the lease right before sending: rows queued behind slow sends may have lost
    // theirs to another drainer, and then they are that drainer's to send.
    const [held] = await db
      .update(outbox)
      .set({ leaseUntil: new Date(clock.now().getTime() + LEASE_MS) })
      .where(mine(row.id))
      .returning({ id: outbox.id });
    if (!held) return;
    // A row claimed this often without an outcome keeps killing its drainer: stop trying.
    if (row.attempts > config.OUTBOX_MAX_ATTEMPTS) {
      await atomic([
        db
          .update(outbox)
          .set({ status: 'dead', lastError: 'gave up: earlier attempts ended without an outcome', payload: scrub(payload), ...release })
          .where(mine(row.id)),
        audit('error', { attempts: row.attempts, dead: 1 }),
      ]);
      result.dead++;
      return;
    }
    if (await redirectIfDeactivated(row, payload, audit)) return;
    const mail = renderMail(row.template as TemplateName, payload, config.PUBLIC_URL, {
      municipality: config.MUNICIPALITY_NAME,
      helpdesk: config.MUNICIPALITY_HELPDESK,
    });
    try {
      await mailer.send({ ...mail, to: row.recipientEmail, from: config.MAIL_FROM, messageId: `<outbox-${row.id}@${host}>` });
    } catch (error) {
      const dead = row.attempts >= config.OUTBOX_MAX_ATTEMPTS;
      // The error's class, SMTP code and response text: never the message itself.
      const lastError = describeError(error);
      await atomic([
        db
          .update(outbox)
          .set({
            status: dead ? 'dead' : 'pending',
            ...(dead ? { payload: scrub(payload) } : {}),
            nextAttemptAt: new Date(clock.now().getTime() + backoffMs(row.attempts)),
            lastError,
            ...release,
          })
          .where(mine(row.id)),
        audit('error', { attempts: row.attempts, dead: dead ? 1 : 0 }),
      ]);
      deps.log('warn', 'outbox send failed', { outboxId: row.id, attempts: row.attempts, dead, error: lastError });
      if (dead) result.dead++;
      else result.failed++;
      return;
    }
    // Who was notified about what (law 7.1.2.3 f) is recorded with the mark.
    await atomic([
      db
        .update(outbox)
        .set({ status: 'sent', sentAt: clock.now(), lastError: null, payload: scrub(payload), ...release })
        .where(mine(row.id)),
      audit('success', { attempts: row.attempts }),
    ]);
    result.sent++;
  };
  /**
   * A recipient deactivated after the mail was queued receives nothing (docs/domain.md,
   * "People and organisations leave"). The row is marked dead with "ontvanger gedeactiveerd"
   * (so the mail console shows why it never left) and, in the same unit, a match mail is
   * queued again for the organisation's active coordinators, exactly as it would have been
   * addressed at queue time (src/notify/recipients.ts: key + `:via:{coordinator}`, so a
   * second drainer or a retry cannot queue it twice). Not redirected: account mails (their
   * link is personal), a mail that already went to a coordinator in someone's place, and
   * anything for a deactivated organisation (it no longer takes part).
   */
  const redirectIfDeactivated = async (
    row: (typeof claimed)[number],
    payload: MailData,
    audit: (outcome: 'error', detail: Record<string, string | number>) => Statement,
  ) => {
    if (!row.recipientProfessionalId) return false;
    const who = (await readRecipientStatus()).get(row.recipientProfessionalId);
    if (!who || (who.active && who.organisationActive)) return false;
    const template = row.template as TemplateName;
    const redirectable = who.organisationActive && !payload.noActiveContact && template !== 'invitation' && template !== 'password_reset';
    const notes = redirectable
      ? addressed(
          { idempotencyKey: row.idempotencyKey, template, payload: scrub(payload) },
          row.recipientProfessionalId,
          await readRecipients(db, [row.recipientProfessionalId]),
        )
      : [];
    await atomic([
      db
        .update(outbox)
        .set({ status: 'dead', lastError: 'ontvanger gedeactiveerd', payload: scrub(payload), ...release })
        .where(mine(row.id)),
      ...notes.map((n) => enqueueStatement(db, n, clock.now())),
      audit('error', { attempts: row.attempts, dead: 1, reason: 'recipient_deactivated', redirectedTo: notes.length }),
    ]);
    result.dead++;
    result.redirected++;
    return true;
  };
  const queue = [...claimed];
  // Whether each recipient is still active: one query for the batch (D1 counts queries per
  // invocation), over the rows this drainer holds (a subquery: D1 binds at most 100 values).
  let recipientStatus: Promise<Map<string, { active: boolean; organisationActive: boolean }>> | null = null;
  const readRecipientStatus = () =>
    (recipientStatus ??= db
      .select({ id: professionals.id, active: professionals.active, organisationActive: organisations.active })
      .from(professionals)
      .innerJoin(organisations, eq(organisations.id, professionals.organisationId))
      .where(
        inArray(
          professionals.id,
          db
            .select({ id: outbox.recipientProfessionalId })
            .from(outbox)
            .where(and(eq(outbox.leaseOwner, owner), isState(outbox.status, 'pending'))),
        ),
      )
      .then((rows) => new Map(rows.map((r) => [r.id, r]))));
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) await deliver(row);
  };
  // Every sender finishes before the drain ends, also when one failed: a drain that ended
  // early would let the database be closed under the others' sends (shutdown waits for it).
  const senders = await Promise.allSettled(Array.from({ length: Math.min(SEND_CONCURRENCY, queue.length) }, worker));
  for (const sender of senders) if (sender.status === 'rejected') throw sender.reason;
  return result;
}

/** A sent (or given-up) mail's single-use token has no business staying in the database. */
function scrub(payload: MailData): MailData {
  const rest: Record<string, unknown> = { ...payload };
  for (const field of SECRET_FIELDS) delete rest[field];
  return rest as MailData;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const smtp = error as Error & { code?: string; responseCode?: number };
  return [error.name, smtp.code, smtp.responseCode, error.message].filter(Boolean).join(' ').slice(0, 500);
}

export async function outboxStatus(deps: Deps) {
  const rows = await deps.db.select({ status: outbox.status, count: sql<number>`count(*)` }).from(outbox).groupBy(outbox.status);
  const counts = { pending: 0, sent: 0, dead: 0 };
  for (const r of rows) counts[r.status] = Number(r.count);
  return counts;
}
