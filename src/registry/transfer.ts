/**
 * An organisation's registrations as its coordinator sees them (no subject data), and
 * transferring them to a colleague, e.g. when a professional leaves (docs/domain.md, "Roles":
 * the organisation coordinator). One registration moves at once, in one guarded unit; all of
 * a professional's become a bulk job ('transfer', queued at once, no four eyes) that the
 * runner does in slices (src/jobs/bulk-jobs.ts) through `transferOne` below.
 *
 * A moved registration keeps everything but its professional; its match membership follows,
 * and the match's other members are mailed that there is a new contact (no identity of the
 * child: a link to the match page only). A registration on a subject the colleague is
 * already registered on cannot move (one active registration per professional and subject):
 * it is skipped and counted, never failed.
 */
import { isState } from '../db/constant.ts';
import { and, count, desc, eq, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement, recordAudit } from '../audit/audit.ts';
import { authorize, can } from '../auth/permissions.ts';
import type { Ctx } from '../context.ts';
import { guardStatement } from '../db/guard.ts';
import { bulkJobs, matchMembers, organisations, professionals, registrations } from '../db/schema.ts';
import type { Statement } from '../db/types.ts';
import { holdsRole, isRealOrganisation } from '../directory/roles.ts';
import { Id } from '../identity/ids.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { enqueueStatement } from '../notify/outbox.ts';
import { addressed } from '../notify/recipients.ts';
import { withConflictRetry } from './retry.ts';
import { readSubjectState, subjectGuard } from './subject-state.ts';

/**
 * The admin acts on every organisation's registrations, a coordinator only on their own;
 * to a coordinator another organisation's are "not found" (audited), not "forbidden".
 */
async function authorizeRegistrationsOf(ctx: Ctx, organisationId: string | null, action: string, detail: Record<string, string | null>): Promise<void> {
  const coordinatorOnly = ctx.actor.type === 'professional' && !can(ctx.actor, 'beheer');
  if (organisationId !== null && (!coordinatorOnly || (ctx.actor.type === 'professional' && organisationId === ctx.actor.organisationId))) return;
  await recordAudit(ctx, { action, outcome: 'not_found', detail });
  throw audited(new ServiceError('not_found', 'Niet gevonden.'));
}

/** First step of these verbs: the coordinator's permission, or the admin's (who may act for any organisation). */
async function authorizeFirst(ctx: Ctx, action: string): Promise<void> {
  if (can(ctx.actor, 'beheer')) return;
  await authorize(ctx, 'organisation_registrations', action);
}

/** A person's organisation (a real one, not the municipality's row), whether active and whether they hold role professional. */
async function readPerson(ctx: Ctx, id: string) {
  const [row] = await ctx.deps.db
    .select({
      organisationId: professionals.organisationId,
      active: professionals.active,
      deactivatedAt: professionals.deactivatedAt,
      isProfessional: holdsRole('professional'),
    })
    .from(professionals)
    .innerJoin(organisations, eq(organisations.id, professionals.organisationId))
    .where(and(eq(professionals.id, id), isRealOrganisation))
    .limit(1);
  return row ?? null;
}

export const TransferRegistrationsInput = z
  .strictObject({
    fromProfessionalId: Id,
    toProfessionalId: Id,
    /** One registration; without it, all of the professional's active registrations (a bulk job). */
    registrationId: Id.optional(),
  })
  .refine((input) => input.fromProfessionalId !== input.toProfessionalId, {
    path: ['toProfessionalId'],
    error: 'Kies een andere collega dan de huidige professional.',
  });

export interface TransferResult {
  /** Moved now (one registration: 0 or 1; all: 0, the job moves them). */
  transferred: number;
  /** The bulk job that moves all of them, or null. */
  jobId: string | null;
  /** Not moved: the colleague is already registered on the same young person. */
  skipped: number;
}

export async function transferRegistrations(ctx: Ctx, input: z.input<typeof TransferRegistrationsInput>): Promise<TransferResult> {
  const { fromProfessionalId, toProfessionalId, registrationId } = parseInput(TransferRegistrationsInput, input);
  await authorizeFirst(ctx, 'registration.transfer');
  const detail = { from: fromProfessionalId, to: toProfessionalId };
  const from = await readPerson(ctx, fromProfessionalId);
  await authorizeRegistrationsOf(ctx, from?.organisationId ?? null, 'registration.transfer', detail);
  const organisationId = from!.organisationId;
  const to = await readPerson(ctx, toProfessionalId);
  if (!to || to.organisationId !== organisationId) {
    await recordAudit(ctx, { action: 'registration.transfer', outcome: 'not_found', detail });
    throw audited(
      new ServiceError('not_found', 'Collega niet gevonden in deze organisatie.', { toProfessionalId: ['Kies een collega uit deze organisatie.'] }),
    );
  }
  if (!to.active || to.deactivatedAt !== null || !to.isProfessional) {
    await recordAudit(ctx, { action: 'registration.transfer', outcome: 'invalid', detail });
    throw audited(
      new ServiceError('invalid_input', 'Deze collega kan geen registraties overnemen.', {
        toProfessionalId: ['Kies een actieve collega met de rol professional.'],
      }),
    );
  }

  if (registrationId) {
    const outcome = await transferOne(ctx, { registrationId, fromProfessionalId, toProfessionalId, organisationId });
    if (outcome === 'not_found') {
      await recordAudit(ctx, { action: 'registration.transfer', outcome: 'not_found', registrationId, detail });
      throw audited(new ServiceError('not_found', 'Registratie niet gevonden.'));
    }
    return { transferred: outcome === 'transferred' ? 1 : 0, jobId: null, skipped: outcome === 'skipped' ? 1 : 0 };
  }

  const { db, clock } = ctx.deps;
  const [all] = await db
    .select({ n: count() })
    .from(registrations)
    .where(
      and(eq(registrations.professionalId, fromProfessionalId), eq(registrations.organisationId, organisationId), isState(registrations.status, 'active')),
    );
  const total = all?.n ?? 0;
  const skipped = total === 0 ? 0 : await countConflicts(ctx, fromProfessionalId, toProfessionalId, organisationId);
  if (total === 0) {
    await recordAudit(ctx, { action: 'registration.transfer_all', outcome: 'success', detail: { ...detail, total: 0, jobId: null } });
    return { transferred: 0, jobId: null, skipped: 0 };
  }
  const now = clock.now();
  const jobId = crypto.randomUUID();
  await ctx.deps.atomic([
    db.insert(bulkJobs).values({
      id: jobId,
      kind: 'transfer',
      status: 'queued',
      organisationId,
      params: { from: fromProfessionalId, to: toProfessionalId },
      requestedBy: ctx.actor.id,
      requestedAt: now,
      total,
      processed: 0,
      updatedAt: now,
    }),
    auditStatement(ctx, { action: 'registration.transfer_all', outcome: 'success', detail: { ...detail, total, jobId } }),
  ]);
  return { transferred: 0, jobId, skipped };
}

/** The colleague already holds an active registration on the same subject. */
function conflictWith(toProfessionalId: string) {
  return sql`EXISTS (SELECT 1 FROM registrations other WHERE other.subject_pseudonym = ${registrations.subjectPseudonym} AND other.professional_id = ${toProfessionalId} AND other.status = 'active')`;
}

/** How many of `from`'s active registrations cannot move to `to` (they would be skipped). */
export async function countConflicts(ctx: Ctx, fromProfessionalId: string, toProfessionalId: string, organisationId: string): Promise<number> {
  const [row] = await ctx.deps.db
    .select({ n: count() })
    .from(registrations)
    .where(
      and(
        eq(registrations.professionalId, fromProfessionalId),
        eq(registrations.organisationId, organisationId),
        isState(registrations.status, 'active'),
        conflictWith(toProfessionalId),
      ),
    );
  return row?.n ?? 0;
}

/** The next of `from`'s active registrations that can move to `to` (the runner's "next remaining"). */
export async function nextTransferable(ctx: Ctx, fromProfessionalId: string, toProfessionalId: string, organisationId: string, limit: number) {
  const rows = await ctx.deps.db
    .select({ id: registrations.id })
    .from(registrations)
    .where(
      and(
        eq(registrations.professionalId, fromProfessionalId),
        eq(registrations.organisationId, organisationId),
        isState(registrations.status, 'active'),
        sql`NOT ${conflictWith(toProfessionalId)}`,
      ),
    )
    .orderBy(registrations.id)
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * Moves one active registration of `from` (in `organisationId`) to `to`, in one guarded unit:
 * the registration, its open match membership, the mails to the match's other members and
 * the audit row. Checks nothing about the actor: callers do (the verb, the bulk job runner).
 */
export async function transferOne(
  ctx: Ctx,
  args: { registrationId: string; fromProfessionalId: string; toProfessionalId: string; organisationId: string },
): Promise<'transferred' | 'skipped' | 'not_found'> {
  const { registrationId, fromProfessionalId, toProfessionalId, organisationId } = args;
  const { db, clock } = ctx.deps;
  const [found] = await db
    .select({ subjectPseudonym: registrations.subjectPseudonym })
    .from(registrations)
    .where(
      and(
        eq(registrations.id, registrationId),
        isState(registrations.status, 'active'),
        eq(registrations.professionalId, fromProfessionalId),
        eq(registrations.organisationId, organisationId),
      ),
    )
    .limit(1);
  if (!found) return 'not_found';
  const subject = found.subjectPseudonym;
  const detail = { from: fromProfessionalId, to: toProfessionalId };

  return withConflictRetry(async () => {
    const state = await readSubjectState(db, subject);
    const own = state.active.find((r) => r.registrationId === registrationId);
    if (!own || own.professionalId !== fromProfessionalId) return 'not_found' as const;
    if (state.active.some((r) => r.professionalId === toProfessionalId)) {
      await recordAudit(ctx, { action: 'registration.transfer', outcome: 'invalid', registrationId, detail: { ...detail, skipped: 'already_registered' } });
      return 'skipped' as const;
    }
    const now = clock.now();
    const match = state.openMatch;
    const inMatch = match?.members.some((m) => m.registrationId === registrationId) ?? false;
    const owner = sql`CAST((SELECT professional_id FROM registrations WHERE id = ${registrationId} AND status = 'active') AS TEXT)`;
    const statements: Statement[] = [
      subjectGuard(db, subject, state.fingerprint),
      guardStatement(db, owner, fromProfessionalId),
      db
        .update(registrations)
        .set({ professionalId: toProfessionalId })
        .where(and(eq(registrations.id, registrationId), isState(registrations.status, 'active'))),
    ];
    if (match && inMatch) {
      statements.push(
        db
          .update(matchMembers)
          .set({ professionalId: toProfessionalId, seenAt: null })
          .where(and(eq(matchMembers.matchId, match.id), eq(matchMembers.registrationId, registrationId), isNull(matchMembers.leftAt))),
        ...match.members
          .filter((m) => m.registrationId !== registrationId)
          // A deactivated member's mail goes to their coordinators; a deactivated organisation's to nobody (src/notify/recipients.ts).
          .flatMap((m) =>
            addressed(
              {
                idempotencyKey: `match:${match.id}:contact-changed:${registrationId}:${toProfessionalId}:${now.getTime()}:${m.registrationId}`,
                template: 'match_contact_changed',
                payload: { matchId: match.id, registrationId: m.registrationId },
              },
              m.professionalId,
              state.recipients,
            ),
          )
          .map((notification) => enqueueStatement(db, notification, now)),
      );
    }
    statements.push(
      auditStatement(ctx, {
        action: 'registration.transfer',
        outcome: 'success',
        registrationId,
        matchId: inMatch ? match!.id : null,
        detail,
      }),
    );
    await ctx.deps.atomic(statements);
    return 'transferred' as const;
  });
}

export const ListOrganisationRegistrationsInput = z.strictObject({
  organisationId: Id,
  professionalId: Id.optional(),
  /** From a previous page's `nextCursor`. */
  cursor: z
    .string()
    .regex(/^\d{1,15}:[\w-]{1,64}$/, 'Ongeldige cursor.')
    .optional(),
});

export interface OrganisationRegistration {
  id: string;
  reference: string | null;
  professionalId: string;
  professionalName: string;
  registeredAt: string;
  endsOn: string;
  informed: boolean;
  inMatch: boolean;
}

const PAGE_SIZE = 50;

/**
 * The organisation's active registrations, newest first, 50 a page: no subject data (no
 * pseudonym, nothing about the child), only what the coordinator needs to transfer them.
 * An audited read.
 */
export async function listOrganisationRegistrations(
  ctx: Ctx,
  input: z.input<typeof ListOrganisationRegistrationsInput>,
): Promise<{ items: OrganisationRegistration[]; nextCursor: string | null }> {
  const { organisationId, professionalId, cursor } = parseInput(ListOrganisationRegistrationsInput, input);
  await authorizeFirst(ctx, 'organisation.registrations.read');
  await authorizeRegistrationsOf(ctx, organisationId, 'organisation.registrations.read', { organisationId });
  let after: SQL | undefined;
  if (cursor) {
    const [ms, id] = cursor.split(':') as [string, string];
    const at = new Date(Number(ms));
    after = or(lt(registrations.registeredAt, at), and(eq(registrations.registeredAt, at), lt(registrations.id, id)));
  }
  const rows = await ctx.deps.db
    .select({
      id: registrations.id,
      reference: registrations.reference,
      professionalId: registrations.professionalId,
      professionalName: professionals.name,
      registeredAt: registrations.registeredAt,
      endsOn: registrations.endsOn,
      informedOn: registrations.informedOn,
      inMatch: sql<number>`EXISTS (SELECT 1 FROM ${matchMembers} WHERE ${matchMembers.registrationId} = ${registrations.id} AND ${matchMembers.leftAt} IS NULL)`,
    })
    .from(registrations)
    .innerJoin(professionals, eq(professionals.id, registrations.professionalId))
    .where(
      and(
        eq(registrations.organisationId, organisationId),
        isState(registrations.status, 'active'),
        professionalId ? eq(registrations.professionalId, professionalId) : undefined,
        after,
      ),
    )
    .orderBy(desc(registrations.registeredAt), desc(registrations.id))
    .limit(PAGE_SIZE + 1);
  const page = rows.slice(0, PAGE_SIZE);
  const last = page.at(-1);
  await recordAudit(ctx, {
    action: 'organisation.registrations.read',
    outcome: 'success',
    detail: { organisationId, professionalId: professionalId ?? null, count: page.length },
  });
  return {
    items: page.map((r) => ({
      id: r.id,
      reference: r.reference,
      professionalId: r.professionalId,
      professionalName: r.professionalName,
      registeredAt: r.registeredAt.toISOString(),
      endsOn: r.endsOn,
      informed: r.informedOn !== null,
      inMatch: Boolean(r.inMatch),
    })),
    nextCursor: rows.length > PAGE_SIZE && last ? `${last.registeredAt.getTime()}:${last.id}` : null,
  };
}
