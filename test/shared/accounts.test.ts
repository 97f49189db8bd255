/** Accounts (src/auth): invitation, password, TOTP, lockout, sessions, reset — on both runtimes. */
import { eq } from 'drizzle-orm';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteProfessional, requestPasswordReset, RESET_MAIL_INTERVAL_MS, setPasswordWithToken, TOKEN_VALIDITY_MS } from '../../src/auth/account-tokens.ts';
import { checkPassword, checkSecondFactor, LOCK_MS, MAX_FAILED_LOGINS } from '../../src/auth/login.ts';
import { ABSOLUTE_TIMEOUT_MS, endAllSessions, endSession, IDLE_TIMEOUT_MS, resumeSession, startSession } from '../../src/auth/sessions.ts';
import { beginTotpEnrolment, confirmTotpEnrolment } from '../../src/auth/totp.ts';
import type { Ctx } from '../../src/context.ts';
import { auditEvents, outbox, professionals, recoveryCodes as recoveryCodesTable } from '../../src/db/schema.ts';
import { sha256Hex } from '../../src/auth/secrets.ts';
import { drainOutbox } from '../../src/jobs/drain-outbox.ts';
import { createTestClock } from '../support/clock.ts';
import { createTestContext, memoryMailer, type TestContext } from '../support/context.ts';

const clock = createTestClock(new Date('2026-11-23T09:00:00Z'));
const mailer = memoryMailer();
let t: TestContext;
let anonymous: Ctx;
const PASSWORD = 'paard batterij nietje correct';

beforeAll(async () => {
  t = await createTestContext({ clock, mailer });
  anonymous = { deps: t.deps, actor: { type: 'system', id: 'web' }, requestId: null, origin: null };
});
afterAll(() => t.close());

/** Invites a new professional and returns the token from the mail that went out. */
async function invited() {
  const org = await t.organisation();
  const p = await org.professional();
  await inviteProfessional(t.operator, { professionalId: p.id }); // as `professional create` does in its unit
  await drainOutbox(t.deps);
  const mail = mailer.sent.findLast((m) => m.to === p.email)!;
  const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
  return { ...p, token, mail };
}

async function activated() {
  const p = await invited();
  await setPasswordWithToken(anonymous, { purpose: 'invitation', token: p.token, password: PASSWORD });
  return p;
}

const code = async (secret: string, offsetSteps = 0) => generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) + offsetSteps * 30 });

async function enrolled() {
  const p = await activated();
  const { secret } = await beginTotpEnrolment(anonymous, { professionalId: p.id });
  const { recoveryCodes } = await confirmTotpEnrolment(anonymous, { professionalId: p.id, code: await code(secret) });
  return { ...p, secret, recoveryCodes };
}

describe('invitation', () => {
  it('mails a single-use link valid for 72 hours; the token leaves the outbox once sent', async () => {
    const p = await invited();
    expect(p.mail.subject).toBe('Betrokken: u bent uitgenodigd');
    expect(p.mail.text).toContain('https://betrokken.test/account/activate?token=');
    const [row] = await t.deps.db.select().from(outbox).where(eq(outbox.recipientEmail, p.email));
    expect(row?.status).toBe('sent');
    expect(JSON.stringify(row?.payload)).not.toContain(p.token);

    await setPasswordWithToken(anonymous, { purpose: 'invitation', token: p.token, password: PASSWORD });
    await expect(setPasswordWithToken(anonymous, { purpose: 'invitation', token: p.token, password: PASSWORD })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('refuses an expired link and a weak or common password (nothing used up)', async () => {
    const p = await invited();
    await expect(setPasswordWithToken(anonymous, { purpose: 'invitation', token: p.token, password: 'te kort' })).rejects.toMatchObject({
      code: 'invalid_input',
      fields: { password: [expect.any(String)] },
    });
    await expect(setPasswordWithToken(anonymous, { purpose: 'invitation', token: p.token, password: '1qaz2wsx3edc' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    clock.advance(TOKEN_VALIDITY_MS.invitation + 1);
    await expect(setPasswordWithToken(anonymous, { purpose: 'invitation', token: p.token, password: PASSWORD })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('voids every other open link of the account once one is used, and older links when a new one is sent', async () => {
    const p = await invited();
    await inviteProfessional(t.operator, { professionalId: p.id }); // a second invitation replaces the first
    await drainOutbox(t.deps);
    const second = /token=([A-Za-z0-9_-]+)/.exec(mailer.sent.findLast((m) => m.to === p.email)!.text)![1]!;
    await expect(setPasswordWithToken(anonymous, { purpose: 'invitation', token: p.token, password: PASSWORD })).rejects.toMatchObject({ code: 'forbidden' });
    await setPasswordWithToken(anonymous, { purpose: 'invitation', token: second, password: PASSWORD });

    await requestPasswordReset(anonymous, { email: p.email });
    await drainOutbox(t.deps);
    const reset = /token=([A-Za-z0-9_-]+)/.exec(mailer.sent.findLast((m) => m.to === p.email)!.text)![1]!;
    clock.advance(RESET_MAIL_INTERVAL_MS); // a second reset mail only after a few minutes
    await requestPasswordReset(anonymous, { email: p.email });
    await drainOutbox(t.deps);
    const newer = /token=([A-Za-z0-9_-]+)/.exec(mailer.sent.findLast((m) => m.to === p.email)!.text)![1]!;
    await expect(setPasswordWithToken(anonymous, { purpose: 'password_reset', token: reset, password: 'een heel ander wachtwoord' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await setPasswordWithToken(anonymous, { purpose: 'password_reset', token: newer, password: 'een heel ander wachtwoord' });
  });

  it('stores the password as argon2id, never in plain text', async () => {
    const p = await activated();
    const [row] = await t.deps.db.select({ hash: professionals.passwordHash }).from(professionals).where(eq(professionals.id, p.id));
    expect(row?.hash).toMatch(/^\$argon2id\$v=19\$m=19456,/);
    expect(row?.hash).not.toContain(PASSWORD);
  });
});

describe('second factor (TOTP)', () => {
  it('is required: after the password, a fresh code or a recovery code (each once)', async () => {
    const p = await enrolled();
    expect(await checkPassword(anonymous, { email: p.email, password: PASSWORD })).toEqual({ professionalId: p.id, hasSecondFactor: true });
    expect(p.recoveryCodes).toHaveLength(10);

    clock.advance(30_000);
    const fresh = await code(p.secret);
    expect(await checkSecondFactor(anonymous, { professionalId: p.id, code: fresh })).toBe('totp');
    await expect(checkSecondFactor(anonymous, { professionalId: p.id, code: fresh })).rejects.toMatchObject({ code: 'unauthorized' }); // replay
    await expect(checkSecondFactor(anonymous, { professionalId: p.id, code: '000000' })).rejects.toMatchObject({ code: 'unauthorized' });

    expect(await checkSecondFactor(anonymous, { professionalId: p.id, code: p.recoveryCodes[0]! })).toBe('recovery_code');
    await expect(checkSecondFactor(anonymous, { professionalId: p.id, code: p.recoveryCodes[0]! })).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('stores the secret encrypted', async () => {
    const p = await enrolled();
    const [row] = await t.deps.db.select({ secret: professionals.totpSecret }).from(professionals).where(eq(professionals.id, p.id));
    expect(row?.secret).not.toContain(p.secret);
  });

  it('takes codes as apps show them ("123 456") and recovery codes stored under a key, not a plain hash', async () => {
    const p = await activated();
    const { secret } = await beginTotpEnrolment(anonymous, { professionalId: p.id });
    const spaced = (await code(secret)).replace(/^(\d{3})/, '$1 ');
    const { recoveryCodes } = await confirmTotpEnrolment(anonymous, { professionalId: p.id, code: spaced });
    await expect(confirmTotpEnrolment(anonymous, { professionalId: p.id, code: '1234567' })).rejects.toMatchObject({ code: 'conflict' }); // already confirmed
    const stored = await t.deps.db
      .select({ codeHash: recoveryCodesTable.codeHash })
      .from(recoveryCodesTable)
      .where(eq(recoveryCodesTable.professionalId, p.id));
    const plain = await Promise.all(recoveryCodes.map((c) => sha256Hex(c)));
    expect(stored.some((s) => plain.includes(s.codeHash))).toBe(false);
  });

  it('confirms enrolment only with a correct code', async () => {
    const p = await activated();
    await beginTotpEnrolment(anonymous, { professionalId: p.id });
    await expect(confirmTotpEnrolment(anonymous, { professionalId: p.id, code: '123456' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(confirmTotpEnrolment(anonymous, { professionalId: p.id, code: '12 34 567' })).rejects.toMatchObject({ code: 'invalid_input' });
    expect((await checkPassword(anonymous, { email: p.email, password: PASSWORD })).hasSecondFactor).toBe(false);
  });
});

describe('brute force', () => {
  it('locks an account for 15 minutes after 10 failures, audited; other accounts are unaffected', async () => {
    const victim = await enrolled();
    const bystander = await activated();
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) {
      await expect(checkPassword(anonymous, { email: victim.email, password: `wrong password ${i}` })).rejects.toMatchObject({ code: 'unauthorized' });
    }
    await expect(checkPassword(anonymous, { email: victim.email, password: PASSWORD })).rejects.toMatchObject({ code: 'unauthorized' });
    expect((await checkPassword(anonymous, { email: bystander.email, password: PASSWORD })).professionalId).toBe(bystander.id);
    const locks = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, 'account.lock'));
    expect(locks.map((e) => e.targetUserId)).toContain(victim.id);

    clock.advance(LOCK_MS + 1000);
    expect((await checkPassword(anonymous, { email: victim.email, password: PASSWORD })).professionalId).toBe(victim.id);
  });

  it('checks at most ten guesses of a concurrent burst, password or code, and then locks', async () => {
    const p = await enrolled();
    const denied = async (reason: string) =>
      (await t.deps.db.select().from(auditEvents).where(eq(auditEvents.targetUserId, p.id))).filter(
        (e) => e.action === 'account.login' && e.detail?.reason === reason,
      ).length;
    await Promise.allSettled(Array.from({ length: 30 }, (_, i) => checkPassword(anonymous, { email: p.email, password: `wrong guess ${i}` })));
    expect(await denied('wrong_password')).toBe(MAX_FAILED_LOGINS);
    expect(await denied('locked')).toBe(30 - MAX_FAILED_LOGINS);
    await expect(checkPassword(anonymous, { email: p.email, password: PASSWORD })).rejects.toMatchObject({ code: 'unauthorized' });

    clock.advance(LOCK_MS + 1000);
    const secondFactor = await Promise.allSettled([
      ...Array.from({ length: 30 }, () => checkSecondFactor(anonymous, { professionalId: p.id, code: '000000' })),
    ]);
    expect(secondFactor.every((r) => r.status === 'rejected')).toBe(true);
    expect(await denied('wrong_code')).toBe(MAX_FAILED_LOGINS);
    clock.advance(30_000);
    await expect(checkSecondFactor(anonymous, { professionalId: p.id, code: await code(p.secret) })).rejects.toMatchObject({ code: 'unauthorized' }); // locked
  });

  it('gives an unknown account the same answer as a wrong password', async () => {
    const p = await activated();
    const unknown = await checkPassword(anonymous, { email: 'nobody@example.org', password: PASSWORD }).catch((e: Error) => e.message);
    const wrong = await checkPassword(anonymous, { email: p.email, password: 'not the password' }).catch((e: Error) => e.message);
    expect(unknown).toBe(wrong);
  });
});

describe('sessions', () => {
  it('expire after 30 idle minutes, and after 8 hours whatever the activity', async () => {
    const p = await activated();
    const { id } = await startSession(anonymous, { professionalId: p.id, userAgent: 'test' });
    expect(await resumeSession(anonymous, { sessionId: id })).toMatchObject({ professionalId: p.id });
    clock.advance(IDLE_TIMEOUT_MS + 1000);
    expect(await resumeSession(anonymous, { sessionId: id })).toBeNull();

    const second = await startSession(anonymous, { professionalId: p.id, userAgent: 'test' });
    for (let elapsed = 0; elapsed < ABSOLUTE_TIMEOUT_MS; elapsed += 20 * 60_000) {
      expect(await resumeSession(anonymous, { sessionId: second.id })).not.toBeNull();
      clock.advance(20 * 60_000);
    }
    expect(await resumeSession(anonymous, { sessionId: second.id })).toBeNull();
  });

  // The touch runs in the same D1 batch as the read, whatever the read found: it must never
  // bring a session back that is no longer live (src/auth/sessions.ts).
  it('never touches a session that is no longer live: an idle one stays ended, as does one of a deactivated person', async () => {
    const p = await activated();
    const idle = await startSession(anonymous, { professionalId: p.id, userAgent: null });
    clock.advance(IDLE_TIMEOUT_MS + 1000);
    expect(await resumeSession(anonymous, { sessionId: idle.id })).toBeNull();
    expect(await resumeSession(anonymous, { sessionId: idle.id })).toBeNull();

    const paused = await startSession(anonymous, { professionalId: p.id, userAgent: null });
    clock.advance(20 * 60_000);
    await t.deps.db.update(professionals).set({ active: false }).where(eq(professionals.id, p.id));
    expect(await resumeSession(anonymous, { sessionId: paused.id })).toBeNull();
    clock.advance(15 * 60_000);
    await t.deps.db.update(professionals).set({ active: true }).where(eq(professionals.id, p.id));
    // 35 minutes since it was last used: idle, although the person is active again.
    expect(await resumeSession(anonymous, { sessionId: paused.id })).toBeNull();
  });

  it('end at logout, at "log out everywhere", at a password reset and at deactivation', async () => {
    const p = await enrolled();
    const a = await startSession(anonymous, { professionalId: p.id, userAgent: null });
    const b = await startSession(anonymous, { professionalId: p.id, userAgent: null });
    await endSession(anonymous, { sessionId: a.id });
    expect(await resumeSession(anonymous, { sessionId: a.id })).toBeNull();
    expect(await resumeSession(anonymous, { sessionId: b.id })).not.toBeNull();
    await endAllSessions(anonymous, { professionalId: p.id });
    expect(await resumeSession(anonymous, { sessionId: b.id })).toBeNull();

    const c = await startSession(anonymous, { professionalId: p.id, userAgent: null });
    await requestPasswordReset(anonymous, { email: p.email });
    await drainOutbox(t.deps);
    const mail = mailer.sent.findLast((m) => m.to === p.email && m.subject.includes('nieuw wachtwoord'))!;
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    await setPasswordWithToken(anonymous, { purpose: 'password_reset', token, password: 'een heel ander wachtwoord' });
    expect(await resumeSession(anonymous, { sessionId: c.id })).toBeNull();
    // The reset did not remove the second factor.
    expect((await checkPassword(anonymous, { email: p.email, password: 'een heel ander wachtwoord' })).hasSecondFactor).toBe(true);

    const d = await startSession(anonymous, { professionalId: p.id, userAgent: null });
    await t.deps.db.update(professionals).set({ active: false }).where(eq(professionals.id, p.id));
    expect(await resumeSession(anonymous, { sessionId: d.id })).toBeNull();
  });

  it('a reset request for an unknown address sends nothing and looks the same', async () => {
    const before = mailer.sent.length;
    await expect(requestPasswordReset(anonymous, { email: 'nobody@example.org' })).resolves.toBeUndefined();
    await drainOutbox(t.deps);
    expect(mailer.sent.length).toBe(before);
  });
});
