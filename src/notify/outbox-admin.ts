/**
 * The mail console (municipal admin): the outbox by status, and retrying a dead mail.
 * Never the payload: an account mail's payload holds its single-use token until it is out.
 * A dead account mail (invitation, password reset) has lost its token (the drainer scrubs
 * it when it gives up), so retrying it issues a new link to the person instead, and the
 * old row is marked as replaced so it is never retried again.
 */
import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement, recordAudit } from '../audit/audit.ts';
import { issueTokenStatements } from '../auth/account-tokens.ts';
import { authorize } from '../auth/permissions.ts';
import type { Ctx } from '../context.ts';
import { guardStatement } from '../db/guard.ts';
import { outbox, professionals } from '../db/schema.ts';
import { AtomicConflict } from '../db/types.ts';
import { Id } from '../identity/ids.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { markQueuesMail } from './mail-kick.ts';

export const OUTBOX_STATUSES = ['pending', 'sent', 'dead'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
export const OUTBOX_PAGE_SIZE = 25;

/** `last_error` of a dead account mail that was replaced by a new link: never retried again. */
export const REISSUED_MARK = 'replaced: a new link was issued';

const ACCOUNT_TEMPLATES = ['invitation', 'password_reset'] as const;
type AccountTemplate = (typeof ACCOUNT_TEMPLATES)[number];
const isAccountTemplate = (template: string): template is AccountTemplate => (ACCOUNT_TEMPLATES as readonly string[]).includes(template);

/** `{createdAt ms}.{id}` of the last row shown: the next page starts after it. */
const Cursor = z
  .string()
  .regex(/^\d{1,15}\.[A-Za-z0-9-]{1,64}$/, 'not a cursor')
  .transform((value) => {
    const [at, id] = value.split('.') as [string, string];
    return { at: new Date(Number(at)), id };
  });

export const ListOutboxInput = z.strictObject({
  status: z.enum(OUTBOX_STATUSES, { error: `must be one of ${OUTBOX_STATUSES.join(', ')}` }).default('pending'),
  cursor: Cursor.optional(),
  limit: z.number().int().min(1).max(500).default(OUTBOX_PAGE_SIZE),
});

export interface OutboxItem {
  id: string;
  template: string;
  recipientEmail: string;
  status: OutboxStatus;
  createdAt: Date;
  attempts: number;
  nextAttemptAt: Date | null;
  sentAt: Date | null;
  lastError: string | null;
  /** A dead mail that may be retried (or, for an account mail, replaced by a new link); not for a deactivated person. */
  retryable: boolean;
  /** Retrying issues a new link instead of sending this row again. */
  reissues: boolean;
  /** A dead account mail already replaced by a new link. */
  replaced: boolean;
}

/** The outbox rows of one status, newest first, a page at a time. */
export async function listOutbox(
  ctx: Ctx,
  input: z.input<typeof ListOutboxInput> = {},
): Promise<{ items: OutboxItem[]; nextCursor: string | null; counts: Record<OutboxStatus, number> }> {
  const { status, cursor, limit } = parseInput(ListOutboxInput, input);
  await authorize(ctx, 'beheer', 'outbox.list');
  const { db } = ctx.deps;
  const rows = await db
    .select({
      id: outbox.id,
      template: outbox.template,
      recipientEmail: outbox.recipientEmail,
      status: outbox.status,
      createdAt: outbox.createdAt,
      attempts: outbox.attempts,
      nextAttemptAt: outbox.nextAttemptAt,
      sentAt: outbox.sentAt,
      lastError: outbox.lastError,
      // A mail without a person (none today) counts as active: nothing to stop it.
      recipientActive: sql<number>`coalesce(${professionals.active}, 1)`,
    })
    .from(outbox)
    .leftJoin(professionals, eq(professionals.id, outbox.recipientProfessionalId))
    .where(
      and(eq(outbox.status, status), cursor ? or(lt(outbox.createdAt, cursor.at), and(eq(outbox.createdAt, cursor.at), lt(outbox.id, cursor.id))) : undefined),
    )
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = rows.length > limit && last ? `${last.createdAt.getTime()}.${last.id}` : null;
  const counted = await db.select({ status: outbox.status, n: sql<number>`count(*)` }).from(outbox).groupBy(outbox.status);
  const counts = { pending: 0, sent: 0, dead: 0 };
  for (const row of counted) counts[row.status] = Number(row.n);
  await recordAudit(ctx, { action: 'outbox.list', outcome: 'success', detail: { status, count: page.length } });
  return {
    items: page.map((row) => {
      const { recipientActive, ...item } = row;
      const replaced = row.status === 'dead' && row.lastError === REISSUED_MARK;
      const retryable = row.status === 'dead' && !replaced && Number(recipientActive) === 1;
      return {
        ...item,
        replaced,
        nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt : null,
        retryable,
        reissues: retryable && isAccountTemplate(row.template),
      };
    }),
    nextCursor,
    counts,
  };
}

export const RetryOutboxInput = z.strictObject({ outboxId: Id });

export type RetryOutcome = 'queued' | 'reissued';

/**
 * Retries a dead mail: back to pending, attempts reset, due now. A dead account mail is
 * replaced by a new link for the same person (at their current address; refused if the
 * account is deactivated), and the old row marked as replaced.
 */
export async function retryOutbox(ctx: Ctx, input: z.input<typeof RetryOutboxInput>): Promise<{ id: string; outcome: RetryOutcome }> {
  const { outboxId } = parseInput(RetryOutboxInput, input);
  await authorize(ctx, 'beheer', 'outbox.retry');
  const { db, clock } = ctx.deps;
  const [row] = await db
    .select({
      template: outbox.template,
      status: outbox.status,
      lastError: outbox.lastError,
      recipientProfessionalId: outbox.recipientProfessionalId,
    })
    .from(outbox)
    .where(eq(outbox.id, outboxId))
    .limit(1);
  if (!row) {
    await recordAudit(ctx, { action: 'outbox.retry', outcome: 'not_found', detail: { outboxId } });
    throw audited(new ServiceError('not_found', 'E-mail niet gevonden.'));
  }
  if (row.status !== 'dead' || row.lastError === REISSUED_MARK) {
    await recordAudit(ctx, { action: 'outbox.retry', outcome: 'invalid', targetUserId: row.recipientProfessionalId, detail: { outboxId, status: row.status } });
    throw audited(new ServiceError('conflict', 'Alleen mislukte e-mail kan opnieuw worden verstuurd, en maar één keer.'));
  }
  // The row must still be dead and not yet replaced when the unit runs: two clicks retry once.
  const stillDead = guardStatement(
    db,
    sql`SELECT status || ':' || coalesce(last_error, '') FROM ${outbox} WHERE id = ${outboxId}`,
    `dead:${row.lastError ?? ''}`,
  );
  const now = clock.now();
  let outcome: RetryOutcome = 'queued';
  const statements = [stillDead];
  const [person] = row.recipientProfessionalId
    ? await db
        .select({
          id: professionals.id,
          email: professionals.email,
          active: professionals.active,
          activated: sql<number>`${professionals.passwordHash} IS NOT NULL`,
        })
        .from(professionals)
        .where(eq(professionals.id, row.recipientProfessionalId))
        .limit(1)
    : [];
  if (person && !person.active) {
    // Sending it again would only end dead again (drain-outbox.ts); their mail goes to their coordinators.
    await recordAudit(ctx, {
      action: 'outbox.retry',
      outcome: 'invalid',
      targetUserId: row.recipientProfessionalId,
      detail: { outboxId, reason: 'recipient_inactive' },
    });
    throw audited(new ServiceError('conflict', 'De ontvanger van deze e-mail is gedeactiveerd: de e-mail wordt niet opnieuw verstuurd.'));
  }
  if (isAccountTemplate(row.template)) {
    if (!person) {
      await recordAudit(ctx, { action: 'outbox.retry', outcome: 'not_found', detail: { outboxId, reason: 'no_account' } });
      throw audited(new ServiceError('not_found', 'Het account van deze e-mail bestaat niet.'));
    }
    if (row.template === 'invitation' && Number(person.activated) === 1) {
      // Accepted since (through a later invitation): a new invitation would be a way around the password.
      await recordAudit(ctx, { action: 'outbox.retry', outcome: 'invalid', targetUserId: person.id, detail: { outboxId, reason: 'already_activated' } });
      throw audited(new ServiceError('conflict', 'Dit account is al geactiveerd: een nieuwe uitnodiging is niet nodig.'));
    }
    outcome = 'reissued';
    statements.push(
      db.update(outbox).set({ lastError: REISSUED_MARK }).where(eq(outbox.id, outboxId)),
      ...(await issueTokenStatements(ctx, person, row.template as AccountTemplate)),
    );
  } else {
    statements.push(
      // Due again now: the unit kicks the drainer like a new mail (src/notify/mail-kick.ts).
      markQueuesMail(
        db
          .update(outbox)
          .set({ status: 'pending', attempts: 0, nextAttemptAt: now, leaseOwner: null, leaseUntil: null, lastError: null })
          .where(eq(outbox.id, outboxId)),
      ),
    );
  }
  statements.push(
    auditStatement(ctx, {
      action: 'outbox.retry',
      outcome: 'success',
      targetUserId: row.recipientProfessionalId,
      detail: { outboxId, template: row.template, outcome },
    }),
  );
  try {
    await ctx.deps.atomic(statements);
  } catch (error) {
    if (!(error instanceof AtomicConflict)) throw error;
    await recordAudit(ctx, { action: 'outbox.retry', outcome: 'invalid', targetUserId: row.recipientProfessionalId, detail: { outboxId, reason: 'changed' } });
    throw audited(new ServiceError('conflict', 'Deze e-mail is zojuist al opnieuw verstuurd.'));
  }
  return { id: outboxId, outcome };
}
