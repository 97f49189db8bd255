/**
 * Login in two steps, password then second factor, with brute-force protection per account:
 * every failed step counts; at 10 consecutive failures the account locks for 15 minutes
 * (audited); other accounts are unaffected. Unknown accounts, locked accounts and wrong
 * passwords all answer the same and all cost one argon2 verification, so neither the
 * answer nor its timing tells whether an account exists. (A per-IP limit sits in front,
 * on the login route.)
 */
import { and, eq, sql } from 'drizzle-orm';
import { auditStatement } from '../audit/audit.ts';
import type { Ctx } from '../context.ts';
import { organisations, professionals } from '../db/schema.ts';
import { audited, ServiceError } from '../lib/errors.ts';
import { acceptSecondFactor } from './totp.ts';

export const MAX_FAILED_LOGINS = 10;
export const LOCK_MS = 15 * 60_000;

const FAILED = 'E-mailadres, wachtwoord of code klopt niet, of het account is tijdelijk geblokkeerd.';

// A real argon2id hash of a random password, made once per hasher, to spend the same work
// on unknown accounts as on known ones.
const dummyHashes = new WeakMap<object, Promise<string>>();
function dummyHash(ctx: Ctx): Promise<string> {
  let hash = dummyHashes.get(ctx.deps.hasher);
  if (!hash) {
    hash = ctx.deps.hasher.hash(crypto.randomUUID());
    dummyHashes.set(ctx.deps.hasher, hash);
  }
  return hash;
}

async function recordFailure(ctx: Ctx, professionalId: string, step: 'password' | 'second_factor'): Promise<void> {
  const { db, clock, atomic } = ctx.deps;
  const now = clock.now();
  // Count and lock in one statement, so concurrent guesses cannot slip past the limit.
  const [row] = await db
    .update(professionals)
    .set({
      failedLogins: sql`CASE WHEN ${professionals.failedLogins} + 1 >= ${MAX_FAILED_LOGINS} THEN 0 ELSE ${professionals.failedLogins} + 1 END`,
      lockedUntil: sql`CASE WHEN ${professionals.failedLogins} + 1 >= ${MAX_FAILED_LOGINS} THEN ${now.getTime() + LOCK_MS} ELSE ${professionals.lockedUntil} END`,
    })
    .where(eq(professionals.id, professionalId))
    .returning({ lockedUntil: professionals.lockedUntil, failedLogins: professionals.failedLogins });
  const locked = row?.lockedUntil && row.lockedUntil > now && row.failedLogins === 0;
  await atomic([
    auditStatement(ctx, { action: 'account.login', outcome: 'denied', targetUserId: professionalId, detail: { step } }),
    ...(locked ? [auditStatement(ctx, { action: 'account.lock', outcome: 'success', targetUserId: professionalId, detail: { minutes: LOCK_MS / 60_000 } })] : []),
  ]);
}

const refused = () => audited(new ServiceError('unauthorized', FAILED));

export interface PasswordStepResult {
  professionalId: string;
  /** False until the second factor has been set up: the next step is enrolment. */
  hasSecondFactor: boolean;
}

/** Step 1: email and password. */
export async function checkPassword(ctx: Ctx, email: string, password: string): Promise<PasswordStepResult> {
  const { db, clock, hasher, atomic } = ctx.deps;
  const now = clock.now();
  const [account] = await db
    .select({ id: professionals.id, passwordHash: professionals.passwordHash, lockedUntil: professionals.lockedUntil, totpConfirmedAt: professionals.totpConfirmedAt })
    .from(professionals)
    .innerJoin(organisations, eq(organisations.id, professionals.organisationId))
    .where(and(eq(professionals.email, email.trim().toLowerCase()), eq(professionals.active, true), eq(organisations.active, true)))
    .limit(1);
  const locked = !!account?.lockedUntil && account.lockedUntil > now;
  const matches = await hasher.verify(account?.passwordHash ?? (await dummyHash(ctx)), password);
  if (!account || !account.passwordHash) {
    await atomic([auditStatement(ctx, { action: 'account.login', outcome: 'denied', detail: { step: 'password', reason: 'unknown_account' } })]);
    throw refused();
  }
  if (locked) {
    await atomic([auditStatement(ctx, { action: 'account.login', outcome: 'denied', targetUserId: account.id, detail: { step: 'password', reason: 'locked' } })]);
    throw refused();
  }
  if (!matches) {
    await recordFailure(ctx, account.id, 'password');
    throw refused();
  }
  return { professionalId: account.id, hasSecondFactor: account.totpConfirmedAt !== null };
}

/** Step 2: a TOTP code or a recovery code. Success resets the failure count. */
export async function checkSecondFactor(ctx: Ctx, professionalId: string, code: string): Promise<'totp' | 'recovery_code'> {
  const { db, clock, atomic } = ctx.deps;
  const [account] = await db.select({ lockedUntil: professionals.lockedUntil }).from(professionals).where(eq(professionals.id, professionalId));
  if (!account || (account.lockedUntil && account.lockedUntil > clock.now())) {
    await atomic([auditStatement(ctx, { action: 'account.login', outcome: 'denied', targetUserId: professionalId, detail: { step: 'second_factor', reason: 'locked' } })]);
    throw refused();
  }
  const accepted = await acceptSecondFactor(ctx, professionalId, code);
  if (!accepted) {
    await recordFailure(ctx, professionalId, 'second_factor');
    throw refused();
  }
  await atomic([
    db.update(professionals).set({ failedLogins: 0, lockedUntil: null }).where(eq(professionals.id, professionalId)),
    auditStatement(ctx, { action: 'account.login', outcome: 'success', targetUserId: professionalId, detail: { secondFactor: accepted } }),
  ]);
  return accepted;
}
