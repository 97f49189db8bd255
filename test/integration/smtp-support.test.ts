/** The test SMTP server's idle() must settle whatever way a client leaves (the crash test relies on it). */
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createSmtpMailer } from '../../src/notify/transports/node.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(() => smtp.close());

function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timed out'> {
  return Promise.race([promise, new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), ms).unref())]);
}

it('is idle after a client that left before the greeting, and after one that sent a message', async () => {
  // A client killed right after connecting: the server sees its close, never its onConnect.
  const { port } = new URL(smtp.url);
  const early = connect(Number(port), '127.0.0.1');
  await new Promise<void>((resolve) => early.on('connect', resolve));
  early.destroy();
  await vi.waitFor(() => expect(smtp.closed).toBe(1), { timeout: 10_000 });
  expect(await within(smtp.idle(), 10_000)).toBeUndefined();

  const mailer = createSmtpMailer(smtp.url);
  await mailer.send({ from: 'a@example.org', to: 'b@example.org', subject: 's', text: 't', html: '<p>t</p>', messageId: '<m@test>' });
  mailer.close();
  await vi.waitFor(() => expect(smtp.closed).toBe(2), { timeout: 10_000 });
  expect(await within(smtp.idle(), 10_000)).toBeUndefined();
  expect(smtp.messages.map((m) => m.to)).toEqual(['b@example.org']);
});
