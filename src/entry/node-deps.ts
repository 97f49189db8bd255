/**
 * The Node composition: better-sqlite3, native argon2, nodemailer, in-process scheduler.
 * Shared by `npm start`, the CLI and the tests, so they all build the app the same way.
 */
import { createHmac, createSecretKey, hash, type KeyObject } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type AnchorStore, parseAnchor } from '../audit/anchor.ts';
import { withAuditMacs } from '../audit/audit.ts';
import { createAuditKeyring, type SyncHmac } from '../audit/key.ts';
import { createMemoryRateLimiter } from '../auth/rate-limit.ts';
import { openNodeDatabase, type NodeDatabase } from '../db/node.ts';
import { createConsoleLog, systemClock, type ClientAddress, type Clock, type Deps, type Log, type PasswordHasher } from '../deps.ts';
import { ConfigError, parseEnv, type Env } from '../env.ts';
import { createPseudonymizer, type SyncHmacBytes } from '../identity/pseudonymizer.ts';
import { drainOutbox } from '../jobs/drain-outbox.ts';
import { createMailKicker, type MailKicker, withMailKick } from '../notify/mail-kick.ts';
import type { Mailer } from '../notify/mailer.ts';
import { createFileMailer, createSmtpMailer } from '../notify/transports/node.ts';

// The native addon is loaded at the first hash, not at start: most CLI commands hash nothing (issue 12).
const argon2 = () => import('argon2').then((m) => m.default);

/** OWASP's argon2id minimum (m=19 MiB, t=2, p=1): about 25 ms here. */
export const argon2Hasher: PasswordHasher = {
  hash: async (password) => {
    const a = await argon2();
    return a.hash(password, { type: a.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  },
  verify: async (hash, password) => (await argon2()).verify(hash, password),
};

/**
 * A missing key is generated into the data directory (mode 0600) outside production, so
 * `npm start` works on a fresh machine. In production it is an error: a lost or changed
 * PSEUDONYM_KEY silently breaks all matching, and without AUDIT_KEY no audit row can be
 * MACed (ADR 0009).
 */
function ensureDevKey(
  env: Record<string, string | undefined>,
  log: Log,
  name: 'PSEUDONYM_KEY' | 'AUDIT_KEY',
  fileName: string,
  consequence: string,
): Record<string, string | undefined> {
  if (env[name]) return env;
  if (env.NODE_ENV === 'production') throw new ConfigError([`${name}: required in production (32+ random bytes, hex or base64)`]);
  const dataDir = dirname(env.DATABASE_PATH && env.DATABASE_PATH !== ':memory:' ? env.DATABASE_PATH : './data/betrokken.db');
  const file = join(dataDir, fileName);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex')}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  log('warn', `!!! ${name} is not set: using a generated development key. Set ${name} in production; ${consequence}. !!!`, { file });
  return { ...env, [name]: readFileSync(file, 'utf8').trim() };
}

export const ensurePseudonymKey = (env: Record<string, string | undefined>, log: Log) =>
  ensureDevKey(env, log, 'PSEUDONYM_KEY', 'pseudonym.key', 'losing it breaks every match');

export const ensureAuditKey = (env: Record<string, string | undefined>, log: Log) =>
  ensureDevKey(env, log, 'AUDIT_KEY', 'audit.key', 'without it the audit trail cannot be verified');

/**
 * Anchors on Node: one JSON line per anchor appended to `audit-anchors.jsonl` in
 * AUDIT_ANCHOR_DIR and fsynced (ADR 0009). Keep that directory off the database's disk or
 * copy it elsewhere: it is what a holder of the database file cannot rewrite.
 */
export function createFileAnchorStore(dir: string): AnchorStore {
  const file = join(dir, 'audit-anchors.jsonl');
  return {
    where: file,
    async append(anchor) {
      mkdirSync(dir, { recursive: true });
      const fd = openSync(file, 'a', 0o600);
      try {
        writeSync(fd, `${JSON.stringify(anchor)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    },
    async latest() {
      if (!existsSync(file)) return null;
      const lines = readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '');
      for (let i = lines.length - 1; i >= 0; i--) {
        const anchor = parseAnchor(lines[i]!);
        if (anchor) return anchor;
      }
      return null;
    },
  };
}

/** Node's synchronous HMAC for audit rows (src/audit/key.ts says why). */
export const nodeHmac: SyncHmac = (key, message) => createHmac('sha256', secretKey(key)).update(message).digest('hex');

/** Node's synchronous HMAC for pseudonyms (src/identity/pseudonymizer.ts says why). */
export const nodeHmacBytes: SyncHmacBytes = (key, message) => new Uint8Array(createHmac('sha256', secretKey(key)).update(message).digest());

// Importing raw key bytes for every MAC was a few per cent of a registration's CPU.
const secretKeys = new WeakMap<Uint8Array, KeyObject>();
function secretKey(bytes: Uint8Array): KeyObject {
  let key = secretKeys.get(bytes);
  if (!key) {
    key = createSecretKey(bytes);
    secretKeys.set(bytes, key);
  }
  return key;
}

/**
 * On Node the socket's peer is the client, unless TRUST_PROXY says a reverse proxy is that
 * peer: then the last X-Forwarded-For entry, the one the proxy appended (earlier entries are
 * whatever the client sent). Client-set headers such as CF-Connecting-IP count for nothing.
 */
export function nodeClientAddress(trustProxy: boolean): ClientAddress {
  return (request, env) => {
    if (trustProxy) {
      const last = request.headers.get('x-forwarded-for')?.split(',').at(-1)?.trim();
      if (last) return last;
    }
    return (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress ?? null;
  };
}

export interface NodeDeps extends Deps {
  database: NodeDatabase;
  /** Drains the outbox in process right after a unit that queued mail (`kickMail`; ADR 0013). */
  mailKicker: MailKicker | null;
  close(): void;
}

export function createNodeDeps(config: Env, overrides: { mailer?: Mailer; clock?: Clock; log?: Log; migrate?: boolean; kickMail?: boolean } = {}): NodeDeps {
  if (!config.PSEUDONYM_KEY) throw new ConfigError(['PSEUDONYM_KEY: required']);
  const log = overrides.log ?? createConsoleLog(config.LOG_LEVEL);
  if (!config.AUDIT_KEY && config.NODE_ENV === 'production') throw new ConfigError(['AUDIT_KEY: required']);
  if (!config.AUDIT_KEY) log('warn', 'AUDIT_KEY is not set: audit rows are MACed with a key that dies with this process');
  const auditKey = config.AUDIT_KEY ?? crypto.getRandomValues(new Uint8Array(32));
  const database = openNodeDatabase(config.DATABASE_PATH, { migrate: overrides.migrate ?? true, log });
  const mailer = overrides.mailer ?? (config.SMTP_URL ? createSmtpMailer(config.SMTP_URL) : createFileMailer(config.MAIL_DIR));
  const deps: NodeDeps = {
    db: database.db,
    atomic: withAuditMacs(database.atomic),
    hasher: argon2Hasher,
    mailer,
    pseudonymizer: createPseudonymizer({ id: config.PSEUDONYM_KEY_ID, bytes: config.PSEUDONYM_KEY }, nodeHmacBytes),
    digestSync: (text) => hash('sha256', text, 'hex'), // one-shot: no Hash object per call
    clock: overrides.clock ?? systemClock,
    config,
    log,
    clientAddress: nodeClientAddress(config.TRUST_PROXY),
    auditKeys: createAuditKeyring({ id: config.AUDIT_KEY_ID, bytes: auditKey }, config.AUDIT_PREVIOUS_KEYS, nodeHmac),
    auditAnchors: createFileAnchorStore(config.AUDIT_ANCHOR_DIR),
    // One process serves the API on Node, so its memory counts exactly (ADR 0010).
    rateLimiter: createMemoryRateLimiter(),
    database,
    mailKicker: null,
    close() {
      (mailer as Partial<{ close(): void }>).close?.();
      database.close();
    },
  };
  if (overrides.kickMail) {
    const kicker = createMailKicker(
      () => drainOutbox(deps),
      (error) => log('error', 'mail drain after a unit failed', { error: error instanceof Error ? error.name : 'unknown' }),
    );
    deps.mailKicker = kicker;
    deps.atomic = withMailKick(deps.atomic, kicker.kick);
  }
  return deps;
}

/** Reads and validates the process environment, generating a dev key if needed. */
export function loadNodeConfig(env: Record<string, string | undefined> = process.env): Env {
  const log = createConsoleLog((env.LOG_LEVEL as Env['LOG_LEVEL']) ?? 'info');
  return parseEnv(ensureAuditKey(ensurePseudonymKey(env, log), log));
}
