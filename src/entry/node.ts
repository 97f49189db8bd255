/** `npm start`: the Node composition root. Opens/migrates the SQLite file and serves. */
import { serve } from '@hono/node-server';
import { createApp } from '../app.ts';
import { ConfigError } from '../env.ts';
import { startScheduler } from '../jobs/run-jobs.ts';
import { createNodeDeps, loadNodeConfig } from './node-deps.ts';

function main() {
  let config: ReturnType<typeof loadNodeConfig>;
  try {
    config = loadNodeConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  // Mail leaves right after the unit that queued it; the job tick is the safety net (ADR 0013).
  const deps = createNodeDeps(config, { kickMail: true });
  if (!config.SMTP_URL) deps.log('warn', `SMTP_URL is not set: outgoing mail is written as .eml files to ${config.MAIL_DIR}`);
  const stopScheduler = startScheduler(deps, config.JOB_INTERVAL_SECONDS * 1000, deps.database.checkpoint);
  const server = serve({ fetch: createApp(deps).fetch, port: config.PORT }, (info) => {
    console.log(`Betrokken is ready on http://localhost:${info.port} (public URL ${config.PUBLIC_URL})`);
  });
  const shutdown = () => {
    stopScheduler();
    server.close(() => {
      // A kicked drain still sending finishes first; what it could not send stays in the outbox.
      void deps.mailKicker?.idle().finally(() => {
        deps.close();
        process.exit(0);
      });
    });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main();
