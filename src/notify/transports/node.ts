/** Node mail transports: SMTP through nodemailer, or .eml files when no SMTP is configured. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { SEND_CONCURRENCY, type Mailer, type OutgoingMail } from '../mailer.ts';

function message(mail: OutgoingMail) {
  return { from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: mail.messageId };
}

/** Pooled: the drainer sends several rows at once over a few kept-open connections. */
export function createSmtpMailer(url: string): Mailer & { close(): void } {
  // Timeouts well under the drainer's lease, so a hung connection cannot outlive it.
  const transport = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: SEND_CONCURRENCY,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail) {
      await transport.sendMail(message(mail));
    },
    close: () => transport.close(),
  };
}

/** Development without SMTP: every mail becomes a readable .eml file. */
export function createFileMailer(directory: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail) {
      const info = await transport.sendMail(message(mail));
      await mkdir(directory, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.messageId.replace(/[^A-Za-z0-9-]/g, '')}.eml`;
      await writeFile(join(directory, name), info.message as Buffer);
    },
  };
}
