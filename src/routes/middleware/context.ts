import type { Context } from 'hono';
import type { Actor, Ctx } from '../../context.ts';
import type { AppEnv } from '../env.ts';

/** The client address as the edge reports it (Workers, or a reverse proxy in front of Node). */
function originOf(c: Context<AppEnv>): string | null {
  const forwarded = c.req.header('cf-connecting-ip') ?? c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || null;
}

/** The verb context for this request: its deps, actor and request metadata. */
export function ctxOf(c: Context<AppEnv>, actor: Actor = c.get('actor')): Ctx {
  return { deps: c.get('deps'), actor, requestId: c.get('requestId') ?? null, origin: originOf(c) };
}
