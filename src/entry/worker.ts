/**
 * The Cloudflare Workers composition root: the same createApp(deps) as Node, with D1,
 * argon2id in WASM, Cloudflare Email Service, and Cron Triggers for the jobs.
 * Only this file (and what it alone imports) may be Workers-specific; nothing Node-only
 * may be reachable from here (test/unit/worker-bundle.test.ts enforces it).
 */
import type { D1Database, ExecutionContext, ScheduledController, SendEmail } from '@cloudflare/workers-types';
import argon2Wasm from '@phi-ag/argon2/argon2.wasm';
import { createApp } from '../app.ts';
import { createWasmHasher } from '../auth/argon2-wasm.ts';
import { createEdgeRateLimiter, createMemoryRateLimiter, type RateLimitBinding } from '../auth/rate-limit.ts';
import { createR2AnchorStore, missingAnchorStore, type R2AnchorBucket } from '../audit/anchor.ts';
import { withAuditMacs } from '../audit/audit.ts';
import { createAuditKeyring } from '../audit/key.ts';
import { openD1Database } from '../db/d1.ts';
import { createConsoleLog, systemClock, type Deps } from '../deps.ts';
import { parseEnv } from '../env.ts';
import { createPseudonymizer } from '../identity/pseudonymizer.ts';
import { drainOutbox } from '../jobs/drain-outbox.ts';
import { runJobs } from '../jobs/run-jobs.ts';
import { withMailKick } from '../notify/mail-kick.ts';
import type { Mailer } from '../notify/mailer.ts';
import { createCloudflareMailer } from '../notify/transports/cloudflare.ts';

export interface WorkerEnv {
  DB: D1Database;
  EMAIL?: SendEmail;
  /** R2 bucket for the audit chain's anchors, outside D1 (ADR 0009). */
  AUDIT_ANCHORS?: R2AnchorBucket;
  /** Cloudflare's Rate Limiting binding: the edge-wide per-address API limit (ADR 0010). */
  API_RATE_LIMITER?: RateLimitBinding;
  [variable: string]: unknown;
}

/** Without an EMAIL binding nothing can be sent: rows stay in the outbox and back off. */
const noMailBinding: Mailer = {
  send: async () => {
    throw new Error('no send_email binding named EMAIL is configured');
  },
};

/** Everything but the bindings is a string variable or secret, parsed by the same schema as Node. */
export function createWorkerDeps(env: WorkerEnv): Deps {
  const strings = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const config = parseEnv(strings);
  if (!config.PSEUDONYM_KEY) throw new Error('PSEUDONYM_KEY is not set: `wrangler secret put PSEUDONYM_KEY`');
  if (!config.AUDIT_KEY) throw new Error('AUDIT_KEY is not set: `wrangler secret put AUDIT_KEY`');
  const { db, atomic } = openD1Database(env.DB);
  return {
    db,
    atomic: withAuditMacs(atomic),
    hasher: createWasmHasher(argon2Wasm),
    mailer: env.EMAIL ? createCloudflareMailer(env.EMAIL) : noMailBinding,
    pseudonymizer: createPseudonymizer({ id: config.PSEUDONYM_KEY_ID, bytes: config.PSEUDONYM_KEY }),
    clock: systemClock,
    config,
    log: createConsoleLog(config.LOG_LEVEL),
    // Cloudflare's edge sets this header itself and overwrites any the client sent.
    clientAddress: (request) => request.headers.get('cf-connecting-ip'),
    auditKeys: createAuditKeyring({ id: config.AUDIT_KEY_ID, bytes: config.AUDIT_KEY }, config.AUDIT_PREVIOUS_KEYS),
    auditAnchors: env.AUDIT_ANCHORS ? createR2AnchorStore(env.AUDIT_ANCHORS) : missingAnchorStore,
    rateLimiter: createEdgeRateLimiter(createMemoryRateLimiter(), env.API_RATE_LIMITER),
  };
}

// One app per isolate: env is the same for every request an isolate serves.
let built: { env: WorkerEnv; app: ReturnType<typeof createApp>; deps: Deps; mail: { queued: boolean } } | null = null;
function forEnv(env: WorkerEnv) {
  if (built?.env !== env) {
    const deps = createWorkerDeps(env);
    // A unit that queued mail marks the isolate; the request's handler then drains after its
    // response (ADR 0013). Concurrent requests share the mark: one drain sends every due row.
    const mail = { queued: false };
    const kicked = { ...deps, atomic: withMailKick(deps.atomic, () => (mail.queued = true)) };
    built = { env, deps: kicked, app: createApp(kicked), mail };
  }
  return built;
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    const { app, deps, mail } = forEnv(env);
    const response = await app.fetch(request, env, ctx);
    if (mail.queued) {
      mail.queued = false;
      // After the response: the client does not wait for SMTP. A failure stays in the outbox for the Cron run.
      ctx.waitUntil(
        drainOutbox(deps).then(
          () => undefined,
          (error: unknown) => deps.log('error', 'mail drain after a request failed', { error: error instanceof Error ? error.name : 'unknown' }),
        ),
      );
    }
    return response;
  },
  scheduled(_controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): void {
    // A failed job fails the Cron event too, so the dashboard does not report success.
    ctx.waitUntil(
      runJobs(forEnv(env).deps).then((failed) => {
        if (failed.length > 0) throw new Error(`jobs failed: ${failed.join(', ')}`);
      }),
    );
  },
};
