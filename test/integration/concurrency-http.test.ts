import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, it } from 'vitest';
import { createSmtpMailer } from '../../src/notify/transports/node.ts';
import { concurrentMatchScenario } from '../support/concurrent-match.ts';
import { createTestContext, type TestContext, type TestOrganisation } from '../support/context.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';

let smtp: TestSmtp;
let t: TestContext;
let server: ServerType;
let base: string;

beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestContext({ mailer: createSmtpMailer(smtp.url) });
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  t.close();
  await smtp.close();
});

function post(org: TestOrganisation, body: unknown) {
  return fetch(`${base}/api/v1/registrations`, { method: 'POST', headers: org.authHeaders, body: JSON.stringify(body) });
}

it('over real HTTP and SMTP: 50 concurrent registrations from 10 organisations, one match, every mail once', async () => {
  await concurrentMatchScenario(t, post, () => smtp.messages);
});
