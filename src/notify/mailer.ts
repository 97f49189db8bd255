/** The mailer port: one implementation per runtime (SMTP or .eml files on Node). */
export interface OutgoingMail {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per outbox row (`<outbox-ID@host>`): a resend after a crash is the same message. */
  messageId: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

/** How many messages the drainer has in flight at once. */
export const SEND_CONCURRENCY = 5;
