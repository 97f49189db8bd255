/**
 * A professional finds the advice the municipality asks of them on their overview, not only
 * in the mail (src/rights/my-advice.ts): the holder of the registration sees it until they
 * advise; a colleague, another organisation and a request already settled show nothing.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Ctx } from '../../src/context.ts';
import { auditEvents } from '../../src/db/schema.ts';
import { openRightsRequest } from '../../src/rights/requests.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestClock } from '../support/clock.ts';
import { createTestContext, memoryMailer, type TestContext } from '../support/context.ts';
import { loggedInPerson, loggedInProfessional } from '../support/web-client.ts';

const clock = createTestClock(new Date('2026-11-23T09:00:00Z'));
const mailer = memoryMailer();
let t: TestContext;

beforeAll(async () => {
  t = await createTestContext({ clock, mailer, env: { LOGIN_LIMIT_PER_IP: '200' } });
});
afterAll(() => t.close());

it('lists the open advice requests on the holder’s overview until they advise', async () => {
  const org = await t.organisation('youth_care');
  const holder = await loggedInProfessional(t, org, mailer);
  const colleague = await loggedInProfessional(t, org, mailer);
  const other = await loggedInProfessional(t, await t.organisation('district_team'), mailer);
  const bsn = randomBsn();
  expect((await t.register(org, holder.professional.email, { bsn, birthDate: '2012-05-17' })).status).toBe(201);

  const { professional: admin } = await loggedInPerson(t, ['municipal_admin'], mailer);
  const ctx: Ctx = {
    deps: t.deps,
    actor: { type: 'professional', id: admin.id, organisationId: null, roles: ['municipal_admin'] },
    requestId: null,
    origin: null,
  };
  const request = await openRightsRequest(ctx, { kind: 'erasure', bsn, birthDate: '2012-05-17', reference: 'AVG-2026-7', receivedOn: '2026-11-20' });
  expect(request.found).toBe(1);

  const overview = await holder.client.get('/');
  expect(overview.html).toContain('Advies gevraagd');
  expect(overview.html).toContain('Verzoek om verwijdering');
  const itemId = /href="\/advies\/([^"]+)"/.exec(overview.html)![1]!;
  expect(overview.html).not.toContain(bsn);
  for (const someone of [colleague, other]) expect((await someone.client.get('/')).html).not.toContain('Advies gevraagd');
  const [listed] = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, 'rights.advice_list'));
  expect(listed).toMatchObject({ actorId: holder.professional.id, outcome: 'success' });

  const page = await holder.client.get(`/advies/${itemId}`);
  expect(page.status).toBe(200);
  const advised = await holder.client.post(`/advies/${itemId}`, { advice: 'refuse' });
  expect(advised.status).toBe(303);
  expect((await holder.client.get('/')).html).not.toContain('Advies gevraagd');
});
