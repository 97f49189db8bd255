/**
 * The second factor: TOTP (RFC 6238, 30-second steps, 6 digits) with one-time recovery
 * codes. The secret is stored AES-GCM encrypted under a key derived from the configured
 * master key; a code's time step is recorded so the same code is never accepted twice.
 */
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { generateSecret, generateURI, verify } from 'otplib';
import { z } from 'zod';
import { auditStatement, recordAudit } from '../audit/audit.ts';
import type { Ctx } from '../context.ts';
import { professionals, recoveryCodes } from '../db/schema.ts';
import { Id } from '../identity/ids.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { guardStatement } from '../db/guard.ts';
import { AtomicConflict } from '../db/types.ts';
import { decrypt, derivedKey, encrypt, keyedHashHex } from './secrets.ts';

export const RECOVERY_CODE_COUNT = 10;
const ISSUER = 'Betrokken';

async function totpKey(ctx: Ctx) {
  return derivedKey(ctx.deps.config.PSEUDONYM_KEY!, 'totp-secret');
}

export const BeginTotpEnrolmentInput = z.strictObject({ professionalId: Id });

/** Starts (or restarts) enrolment: a new secret, not yet confirmed. */
export async function beginTotpEnrolment(ctx: Ctx, input: z.input<typeof BeginTotpEnrolmentInput>): Promise<{ secret: string; uri: string }> {
  const { professionalId } = parseInput(BeginTotpEnrolmentInput, input);
  const [professional] = await ctx.deps.db
    .select({ email: professionals.email, confirmed: professionals.totpConfirmedAt })
    .from(professionals)
    .where(eq(professionals.id, professionalId));
  if (!professional) throw new ServiceError('not_found', 'Account niet gevonden.');
  if (professional.confirmed) throw new ServiceError('conflict', 'De tweede stap is al ingesteld.');
  const secret = generateSecret();
  await recordAudit(ctx, { action: 'account.totp_begin', outcome: 'success', targetUserId: professionalId });
  await ctx.deps.db
    .update(professionals)
    .set({ totpSecret: await encrypt(await totpKey(ctx), secret), totpLastStep: null })
    .where(eq(professionals.id, professionalId));
  return { secret, uri: generateURI({ issuer: ISSUER, label: professional.email, secret }) };
}

export const PendingEnrolmentInput = z.strictObject({ professionalId: Id });

/** The enrolment in progress (secret not yet confirmed), to show its QR code again. */
export async function pendingEnrolment(ctx: Ctx, input: z.input<typeof PendingEnrolmentInput>): Promise<{ secret: string; uri: string } | null> {
  const { professionalId } = parseInput(PendingEnrolmentInput, input);
  const [professional] = await ctx.deps.db
    .select({ email: professionals.email, secret: professionals.totpSecret, confirmed: professionals.totpConfirmedAt })
    .from(professionals)
    .where(eq(professionals.id, professionalId));
  if (!professional?.secret || professional.confirmed) return null;
  const secret = await decrypt(await totpKey(ctx), professional.secret);
  return { secret, uri: generateURI({ issuer: ISSUER, label: professional.email, secret }) };
}

/** Apps show codes as "123 456": spaces do not count. */
function normalise(code: string): string {
  return code.replace(/\s+/g, '').toLowerCase();
}

async function checkCode(ctx: Ctx, encryptedSecret: string, code: string, lastStep: number | null): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const secret = await decrypt(await totpKey(ctx), encryptedSecret);
  try {
    const result = await verify({
      secret,
      token: code,
      epoch: Math.floor(ctx.deps.clock.now().getTime() / 1000),
      epochTolerance: 30, // one step either way, for clock drift
      ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
    });
    // otplib returns an object: `{ valid: false }` is truthy, so check `.valid`.
    return result.valid ? (result as unknown as { timeStep: number }).timeStep : null;
  } catch {
    return null; // otplib throws on odd input or a clock that stepped back: simply no match
  }
}

const recoveryHash = (ctx: Ctx, code: string) => keyedHashHex(ctx.deps.config.PSEUDONYM_KEY!, 'recovery-code', code);

function newRecoveryCode(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i
  let chars = '';
  while (chars.length < 10) {
    // Rejection sampling: no letter more likely than another.
    for (const b of crypto.getRandomValues(new Uint8Array(16))) if (b < 248 && chars.length < 10) chars += alphabet[b % alphabet.length];
  }
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** A new set of recovery codes (shown once) and the statements that replace the old set. */
export async function newRecoveryCodeStatements(ctx: Ctx, professionalId: string) {
  const { db } = ctx.deps;
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const hashes = await Promise.all(codes.map((c) => recoveryHash(ctx, c)));
  return {
    codes,
    statements: [
      db.delete(recoveryCodes).where(eq(recoveryCodes.professionalId, professionalId)),
      ...hashes.map((codeHash) => db.insert(recoveryCodes).values({ id: crypto.randomUUID(), professionalId, codeHash })),
    ],
  };
}

/** The code is checked in the verb (apps show "123 456": spaces do not count). */
export const ConfirmTotpEnrolmentInput = z.strictObject({ professionalId: Id, code: z.string().max(20) });

/** Confirms enrolment with a first code; returns the recovery codes, shown this once. */
export async function confirmTotpEnrolment(ctx: Ctx, input: z.input<typeof ConfirmTotpEnrolmentInput>): Promise<{ recoveryCodes: string[] }> {
  const { professionalId, code } = parseInput(ConfirmTotpEnrolmentInput, input);
  const { db, atomic, clock } = ctx.deps;
  const [professional] = await db
    .select({ secret: professionals.totpSecret, confirmed: professionals.totpConfirmedAt })
    .from(professionals)
    .where(eq(professionals.id, professionalId));
  if (!professional?.secret || professional.confirmed) throw new ServiceError('conflict', 'Start het instellen van de tweede stap opnieuw.');
  const step = await checkCode(ctx, professional.secret, normalise(code), null);
  if (step === null) {
    await atomic([auditStatement(ctx, { action: 'account.totp_enrol', outcome: 'invalid', targetUserId: professionalId })]);
    throw audited(
      new ServiceError('invalid_input', 'Deze code klopt niet.', {
        code: ['Deze code klopt niet. Controleer de tijd op uw telefoon en probeer de volgende code.'],
      }),
    );
  }
  const { codes, statements } = await newRecoveryCodeStatements(ctx, professionalId);
  const confirmed = atomic([
    // Of two confirmations racing, one wins; the other's codes would be silently void.
    guardStatement(db, sql`SELECT CAST(totp_confirmed_at IS NULL AS TEXT) FROM ${professionals} WHERE id = ${professionalId}`, '1'),
    // Enrolment completes a login (the first, or after a reset): "last login" in the people console.
    db.update(professionals).set({ totpConfirmedAt: clock.now(), totpLastStep: step, lastLoginAt: clock.now() }).where(eq(professionals.id, professionalId)),
    ...statements,
    auditStatement(ctx, { action: 'account.totp_enrol', outcome: 'success', targetUserId: professionalId }),
  ]);
  await confirmed.catch((error: unknown) => {
    if (error instanceof AtomicConflict) throw new ServiceError('conflict', 'De tweede stap is zojuist al ingesteld.');
    throw error;
  });
  return { recoveryCodes: codes };
}

/**
 * Checks a second-factor code: a TOTP code newer than the last one accepted, or an unused
 * recovery code (used up by this). Returns how it was accepted, or null. Not a verb: a
 * step inside `checkSecondFactor` and `regenerateRecoveryCodes`, which parse the input and
 * count the attempt first.
 */
export async function acceptSecondFactor(ctx: Ctx, professionalId: string, code: string): Promise<'totp' | 'recovery_code' | null> {
  const { db } = ctx.deps;
  const input = normalise(code);
  if (/^\d{6}$/.test(input)) {
    const [professional] = await db
      .select({ secret: professionals.totpSecret, lastStep: professionals.totpLastStep, confirmed: professionals.totpConfirmedAt })
      .from(professionals)
      .where(eq(professionals.id, professionalId));
    if (!professional?.secret || !professional.confirmed) return null;
    const step = await checkCode(ctx, professional.secret, input, professional.lastStep);
    if (step === null) return null;
    // Conditional: of two logins racing with the same code, only one records its step.
    const taken = await db
      .update(professionals)
      .set({ totpLastStep: step })
      .where(and(eq(professionals.id, professionalId), or(isNull(professionals.totpLastStep), lt(professionals.totpLastStep, step))))
      .returning({ id: professionals.id });
    return taken.length === 1 ? 'totp' : null;
  }
  const used = await db
    .update(recoveryCodes)
    .set({ usedAt: ctx.deps.clock.now() })
    .where(and(eq(recoveryCodes.professionalId, professionalId), eq(recoveryCodes.codeHash, await recoveryHash(ctx, input)), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return used.length === 1 ? 'recovery_code' : null;
}
