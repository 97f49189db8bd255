/**
 * createApp(deps): the whole HTTP application, shared by the Node and Workers entries.
 * Nothing runtime-specific is imported here (docs/architecture.md).
 */
import { Hono, type Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { ReadAudits } from './context.ts';
import type { Deps } from './deps.ts';
import { checkHealth } from './health.ts';
import { timeOrderedId } from './identity/ids.ts';
import { devMailboxEnabled, watchMail } from './notify/dev-mailbox.ts';
import { ServiceError, type ErrorCode, type FieldErrors } from './lib/errors.ts';
import { API_ACCESS, API_PREFIX, createApiRoutes } from './routes/api/index.ts';
import { assertEveryRouteDeclared, type AccessTable } from './routes/http/access.ts';
import type { AppEnv } from './routes/app-env.ts';
import { auditFailure } from './routes/http/audit-failure.ts';
import { countRequests, METRICS_ACCESS, METRICS_PATH, metricsHandler } from './routes/http/metrics.ts';
import { loggablePath, pathId } from './routes/http/path-ids.ts';
import { problemResponse } from './routes/http/problem.ts';
import { createWebRoutes, WEB_ACCESS } from './routes/web/index.ts';
import { webFailure } from './routes/web/render.tsx';

/** Every route's access declaration (src/routes/http/access.ts). */
export const APP_ACCESS: AccessTable = { 'GET /healthz': 'public', ...METRICS_ACCESS, ...API_ACCESS, ...WEB_ACCESS };

export function createApp(deps: Deps) {
  // Development: the mails this process sends are kept for /dev/mail and their links logged.
  if (devMailboxEnabled(deps.config)) watchMail(deps);
  const app = new Hono<AppEnv>();
  // Outermost: every request counted and timed for /metrics, by its declared route pattern.
  app.use('*', countRequests(APP_ACCESS));
  // Time-ordered: the audit rows index their request id (src/identity/ids.ts says why).
  app.use('*', requestId({ generator: () => timeOrderedId() }));
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    const started = performance.now();
    await next();
    // Access log: path only (ids, never a query string or body), status and duration.
    deps.log('info', 'request', {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: loggablePath(c.req.path),
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  });
  // The audit events of a request's reads and refusals are written together when it ends:
  // one unit instead of one per list (issue 12). If that write fails, the answer becomes an
  // error (onError): nothing is shown that was not logged. Events recorded after the end (a
  // streamed export) are written on their own.
  app.use('*', async (c, next) => {
    const reads: ReadAudits = { open: true, statements: [] };
    c.set('reads', reads);
    try {
      await next();
    } finally {
      reads.open = false;
    }
    if (reads.statements.length > 0) await deps.atomic(reads.statements.splice(0));
  });
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'self'"] },
      strictTransportSecurity: deps.config.NODE_ENV === 'production' ? 'max-age=63072000; includeSubDomains' : false,
      referrerPolicy: 'no-referrer',
      xFrameOptions: 'DENY',
      // A route that sets a header of these itself keeps it: the API viewer's own, still
      // origin-only, Content-Security-Policy (src/routes/api/docs.ts).
      overwrite: false,
    }),
  );

  // API answers carry professionals' contact details and registrations: no cache keeps them,
  // whatever the status (the pages set the same header in their own middleware).
  const noStore = createMiddleware(async (c, next) => {
    await next();
    c.res.headers.set('Cache-Control', 'no-store');
  });
  app.use('/healthz', noStore);
  app.use(METRICS_PATH, noStore);
  app.use(API_PREFIX, noStore);
  app.use(`${API_PREFIX}/*`, noStore);

  // A record id that is not a UUID is no id of ours (perhaps a BSN typed into the address):
  // 404 before any route, verb or audit row sees it (src/routes/http/path-ids.ts).
  app.use('*', async (c, next) => {
    if (pathId(c.req.path)?.valid === false) {
      deps.log('info', 'malformed id', { requestId: c.get('requestId'), method: c.req.method, path: loggablePath(c.req.path) });
      throw new ServiceError('not_found', 'Niet gevonden.');
    }
    await next();
  });

  app.get('/healthz', async (c) => c.json(await checkHealth(deps)));
  app.get(METRICS_PATH, metricsHandler);
  app.route(API_PREFIX, createApiRoutes());
  // An unknown API path ends here, as JSON, before the pages' middleware could see it.
  app.all(`${API_PREFIX}/*`, () => {
    throw new ServiceError('not_found', 'Dit endpoint bestaat niet.');
  });
  app.route('/', createWebRoutes(deps.config));
  // Fail closed: a route without a role declaration stops the app from starting.
  assertEveryRouteDeclared(app, APP_ACCESS);

  const isApi = (path: string) => path === API_PREFIX || path.startsWith(`${API_PREFIX}/`);
  /** Problem JSON for the API, an HTML page for everything else. */
  const failure = (c: Context<AppEnv>, code: ErrorCode, message: string, fields?: FieldErrors) =>
    isApi(c.req.path) ? problemResponse(c, code, message, fields) : webFailure(c, code, message);

  app.notFound((c) => failure(c, 'not_found', 'Deze pagina of dit endpoint bestaat niet.'));
  app.onError(async (error, c) => {
    if (error instanceof ServiceError) {
      if (!error.audited) await auditFailure(c, error.code);
      return failure(c, error.code, error.message, error.fields);
    }
    if (error instanceof HTTPException && error.status === 400) {
      await auditFailure(c, 'invalid_input');
      return failure(c, 'invalid_input', 'De body is geen geldige JSON.');
    }
    if (error instanceof HTTPException && error.status === 403) {
      // Hono's csrf(): a form posted from another origin.
      await auditFailure(c, 'forbidden');
      return failure(c, 'forbidden', 'Dit formulier kwam niet van Betrokken zelf en is geweigerd. Open de pagina opnieuw en probeer het nog eens.');
    }
    // Never echo internals: the log gets the class and the request id, the client neither
    // (V8's JSON errors quote the input, which may hold a BSN).
    deps.log('error', 'unhandled error', { requestId: c.get('requestId'), error: error.name, path: loggablePath(c.req.path) });
    await auditFailure(c, 'internal');
    return failure(c, 'internal', 'Er ging iets mis. Probeer het later opnieuw.');
  });
  return app;
}
