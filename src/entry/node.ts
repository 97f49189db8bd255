/** `npm start`: the Node composition root. Opens/migrates the SQLite file and serves. */
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from '../app.ts';
import { ConfigError } from '../env.ts';
import { startScheduler } from '../jobs/run-jobs.ts';
import { addCollector } from '../metrics/registry.ts';
import { createNodeDeps, loadNodeConfig } from './node-deps.ts';
import { processFamilies } from './process-metrics.ts';

/** How long requests under way may take to finish after SIGTERM or SIGINT. */
const STOP_GRACE_MS = 10_000;

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
  // A lost transaction (a failed WAL sync or COMMIT: the disk or the file system failed)
  // leaves nothing trustworthy to commit after it (ADR 0015): stop, so that SQLite recovers
  // the database from the disk when the service is restarted.
  deps.database.onFailure((error) => {
    deps.log('error', 'the database lost a transaction: stopping', { error: error.message });
    process.exit(1);
  });
  addCollector(processFamilies);
  if (!config.SMTP_URL) deps.log('warn', `SMTP_URL is not set: outgoing mail is written as .eml files to ${config.MAIL_DIR}`);
  const stopScheduler = startScheduler(deps, config.JOB_INTERVAL_SECONDS * 1000, deps.database.checkpoint);
  // Plain HTTP/1.1 (no `createServer` option), so the node:http server with its close methods.
  const server = serve({ fetch: createApp(deps).fetch, port: config.PORT }, (info) => {
    console.log(`Betrokken is ready on http://localhost:${info.port} (public URL ${config.PUBLIC_URL})`);
  }) as Server;
  // Graceful: no new connections, requests under way finish, a job run and a kicked drain
  // under way finish (so no outbox row stays leased to a process that is gone), then the
  // database is committed and closed. A second signal, or requests still open after
  // STOP_GRACE_MS, end it at once.
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      deps.log('warn', 'stopping at once', { signal });
      process.exit(1);
    }
    stopping = true;
    const started = Date.now();
    deps.log('info', 'stopping', { signal });
    const grace = setTimeout(() => {
      deps.log('warn', 'requests still open: closing them', { afterMs: STOP_GRACE_MS });
      server.closeAllConnections();
    }, STOP_GRACE_MS);
    grace.unref();
    server.close(() => {
      void (async () => {
        await stopScheduler();
        await deps.mailKicker?.idle();
        deps.close();
        deps.log('info', 'stopped', { ms: Date.now() - started });
        process.exit(0);
      })();
    });
    server.closeIdleConnections();
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main();
