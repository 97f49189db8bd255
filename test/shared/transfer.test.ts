/**
 * Transferring registrations to a colleague (src/registry/transfer.ts): one at once, all as a
 * bulk job; match membership follows, the match's other members are told, a registration the
 * colleague already holds on the same young person is skipped; coordinators only within
 * their own organisation. And the coordinator's list of the organisation's registrations.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/context.ts';
import { auditEvents, matchMembers, outbox, professionals, registrations } from '../../src/db/schema.ts';
import { getBulkJob, JOBS_PER_RUN, runBulkJobs } from '../../src/jobs/bulk-jobs.ts';
import { ServiceError } from '../../src/lib/errors.ts';
import { listOrganisationRegistrations, transferRegistrations } from '../../src/registry/transfer.ts';
import type { Role } from '../../src/vocabulary.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, type TestContext, type TestOrganisation } from '../support/context.ts';

let t: TestContext;
let system: Ctx;
let admin: Ctx;

function as(id: string, organisationId: string | null, roles: Role[]): Ctx {
  return { deps: t.deps, actor: { type: 'professional', id, organisationId, roles }, requestId: null, origin: 'test' };
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

async function team() {
  const org = await t.organisation();
  const p1 = await org.professional();
  const p2 = await org.professional();
  const coordinator = as((await t.person(['organisation_coordinator'], org.id)).id, org.id, ['organisation_coordinator']);
  return { org, p1, p2, coordinator };
}

async function register(org: TestOrganisation, email: string, bsn = randomBsn()) {
  const r = await t.register(org, email, { bsn });
  expect(r.status).toBe(201);
  return { id: r.body.id as string, matchId: (r.body.matchId ?? null) as string | null, bsn };
}

async function registration(id: string) {
  const [row] = await t.deps.db.select().from(registrations).where(eq(registrations.id, id));
  return row;
}

beforeAll(async () => {
  t = await createTestContext();
  system = { deps: t.deps, actor: { type: 'system', id: 'bulk-jobs' }, requestId: null, origin: null };
  admin = as((await t.person(['municipal_admin'])).id, null, ['municipal_admin']);
});
afterAll(() => t.close());

describe('transferring one registration', () => {
  it('moves it with its match membership, tells the other members, and audits it', async () => {
    const { org, p1, p2, coordinator } = await team();
    const other = await t.organisation();
    const po = await other.professional();
    const mine = await register(org, p1.email);
    const theirs = await register(other, po.email, mine.bsn);
    expect(theirs.matchId).toEqual(expect.any(String));

    const result = await transferRegistrations(coordinator, { fromProfessionalId: p1.id, toProfessionalId: p2.id, registrationId: mine.id });
    expect(result).toEqual({ transferred: 1, jobId: null, skipped: 0 });
    expect((await registration(mine.id))?.professionalId).toBe(p2.id);
    const [member] = await t.deps.db
      .select()
      .from(matchMembers)
      .where(and(eq(matchMembers.registrationId, mine.id), isNull(matchMembers.leftAt)));
    expect(member).toMatchObject({ matchId: theirs.matchId, professionalId: p2.id });

    const mails = (await t.deps.db.select().from(outbox)).filter((m) => m.template === 'match_contact_changed');
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ recipientEmail: po.email, payload: { matchId: theirs.matchId, registrationId: theirs.id } });

    const audit = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'registration.transfer'), eq(auditEvents.registrationId, mine.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ outcome: 'success', actorId: coordinator.actor.id, matchId: theirs.matchId });
    expect(audit[0]?.detail).toEqual({ from: p1.id, to: p2.id });

    // Moved already: not p1's any more.
    await rejects(transferRegistrations(coordinator, { fromProfessionalId: p1.id, toProfessionalId: p2.id, registrationId: mine.id }), 'not_found');
  });

  it('skips (not fails) a registration the colleague already holds on the same young person', async () => {
    const { org, p1, p2, coordinator } = await team();
    const mine = await register(org, p1.email);
    await register(org, p2.email, mine.bsn);
    const result = await transferRegistrations(coordinator, { fromProfessionalId: p1.id, toProfessionalId: p2.id, registrationId: mine.id });
    expect(result).toEqual({ transferred: 0, jobId: null, skipped: 1 });
    expect((await registration(mine.id))?.professionalId).toBe(p1.id);
  });

  it("refuses another organisation's coordinator (404, audited), a colleague elsewhere, an inactive or non-professional colleague", async () => {
    const { org, p1, p2 } = await team();
    const mine = await register(org, p1.email);
    const elsewhere = await team();
    await rejects(transferRegistrations(elsewhere.coordinator, { fromProfessionalId: p1.id, toProfessionalId: p2.id, registrationId: mine.id }), 'not_found');
    const refused = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'registration.transfer'), eq(auditEvents.actorId, elsewhere.coordinator.actor.id)));
    expect(refused.map((a) => a.outcome)).toEqual(['not_found']);
    // The admin may; but not to someone of another organisation.
    await rejects(transferRegistrations(admin, { fromProfessionalId: p1.id, toProfessionalId: elsewhere.p1.id, registrationId: mine.id }), 'not_found');
    const coordinatorOnly = await t.person(['organisation_coordinator'], org.id);
    const error = await rejects(
      transferRegistrations(admin, { fromProfessionalId: p1.id, toProfessionalId: coordinatorOnly.id, registrationId: mine.id }),
      'invalid_input',
    );
    expect(error.fields?.toProfessionalId).toBeDefined();
    await t.deps.db.update(professionals).set({ active: false, deactivatedAt: new Date() }).where(eq(professionals.id, p2.id));
    await rejects(transferRegistrations(admin, { fromProfessionalId: p1.id, toProfessionalId: p2.id, registrationId: mine.id }), 'invalid_input');
    await rejects(transferRegistrations(admin, { fromProfessionalId: p1.id, toProfessionalId: p1.id }), 'invalid_input');
    // A professional without the coordinator's role may not transfer at all.
    await rejects(transferRegistrations(as(p1.id, org.id, ['professional']), { fromProfessionalId: p1.id, toProfessionalId: p2.id }), 'forbidden');
    expect((await registration(mine.id))?.professionalId).toBe(p1.id);
  });
});

describe('transferring all of a professional’s registrations', () => {
  it('queues a job the runner does in slices, skipping conflicts, resumable and idempotent', async () => {
    const { org, p1, p2, coordinator } = await team();
    const other = await t.organisation();
    const po = await other.professional();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await register(org, p1.email)).id);
    const matched = await register(org, p1.email);
    await register(other, po.email, matched.bsn);
    ids.push(matched.id);
    const conflict = await register(org, p1.email);
    await register(org, p2.email, conflict.bsn);

    const result = await transferRegistrations(coordinator, { fromProfessionalId: p1.id, toProfessionalId: p2.id });
    expect(result).toMatchObject({ transferred: 0, skipped: 1, jobId: expect.any(String) });
    const jobId = result.jobId!;
    expect(await getBulkJob(admin, { jobId })).toMatchObject({
      kind: 'transfer',
      status: 'queued',
      total: 7,
      processed: 0,
      fromProfessionalId: p1.id,
      toProfessionalId: p2.id,
    });

    expect(await runBulkJobs(system, 4)).toEqual({ processed: 4, finished: 0, failed: 0 });
    expect(await getBulkJob(admin, { jobId })).toMatchObject({ status: 'queued', processed: 4 });
    expect(await runBulkJobs(system, 4)).toEqual({ processed: 2, finished: 1, failed: 0 });
    expect(await runBulkJobs(system, 4)).toEqual({ processed: 0, finished: 0, failed: 0 });
    const done = await getBulkJob(admin, { jobId });
    expect(done).toMatchObject({ status: 'done', processed: 7, total: 7, skipped: 1 });

    for (const id of ids) expect((await registration(id))?.professionalId).toBe(p2.id);
    expect((await registration(conflict.id))?.professionalId).toBe(p1.id);
    const [member] = await t.deps.db.select().from(matchMembers).where(eq(matchMembers.registrationId, matched.id));
    expect(member?.professionalId).toBe(p2.id);
    const told = (await t.deps.db.select().from(outbox)).filter((m) => m.template === 'match_contact_changed' && m.recipientEmail === po.email);
    expect(told).toHaveLength(1);
    const audit = (await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, 'registration.transfer'))).filter(
      (a) => a.outcome === 'success' && ids.includes(a.registrationId ?? ''),
    );
    expect(audit).toHaveLength(6);
    expect(audit.every((a) => a.actorType === 'system')).toBe(true);
  });

  it('stops when the colleague is deactivated before the job is done: nothing more moves to them', async () => {
    const { org, p1, p2, coordinator } = await team();
    for (let i = 0; i < 3; i++) await register(org, p1.email);
    const { jobId } = await transferRegistrations(coordinator, { fromProfessionalId: p1.id, toProfessionalId: p2.id });
    expect(await runBulkJobs(system, 1)).toEqual({ processed: 1, finished: 0, failed: 0 });
    await t.deps.db.update(professionals).set({ active: false, deactivatedAt: new Date() }).where(eq(professionals.id, p2.id));
    expect(await runBulkJobs(system, 1)).toEqual({ processed: 0, finished: 1, failed: 0 });
    expect(await getBulkJob(admin, { jobId: jobId! })).toMatchObject({ status: 'done', processed: 1, total: 3, stopped: 'colleague_unavailable' });
    const left = await t.deps.db
      .select()
      .from(registrations)
      .where(and(eq(registrations.professionalId, p1.id), eq(registrations.status, 'active')));
    expect(left).toHaveLength(2);
  });

  it('does at most JOBS_PER_RUN jobs per run, oldest first (the query budget of one Worker invocation)', async () => {
    const jobs: string[] = [];
    for (let i = 0; i < JOBS_PER_RUN + 1; i++) {
      const { org, p1, p2, coordinator } = await team();
      await register(org, p1.email);
      jobs.push((await transferRegistrations(coordinator, { fromProfessionalId: p1.id, toProfessionalId: p2.id })).jobId!);
    }
    expect(await runBulkJobs(system)).toEqual({ processed: JOBS_PER_RUN, finished: JOBS_PER_RUN, failed: 0 });
    expect((await getBulkJob(admin, { jobId: jobs.at(-1)! })).status).toBe('queued');
    expect(await runBulkJobs(system)).toEqual({ processed: 1, finished: 1, failed: 0 });
  });

  it('nothing to move: no job', async () => {
    const { p1, p2, coordinator } = await team();
    expect(await transferRegistrations(coordinator, { fromProfessionalId: p1.id, toProfessionalId: p2.id })).toEqual({
      transferred: 0,
      jobId: null,
      skipped: 0,
    });
  });
});

describe("the coordinator's list", () => {
  it('lists the own organisation’s active registrations without subject data, paged, audited; others get 404', async () => {
    const { org, p1, p2, coordinator } = await team();
    const other = await t.organisation();
    const po = await other.professional();
    const a = await register(org, p1.email);
    await register(other, po.email, a.bsn);
    for (let i = 0; i < 51; i++) await register(org, p2.email);

    const first = await listOrganisationRegistrations(coordinator, { organisationId: org.id });
    expect(first.items).toHaveLength(50);
    expect(first.nextCursor).not.toBeNull();
    const second = await listOrganisationRegistrations(coordinator, { organisationId: org.id, cursor: first.nextCursor! });
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    const all = [...first.items, ...second.items];
    expect(new Set(all.map((r) => r.id)).size).toBe(52);
    const row = all.find((r) => r.id === a.id);
    expect(row).toMatchObject({ professionalId: p1.id, inMatch: true, informed: false });
    expect(Object.keys(row!).sort()).toEqual(['endsOn', 'id', 'inMatch', 'informed', 'professionalId', 'professionalName', 'reference', 'registeredAt']);
    expect((await listOrganisationRegistrations(coordinator, { organisationId: org.id, professionalId: p1.id })).items.map((r) => r.id)).toEqual([a.id]);

    const elsewhere = await team();
    await rejects(listOrganisationRegistrations(elsewhere.coordinator, { organisationId: org.id }), 'not_found');
    expect((await listOrganisationRegistrations(admin, { organisationId: org.id, professionalId: p1.id })).items).toHaveLength(1);
    const reads = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, 'organisation.registrations.read'));
    expect(reads.filter((r) => r.outcome === 'success')).toHaveLength(4);
    expect(reads.filter((r) => r.outcome === 'not_found' && r.actorId === elsewhere.coordinator.actor.id)).toHaveLength(1);
  });
});
