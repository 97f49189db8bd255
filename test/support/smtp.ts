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
  /** Resolves once no client is connected and every message received is in `messages`. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
  const messages: Received[] = [];
  let failures = 0;
  // Open connections and messages still being parsed: a client killed mid-conversation
  // may have handed over messages this server has not finished taking in.
  let busy = 0;
  const waiters: (() => void)[] = [];
  const settle = (change: number) => {
    busy += change;
    if (busy > 0) return;
    for (const wake of waiters.splice(0)) wake();
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect(_session, callback) {
      settle(1);
      callback();
    },
    onClose() {
      settle(-1);
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
        settle(1);
        const raw = Buffer.concat(chunks).toString('utf8');
        const parsed = await simpleParser(raw);
        const to = Array.isArray(parsed.to) ? parsed.to[0]!.text : (parsed.to?.text ?? '');
        messages.push({ raw, parsed, to, messageId: parsed.messageId ?? '' });
        callback();
        settle(-1);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    failNext: (n) => {
      failures = n;
    },
    idle: () => (busy === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
