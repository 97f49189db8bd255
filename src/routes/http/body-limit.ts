import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { Context } from 'hono';

/**
 * Hono's bodyLimit, deciding by the Content-Length header alone when the request has one
 * (as Hono's does), before it touches the body. Hono's first looks at `request.body`, which
 * on Node makes @hono/node-server build a full web Request with a stream for every request
 * and read the body through it: ≈ 7 % of a registration's CPU (docs/benchmarks.md). Without
 * that, the body is read straight from Node's request. A body sent without a length
 * (chunked) still goes through Hono's, which counts it as it arrives.
 */
export function bodyLimitByLength(options: { maxSize: number; onError: (c: Context) => Response | Promise<Response> }) {
  const counted = bodyLimit(options);
  return createMiddleware(async (c, next) => {
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return counted(c, next);
    if (Number.parseInt(length, 10) > options.maxSize) return options.onError(c);
    await next();
  });
}
