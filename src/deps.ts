import type { RateLimiter } from './auth/rate-limit.ts';
import type { AnchorStore } from './audit/anchor.ts';
import type { AuditKeyring } from './audit/key.ts';
import type { Atomic, Db } from './db/types.ts';
import type { Env } from './env.ts';
import type { Pseudonymizer } from './identity/pseudonymizer.ts';
import type { Mailer } from './notify/mailer.ts';

export interface Clock {
  now(): Date;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** Structured log. Callers pass ids and codes only: never a BSN, pseudonym or token. */
export type Log = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

/**
 * The client's address for a request, as this runtime can know it without trusting what
 * the client says (the per-IP login limit and the audit's origin depend on it). `env` is
 * what the runtime hands the app with the request.
 */
export type ClientAddress = (request: Request, env: unknown) => string | null;

/** Everything runtime-specific, assembled by an entry (src/entry/*) and passed down. */
export interface Deps {
  clientAddress: ClientAddress;
  db: Db;
  atomic: Atomic;
  hasher: PasswordHasher;
  mailer: Mailer;
  pseudonymizer: Pseudonymizer;
  clock: Clock;
  config: Env;
  log: Log;
  /** AUDIT_KEY and retired keys: the audit rows' and chain's MACs (ADR 0009). */
  auditKeys: AuditKeyring;
  /** Where the audit chain's head is anchored, outside the database (ADR 0009). */
  auditAnchors: AnchorStore;
  /** The API's per-token and per-address request limits (src/auth/rate-limit.ts, ADR 0010). */
  rateLimiter: RateLimiter;
  /** The runtime's synchronous SHA-256 (hex), where it has one (Node): every API request hashes its token. */
  digestSync?: (text: string) => string;
}

export const systemClock: Clock = { now: () => new Date() };

export function createConsoleLog(minimum: Env['LOG_LEVEL']): Log {
  const order = ['debug', 'info', 'warn', 'error', 'silent'];
  const floor = order.indexOf(minimum);
  return (level, message, fields) => {
    if (order.indexOf(level) < floor) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields });
    if (level === 'error' || level === 'warn') console.error(line);
    else console.log(line);
  };
}
