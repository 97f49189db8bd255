/** A real SMTP server in process (smtp-server), with every message parsed by mailparser. */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Received {
  raw: string;
  parsed: ParsedMail;
  to: string;
  messageId: string;
}

export interface TestSmtp {
  url: string;
  messages: Received[];
  /** Make the next `n` RCPT commands fail with a temporary (4xx) error. */
  failNext(n: number): void;
  /** How many client connections have ended, greeted or not. */
  readonly closed: number;
  /** Resolves once no client is connected and every message received is in `messages`. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
  const messages: Received[] = [];
  let failures = 0;
  // Connections past the greeting and messages still being parsed: a client killed
  // mid-conversation may have handed over messages this server has not finished taking in.
  // Connections are tracked by session id, not counted: a client that goes away before the
  // greeting gets onClose without onConnect, and a counter would go below zero and never
  // settle (which hung the crash test once).
  const open = new Set<string>();
  let parsing = 0;
  let closed = 0;
  const waiters: (() => void)[] = [];
  const quiet = () => open.size === 0 && parsing === 0;
  const settle = () => {
    if (quiet()) for (const wake of waiters.splice(0)) wake();
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // No reverse DNS for 127.0.0.1: it only delays the greeting.
    disableReverseLookup: true,
    onConnect(session, callback) {
      open.add(session.id);
      callback();
    },
    onClose(session) {
      open.delete(session.id);
      closed++;
      settle();
    },
    onRcptTo(_address, _session, callback) {
      if (failures > 0) {
        failures--;
        const error = new Error('mailbox temporarily unavailable') as Error & { responseCode: number };
        error.responseCode = 451;
        return callback(error);
      }
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        parsing++;
        const raw = Buffer.concat(chunks).toString('utf8');
        const parsed = await simpleParser(raw);
        const to = Array.isArray(parsed.to) ? parsed.to[0]!.text : (parsed.to?.text ?? '');
        messages.push({ raw, parsed, to, messageId: parsed.messageId ?? '' });
        callback();
        parsing--;
        settle();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    get closed() {
      return closed;
    },
    failNext: (n) => {
      failures = n;
    },
    idle: () => (quiet() ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
