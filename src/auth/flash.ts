/**
 * One-time messages after Post/Redirect/Get (docs/architecture.md, "One-time messages").
 *
 * A POST that succeeds answers 303; whatever the next page must show once (a confirmation,
 * the recovery codes, earlier involvement from the archive) travels in the session row,
 * sealed with AES-GCM under a key derived from the session id. Only the cookie holds that
 * id (the table keeps its SHA-256), so a copy of the database cannot read the message.
 * resumeSession hands it over and clears it in the statement that touches the session, so
 * it is shown exactly once and costs no extra round trip.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Ctx } from '../context.ts';
import { sessions } from '../db/schema.ts';
import { decrypt, derivedKey, encrypt, sha256Hex } from './secrets.ts';

/**
 * What a one-time message may carry: a notice for the frame to show, and named parts for
 * the page that asked for them (each page parses its own part with zod).
 */
export const FlashValue = z.looseObject({ notice: z.string().max(500).optional() });
export type FlashValue = z.output<typeof FlashValue>;

/** The session id is 32 random bytes in base64url: the key material itself. */
function flashKey(sessionId: string): Promise<CryptoKey> {
  const bytes = Uint8Array.from(atob(sessionId.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  return derivedKey(bytes, 'flash');
}

/** Sets the session's one-time message (replacing an unread one). */
export async function setFlash(ctx: Ctx, sessionId: string, value: FlashValue): Promise<void> {
  const sealed = await encrypt(await flashKey(sessionId), JSON.stringify(FlashValue.parse(value)));
  await ctx.deps.db
    .update(sessions)
    .set({ flash: sealed })
    .where(eq(sessions.idHash, await sha256Hex(sessionId)));
}

/** Opens a sealed message; one that does not open (another session's, tampered) is dropped. */
export async function openFlash(sessionId: string, sealed: string | null): Promise<FlashValue | undefined> {
  if (!sealed) return undefined;
  try {
    const parsed = FlashValue.safeParse(JSON.parse(await decrypt(await flashKey(sessionId), sealed)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
