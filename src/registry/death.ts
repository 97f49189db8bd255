/**
 * Death of the young person (docs/domain.md, "Who ends a registration"). Death ends every
 * organisation's registrations and destroys the archive, so no single professional decides
 * it: a professional REPORTS it on their own active registration (which stays active), a
 * municipal admin PROPOSES the confirmation with the date of death, and a SECOND, different
 * municipal admin CONFIRMS it (four eyes). Only then is everything of the subject deleted
 * and the match closed, through the same subject-wide end as `turned_23`
 * (`endForSubject`). Either admin may reject the report. Every step is audited, without the
 * pseudonym: the report is found by its id and its registration's id only.
 */
import { isState } from '../db/constant.ts';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import { auditStatement, recordAudit } from '../audit/audit.ts';
import { authorize } from '../auth/permissions.ts';
import type { Ctx } from '../context.ts';
import { guardStatement } from '../db/guard.ts';
import { AtomicConflict } from '../db/types.ts';
import { deathReports, organisations, professionals, registrations } from '../db/schema.ts';
import { Id } from '../identity/ids.ts';
import { isoDate } from '../lib/dates.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import type { DEATH_REPORT_STATUSES } from '../vocabulary.ts';
import { endForSubject } from './end-registration.ts';
import { ownedBy } from './registration-dto.ts';
import { withConflictRetry } from './retry.ts';
import { readSubjectState, subjectGuard } from './subject-state.ts';

export type DeathReportStatus = (typeof DEATH_REPORT_STATUSES)[number];
const OPEN: DeathReportStatus[] = ['reported', 'proposed'];

export interface DeathReportResult {
  id: string;
  registrationId: string;
  status: DeathReportStatus;
  /** False when an open report on this registration already existed (reporting twice is harmless). */
  created: boolean;
}

// ---- report (a professional, on their own active registration) --------------------------

export const ReportDeathInput = z.strictObject({ registrationId: Id });

export async function reportDeath(ctx: Ctx, input: z.input<typeof ReportDeathInput>): Promise<DeathReportResult> {
  const { registrationId } = parseInput(ReportDeathInput, input);
  await authorize(ctx, 'register', 'registration.death_report');
  const { db, atomic, clock } = ctx.deps;
  const [found] = await db
    .select({ status: registrations.status })
    .from(registrations)
    .where(and(eq(registrations.id, registrationId), ownedBy(ctx.actor)))
    .limit(1);
  if (found?.status !== 'active') {
    await atomic([auditStatement(ctx, { action: 'registration.death_report', outcome: 'not_found', registrationId })]);
    throw audited(new ServiceError('not_found', 'Registratie niet gevonden.'));
  }
  const open = async () => {
    const [row] = await db
      .select({ id: deathReports.id, status: deathReports.status })
      .from(deathReports)
      .where(and(eq(deathReports.registrationId, registrationId), inArray(deathReports.status, OPEN)))
      .limit(1);
    return row;
  };
  const existing = await open();
  if (existing) {
    await atomic([
      auditStatement(ctx, { action: 'registration.death_report', outcome: 'success', registrationId, detail: { deathReportId: existing.id, existing: true } }),
    ]);
    return { id: existing.id, registrationId, status: existing.status, created: false };
  }
  const id = crypto.randomUUID();
  try {
    await atomic([
      // The registration is still active (not ended in the meantime).
      guardStatement(db, sql`SELECT status FROM ${registrations} WHERE id = ${registrationId}`, 'active'),
      // One open report per registration (partial unique index): a concurrent second report inserts nothing.
      db.insert(deathReports).values({ id, registrationId, status: 'reported', reportedBy: ctx.actor.id, reportedAt: clock.now() }).onConflictDoNothing(),
      auditStatement(ctx, { action: 'registration.death_report', outcome: 'success', registrationId, detail: { deathReportId: id } }),
    ]);
  } catch (error) {
    if (error instanceof AtomicConflict) throw new ServiceError('conflict', 'De registratie is zojuist beëindigd.');
    throw error;
  }
  const now = await open();
  return { id: now?.id ?? id, registrationId, status: 'reported', created: now?.id === id };
}

/** Whether the actor's own active registration has an open death report (for the end page). */
export async function hasOpenDeathReport(ctx: Ctx, input: z.input<typeof ReportDeathInput>): Promise<boolean> {
  const { registrationId } = parseInput(ReportDeathInput, input);
  await authorize(ctx, 'register', 'registration.read');
  const [row] = await ctx.deps.db
    .select({ id: deathReports.id })
    .from(deathReports)
    .innerJoin(registrations, eq(registrations.id, deathReports.registrationId))
    .where(and(eq(deathReports.registrationId, registrationId), inArray(deathReports.status, OPEN), ownedBy(ctx.actor)))
    .limit(1);
  return !!row;
}

// ---- the municipality's four eyes -------------------------------------------------------

export const DeathReportIdInput = z.strictObject({ reportId: Id });

export const ProposeDeathConfirmationInput = z.strictObject({
  reportId: Id,
  diedOn: z.iso.date({ error: 'Vul de datum van overlijden in (dag, maand en jaar).' }),
});

async function readReport(ctx: Ctx, reportId: string, action: string) {
  const [report] = await ctx.deps.db.select().from(deathReports).where(eq(deathReports.id, reportId)).limit(1);
  if (!report) {
    await recordAudit(ctx, { action, outcome: 'not_found', detail: { deathReportId: reportId } });
    throw audited(new ServiceError('not_found', 'Melding van overlijden niet gevonden.'));
  }
  return report;
}

async function refuse(ctx: Ctx, action: string, report: { id: string; registrationId: string }, reason: string, error: ServiceError): Promise<never> {
  await recordAudit(ctx, { action, outcome: 'denied', registrationId: report.registrationId, detail: { deathReportId: report.id, reason } });
  throw audited(error);
}

/** The report's status and proposer are as read: otherwise the unit does nothing. */
function reportGuard(ctx: Ctx, report: { id: string; status: string; proposedBy: string | null }) {
  return guardStatement(
    ctx.deps.db,
    sql`SELECT status || ':' || coalesce(proposed_by, '') FROM ${deathReports} WHERE id = ${report.id}`,
    `${report.status}:${report.proposedBy ?? ''}`,
  );
}

async function run(ctx: Ctx, statements: Parameters<Ctx['deps']['atomic']>[0]) {
  try {
    await ctx.deps.atomic(statements);
  } catch (error) {
    if (error instanceof AtomicConflict) throw new ServiceError('conflict', 'De melding is zojuist gewijzigd. Laad de pagina opnieuw.');
    throw error;
  }
}

/** The first municipal admin proposes to confirm the death, with its date. */
export async function proposeDeathConfirmation(ctx: Ctx, input: z.input<typeof ProposeDeathConfirmationInput>): Promise<void> {
  const { reportId, diedOn } = parseInput(ProposeDeathConfirmationInput, input);
  await authorize(ctx, 'four_eyes', 'death_report.propose');
  const { db, clock } = ctx.deps;
  if (diedOn > isoDate(clock.now())) {
    throw new ServiceError('invalid_input', 'De invoer is niet geldig.', { diedOn: ['De datum van overlijden ligt in de toekomst.'] });
  }
  const report = await readReport(ctx, reportId, 'death_report.propose');
  if (report.status !== 'reported') {
    await refuse(
      ctx,
      'death_report.propose',
      report,
      `status_${report.status}`,
      new ServiceError('conflict', 'Deze melding is al voorgesteld of afgehandeld.'),
    );
  }
  await run(ctx, [
    reportGuard(ctx, report),
    db
      .update(deathReports)
      .set({ status: 'proposed', diedOn, proposedBy: ctx.actor.id, proposedAt: clock.now() })
      .where(and(eq(deathReports.id, reportId), isState(deathReports.status, 'reported'))),
    auditStatement(ctx, { action: 'death_report.propose', outcome: 'success', registrationId: report.registrationId, detail: { deathReportId: reportId } }),
  ]);
}

export interface ConfirmDeathResult {
  /** Registrations deleted (active and archived, of every organisation). */
  deleted: number;
  matchClosed: boolean;
}

/**
 * The second, different municipal admin confirms: every registration and archive entry of
 * the subject is deleted and the match closed; the registrants (or, for a deactivated one,
 * their coordinators) are told that their registration ended.
 */
export async function confirmDeath(ctx: Ctx, input: z.input<typeof DeathReportIdInput>): Promise<ConfirmDeathResult> {
  const { reportId } = parseInput(DeathReportIdInput, input);
  await authorize(ctx, 'four_eyes', 'death_report.confirm');
  const { db, clock } = ctx.deps;
  return withConflictRetry(async () => {
    const report = await readReport(ctx, reportId, 'death_report.confirm');
    if (report.status !== 'proposed') {
      await refuse(
        ctx,
        'death_report.confirm',
        report,
        `status_${report.status}`,
        new ServiceError(
          'conflict',
          report.status === 'reported'
            ? 'Eerst stelt een functioneel beheerder de bevestiging voor, met de datum van overlijden.'
            : 'Deze melding is al afgehandeld.',
        ),
      );
    }
    if (report.proposedBy === ctx.actor.id) {
      await refuse(
        ctx,
        'death_report.confirm',
        report,
        'four_eyes',
        new ServiceError('forbidden', 'Vier ogen: u hebt deze bevestiging zelf voorgesteld. Een andere functioneel beheerder moet haar bevestigen.'),
      );
    }
    const [registration] = await db
      .select({ subject: registrations.subjectPseudonym })
      .from(registrations)
      .where(eq(registrations.id, report.registrationId))
      .limit(1);
    if (!registration) {
      await refuse(
        ctx,
        'death_report.confirm',
        report,
        'registration_gone',
        new ServiceError('conflict', 'De gemelde registratie bestaat niet meer, dus is niet na te gaan om welke jeugdige het gaat. Wijs de melding af.'),
      );
    }
    const subject = registration!.subject;
    const state = await readSubjectState(db, subject);
    const unit = endForSubject(ctx, state, report.registrationId, 'deceased', { tellCause: true, detail: { deathReportId: reportId } });
    const now = clock.now();
    const all = state.registrations.map((r) => r.registrationId);
    await ctx.deps.atomic([
      subjectGuard(db, subject, state.fingerprint),
      reportGuard(ctx, report),
      db
        .update(deathReports)
        .set({ status: 'confirmed', decidedBy: ctx.actor.id, decidedAt: now, deleted: all.length })
        .where(and(eq(deathReports.id, reportId), isState(deathReports.status, 'proposed'))),
      // Other open reports on this subject's registrations are settled by this one.
      db
        .update(deathReports)
        .set({ status: 'confirmed', decidedBy: ctx.actor.id, decidedAt: now, deleted: 0 })
        .where(and(inArray(deathReports.registrationId, all), inArray(deathReports.status, OPEN))),
      ...unit.statements,
      auditStatement(ctx, {
        action: 'death_report.confirm',
        outcome: 'success',
        registrationId: report.registrationId,
        matchId: unit.result.matchId,
        detail: { deathReportId: reportId, deleted: all.length },
      }),
    ]);
    return { deleted: all.length, matchClosed: unit.result.matchClosed };
  });
}

/** Either admin (the proposer too) rejects a report that is still open. */
export async function rejectDeathReport(ctx: Ctx, input: z.input<typeof DeathReportIdInput>): Promise<void> {
  const { reportId } = parseInput(DeathReportIdInput, input);
  await authorize(ctx, 'four_eyes', 'death_report.reject');
  const { db, clock } = ctx.deps;
  const report = await readReport(ctx, reportId, 'death_report.reject');
  if (!OPEN.includes(report.status)) {
    await refuse(ctx, 'death_report.reject', report, `status_${report.status}`, new ServiceError('conflict', 'Deze melding is al afgehandeld.'));
  }
  await run(ctx, [
    reportGuard(ctx, report),
    db
      .update(deathReports)
      .set({ status: 'rejected', decidedBy: ctx.actor.id, decidedAt: clock.now() })
      .where(and(eq(deathReports.id, reportId), inArray(deathReports.status, OPEN))),
    auditStatement(ctx, { action: 'death_report.reject', outcome: 'success', registrationId: report.registrationId, detail: { deathReportId: reportId } }),
  ]);
}

// ---- the admins' list ---------------------------------------------------------------------

export interface DeathReportView {
  id: string;
  registrationId: string;
  /** The reported registration's organisation; null once the registration is gone. */
  organisationName: string | null;
  /** The reporting professional's name, or null when an API client reported. */
  reportedByName: string | null;
  reportedAt: string;
  status: DeathReportStatus;
  diedOn: string | null;
  proposedBy: string | null;
  proposedByName: string | null;
  proposedAt: string | null;
}

function reportQuery(ctx: Ctx) {
  const reporter = alias(professionals, 'reporter');
  const proposer = alias(professionals, 'proposer');
  return ctx.deps.db
    .select({
      id: deathReports.id,
      registrationId: deathReports.registrationId,
      organisationName: organisations.name,
      reportedByName: reporter.name,
      reportedAt: deathReports.reportedAt,
      status: deathReports.status,
      diedOn: deathReports.diedOn,
      proposedBy: deathReports.proposedBy,
      proposedByName: proposer.name,
      proposedAt: deathReports.proposedAt,
    })
    .from(deathReports)
    .leftJoin(registrations, eq(registrations.id, deathReports.registrationId))
    .leftJoin(organisations, eq(organisations.id, registrations.organisationId))
    .leftJoin(reporter, eq(reporter.id, deathReports.reportedBy))
    .leftJoin(proposer, eq(proposer.id, deathReports.proposedBy))
    .$dynamic();
}

type ReportRow = Awaited<ReturnType<ReturnType<typeof reportQuery>['execute']>>[number];

function toReportView(r: ReportRow): DeathReportView {
  return { ...r, reportedAt: r.reportedAt.toISOString(), proposedAt: r.proposedAt?.toISOString() ?? null };
}

/** The open reports (reported or proposed), newest first. An audited read. */
export async function listDeathReports(ctx: Ctx): Promise<DeathReportView[]> {
  await authorize(ctx, 'four_eyes', 'death_report.list');
  const rows = await reportQuery(ctx).where(inArray(deathReports.status, OPEN)).orderBy(desc(deathReports.reportedAt)).limit(200);
  await recordAudit(ctx, { action: 'death_report.list', outcome: 'success', detail: { count: rows.length } });
  return rows.map(toReportView);
}

/** One report, whatever its status. An audited read; unknown: 404. */
export async function getDeathReport(ctx: Ctx, input: z.input<typeof DeathReportIdInput>): Promise<DeathReportView> {
  const { reportId } = parseInput(DeathReportIdInput, input);
  await authorize(ctx, 'four_eyes', 'death_report.read');
  const [row] = await reportQuery(ctx).where(eq(deathReports.id, reportId)).limit(1);
  await recordAudit(ctx, {
    action: 'death_report.read',
    outcome: row ? 'success' : 'not_found',
    registrationId: row?.registrationId ?? null,
    detail: { deathReportId: reportId },
  });
  if (!row) throw audited(new ServiceError('not_found', 'Melding van overlijden niet gevonden.'));
  return toReportView(row);
}
