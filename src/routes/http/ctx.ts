import type { Context } from 'hono';
import type { Actor, Ctx } from '../../context.ts';
import type { AppEnv } from '../app-env.ts';

/** The verb context for this request: its deps, actor and request metadata. */
export function ctxOf(c: Context<AppEnv>, actor: Actor = c.get('actor')): Ctx {
  const deps = c.get('deps');
  // The client address as the runtime knows it (Deps.clientAddress): never a client-set header.
  const reads = c.get('reads');
  return { deps, actor, requestId: c.get('requestId') ?? null, origin: deps.clientAddress(c.req.raw, c.env), ...(reads ? { reads } : {}) };
}
