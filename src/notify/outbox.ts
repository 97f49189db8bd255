import { sql } from 'drizzle-orm';
import { outbox } from '../db/schema.ts';
import { statementTemplate } from '../db/template.ts';
import type { Db, Statement } from '../db/types.ts';
import { timeOrderedId } from '../identity/ids.ts';
import type { MailData, TemplateName } from '../vocabulary.ts';
import { markQueuesMail } from './mail-kick.ts';

export interface Notification {
  /** Unique per (match, event, recipient): a retried unit cannot queue it twice. */
  idempotencyKey: string;
  template: TemplateName;
  recipientProfessionalId: string;
  recipientEmail: string;
  /** Ids only: never anything that identifies the subject. */
  payload: MailData;
}

/** The outbox insert for one notification, written in the same unit as the change; once
 * that unit commits, the drainer is kicked (src/notify/mail-kick.ts). */
export function enqueueStatement(db: Db, notification: Notification, now: Date): Statement {
  return markQueuesMail(
    insertOutbox(db, {
      id: timeOrderedId(now.getTime()),
      idempotencyKey: notification.idempotencyKey,
      template: notification.template,
      recipientProfessionalId: notification.recipientProfessionalId,
      recipientEmail: notification.recipientEmail,
      payload: notification.payload,
      nextAttemptAt: now,
      createdAt: now,
    }),
  );
}

/** Built once (src/db/template.ts): every match queues two or more. */
const insertOutbox = statementTemplate<typeof outbox.$inferInsert>((db) =>
  db
    .insert(outbox)
    .values({
      id: sql.placeholder('id'),
      idempotencyKey: sql.placeholder('idempotencyKey'),
      template: sql.placeholder('template'),
      recipientProfessionalId: sql.placeholder('recipientProfessionalId'),
      recipientEmail: sql.placeholder('recipientEmail'),
      payload: sql.placeholder('payload'),
      nextAttemptAt: sql.placeholder('nextAttemptAt'),
      createdAt: sql.placeholder('createdAt'),
    })
    .onConflictDoNothing({ target: outbox.idempotencyKey }),
);
