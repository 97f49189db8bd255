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
import { passwordProblem } from './password-policy.ts';
import { sha256Hex } from './secrets.ts';
import { acceptSecondFactor, newRecoveryCodeStatements } from './totp.ts';

export async function changePassword(ctx: Ctx, professionalId: string, current: string, next: string, keepSessionId: string): Promise<void> {
  const { db, hasher, atomic, clock } = ctx.deps;
  const [account] = await db.select({ hash: professionals.passwordHash, email: professionals.email }).from(professionals).where(eq(professionals.id, professionalId));
  if (!account?.hash || !(await hasher.verify(account.hash, current))) {
    await atomic([auditStatement(ctx, { action: 'account.password_change', outcome: 'denied', targetUserId: professionalId })]);
    throw audited(new ServiceError('invalid_input', 'Uw huidige wachtwoord klopt niet.', { current: ['Uw huidige wachtwoord klopt niet.'] }));
  }
  const problem = passwordProblem(next, account.email);
  if (problem) throw new ServiceError('invalid_input', problem, { password: [problem] });
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
  if (!/^\d{6}$/.test(code.replace(/\s+/g, '')) || (await acceptSecondFactor(ctx, professionalId, code)) !== 'totp') {
    await ctx.deps.atomic([auditStatement(ctx, { action: 'account.recovery_codes', outcome: 'denied', targetUserId: professionalId })]);
    throw audited(new ServiceError('invalid_input', 'Deze code klopt niet.', { code: ['Deze code klopt niet. Gebruik de code uit uw authenticator-app.'] }));
  }
  const { codes, statements } = await newRecoveryCodeStatements(ctx, professionalId);
  await ctx.deps.atomic([...statements, auditStatement(ctx, { action: 'account.recovery_codes', outcome: 'success', targetUserId: professionalId })]);
  return codes;
}
