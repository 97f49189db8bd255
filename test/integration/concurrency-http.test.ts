import { afterAll, beforeAll, it } from 'vitest';
import { createSmtpMailer } from '../../src/notify/transports/node.ts';
import { concurrentMatchScenario } from '../support/concurrent-match.ts';
import { createTestContext, type TestContext, type TestOrganisation } from '../support/context.ts';
import { serveOnSocket, type ServedApp } from '../support/node-server.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';

let smtp: TestSmtp;
let t: TestContext;
let served: ServedApp;
let base: string;

beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestContext({ mailer: createSmtpMailer(smtp.url) });
  served = await serveOnSocket(t);
  base = served.base;
});
afterAll(async () => {
  await served.close();
  t.close();
  await smtp.close();
});

function post(org: TestOrganisation, body: unknown) {
  return fetch(`${base}/api/v1/registrations`, { method: 'POST', headers: org.authHeaders, body: JSON.stringify(body) });
}

it('over real HTTP and SMTP: 50 concurrent registrations from 10 organisations, one match, every mail once', async () => {
  await concurrentMatchScenario(t, post, () => smtp.messages);
});
