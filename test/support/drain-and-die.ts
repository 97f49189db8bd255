/**
 * Test helper process: drains the outbox with the real SMTP mailer, and is killed with
 * SIGKILL right after the first message was accepted by the SMTP server, before the row
 * could be marked sent: the crash the outbox must survive.
 */
import { createNodeDeps, loadNodeConfig } from '../../src/entry/node-deps.ts';
import { drainOutbox } from '../../src/jobs/drain-outbox.ts';
import { createSmtpMailer } from '../../src/notify/transports/node.ts';

const config = loadNodeConfig();
const smtp = createSmtpMailer(config.SMTP_URL!);
const deps = createNodeDeps(config, {
  mailer: {
    async send(mail) {
      await smtp.send(mail);
      process.kill(process.pid, 'SIGKILL');
      await new Promise(() => {}); // never returns: the kill lands first
    },
  },
});
await drainOutbox(deps, { owner: 'doomed-drainer' });
