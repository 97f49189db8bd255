/**
 * Server-side sessions. The cookie holds 256 random bits; the table holds their SHA-256, so
 * a database leak yields no usable session. Idle timeout 30 minutes (extended by activity,
 * WCAG 2.2.1 lets the user extend before it runs out), absolute timeout 8 hours after login.
 * A new session is created at every login (rotation); logout and deactivation end them.
 */
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement, recordAudit } from '../audit/audit.ts';
import { actsFor, type Ctx } from '../context.ts';
import { organisations, professionals, sessions } from '../db/schema.ts';
import { readTemplate, readThenWrite, writeTemplate } from '../db/template.ts';
import { Id } from '../identity/ids.ts';
import { parseInput, ServiceError } from '../lib/errors.ts';
import { randomToken, sha256Hex } from './secrets.ts';
import { organisationOfPerson, parseRoles, rolesOfPerson } from '../directory/roles.ts';
import type { Role } from '../vocabulary.ts';

export const IDLE_TIMEOUT_MS = 30 * 60_000;
export const ABSOLUTE_TIMEOUT_MS = 8 * 3_600_000;
/** A half-login (password right, second factor due) lasts at most this long. */
export const PENDING_TIMEOUT_MS = 10 * 60_000;

export type SessionStage = (typeof sessions.$inferSelect)['stage'];
/** `full` unless the half-login between password and second factor (or enrolment) is meant. */
const Stage = z.enum(sessions.stage.enumValues).default('full');

/**
 * A session is named by its cookie value: any string. One that is not ours simply names
 * no session (null), it is no input error: the cookie comes from the browser.
 */
const SessionId = z.string();

export interface SessionInfo {
  professionalId: string;
  /** Null for the municipality's own staff (ADR 0011). */
  organisationId: string | null;
  name: string;
  email: string;
  roles: Role[];
  /** The first 12 hex digits of the id's hash: names this session in "my sessions". */
  handle: string;
  /** When the session ends if nothing happens (for the "extend" warning). */
  idleExpiresAt: Date;
  /** The server's time when the session was resumed (idleExpiresAt - now = time left). */
  now: Date;
  expiresAt: Date;
  /** The sealed one-time message, handed over once and cleared (src/auth/flash.ts). */
  flash: string | null;
}

/** `userAgent` is kept (its first 200 characters) to tell sessions apart in "my sessions". */
export const StartSessionInput = z.strictObject({ professionalId: Id, userAgent: z.string().nullable(), stage: Stage });

/**
 * Starts a session; returns the cookie value (shown once, never stored). A `full` session
 * is a login (audited); the other stages are the short half-login between the two steps.
 */
export async function startSession(ctx: Ctx, input: z.input<typeof StartSessionInput>): Promise<{ id: string; expiresAt: Date }> {
  const { professionalId, userAgent, stage } = parseInput(StartSessionInput, input);
  const now = ctx.deps.clock.now();
  const id = randomToken();
  const expiresAt = new Date(now.getTime() + (stage === 'full' ? ABSOLUTE_TIMEOUT_MS : PENDING_TIMEOUT_MS));
  await ctx.deps.atomic([
    ctx.deps.db
      .insert(sessions)
      .values({ idHash: await sha256Hex(id), professionalId, createdAt: now, lastSeenAt: now, expiresAt, userAgent: userAgent?.slice(0, 200) ?? null, stage }),
    ...(stage === 'full' ? [auditStatement(ctx, { action: 'session.start', outcome: 'success', targetUserId: professionalId })] : []),
  ]);
  return { id, expiresAt };
}

export const ResumeSessionInput = z.strictObject({ sessionId: SessionId, stage: Stage });

type LiveValues = { idHash: string; stage: SessionStage; now: number; idleSince: number };

/** Whether the session row is live: this stage, not ended, not past either timeout. Epoch ms, as the columns store them. */
const liveRow = (value: <K extends keyof LiveValues & string>(name: K) => LiveValues[K]) =>
  and(
    eq(sessions.idHash, value('idHash')),
    eq(sessions.stage, value('stage')),
    isNull(sessions.endedAt),
    sql`${sessions.expiresAt} > ${value('now')}`,
    sql`${sessions.lastSeenAt} > ${value('idleSince')}`,
  );

/** A live session with its person, who must be active, as their organisation: read at every page, so built once (src/db/template.ts). */
const liveSession = readTemplate<
  LiveValues,
  { professionalId: string; organisationId: string | null; name: string; email: string; roles: string | null; expiresAt: Date; flash: string | null }
>((db, value) =>
  db
    .select({
      professionalId: sessions.professionalId,
      organisationId: organisationOfPerson,
      name: professionals.name,
      email: professionals.email,
      roles: rolesOfPerson,
      expiresAt: sessions.expiresAt,
      flash: sessions.flash,
    })
    .from(sessions)
    .innerJoin(professionals, eq(professionals.id, sessions.professionalId))
    .innerJoin(organisations, eq(organisations.id, professionals.organisationId))
    .where(and(liveRow(value), eq(professionals.active, true), eq(organisations.active, true)))
    .limit(1),
);

/**
 * The touch that goes with that read: the idle timer restarts and the one-time message,
 * just read, is cleared (handed over exactly once). It runs after the read whatever the
 * read found (in the same D1 batch), so it repeats every condition of the read: a session
 * that is not live is never touched, let alone brought back.
 */
const touchLiveSession = writeTemplate<LiveValues & { seenAt: Date }>((db, value) =>
  db
    .update(sessions)
    .set({ lastSeenAt: value('seenAt'), flash: null })
    .where(
      and(
        liveRow(value),
        sql`EXISTS (SELECT 1 FROM ${professionals} JOIN ${organisations} ON ${organisations.id} = ${professionals.organisationId}
          WHERE ${professionals.id} = ${sessions.professionalId} AND ${professionals.active} = 1 AND ${organisations.active} = 1)`,
      ),
    ),
);

/** The live session of this stage for a cookie value, touched (idle timer restarted), or null. */
export async function resumeSession(ctx: Ctx, input: z.input<typeof ResumeSessionInput>): Promise<SessionInfo | null> {
  const { sessionId: id, stage } = parseInput(ResumeSessionInput, input);
  const { db, clock } = ctx.deps;
  const now = clock.now();
  const idHash = ctx.deps.digestSync ? ctx.deps.digestSync(id) : await sha256Hex(id);
  const live = { idHash, stage, now: now.getTime(), idleSince: now.getTime() - IDLE_TIMEOUT_MS };
  // The read and its touch in one round trip on D1 (issue 12: every page pays it).
  const [row] = await readThenWrite(db, [liveSession, live], [touchLiveSession, { ...live, seenAt: now }]);
  if (!row) return null;
  const idleExpiresAt = new Date(Math.min(now.getTime() + IDLE_TIMEOUT_MS, row.expiresAt.getTime()));
  return { ...row, roles: parseRoles(row.roles), handle: idHash.slice(0, 12), idleExpiresAt, now };
}

export const EndSessionInput = z.strictObject({ sessionId: SessionId });

export async function endSession(ctx: Ctx, input: z.input<typeof EndSessionInput>): Promise<void> {
  const { sessionId: id } = parseInput(EndSessionInput, input);
  const [ended] = await ctx.deps.db
    .update(sessions)
    .set({ endedAt: ctx.deps.clock.now() })
    .where(and(eq(sessions.idHash, await sha256Hex(id)), isNull(sessions.endedAt)))
    .returning({ professionalId: sessions.professionalId });
  if (ended) await recordAudit(ctx, { action: 'session.end', outcome: 'success', targetUserId: ended.professionalId });
}

export const DropPendingSessionInput = z.strictObject({ sessionId: SessionId });

/** Ends a half-login without audit noise (it is replaced by the full session at once). */
export async function dropPendingSession(ctx: Ctx, input: z.input<typeof DropPendingSessionInput>): Promise<void> {
  const { sessionId: id } = parseInput(DropPendingSessionInput, input);
  await ctx.deps.db
    .update(sessions)
    .set({ endedAt: ctx.deps.clock.now() })
    .where(and(eq(sessions.idHash, await sha256Hex(id)), isNull(sessions.endedAt)));
}

export const EndAllSessionsInput = z.strictObject({ professionalId: Id });

/** Logout everywhere, and what deactivating an account does. */
export async function endAllSessions(ctx: Ctx, input: z.input<typeof EndAllSessionsInput>): Promise<void> {
  const { professionalId } = parseInput(EndAllSessionsInput, input);
  if (!actsFor(ctx.actor, professionalId)) throw new ServiceError('forbidden', 'Dit kan alleen voor uw eigen account.');
  await ctx.deps.atomic([
    ctx.deps.db
      .update(sessions)
      .set({ endedAt: ctx.deps.clock.now() })
      .where(and(eq(sessions.professionalId, professionalId), isNull(sessions.endedAt))),
    auditStatement(ctx, { action: 'session.end_all', outcome: 'success', targetUserId: professionalId }),
  ]);
}

/** The handle is checked in the verb: one that names no live session is audited as not found. */
export const EndSessionByHandleInput = z.strictObject({ professionalId: Id, handle: z.string().max(64) });

/** "My sessions": ends one of the account's own sessions, named by its handle. */
export async function endSessionByHandle(ctx: Ctx, input: z.input<typeof EndSessionByHandleInput>): Promise<boolean> {
  const { professionalId, handle } = parseInput(EndSessionByHandleInput, input);
  if (!actsFor(ctx.actor, professionalId)) throw new ServiceError('forbidden', 'Dit kan alleen voor uw eigen account.');
  const live = await listSessions(ctx, { professionalId });
  const target = /^[0-9a-f]{12}$/.test(handle) ? live.find((s) => s.handle === handle) : undefined;
  if (target) {
    await ctx.deps.db
      .update(sessions)
      .set({ endedAt: ctx.deps.clock.now() })
      .where(and(eq(sessions.idHash, target.idHash), isNull(sessions.endedAt)));
  }
  await recordAudit(ctx, { action: 'session.end', outcome: target ? 'success' : 'not_found', targetUserId: professionalId });
  return !!target;
}

export const ListSessionsInput = z.strictObject({ professionalId: Id });

/** The account's live sessions, for "my sessions" (ids are never shown, only a handle). */
export async function listSessions(ctx: Ctx, input: z.input<typeof ListSessionsInput>) {
  const { professionalId } = parseInput(ListSessionsInput, input);
  if (!actsFor(ctx.actor, professionalId)) throw new ServiceError('forbidden', 'Dit kan alleen voor uw eigen account.');
  const now = ctx.deps.clock.now();
  const rows = await ctx.deps.db
    .select({ idHash: sessions.idHash, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, userAgent: sessions.userAgent })
    .from(sessions)
    .where(
      and(
        eq(sessions.professionalId, professionalId),
        eq(sessions.stage, 'full'),
        isNull(sessions.endedAt),
        gt(sessions.expiresAt, now),
        gt(sessions.lastSeenAt, new Date(now.getTime() - IDLE_TIMEOUT_MS)),
      ),
    )
    .orderBy(desc(sessions.lastSeenAt));
  return rows.map((r) => ({ ...r, handle: r.idHash.slice(0, 12) }));
}
