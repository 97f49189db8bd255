/**
 * Every verb parses its own input (docs/adr/0007-one-verb-shape.md): called directly, past
 * any route or form, it still refuses bad input with per-field messages — on both runtimes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/context.ts';
import { createOrganisation } from '../../src/directory/directory.ts';
import { BSN_MESSAGES } from '../../src/identity/bsn.ts';
import { recordContact } from '../../src/matching/follow-up.ts';
import { endRegistration } from '../../src/registry/end-registration.ts';
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
      fields: { reference: ['Het eigen kenmerk mag geen BSN bevatten.'] },
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
