/**
 * Login in two steps, password then second factor, with brute-force protection per account:
 * every attempt is counted *before* it is checked, by a conditional UPDATE that admits at
 * most ten outstanding failures; the tenth failure locks the account for 15 minutes
 * (audited). So a burst of concurrent guesses cannot get more than ten checked, and a
 * success never clears a lock a concurrent burst has just set. Other accounts are unaffected. Unknown accounts, locked
 * accounts and wrong passwords all answer the same and all cost one argon2 verification.
 * (A per-IP limit sits in front, on the login route.)
 */
import { and, eq, gte, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement, recordAudit } from '../audit/audit.ts';
import type { Ctx } from '../context.ts';
import { organisations, professionals } from '../db/schema.ts';
import { Id } from '../identity/ids.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { metrics } from '../metrics/registry.ts';
import { PASSWORD_MAX } from './password-policy.ts';
import { acceptSecondFactor } from './totp.ts';

export const MAX_FAILED_LOGINS = 10;
export const LOCK_MS = 15 * 60_000;

const FAILED = 'E-mailadres, wachtwoord of code klopt niet, of het account is tijdelijk geblokkeerd.';

/** An argon2id hash (m=19456,t=2,p=1) of a random, forgotten password: unknown accounts
 * are verified against it, so they cost the same work as known ones from the first try. */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$0NEOBS0+QnM+CdGIgIsjRg$Ki2ENLN6heJWXibBra2E3eIPj312j8kY6PQnLadWtG4';

const refused = () => audited(new ServiceError('unauthorized', FAILED));
const notLocked = (now: Date) => or(isNull(professionals.lockedUntil), lte(professionals.lockedUntil, now));

type Step = 'password' | 'second_factor';

/**
 * Counts one attempt before it is checked; false when the account is locked or already has
 * ten attempts counted (then the lock is set, if a crash left it unset). The count stays if
 * the attempt fails; `settle` takes it back on success.
 */
async function countAttempt(ctx: Ctx, professionalId: string, step: Step): Promise<boolean> {
  const now = ctx.deps.clock.now();
  const [row] = await ctx.deps.db
    .update(professionals)
    .set({ failedLogins: sql`${professionals.failedLogins} + 1` })
    .where(and(eq(professionals.id, professionalId), notLocked(now), lt(professionals.failedLogins, MAX_FAILED_LOGINS)))
    .returning({ id: professionals.id });
  if (row) return true;
  await lockIfSpent(ctx, professionalId, step);
  return false;
}

/** After a failure: ten failed attempts lock the account for 15 minutes (audited). */
async function lockIfSpent(ctx: Ctx, professionalId: string, step: Step): Promise<void> {
  const now = ctx.deps.clock.now();
  const [locked] = await ctx.deps.db
    .update(professionals)
    .set({ failedLogins: 0, lockedUntil: new Date(now.getTime() + LOCK_MS) })
    .where(and(eq(professionals.id, professionalId), notLocked(now), gte(professionals.failedLogins, MAX_FAILED_LOGINS)))
    .returning({ id: professionals.id });
  if (locked) {
    await recordAudit(ctx, { action: 'account.lock', outcome: 'success', targetUserId: professionalId, detail: { step, minutes: LOCK_MS / 60_000 } });
  }
}

/** A successful step: take back its count (password) or clear the count (login done),
 * only while the account is not locked; false if a concurrent burst locked it. */
async function settle(ctx: Ctx, professionalId: string, done: boolean): Promise<boolean> {
  const now = ctx.deps.clock.now();
  const [row] = await ctx.deps.db
    .update(professionals)
    .set({ failedLogins: done ? 0 : sql`max(${professionals.failedLogins} - 1, 0)` })
    .where(and(eq(professionals.id, professionalId), notLocked(now)))
    .returning({ id: professionals.id });
  return !!row;
}

async function deny(
  ctx: Ctx,
  step: Step,
  professionalId: string | null,
  reason: 'unknown_account' | 'wrong_password' | 'wrong_code' | 'locked',
): Promise<never> {
  metrics.loginRefused(reason);
  if (professionalId && reason.startsWith('wrong_')) await lockIfSpent(ctx, professionalId, step);
  await recordAudit(ctx, { action: 'account.login', outcome: 'denied', targetUserId: professionalId, detail: { step, reason } });
  throw refused();
}

export interface PasswordStepResult {
  professionalId: string;
  /** False until the second factor has been set up: the next step is enrolment. */
  hasSecondFactor: boolean;
}

/** Only bounded: any other wrong value is a refused login like every other (no oracle). */
export const CheckPasswordInput = z.strictObject({ email: z.string().max(254), password: z.string().max(PASSWORD_MAX * 4) });

/** Step 1: email and password. */
export async function checkPassword(ctx: Ctx, input: z.input<typeof CheckPasswordInput>): Promise<PasswordStepResult> {
  const { email, password } = parseInput(CheckPasswordInput, input);
  const { db, hasher } = ctx.deps;
  const [account] = await db
    .select({ id: professionals.id, passwordHash: professionals.passwordHash, totpConfirmedAt: professionals.totpConfirmedAt })
    .from(professionals)
    .innerJoin(organisations, eq(organisations.id, professionals.organisationId))
    .where(and(eq(professionals.email, email.trim().toLowerCase()), eq(professionals.active, true), eq(organisations.active, true)))
    .limit(1);
  if (!account?.passwordHash) {
    await hasher.verify(DUMMY_HASH, password);
    return deny(ctx, 'password', null, 'unknown_account');
  }
  if (!(await countAttempt(ctx, account.id, 'password'))) {
    await hasher.verify(DUMMY_HASH, password);
    return deny(ctx, 'password', account.id, 'locked');
  }
  if (!(await hasher.verify(account.passwordHash, password))) return deny(ctx, 'password', account.id, 'wrong_password');
  if (!(await settle(ctx, account.id, false))) return deny(ctx, 'password', account.id, 'locked');
  return { professionalId: account.id, hasSecondFactor: account.totpConfirmedAt !== null };
}

export const CheckSecondFactorInput = z.strictObject({ professionalId: Id, code: z.string().max(20) });

/** Step 2: a TOTP code or a recovery code. Success ends the count. */
export async function checkSecondFactor(ctx: Ctx, input: z.input<typeof CheckSecondFactorInput>): Promise<'totp' | 'recovery_code'> {
  const { professionalId, code } = parseInput(CheckSecondFactorInput, input);
  if (!(await countAttempt(ctx, professionalId, 'second_factor'))) return deny(ctx, 'second_factor', professionalId, 'locked');
  const accepted = await acceptSecondFactor(ctx, professionalId, code);
  if (!accepted) return deny(ctx, 'second_factor', professionalId, 'wrong_code');
  if (!(await settle(ctx, professionalId, true))) return deny(ctx, 'second_factor', professionalId, 'locked');
  await ctx.deps.atomic([
    // "Last login" in the people list of the beheer console.
    ctx.deps.db.update(professionals).set({ lastLoginAt: ctx.deps.clock.now() }).where(eq(professionals.id, professionalId)),
    auditStatement(ctx, { action: 'account.login', outcome: 'success', targetUserId: professionalId, detail: { secondFactor: accepted } }),
  ]);
  return accepted;
}

/**
 * A secret checked for a logged-in account (the current password before a change, a code
 * before new recovery codes): counted and locked exactly like a login attempt, so a stolen
 * session cannot guess its way to the password or a fresh set of recovery codes.
 */
export async function countedCheck(ctx: Ctx, professionalId: string, step: Step, check: () => Promise<boolean>): Promise<boolean> {
  if (!(await countAttempt(ctx, professionalId, step))) return false;
  if (!(await check())) {
    await lockIfSpent(ctx, professionalId, step);
    return false;
  }
  return settle(ctx, professionalId, step === 'second_factor');
}
