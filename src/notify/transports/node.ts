/** Node mail transports: SMTP through nodemailer, or .eml files when no SMTP is configured. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Transporter } from 'nodemailer';
import { SEND_CONCURRENCY, type Mailer, type OutgoingMail } from '../mailer.ts';

type TransportOptions = Parameters<typeof import('nodemailer').createTransport>[0];

/**
 * nodemailer is loaded with the first mail, not at start: a CLI command that sends none does
 * not pay the ~20 ms of loading it (issue 12). Made once per mailer.
 */
function lazyTransport(options: TransportOptions) {
  let transport: Promise<Transporter> | undefined;
  return {
    get: () => (transport ??= import('nodemailer').then((m) => m.default.createTransport(options))),
    close() {
      void transport?.then((t) => t.close());
    },
  };
}

function message(mail: OutgoingMail) {
  return { from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: mail.messageId };
}

/** Pooled: the drainer sends several rows at once over a few kept-open connections. */
export function createSmtpMailer(url: string): Mailer & { close(): void } {
  // Timeouts well under the drainer's lease, so a hung connection cannot outlive it.
  const transport = lazyTransport({
    url,
    pool: true,
    maxConnections: SEND_CONCURRENCY,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail) {
      await (await transport.get()).sendMail(message(mail));
    },
    close: () => transport.close(),
  };
}

/**
 * Development without SMTP: every mail becomes a .eml file (open it in a mail client).
 * Its text parts stay quoted-printable, which breaks long links with `=`: nodemailer cannot
 * write them in 8bit (for a text part it keeps only base64 or quoted-printable, or 7bit for
 * short ASCII lines, whatever Content-Transfer-Encoding is asked for: mime-node
 * getTransferEncoding). So beside each .eml goes a .txt with the text part as written,
 * whose links can be copied and grepped; in development each mail's links are also printed
 * on the console, decoded, one line each, and shown at /dev/mail (src/notify/dev-mailbox.ts).
 */
export function createFileMailer(directory: string): Mailer {
  const transport = lazyTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail) {
      const info = await (await transport.get()).sendMail(message(mail));
      await mkdir(directory, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.messageId.replace(/[^A-Za-z0-9-]/g, '')}`;
      await writeFile(join(directory, `${name}.eml`), info.message as Buffer);
      await writeFile(join(directory, `${name}.txt`), `To: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.text}\n`);
    },
  };
}
