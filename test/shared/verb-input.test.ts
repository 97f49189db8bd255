/**
 * Every verb parses its own input (docs/adr/0007-one-verb-shape.md): called directly, past
 * any route or form, it still refuses bad input with per-field messages — on both runtimes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/context.ts';
import { createOrganisation, getProfessionalProfile } from '../../src/directory/directory.ts';
import { BSN_MESSAGES } from '../../src/identity/bsn.ts';
import { REFERENCE_LOOKS_IDENTIFYING } from '../../src/identity/reference.ts';
import { changePassword, regenerateRecoveryCodes, unusedRecoveryCodes } from '../../src/auth/account-settings.ts';
import { endAllSessions, endSessionByHandle, listSessions } from '../../src/auth/sessions.ts';
import { isoDate } from '../../src/lib/dates.ts';
import { recordContact, takeCoordination } from '../../src/matching/follow-up.ts';
import { endRegistration, expireRegistration } from '../../src/registry/end-registration.ts';
import { registerInvolvement } from '../../src/registry/register-involvement.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, type TestContext } from '../support/context.ts';

let t: TestContext;
let client: Ctx;
let email: string;

beforeAll(async () => {
  t = await createTestContext();
  const org = await t.organisation();
  email = (await org.professional()).email;
  client = { deps: t.deps, actor: { type: 'api_client', id: 'test', organisationId: org.id }, requestId: null, origin: null };
});
afterAll(() => t.close());

describe('verbs parse their own input', () => {
  it('registerInvolvement: the BSN by elfproef, unknown fields, and a reference that carries the BSN', async () => {
    const bsn = randomBsn();
    await expect(registerInvolvement(client, { bsn: '123456789', birthDate: '2012-05-17', professionalEmail: email })).rejects.toMatchObject({
      code: 'invalid_input',
      fields: { bsn: [BSN_MESSAGES.bsn_checksum] },
    });
    const extra = { bsn, birthDate: '2012-05-17', professionalEmail: email, note: 'zorgen thuis' };
    await expect(registerInvolvement(client, extra)).rejects.toMatchObject({ code: 'invalid_input', fields: { note: [expect.any(String)] } });
    await expect(registerInvolvement(client, { bsn, birthDate: '2012-05-17', professionalEmail: email, reference: `DOS ${bsn}` })).rejects.toMatchObject({
      code: 'invalid_input',
      fields: { reference: expect.arrayContaining([REFERENCE_LOOKS_IDENTIFYING]) },
    });
    const spaced = `${bsn.slice(0, 4)} ${bsn.slice(4, 6)} ${bsn.slice(6)}`;
    expect((await registerInvolvement(client, { bsn: spaced, birthDate: '2012-05-17', professionalEmail: email })).created).toBe(true);
  });

  it('endRegistration: `expired` is no reason a person may choose', async () => {
    const input = { registrationId: crypto.randomUUID(), reason: 'expired' } as unknown as Parameters<typeof endRegistration>[1];
    await expect(endRegistration(client, input)).rejects.toMatchObject({ code: 'invalid_input', fields: { reason: [expect.any(String)] } });
  });

  it('recordContact: a date as JJJJ-MM-DD', async () => {
    await expect(recordContact(client, { matchId: crypto.randomUUID(), professionalEmail: email, on: '23-11-2026' })).rejects.toMatchObject({
      code: 'invalid_input',
      fields: { on: ['Datum als JJJJ-MM-DD.'] },
    });
  });

  it('createOrganisation: a sector from the list, and a name', async () => {
    const input = { name: ' ', sector: 'bakery' } as unknown as Parameters<typeof createOrganisation>[1];
    await expect(createOrganisation(t.operator, input)).rejects.toMatchObject({
      code: 'invalid_input',
      fields: { name: ['required'], sector: [expect.stringContaining('youth_care')] },
    });
  });
});

describe('verbs check who acts, whoever calls them', () => {
  it('a professional registers, takes regie and records contact only as themselves; an API client for any of its professionals', async () => {
    const org = await t.organisation();
    const me = await org.professional();
    const colleague = await org.professional();
    const asMe: Ctx = {
      deps: t.deps,
      actor: { type: 'professional', id: me.id, organisationId: org.id, roles: ['professional'] },
      requestId: null,
      origin: null,
    };
    const bsn = randomBsn();
    await expect(registerInvolvement(asMe, { bsn, birthDate: '2012-05-17', professionalEmail: colleague.email })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await registerInvolvement(asMe, { bsn, birthDate: '2012-05-17', professionalEmail: me.email })).created).toBe(true);

    const other = await t.organisation('education');
    const theirs = await other.professional();
    const asOther: Ctx = { deps: t.deps, actor: { type: 'api_client', id: 'test', organisationId: other.id }, requestId: null, origin: null };
    const joined = await registerInvolvement(asOther, { bsn, birthDate: '2012-05-17', professionalEmail: theirs.email });
    const matchId = joined.registration.matchId!;
    const asColleague: Ctx = { ...asMe, actor: { type: 'professional', id: colleague.id, organisationId: org.id, roles: ['professional'] } };
    await expect(takeCoordination(asColleague, { matchId, professionalEmail: me.email })).rejects.toMatchObject({ code: 'not_found' });
    await expect(recordContact(asColleague, { matchId, professionalEmail: me.email, on: isoDate(t.deps.clock.now()) })).rejects.toMatchObject({
      code: 'not_found',
    });
    await takeCoordination(asMe, { matchId, professionalEmail: me.email });
  });

  it('a professional reads and changes only their own account and sessions', async () => {
    const org = await t.organisation();
    const me = await org.professional();
    const other = await org.professional();
    const asMe: Ctx = {
      deps: t.deps,
      actor: { type: 'professional', id: me.id, organisationId: org.id, roles: ['professional'] },
      requestId: null,
      origin: null,
    };
    const refused = { code: 'forbidden' };
    await expect(getProfessionalProfile(asMe, { professionalId: other.id })).rejects.toMatchObject(refused);
    await expect(listSessions(asMe, { professionalId: other.id })).rejects.toMatchObject(refused);
    await expect(endAllSessions(asMe, { professionalId: other.id })).rejects.toMatchObject(refused);
    await expect(endSessionByHandle(asMe, { professionalId: other.id, handle: 'abc' })).rejects.toMatchObject(refused);
    await expect(unusedRecoveryCodes(asMe, { professionalId: other.id })).rejects.toMatchObject(refused);
    await expect(regenerateRecoveryCodes(asMe, { professionalId: other.id, code: '123456' })).rejects.toMatchObject(refused);
    const change = { professionalId: other.id, current: 'x', password: 'een lange zin als wachtwoord', keepSessionId: 'x' };
    await expect(changePassword(asMe, change)).rejects.toMatchObject(refused);
    expect((await getProfessionalProfile(asMe, { professionalId: me.id })).email).toBe(me.email);
  });

  it('only the system ends a registration as expired or turned 23', async () => {
    const { registration } = await registerInvolvement(client, { bsn: randomBsn(), birthDate: '2012-05-17', professionalEmail: email });
    await expect(expireRegistration(client, { registrationId: registration.id, reason: 'expired' })).rejects.toMatchObject({ code: 'forbidden' });
    const job: Ctx = { ...client, actor: { type: 'system', id: 'expire-registrations' } };
    expect((await expireRegistration(job, { registrationId: registration.id, reason: 'expired' })).outcome).toBe('archived');
  });
});
