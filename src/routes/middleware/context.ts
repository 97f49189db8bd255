import type { Context } from 'hono';
import type { Actor, Ctx } from '../../context.ts';
import type { AppEnv } from '../env.ts';

/**
 * The client address, for the audit's origin and the per-IP login limit. On Workers the
 * edge sets cf-connecting-ip. Behind one reverse proxy (docs/operations.md) the proxy
 * appends the address it saw to x-forwarded-for: the last entry is the one to trust (the
 * earlier ones are whatever the client sent). Without either, Node's own socket address.
 */
function originOf(c: Context<AppEnv>): string | null {
  const edge = c.req.header('cf-connecting-ip');
  if (edge) return edge;
  const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
  if (forwarded) return forwarded;
  const socket = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
  return socket ?? null;
}

/** The verb context for this request: its deps, actor and request metadata. */
export function ctxOf(c: Context<AppEnv>, actor: Actor = c.get('actor')): Ctx {
  return { deps: c.get('deps'), actor, requestId: c.get('requestId') ?? null, origin: originOf(c) };
}
