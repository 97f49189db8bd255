/**
 * The subject guard (ADR 0001) refuses a unit decided on a state that has changed since it
 * was read, on this runtime's database, including the two changes a review found it missed.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Ctx } from '../../src/context.ts';
import { registrations } from '../../src/db/schema.ts';
import { AtomicConflict } from '../../src/db/types.ts';
import { endRegistration } from '../../src/registry/end-registration.ts';
import { registerInvolvement } from '../../src/registry/register-involvement.ts';
import { readSubjectState, subjectGuard } from '../../src/registry/subject-state.ts';
import { transferOne } from '../../src/registry/transfer.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, type TestContext } from '../support/context.ts';

const BIRTH_DATE = '2013-02-03';
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const subjectOf = async (bsn: string) => Buffer.from((await t.deps.pseudonymizer.pseudonymize(bsn)).bytes);
const asProfessional = (id: string, organisationId: string): Ctx => ({
  deps: t.deps,
  actor: { type: 'professional', id, organisationId, roles: ['professional'] },
  requestId: null,
  origin: null,
});

it('refuses a unit decided before the registration moved to a colleague (a transfer changes only the professional)', async () => {
  const org = await t.organisation('education');
  const from = await org.professional();
  const to = await org.professional();
  const bsn = randomBsn();
  const registered = await t.register(org, from.email, { bsn, birthDate: BIRTH_DATE });
  const subject = await subjectOf(bsn);
  const before = await readSubjectState(t.deps.db, subject);
  await t.deps.atomic([subjectGuard(t.deps.db, subject, before.fingerprint)]); // unchanged: passes

  const operator: Ctx = { deps: t.deps, actor: { type: 'operator', id: 'test' }, requestId: null, origin: 'test' };
  const moved = await transferOne(operator, {
    registrationId: registered.body.id,
    fromProfessionalId: from.id,
    toProfessionalId: to.id,
    organisationId: org.id,
  });
  expect(moved).toBe('transferred');
  await expect(t.deps.atomic([subjectGuard(t.deps.db, subject, before.fingerprint)])).rejects.toBeInstanceOf(AtomicConflict);
});

it('registers anew when the professional\'s registration is ended while they register again, instead of answering "already registered"', async () => {
  const org = await t.organisation('youth_care');
  const professional = await org.professional();
  const bsn = randomBsn();
  const first = await t.register(org, professional.email, { bsn, birthDate: BIRTH_DATE });
  const ctx = asProfessional(professional.id, org.id);
  // The end lands between the verb's read (which still finds the registration active) and its unit.
  let ended = false;
  const racing: Ctx = {
    ...ctx,
    deps: {
      ...t.deps,
      atomic: async (statements) => {
        if (!ended) {
          ended = true;
          await endRegistration(ctx, { registrationId: first.body.id, reason: 'resolved' });
        }
        await t.deps.atomic(statements);
      },
    },
  };

  const result = await registerInvolvement(racing, { bsn, birthDate: BIRTH_DATE, professionalEmail: professional.email });
  expect(ended).toBe(true);
  expect(result.created).toBe(true);
  const active = await t.deps.db
    .select({ id: registrations.id })
    .from(registrations)
    .where(and(eq(registrations.professionalId, professional.id), eq(registrations.status, 'active')));
  expect(active.map((r) => r.id)).toEqual([result.registration.id]);
  expect(result.registration.id).not.toBe(first.body.id);
});
