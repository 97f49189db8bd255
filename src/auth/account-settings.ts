/**
 * What a logged-in professional changes on their own account (/account): the password
 * (the current one is asked again; every other session ends) and the recovery codes (a
 * fresh set, asked with a current code, replaces the old one).
 */
import { and, count, eq, isNull, ne } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement, recordAudit } from '../audit/audit.ts';
import { actsFor, type Ctx } from '../context.ts';
import { professionals, recoveryCodes, sessions } from '../db/schema.ts';
import { Id } from '../identity/ids.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { countedCheck } from './login.ts';
import { accountPasswordProblem } from './account-password.ts';
import { PASSWORD_MAX } from './password-policy.ts';
import { sha256Hex } from './secrets.ts';
import { acceptSecondFactor, newRecoveryCodeStatements } from './totp.ts';

const WRONG_PASSWORD = 'Uw huidige wachtwoord klopt niet, of er waren te veel pogingen: probeer het dan over een kwartier opnieuw.';
const WRONG_CODE = 'Deze code uit uw authenticator-app klopt niet, of er waren te veel pogingen: probeer het dan over een kwartier opnieuw.';

/**
 * `password` is judged by the password policy inside the verb (audited); `current` is only
 * bounded, so a huge value costs no hashing; `keepSessionId` is the session that stays.
 */
export const ChangePasswordInput = z.strictObject({
  professionalId: Id,
  current: z.string().max(PASSWORD_MAX * 4),
  password: z.string(),
  keepSessionId: z.string().min(1),
});

export async function changePassword(ctx: Ctx, input: z.input<typeof ChangePasswordInput>): Promise<void> {
  const { professionalId, current, password: next, keepSessionId } = parseInput(ChangePasswordInput, input);
  if (!actsFor(ctx.actor, professionalId)) throw new ServiceError('forbidden', 'Dit kan alleen voor uw eigen account.');
  const { db, hasher, atomic, clock } = ctx.deps;
  const [account] = await db.select({ hash: professionals.passwordHash }).from(professionals).where(eq(professionals.id, professionalId));
  const hash = account?.hash;
  if (!account || !hash || !(await countedCheck(ctx, professionalId, 'password', () => hasher.verify(hash, current)))) {
    await atomic([auditStatement(ctx, { action: 'account.password_change', outcome: 'denied', targetUserId: professionalId })]);
    throw audited(new ServiceError('invalid_input', WRONG_PASSWORD, { current: [WRONG_PASSWORD] }));
  }
  const problem = await accountPasswordProblem(ctx, professionalId, next);
  if (problem) {
    await atomic([auditStatement(ctx, { action: 'account.password_change', outcome: 'invalid', targetUserId: professionalId, detail: { reason: 'policy' } })]);
    throw audited(new ServiceError('invalid_input', problem, { password: [problem] }));
  }
  const passwordHash = await hasher.hash(next);
  await atomic([
    db.update(professionals).set({ passwordHash }).where(eq(professionals.id, professionalId)),
    // Someone who knew the old password may be logged in elsewhere: only this session stays.
    db
      .update(sessions)
      .set({ endedAt: clock.now() })
      .where(and(eq(sessions.professionalId, professionalId), isNull(sessions.endedAt), ne(sessions.idHash, await sha256Hex(keepSessionId)))),
    auditStatement(ctx, { action: 'account.password_change', outcome: 'success', targetUserId: professionalId }),
  ]);
}

export const UnusedRecoveryCodesInput = z.strictObject({ professionalId: Id });

export async function unusedRecoveryCodes(ctx: Ctx, input: z.input<typeof UnusedRecoveryCodesInput>): Promise<number> {
  const { professionalId } = parseInput(UnusedRecoveryCodesInput, input);
  if (!actsFor(ctx.actor, professionalId)) throw new ServiceError('forbidden', 'Dit kan alleen voor uw eigen account.');
  const [row] = await ctx.deps.db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.professionalId, professionalId), isNull(recoveryCodes.usedAt)));
  return row?.n ?? 0;
}

export const RegenerateRecoveryCodesInput = z.strictObject({ professionalId: Id, code: z.string().max(20) });

/** A fresh set of recovery codes, shown once; asks a current TOTP code (not a recovery code). */
export async function regenerateRecoveryCodes(ctx: Ctx, input: z.input<typeof RegenerateRecoveryCodesInput>): Promise<string[]> {
  const { professionalId, code } = parseInput(RegenerateRecoveryCodesInput, input);
  if (!actsFor(ctx.actor, professionalId)) throw new ServiceError('forbidden', 'Dit kan alleen voor uw eigen account.');
  const isTotp = /^\d{6}$/.test(code.replace(/\s+/g, ''));
  if (!isTotp || !(await countedCheck(ctx, professionalId, 'second_factor', async () => (await acceptSecondFactor(ctx, professionalId, code)) === 'totp'))) {
    await recordAudit(ctx, { action: 'account.recovery_codes', outcome: 'denied', targetUserId: professionalId });
    throw audited(new ServiceError('invalid_input', WRONG_CODE, { code: [WRONG_CODE] }));
  }
  const { codes, statements } = await newRecoveryCodeStatements(ctx, professionalId);
  await ctx.deps.atomic([...statements, auditStatement(ctx, { action: 'account.recovery_codes', outcome: 'success', targetUserId: professionalId })]);
  return codes;
}
