import { outbox } from '../db/schema.ts';
import type { Db, Statement } from '../db/types.ts';
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
    db
      .insert(outbox)
      .values({
        id: crypto.randomUUID(),
        idempotencyKey: notification.idempotencyKey,
        template: notification.template,
        recipientProfessionalId: notification.recipientProfessionalId,
        recipientEmail: notification.recipientEmail,
        payload: notification.payload,
        nextAttemptAt: now,
        createdAt: now,
      })
      .onConflictDoNothing({ target: outbox.idempotencyKey }),
  );
}
