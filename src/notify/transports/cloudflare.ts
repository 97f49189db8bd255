/**
 * Mail on Workers through Cloudflare Email Service's `send_email` binding (ADR 0003).
 * The platform sets Message-ID itself, so the outbox row's stable id travels in
 * `X-Betrokken-Message-Id`: a resend after a crash is still recognisable as the same message.
 */
import type { SendEmail } from '@cloudflare/workers-types';
import type { Mailer } from '../mailer.ts';

export function createCloudflareMailer(binding: SendEmail): Mailer {
  return {
    async send(mail) {
      await binding.send({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: { 'X-Betrokken-Message-Id': mail.messageId },
      });
    },
  };
}
