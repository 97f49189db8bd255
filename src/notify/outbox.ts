import { outbox } from '../db/schema.ts';
import { placeholders, statementTemplate } from '../db/template.ts';
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
    .values(placeholders('id', 'idempotencyKey', 'template', 'recipientProfessionalId', 'recipientEmail', 'payload', 'nextAttemptAt', 'createdAt'))
    .onConflictDoNothing({ target: outbox.idempotencyKey }),
);
