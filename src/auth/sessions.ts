/**
 * Server-side sessions. The cookie holds 256 random bits; the table holds their SHA-256, so
 * a database leak yields no usable session. Idle timeout 30 minutes (extended by activity,
 * WCAG 2.2.1 lets the user extend before it runs out), absolute timeout 8 hours after login.
 * A new session is created at every login (rotation); logout and deactivation end them.
 */
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { auditStatement } from '../audit/audit.ts';
import type { Ctx } from '../context.ts';
import { organisations, professionals, sessions } from '../db/schema.ts';
import { randomToken, sha256Hex } from './secrets.ts';

export const IDLE_TIMEOUT_MS = 30 * 60_000;
export const ABSOLUTE_TIMEOUT_MS = 8 * 3_600_000;

export interface SessionInfo {
  professionalId: string;
  organisationId: string;
  role: string;
  /** When the session ends if nothing happens (for the "extend" warning). */
  idleExpiresAt: Date;
  expiresAt: Date;
}

/** Starts a session; returns the cookie value (shown once, never stored). */
export async function startSession(ctx: Ctx, professionalId: string, userAgent: string | null): Promise<{ id: string; expiresAt: Date }> {
  const now = ctx.deps.clock.now();
  const id = randomToken();
  const expiresAt = new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS);
  await ctx.deps.atomic([
    ctx.deps.db.insert(sessions).values({ idHash: await sha256Hex(id), professionalId, createdAt: now, lastSeenAt: now, expiresAt, userAgent: userAgent?.slice(0, 200) ?? null }),
    auditStatement(ctx, { action: 'session.start', outcome: 'success', targetUserId: professionalId }),
  ]);
  return { id, expiresAt };
}

/** The live session for a cookie value, touched (idle timer restarted), or null. */
export async function resumeSession(ctx: Ctx, id: string): Promise<SessionInfo | null> {
  const { db, clock } = ctx.deps;
  const now = clock.now();
  const idHash = await sha256Hex(id);
  const [row] = await db
    .select({ professionalId: sessions.professionalId, organisationId: professionals.organisationId, role: professionals.role, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(professionals, eq(professionals.id, sessions.professionalId))
    .innerJoin(organisations, eq(organisations.id, professionals.organisationId))
    .where(
      and(
        eq(sessions.idHash, idHash),
        isNull(sessions.endedAt),
        gt(sessions.expiresAt, now),
        gt(sessions.lastSeenAt, new Date(now.getTime() - IDLE_TIMEOUT_MS)),
        eq(professionals.active, true),
        eq(organisations.active, true),
      ),
    )
    .limit(1);
  if (!row) return null;
  await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.idHash, idHash));
  const idleExpiresAt = new Date(Math.min(now.getTime() + IDLE_TIMEOUT_MS, row.expiresAt.getTime()));
  return { ...row, idleExpiresAt };
}

export async function endSession(ctx: Ctx, id: string): Promise<void> {
  const [ended] = await ctx.deps.db
    .update(sessions)
    .set({ endedAt: ctx.deps.clock.now() })
    .where(and(eq(sessions.idHash, await sha256Hex(id)), isNull(sessions.endedAt)))
    .returning({ professionalId: sessions.professionalId });
  if (ended) await ctx.deps.atomic([auditStatement(ctx, { action: 'session.end', outcome: 'success', targetUserId: ended.professionalId })]);
}

/** Logout everywhere, and what deactivating an account does. */
export async function endAllSessions(ctx: Ctx, professionalId: string): Promise<void> {
  await ctx.deps.atomic([
    ctx.deps.db.update(sessions).set({ endedAt: ctx.deps.clock.now() }).where(and(eq(sessions.professionalId, professionalId), isNull(sessions.endedAt))),
    auditStatement(ctx, { action: 'session.end_all', outcome: 'success', targetUserId: professionalId }),
  ]);
}

/** The account's live sessions, for "my sessions" (ids are never shown, only their hashes' prefix). */
export async function listSessions(ctx: Ctx, professionalId: string) {
  const now = ctx.deps.clock.now();
  return ctx.deps.db
    .select({ idHash: sessions.idHash, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, userAgent: sessions.userAgent })
    .from(sessions)
    .where(and(eq(sessions.professionalId, professionalId), isNull(sessions.endedAt), gt(sessions.expiresAt, now), gt(sessions.lastSeenAt, new Date(now.getTime() - IDLE_TIMEOUT_MS))))
    .orderBy(desc(sessions.lastSeenAt));
}
