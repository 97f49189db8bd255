/** One-time messages after Post/Redirect/Get: sealed in the session row, shown exactly once. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFlash, setFlash } from '../../src/auth/flash.ts';
import { startSession, resumeSession } from '../../src/auth/sessions.ts';
import { sessions } from '../../src/db/schema.ts';
import { createTestContext, type TestContext } from '../support/context.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('one-time messages', () => {
  it('travels sealed in the session, is handed over once, and only opens with its own session id', async () => {
    const org = await t.organisation('education');
    const person = await org.professional();
    const ctx = t.operator;
    const { id } = await startSession(ctx, { professionalId: person.id, userAgent: null, stage: 'full' });
    const other = await startSession(ctx, { professionalId: person.id, userAgent: null, stage: 'full' });

    await setFlash(ctx, id, { notice: 'Opgeslagen.', recoveryCodes: ['abcd-efgh'] });
    const stored = (await t.deps.db.select({ flash: sessions.flash }).from(sessions)).map((r) => r.flash).find(Boolean)!;
    expect(stored).toBeTruthy();
    // Nothing readable in the database: not the notice, not the codes.
    expect(stored).not.toContain('Opgeslagen');
    expect(stored).not.toContain('abcd');
    // Another session's id does not open it.
    expect(await openFlash(other.id, stored)).toBeUndefined();

    const first = await resumeSession(ctx, { sessionId: id });
    expect(await openFlash(id, first!.flash)).toEqual({ notice: 'Opgeslagen.', recoveryCodes: ['abcd-efgh'] });
    const second = await resumeSession(ctx, { sessionId: id });
    expect(second!.flash).toBeNull();
    const left = await t.deps.db.select({ flash: sessions.flash }).from(sessions).where(eq(sessions.flash, stored));
    expect(left).toHaveLength(0);
  });
});
