/**
 * What a logged-in professional changes on their own account (/account): the password
 * (the current one is asked again; every other session ends) and the recovery codes (a
 * fresh set, asked with a current code, replaces the old one).
 */
import { and, count, eq, isNull, ne } from 'drizzle-orm';
import { auditStatement } from '../audit/audit.ts';
import type { Ctx } from '../context.ts';
import { professionals, recoveryCodes, sessions } from '../db/schema.ts';
import { audited, ServiceError } from '../lib/errors.ts';
import { countedCheck } from './login.ts';
import { passwordProblem } from './password-policy.ts';
import { sha256Hex } from './secrets.ts';
import { acceptSecondFactor, newRecoveryCodeStatements } from './totp.ts';

const WRONG_PASSWORD = 'Uw huidige wachtwoord klopt niet, of er waren te veel pogingen: probeer het dan over een kwartier opnieuw.';
const WRONG_CODE = 'Deze code uit uw authenticator-app klopt niet, of er waren te veel pogingen: probeer het dan over een kwartier opnieuw.';

export async function changePassword(ctx: Ctx, professionalId: string, current: string, next: string, keepSessionId: string): Promise<void> {
  const { db, hasher, atomic, clock } = ctx.deps;
  const [account] = await db
    .select({ hash: professionals.passwordHash, email: professionals.email })
    .from(professionals)
    .where(eq(professionals.id, professionalId));
  const hash = account?.hash;
  if (!account || !hash || !(await countedCheck(ctx, professionalId, 'password', () => hasher.verify(hash, current)))) {
    await atomic([auditStatement(ctx, { action: 'account.password_change', outcome: 'denied', targetUserId: professionalId })]);
    throw audited(new ServiceError('invalid_input', WRONG_PASSWORD, { current: [WRONG_PASSWORD] }));
  }
  const problem = passwordProblem(next, account.email);
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

export async function unusedRecoveryCodes(ctx: Ctx, professionalId: string): Promise<number> {
  const [row] = await ctx.deps.db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.professionalId, professionalId), isNull(recoveryCodes.usedAt)));
  return row?.n ?? 0;
}

/** A fresh set of recovery codes, shown once; asks a current TOTP code (not a recovery code). */
export async function regenerateRecoveryCodes(ctx: Ctx, professionalId: string, code: string): Promise<string[]> {
  const isTotp = /^\d{6}$/.test(code.replace(/\s+/g, ''));
  if (!isTotp || !(await countedCheck(ctx, professionalId, 'second_factor', async () => (await acceptSecondFactor(ctx, professionalId, code)) === 'totp'))) {
    await ctx.deps.atomic([auditStatement(ctx, { action: 'account.recovery_codes', outcome: 'denied', targetUserId: professionalId })]);
    throw audited(new ServiceError('invalid_input', WRONG_CODE, { code: [WRONG_CODE] }));
  }
  const { codes, statements } = await newRecoveryCodeStatements(ctx, professionalId);
  await ctx.deps.atomic([...statements, auditStatement(ctx, { action: 'account.recovery_codes', outcome: 'success', targetUserId: professionalId })]);
  return codes;
}
