/**
 * Deactivating an organisation and ending its registrations as a bulk job: requested by one
 * municipal admin, approved by another (four eyes), done by the runner in slices, resumable
 * and idempotent (src/directory/deactivate-organisation.ts, src/jobs/bulk-jobs.ts).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/context.ts';
import { auditEvents, bulkJobs, organisations, registrations } from '../../src/db/schema.ts';
import { countActiveRegistrations, deactivateOrganisation } from '../../src/directory/deactivate-organisation.ts';
import { MUNICIPALITY_ID } from '../../src/directory/roles.ts';
import { approveBulkJob, getBulkJob, listBulkJobs, rejectBulkJob, runBulkJobs } from '../../src/jobs/bulk-jobs.ts';
import { runJobs } from '../../src/jobs/run-jobs.ts';
import { ServiceError } from '../../src/lib/errors.ts';
import { transferRegistrations } from '../../src/registry/transfer.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestClock } from '../support/clock.ts';
import { createTestContext, memoryMailer, type TestContext } from '../support/context.ts';
import { loggedInPerson, loggedInProfessional } from '../support/web-client.ts';

let t: TestContext;
let system: Ctx;
let admin1: Ctx;
let admin2: Ctx;
const mailer = memoryMailer();

function asAdmin(id: string): Ctx {
  return { deps: t.deps, actor: { type: 'professional', id, organisationId: null, roles: ['municipal_admin'] }, requestId: null, origin: 'test' };
}

async function rejects(promise: Promise<unknown>, code: string): Promise<ServiceError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  expect((error as ServiceError).code).toBe(code);
  return error as ServiceError;
}

/** An organisation with `n` active registrations of one professional; the first is matched with `other`'s. */
async function organisationWith(n: number, other?: { org: Awaited<ReturnType<TestContext['organisation']>>; email: string }) {
  const org = await t.organisation();
  const p = await org.professional();
  const ids: string[] = [];
  let matchId: string | null = null;
  for (let i = 0; i < n; i++) {
    const bsn = randomBsn();
    const r = await t.register(org, p.email, { bsn });
    expect(r.status).toBe(201);
    ids.push(r.body.id);
    if (i === 0 && other) {
      const o = await t.register(other.org, other.email, { bsn });
      matchId = o.body.matchId;
    }
  }
  return { org, p, ids, matchId };
}

async function auditRows(action: string) {
  return t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, action));
}

beforeAll(async () => {
  t = await createTestContext({ clock: createTestClock(new Date('2026-11-23T09:00:00Z')), mailer, env: { LOGIN_LIMIT_PER_IP: '100' } });
  system = { deps: t.deps, actor: { type: 'system', id: 'bulk-jobs' }, requestId: null, origin: null };
  admin1 = asAdmin((await t.person(['municipal_admin'])).id);
  admin2 = asAdmin((await t.person(['municipal_admin'])).id);
});
afterAll(() => t.close());

describe('deactivating an organisation', () => {
  it('deactivates at once and requests a job with the count, awaiting approval', async () => {
    const { org } = await organisationWith(3);
    const bystander = await organisationWith(2);
    expect(await countActiveRegistrations(admin1, { organisationId: org.id })).toBe(3);

    const result = await deactivateOrganisation(admin1, { organisationId: org.id, reason: 'resolved' });
    expect(result.total).toBe(3);
    expect(result.jobId).toEqual(expect.any(String));
    const [row] = await t.deps.db.select().from(organisations).where(eq(organisations.id, org.id));
    expect(row).toMatchObject({ active: false });
    expect(row?.deactivatedAt).toBeInstanceOf(Date);
    const [job] = await t.deps.db.select().from(bulkJobs).where(eq(bulkJobs.id, result.jobId!));
    expect(job).toMatchObject({
      kind: 'end_organisation',
      status: 'awaiting_approval',
      organisationId: org.id,
      params: { reason: 'resolved' },
      requestedBy: admin1.actor.id,
      total: 3,
      processed: 0,
    });
    // Nothing is ended before the approval, and no other organisation is touched.
    expect(await countActiveRegistrations(admin1, { organisationId: org.id })).toBe(3);
    expect(await countActiveRegistrations(admin1, { organisationId: bystander.org.id })).toBe(2);
    const audit = (await auditRows('organisation.deactivate')).filter((a) => a.detail?.organisationId === org.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ outcome: 'success', actorId: admin1.actor.id });
    expect(audit[0]?.detail).toMatchObject({ reason: 'resolved', activeRegistrations: 3, jobId: result.jobId });
  });

  it('refuses a deactivated, unknown or the municipality row (404, audited), and a non-admin (403)', async () => {
    const { org } = await organisationWith(0);
    expect(await deactivateOrganisation(admin1, { organisationId: org.id, reason: 'unjustified' })).toEqual({ jobId: null, total: 0 });
    await rejects(deactivateOrganisation(admin1, { organisationId: org.id, reason: 'unjustified' }), 'not_found');
    await rejects(deactivateOrganisation(admin1, { organisationId: MUNICIPALITY_ID, reason: 'resolved' }), 'not_found');
    await rejects(deactivateOrganisation(admin1, { organisationId: 'no-such-organisation', reason: 'resolved' }), 'not_found');
    await rejects(deactivateOrganisation(admin1, { organisationId: org.id, reason: 'erasure' as 'resolved' }), 'invalid_input');
    const other = await t.organisation();
    const coordinator = await t.person(['organisation_coordinator'], other.id);
    const asCoordinator: Ctx = {
      deps: t.deps,
      actor: { type: 'professional', id: coordinator.id, organisationId: other.id, roles: ['organisation_coordinator'] },
      requestId: null,
      origin: 'test',
    };
    await rejects(deactivateOrganisation(asCoordinator, { organisationId: other.id, reason: 'resolved' }), 'forbidden');
    await rejects(countActiveRegistrations(asCoordinator, { organisationId: other.id }), 'forbidden');
    const refusals = (await auditRows('organisation.deactivate')).filter((a) => a.outcome !== 'success');
    expect(refusals.map((a) => a.outcome).sort()).toEqual(['denied', 'not_found', 'not_found', 'not_found']);
  });
});

describe('four eyes and the runner', () => {
  it('two overlapping runs finish a job once: one "done" in the trail', async () => {
    const { org } = await organisationWith(1);
    const { jobId } = await deactivateOrganisation(admin1, { organisationId: org.id, reason: 'unjustified' });
    await approveBulkJob(admin2, { jobId: jobId! });
    await Promise.all([runBulkJobs(system, 2), runBulkJobs(system, 2), runBulkJobs(system, 2)]);
    await Promise.all([runBulkJobs(system, 2), runBulkJobs(system, 2)]);
    expect(await getBulkJob(admin1, { jobId: jobId! })).toMatchObject({ status: 'done' });
    expect((await auditRows('bulk_job.done')).filter((a) => a.detail?.jobId === jobId)).toHaveLength(1);
  });

  it('the requester cannot approve; a second admin can; the runner archives in slices, idempotently', async () => {
    const other = await t.organisation();
    const po = await other.professional();
    const { org, ids, matchId } = await organisationWith(5, { org: other, email: po.email });
    const { jobId } = await deactivateOrganisation(admin1, { organisationId: org.id, reason: 'resolved' });

    // Not queued yet: the runner leaves it alone.
    expect(await runBulkJobs(system, 2)).toEqual({ processed: 0, finished: 0, failed: 0 });
    const refused = await rejects(approveBulkJob(admin1, { jobId: jobId! }), 'forbidden');
    expect(refused.message).toMatch(/Vier ogen/);
    const denied = (await auditRows('bulk_job.approve')).filter((a) => a.outcome === 'denied');
    expect(denied).toHaveLength(1);
    expect(denied[0]?.detail).toMatchObject({ jobId, reason: 'four_eyes' });

    const approved = await approveBulkJob(admin2, { jobId: jobId! });
    expect(approved).toMatchObject({ status: 'queued', approvedBy: admin2.actor.id, requestedBy: admin1.actor.id, total: 5, processed: 0 });
    await rejects(approveBulkJob(admin2, { jobId: jobId! }), 'conflict'); // decided already

    expect(await runBulkJobs(system, 2)).toEqual({ processed: 2, finished: 0, failed: 0 });
    expect(await getBulkJob(admin1, { jobId: jobId! })).toMatchObject({ status: 'queued', processed: 2, total: 5 });
    expect(await runBulkJobs(system, 2)).toEqual({ processed: 2, finished: 0, failed: 0 });
    expect(await runBulkJobs(system, 2)).toEqual({ processed: 1, finished: 1, failed: 0 });
    const done = await getBulkJob(admin1, { jobId: jobId! });
    expect(done).toMatchObject({ status: 'done', processed: 5, total: 5, reason: 'resolved', organisationName: org.name });
    expect(done.finishedAt).not.toBeNull();
    // Twice is harmless: nothing left, nothing done again.
    expect(await runBulkJobs(system, 2)).toEqual({ processed: 0, finished: 0, failed: 0 });

    const rows = await t.deps.db.select().from(registrations).where(eq(registrations.organisationId, org.id));
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.status === 'archived' && r.endReason === 'resolved')).toBe(true);
    const ended = (await auditRows('registration.end')).filter((a) => ids.includes(a.registrationId ?? ''));
    expect(ended).toHaveLength(5);
    expect(ended.every((a) => a.actorType === 'system' && a.detail?.reason === 'resolved' && a.detail?.outcome === 'archived')).toBe(true);
    // The other organisation's registration stays active; the match left has one organisation.
    const otherRows = await t.deps.db.select().from(registrations).where(eq(registrations.organisationId, other.id));
    expect(otherRows.map((r) => r.status)).toEqual(['active']);
    expect(matchId).toEqual(expect.any(String));
    expect((await auditRows('bulk_job.done')).some((a) => a.detail?.jobId === jobId)).toBe(true);
    expect((await auditRows('bulk_job.approve')).filter((a) => a.outcome === 'success' && a.detail?.jobId === jobId)).toHaveLength(1);
  });

  it("'unjustified' deletes, through the scheduled jobs too", async () => {
    const { org, ids } = await organisationWith(3);
    const { jobId } = await deactivateOrganisation(admin2, { organisationId: org.id, reason: 'unjustified' });
    await approveBulkJob(admin1, { jobId: jobId! });
    expect(await runJobs(t.deps)).toEqual([]);
    expect(await t.deps.db.select().from(registrations).where(eq(registrations.organisationId, org.id))).toEqual([]);
    const ended = (await auditRows('registration.end')).filter((a) => ids.includes(a.registrationId ?? ''));
    expect(ended.map((a) => a.detail?.outcome)).toEqual(['deleted', 'deleted', 'deleted']);
    expect(await getBulkJob(admin1, { jobId: jobId! })).toMatchObject({ status: 'done', processed: 3 });
  });

  it('a rejected job ends nothing; lists filter by status', async () => {
    const { org } = await organisationWith(2);
    const { jobId } = await deactivateOrganisation(admin1, { organisationId: org.id, reason: 'unjustified' });
    const pending = await listBulkJobs(admin1, { status: 'awaiting_approval' });
    expect(pending.map((j) => j.id)).toContain(jobId);
    expect(pending.every((j) => j.status === 'awaiting_approval')).toBe(true);
    expect(await rejectBulkJob(admin2, { jobId: jobId! })).toMatchObject({ status: 'rejected', approvedBy: admin2.actor.id });
    expect(await runBulkJobs(system, 2)).toEqual({ processed: 0, finished: 0, failed: 0 });
    expect(await countActiveRegistrations(admin1, { organisationId: org.id })).toBe(2);
    expect((await listBulkJobs(admin1, { status: 'rejected' })).map((j) => j.id)).toEqual([jobId]);
    await rejects(getBulkJob(admin1, { jobId: 'no-such-job' }), 'not_found');
    const asProfessional: Ctx = {
      deps: t.deps,
      actor: { type: 'professional', id: 'x', organisationId: org.id, roles: ['professional'] },
      requestId: null,
      origin: null,
    };
    await rejects(approveBulkJob(asProfessional, { jobId: jobId! }), 'forbidden');
    await rejects(listBulkJobs(asProfessional, {}), 'forbidden');
    expect((await auditRows('bulk_job.reject')).filter((a) => a.outcome === 'success')).toHaveLength(1);
    expect(
      await t.deps.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'bulk_job.list'), eq(auditEvents.outcome, 'success'))),
    ).not.toHaveLength(0);
  });
});

describe('the pages /beheer/taken', () => {
  it('list, detail with progress, four eyes explained and enforced, approve with confirmation (PRG), reject; others refused', async () => {
    const first = await loggedInPerson(t, ['municipal_admin'], mailer);
    const second = await loggedInPerson(t, ['municipal_admin'], mailer);
    const { org } = await organisationWith(2);
    const { jobId } = await deactivateOrganisation(asAdmin(first.professional.id), { organisationId: org.id, reason: 'unjustified' });

    const list = await first.client.get('/beheer/taken?status=awaiting_approval');
    expect(list.status).toBe(200);
    expect(list.html).toContain(`href="/beheer/taken/${jobId}"`);
    expect(list.html).toContain(org.name);
    expect(list.html).toContain('<caption');
    expect(list.html).toContain('<progress');
    expect(list.html).toContain('0 van 2 verwerkt');
    expect(list.html).toContain('Vier ogen');
    expect((await first.client.get('/beheer/taken?status=onzin')).status).toBe(200);

    // The requester sees no approve form, and a posted approval is refused with the reason.
    const own = await first.client.get(`/beheer/taken/${jobId}`);
    expect(own.status).toBe(200);
    expect(own.html).toContain('U hebt deze taak zelf aangevraagd');
    expect(own.html).not.toContain(`action="/beheer/taken/${jobId}/goedkeuren"`);
    const refused = await first.client.post(`/beheer/taken/${jobId}/goedkeuren`, { bevestigd: 'ja' });
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('Vier ogen');

    // The second admin must confirm explicitly.
    const page = await second.client.get(`/beheer/taken/${jobId}`);
    expect(page.html).toContain(`action="/beheer/taken/${jobId}/goedkeuren"`);
    const unconfirmed = await second.client.post(`/beheer/taken/${jobId}/goedkeuren`, {});
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.html).toContain('Bevestig dat alle registraties zo moeten eindigen.');
    expect(unconfirmed.html).toContain('aria-invalid="true"');
    const approved = await second.client.post(`/beheer/taken/${jobId}/goedkeuren`, { bevestigd: 'ja' });
    expect(approved.status).toBe(303);
    expect(approved.location).toBe(`/beheer/taken/${jobId}?gedaan=goedgekeurd`);
    const after = await second.client.get(approved.location!);
    expect(after.html).toContain('De taak is goedgekeurd');
    expect(after.html).toContain('Bezig');
    await runBulkJobs(system);
    const done = await first.client.get(`/beheer/taken/${jobId}`);
    expect(done.html).toContain('2 van 2 verwerkt');
    expect(done.html).toContain('Klaar');
    // Decided already: explained, not an error page.
    expect((await second.client.post(`/beheer/taken/${jobId}/afwijzen`, {})).status).toBe(409);

    // Rejecting (here: the requester withdrawing) is PRG too.
    const next = await organisationWith(1);
    const withdrawn = await deactivateOrganisation(asAdmin(first.professional.id), { organisationId: next.org.id, reason: 'resolved' });
    const rejected = await first.client.post(`/beheer/taken/${withdrawn.jobId}/afwijzen`, {});
    expect(rejected.status).toBe(303);
    expect((await first.client.get(rejected.location!)).html).toContain('De taak is afgewezen');
    expect((await first.client.get('/beheer/taken/onbekend')).status).toBe(404);

    // A transfer job: from and to by name, no approval needed, skipped ones explained.
    const team = await t.organisation();
    const from = await team.professional('Van Dijk');
    const to = await team.professional('Naar Bergen');
    const shared = randomBsn();
    await t.register(team, from.email, { bsn: shared });
    await t.register(team, to.email, { bsn: shared });
    await t.register(team, from.email);
    const transfer = await transferRegistrations(asAdmin(first.professional.id), { fromProfessionalId: from.id, toProfessionalId: to.id });
    await runBulkJobs(system);
    const moved = await first.client.get(`/beheer/taken/${transfer.jobId}`);
    expect(moved.status).toBe(200);
    expect(moved.html).toContain('Registraties overdragen');
    expect(moved.html).toContain('Van Dijk');
    expect(moved.html).toContain('Naar Bergen');
    expect(moved.html).toContain('Niet nodig');
    expect(moved.html).toContain('2 van 2 verwerkt');
    expect(moved.html).toContain('1 registratie(s) zijn niet overgedragen');

    const other = await t.organisation();
    const professional = await loggedInProfessional(t, other, mailer);
    expect((await professional.client.get('/beheer/taken')).status).toBe(403);
    expect((await professional.client.post(`/beheer/taken/${jobId}/goedkeuren`, { bevestigd: 'ja' })).status).toBe(403);
  });
});
