/**
 * Single-use links by email: the invitation that lets a professional choose a password
 * (valid 72 hours) and the password reset (valid 1 hour). Only the token's SHA-256 is
 * stored; the outbox row carries the token until the mail is out (then it is scrubbed).
 * Setting a password through either ends every session of the account; a reset does not
 * touch the second factor, so it never bypasses it.
 */
import { and, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement, recordAudit } from '../audit/audit.ts';
import type { Ctx } from '../context.ts';
import { guardStatement } from '../db/guard.ts';
import { accountTokens, professionals, sessions } from '../db/schema.ts';
import { AtomicConflict, type Statement } from '../db/types.ts';
import { Id } from '../identity/ids.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { enqueueStatement } from '../notify/outbox.ts';
import { accountPasswordProblem } from './account-password.ts';
import { randomToken, sha256Hex } from './secrets.ts';

/** A second reset mail for the same account is sent no sooner than this. */
export const RESET_MAIL_INTERVAL_MS = 5 * 60_000;

export const TOKEN_VALIDITY_MS = { invitation: 72 * 3_600_000, password_reset: 3_600_000 } as const;
type Purpose = keyof typeof TOKEN_VALIDITY_MS;
const PURPOSES = ['invitation', 'password_reset'] as const satisfies readonly Purpose[];

/** The statements that issue a token and queue its mail; for the caller's unit. */
export async function issueTokenStatements(ctx: Ctx, professional: { id: string; email: string }, purpose: Purpose): Promise<Statement[]> {
  const { db, clock } = ctx.deps;
  const now = clock.now();
  const token = randomToken();
  const id = crypto.randomUUID();
  return [
    // A new link replaces any earlier unused one of the same kind.
    db
      .update(accountTokens)
      .set({ usedAt: now })
      .where(and(eq(accountTokens.professionalId, professional.id), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt))),
    db.insert(accountTokens).values({
      id,
      tokenHash: await sha256Hex(token),
      professionalId: professional.id,
      purpose,
      createdAt: now,
      expiresAt: new Date(now.getTime() + TOKEN_VALIDITY_MS[purpose]),
    }),
    enqueueStatement(
      db,
      {
        idempotencyKey: `account:${id}`,
        template: purpose,
        recipientProfessionalId: professional.id,
        recipientEmail: professional.email,
        payload: { token },
      },
      now,
    ),
    auditStatement(ctx, { action: `account.${purpose === 'invitation' ? 'invite' : 'reset_request'}`, outcome: 'success', targetUserId: professional.id }),
  ];
}

export const InviteProfessionalInput = z.strictObject({ professionalId: Id });

export async function inviteProfessional(ctx: Ctx, input: z.input<typeof InviteProfessionalInput>): Promise<void> {
  const { professionalId } = parseInput(InviteProfessionalInput, input);
  const [professional] = await ctx.deps.db
    .select({ id: professionals.id, email: professionals.email })
    .from(professionals)
    .where(and(eq(professionals.id, professionalId), eq(professionals.active, true)));
  if (!professional) throw new ServiceError('not_found', 'Professional niet gevonden.');
  await ctx.deps.atomic(await issueTokenStatements(ctx, professional, 'invitation'));
}

/**
 * "Forgot my password": the same answer whether or not the address is known (no
 * enumeration); a mail goes out only for an active account that has a password.
 */
export const RequestPasswordResetInput = z.strictObject({ email: z.email({ error: 'Vul een geldig e-mailadres in.' }).max(254) });

export async function requestPasswordReset(ctx: Ctx, input: z.input<typeof RequestPasswordResetInput>): Promise<void> {
  const { email } = parseInput(RequestPasswordResetInput, input);
  const [professional] = await ctx.deps.db
    .select({ id: professionals.id, email: professionals.email, passwordHash: professionals.passwordHash })
    .from(professionals)
    .where(and(eq(professionals.email, email.trim().toLowerCase()), eq(professionals.active, true)));
  if (!professional?.passwordHash) {
    await recordAudit(ctx, { action: 'account.reset_request', outcome: 'not_found' });
    return;
  }
  // At most one reset mail per account per few minutes: the form cannot be used to flood
  // someone's mailbox (the answer stays the same, so this reveals nothing either).
  const since = new Date(ctx.deps.clock.now().getTime() - RESET_MAIL_INTERVAL_MS);
  const [recent] = await ctx.deps.db
    .select({ id: accountTokens.id })
    .from(accountTokens)
    .where(and(eq(accountTokens.professionalId, professional.id), eq(accountTokens.purpose, 'password_reset'), gt(accountTokens.createdAt, since)))
    .limit(1);
  if (recent) {
    await recordAudit(ctx, { action: 'account.reset_request', outcome: 'denied', targetUserId: professional.id, detail: { reason: 'too_soon' } });
    return;
  }
  await ctx.deps.atomic(await issueTokenStatements(ctx, professional, 'password_reset'));
}

/** What a mailed link is, when it is opened (before any password is typed). */
export const CheckAccountLinkInput = z.strictObject({ purpose: z.enum(PURPOSES), token: z.string().min(1).max(100) });

/**
 * The state of a link: `valid` (the form may be shown), `used` (a password was set with
 * it), `superseded` (a newer link of the same kind replaced it), `expired`, or `unknown`
 * (no such link, or the account is no longer active). A known link names the account it
 * is for: whoever opens it received it at that address.
 */
export type AccountLinkState = { status: 'valid' | 'used' | 'superseded' | 'expired'; email: string } | { status: 'unknown' };

/** The link a token names, of this purpose, of an active account (whatever its state). */
async function linkRow(db: Ctx['deps']['db'], purpose: (typeof PURPOSES)[number], token: string) {
  const [row] = await db
    .select({
      id: accountTokens.id,
      professionalId: accountTokens.professionalId,
      expiresAt: accountTokens.expiresAt,
      usedAt: accountTokens.usedAt,
      email: professionals.email,
    })
    .from(accountTokens)
    .innerJoin(professionals, eq(professionals.id, accountTokens.professionalId))
    .where(and(eq(accountTokens.tokenHash, await sha256Hex(token)), eq(accountTokens.purpose, purpose), eq(professionals.active, true)));
  return row;
}

/**
 * Opens a link without using it, so a used, replaced or expired one is refused on GET,
 * naming the account, instead of after the password is typed twice. A refusal is audited
 * (the same action as setting the password, outcome denied, with the reason).
 */
export async function checkAccountLink(ctx: Ctx, input: z.input<typeof CheckAccountLinkInput>): Promise<AccountLinkState> {
  const { purpose, token } = parseInput(CheckAccountLinkInput, input);
  const { db, clock } = ctx.deps;
  const row = await linkRow(db, purpose, token);
  let state: AccountLinkState;
  if (!row) state = { status: 'unknown' };
  else if (row.usedAt) {
    // issueTokenStatements voids the earlier link at the very moment the new one is made.
    const [newer] = await db
      .select({ id: accountTokens.id })
      .from(accountTokens)
      .where(
        and(
          eq(accountTokens.professionalId, row.professionalId),
          eq(accountTokens.purpose, purpose),
          eq(accountTokens.createdAt, row.usedAt),
          ne(accountTokens.id, row.id),
        ),
      )
      .limit(1);
    state = { status: newer ? 'superseded' : 'used', email: row.email };
  } else if (row.expiresAt <= clock.now()) state = { status: 'expired', email: row.email };
  else return { status: 'valid', email: row.email };
  await recordAudit(ctx, {
    action: `account.${purpose === 'invitation' ? 'activate' : 'reset'}`,
    outcome: 'denied',
    targetUserId: row?.professionalId ?? null,
    detail: { reason: state.status, step: 'open_link' },
  });
  return state;
}

/** The link's token (its purpose says which kind) and the chosen password, judged by the policy in the verb. */
export const SetPasswordWithTokenInput = z.strictObject({
  purpose: z.enum(PURPOSES),
  token: z.string().min(1).max(100),
  password: z.string(),
});

/** Sets the password through a token: single use, within its validity, policy checked. */
export async function setPasswordWithToken(ctx: Ctx, input: z.input<typeof SetPasswordWithTokenInput>): Promise<{ professionalId: string }> {
  const { purpose, token, password } = parseInput(SetPasswordWithTokenInput, input);
  const { db, clock, hasher, atomic } = ctx.deps;
  const now = clock.now();
  const row = await linkRow(db, purpose, token);
  if (!row || row.usedAt || row.expiresAt <= now) {
    await atomic([
      auditStatement(ctx, {
        action: `account.${purpose === 'invitation' ? 'activate' : 'reset'}`,
        outcome: 'denied',
        targetUserId: row?.professionalId ?? null,
      }),
    ]);
    throw audited(new ServiceError('forbidden', 'Deze link is ongeldig, al gebruikt of verlopen. Vraag een nieuwe aan.'));
  }
  const problem = await accountPasswordProblem(ctx, row.professionalId, password);
  if (problem) {
    await atomic([
      auditStatement(ctx, {
        action: `account.${purpose === 'invitation' ? 'activate' : 'reset'}`,
        outcome: 'invalid',
        targetUserId: row.professionalId,
        detail: { reason: 'policy' },
      }),
    ]);
    throw audited(new ServiceError('invalid_input', problem, { password: [problem] }));
  }
  const passwordHash = await hasher.hash(password);
  const used = atomic([
    // Single use, even when two requests race with the same token.
    guardStatement(db, sql`SELECT CAST(used_at IS NULL AS TEXT) FROM ${accountTokens} WHERE id = ${row.id}`, '1'),
    // This link is used, and every other open link of the account is void from now on.
    db
      .update(accountTokens)
      .set({ usedAt: now })
      .where(and(eq(accountTokens.professionalId, row.professionalId), isNull(accountTokens.usedAt))),
    db.update(professionals).set({ passwordHash, failedLogins: 0, lockedUntil: null }).where(eq(professionals.id, row.professionalId)),
    db
      .update(sessions)
      .set({ endedAt: now })
      .where(and(eq(sessions.professionalId, row.professionalId), isNull(sessions.endedAt))),
    auditStatement(ctx, { action: `account.${purpose === 'invitation' ? 'activate' : 'reset'}`, outcome: 'success', targetUserId: row.professionalId }),
  ]);
  await used.catch((error: unknown) => {
    if (error instanceof AtomicConflict) throw new ServiceError('forbidden', 'Deze link is zojuist al gebruikt.');
    throw error;
  });
  return { professionalId: row.professionalId };
}
