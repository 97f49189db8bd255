/**
 * Mail latency (`npm run bench:mail`; docs/benchmarks.md, ADR 0013): from the response that
 * made a match to the moment a real SMTP server (smtp-server, in this process) has accepted
 * the mail of every member. The server runs as `npm start` does, with the job tick set far
 * away (JOB_INTERVAL_SECONDS=3600), so only the kick after the commit can send the mail.
 *
 * Environment: BENCH_MATCHES (200), BENCH_PARALLEL (4) matches made at once.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import type { Ctx } from '../src/context.ts';
import { createApiClient, createOrganisation, createPerson } from '../src/directory/directory.ts';
import { createNodeDeps } from '../src/entry/node-deps.ts';
import { parseEnv } from '../src/env.ts';
import { bsnSource, freePort, serverArgs, startNode, stopNode } from './support.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MATCHES = Number(process.env.BENCH_MATCHES ?? 200);
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? 4);
const TARGET_P99_MS = 2000;

/** Accepted messages by the match id in their link: when the SMTP server accepted each. */
const accepted = new Map<string, number[]>();
const waiting = new Map<string, () => void>();

async function main() {
  const dir = mkdtempSync(join(os.tmpdir(), 'betrokken-bench-mail-'));
  const smtpPort = await freePort();
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const at = performance.now();
        // Quoted-printable may fold the link: unfold before looking for the match id.
        const text = Buffer.concat(chunks)
          .toString('utf8')
          .replace(/=\r?\n/g, '');
        const matchId = /\/matches\/([0-9a-f-]{36})/.exec(text)?.[1];
        if (matchId) {
          const times = accepted.get(matchId) ?? [];
          times.push(at);
          accepted.set(matchId, times);
          if (times.length === 2) waiting.get(matchId)?.();
        }
        callback();
      });
    },
  });
  await new Promise<void>((done) => smtp.listen(smtpPort, '127.0.0.1', done));

  const key = randomBytes(32).toString('hex');
  const env = {
    DATABASE_PATH: join(dir, 'bench.db'),
    PSEUDONYM_KEY: key,
    AUDIT_KEY: randomBytes(32).toString('hex'),
    AUDIT_ANCHOR_DIR: join(dir, 'anchors'),
    MAIL_DIR: join(dir, 'mail'),
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    LOG_LEVEL: 'warn',
  };
  const deps = createNodeDeps(parseEnv(env), { log: () => {} });
  const ctx: Ctx = { deps, actor: { type: 'operator', id: 'bench' }, requestId: null, origin: 'bench' };
  const sides: { token: string; email: string }[] = [];
  for (const [n, sector] of [
    [1, 'education'],
    [2, 'youth_care'],
  ] as const) {
    const { id: organisationId } = await createOrganisation(ctx, { name: `Bench ${n}`, sector });
    const email = `professional@org${n}.bench.example`;
    await createPerson(ctx, { organisationId, name: `Professional ${n}`, email, invite: false });
    sides.push({ token: (await createApiClient(ctx, { organisationId, name: `client ${n}` })).token, email });
  }
  deps.close();

  const port = await freePort();
  const server = await startNode(await serverArgs(), {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), JOB_INTERVAL_SECONDS: '3600', API_LIMIT_PER_MINUTE: '1000000', API_LIMIT_PER_IP_PER_MINUTE: '1000000' },
    ready: /ready on/,
  });
  const nextBsn = bsnSource(30_000_000, 39_999_999);
  const register = async (side: { token: string; email: string }, bsn: string) => {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/registrations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${side.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ bsn, birthDate: '2013-04-04', professionalEmail: side.email, criterionConfirmed: true }),
    });
    if (response.status !== 201) throw new Error(`registration answered ${response.status}`);
    return (await response.json()) as { matchId: string | null };
  };
  const latencies: number[] = [];
  try {
    // A first, unmeasured match warms the server up (modules, SMTP connection pool).
    let made = -1;
    const one = async () => {
      while (made < MATCHES) {
        const measured = made++ >= 0;
        const bsn = nextBsn();
        await register(sides[0]!, bsn);
        const { matchId } = await register(sides[1]!, bsn);
        const answered = performance.now();
        if (!matchId) throw new Error('no match');
        await new Promise<void>((done) => {
          if ((accepted.get(matchId)?.length ?? 0) >= 2) return done();
          waiting.set(matchId, done);
        });
        if (measured) latencies.push(Math.max(...accepted.get(matchId)!) - answered);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, one));
  } finally {
    await stopNode(server);
    smtp.close();
    rmSync(dir, { recursive: true, force: true });
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  const p99 = at(0.99);
  // For bench/all.ts, as JSON.
  if (process.env.BENCH_SUMMARY) writeFileSync(process.env.BENCH_SUMMARY, JSON.stringify({ p50: at(0.5), p99, matches: latencies.length }));
  console.log(`match made → both mails accepted by SMTP, ${latencies.length} matches, ${PARALLEL} at a time (job tick 3600 s: only the kick sends)`);
  console.log(
    `  p50 ${at(0.5).toFixed(0)} ms   p99 ${p99.toFixed(0)} ms   max ${latencies.at(-1)!.toFixed(0)} ms   target p99 < ${TARGET_P99_MS} ms: ${p99 < TARGET_P99_MS ? 'met' : 'NOT met'}`,
  );
}

await main();
