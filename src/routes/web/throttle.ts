/** The per-IP limit on every login step and mailed-link form (src/auth/throttle.ts). */
import type { Context } from 'hono';
import { allowLoginAttempt } from '../../auth/throttle.ts';
import type { AppEnv } from '../app-env.ts';
import { ctxOf } from '../http/ctx.ts';
import { errorPage } from './render.tsx';
import { ANONYMOUS } from './session.ts';

/** The error page when this network made too many attempts; null when the attempt may go on. */
export async function throttled(c: Context<AppEnv>): Promise<Response | null> {
  const ctx = ctxOf(c, ANONYMOUS);
  if (await allowLoginAttempt(ctx, { clientAddress: ctx.origin })) return null;
  return errorPage(c, 429, 'Even wachten', 'Er zijn vanaf dit netwerk te veel inlogpogingen gedaan. Probeer het over een kwartier opnieuw.');
}
