/**
 * Development only (NODE_ENV=development): the mails this process sent, for the preview at
 * /dev/mail, and each mail's links printed on the console.
 *
 * Why memory and not the .eml files in MAIL_DIR: it works the same on both runtimes (the
 * Workers dev server writes no files, and routes may not read the file system), with any
 * transport (also SMTP to a mail catcher), and needs no MIME parsing. What it costs: the list
 * starts empty when the server restarts, and mail sent by another process (a CLI command
 * that drains the outbox) is not in it; the .eml files still are. The last MAILBOX_SIZE mails
 * are kept. Never wired up in production or test: createApp calls `watchMail` only when
 * `devMailboxEnabled`.
 */
import type { Deps } from '../deps.ts';
import type { Env } from '../env.ts';
import type { Mailer, OutgoingMail } from './mailer.ts';

export const MAILBOX_SIZE = 50;

/**
 * Whether this server keeps and shows its mail: in development, and only when PUBLIC_URL is
 * this machine (localhost, 127.0.0.1, [::1], *.localhost) or a reserved test name (*.test).
 * NODE_ENV defaults to development, so a server that forgot NODE_ENV=production but has a
 * real address must not show everyone's invitation and reset links, nor log them.
 */
export function devMailboxEnabled(config: Pick<Env, 'NODE_ENV' | 'PUBLIC_URL'>): boolean {
  if (config.NODE_ENV !== 'development') return false;
  const host = new URL(config.PUBLIC_URL).hostname;
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host.endsWith('.localhost') || host.endsWith('.test');
}

export interface SeenMail extends OutgoingMail {
  /** Random, per process: the preview's address for this mail. */
  id: string;
  at: Date;
  /** The links in the text part, in order, each once. */
  links: string[];
}

export interface DevMailbox {
  /** Newest first. */
  list(): SeenMail[];
  get(id: string): SeenMail | undefined;
}

const boxes = new WeakMap<Mailer, DevMailbox>();

/** Every http(s) link in a text, each once, without trailing punctuation. */
export function linksIn(text: string): string[] {
  const found = text.match(/https?:\/\/[^\s<>"')]+/g) ?? [];
  return [...new Set(found.map((link) => link.replace(/[.,;:!?]+$/, '')))];
}

/**
 * Wraps `deps.mailer`'s send (once per mailer) so every mail sent through it is also kept here and its
 * links are logged, one line per link (the link only: mail links carry ids and single-use
 * tokens, never anything about the child). The mail is kept and logged after the transport
 * accepted it, so a failed send shows nothing.
 */
export function watchMail(deps: Deps): DevMailbox {
  // The mailer object itself gets the recording send, not a new object in deps: a job run
  // that started before createApp (the Node entry starts the scheduler first) already holds it.
  const mailer: Mailer = deps.mailer;
  const existing = boxes.get(mailer);
  if (existing) return existing;
  const seen: SeenMail[] = [];
  const send = mailer.send.bind(mailer);
  mailer.send = async (mail) => {
    await send(mail);
    const links = linksIn(mail.text);
    seen.unshift({ ...mail, id: crypto.randomUUID(), at: deps.clock.now(), links });
    seen.length = Math.min(seen.length, MAILBOX_SIZE);
    for (const link of links) deps.log('info', 'mail link', { link });
  };
  const box: DevMailbox = { list: () => [...seen], get: (id) => seen.find((m) => m.id === id) };
  boxes.set(mailer, box);
  return box;
}

/** The mailbox createApp set up for these deps, if it did (development only). */
export function mailboxOf(deps: Deps): DevMailbox | undefined {
  return boxes.get(deps.mailer);
}
