/**
 * `/metrics` for Prometheus, and the middleware that counts every request for it.
 *
 * The endpoint is not a role route: no session or API token of a person or organisation
 * reaches it. It is declared `public` in the access table and guards itself with its own
 * bearer token, METRICS_TOKEN (src/env.ts): unset, `/metrics` does not exist (404, like any
 * unknown path); a missing or wrong token gets 401.
 *
 * Scrapes are not audited. The audit trail records who saw or changed personal data (NEN
 * 7513); the answer here holds aggregates only (counts of requests, mails, job runs), nothing
 * about a person, and a scrape every 15 seconds would add some 5,800 rows a day that say
 * nothing. A refused scrape is logged (warn, with its request id), not audited, for the same
 * reason: a misconfigured scraper would otherwise fill the trail. docs/operations.md says so.
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import { METRICS_CONTENT_TYPE, metricsTokenMatches, renderMetrics } from '../../metrics/exposition.ts';
import { metrics } from '../../metrics/registry.ts';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from './access.ts';

export const METRICS_PATH = '/metrics';

/** Not a role route: its own token guards it (see above). */
export const METRICS_ACCESS: AccessTable = { [`GET ${METRICS_PATH}`]: 'public' };

/** The label of a request that matched no declared route (an unknown path, a 404): never its path. */
export const UNMATCHED = 'unmatched';

/**
 * Counts every request by method, route pattern and status, and times it. The route is the
 * pattern Hono matched (`/registrations/:id`), and only if the access table declares it:
 * anything else is `unmatched`, so a label never holds a raw path (an id, a typed-in BSN) and
 * the number of series stays bounded. A few map operations per request.
 */
export function countRequests(table: AccessTable) {
  const declared = new Set(Object.keys(table));
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
      const route = declaredRoute(c, method, declared);
      metrics.request(c.req.method, route, c.res.status, (performance.now() - started) / 1000);
    }
  });
}

/** The first matched handler's pattern for this method (the one that answers), if declared. */
function declaredRoute(c: Context<AppEnv>, method: string, declared: Set<string>): string {
  for (const route of matchedRoutes(c)) {
    if (route.method === method && declared.has(`${method} ${route.path}`)) return route.path;
  }
  return UNMATCHED;
}

/** GET /metrics (registered by src/app.ts). */
export async function metricsHandler(c: Context<AppEnv>): Promise<Response> {
  const deps = c.get('deps');
  const token = deps.config.METRICS_TOKEN;
  if (!token) return c.notFound();
  if (!(await metricsTokenMatches(token, c.req.header('authorization')))) {
    deps.log('warn', 'metrics scrape refused', { requestId: c.get('requestId'), reason: c.req.header('authorization') ? 'wrong_token' : 'no_token' });
    return c.text('A valid bearer token is needed (METRICS_TOKEN).', 401, { 'WWW-Authenticate': 'Bearer realm="metrics"' });
  }
  return c.body(await renderMetrics(deps), 200, { 'Content-Type': METRICS_CONTENT_TYPE });
}
