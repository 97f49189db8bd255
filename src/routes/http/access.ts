/**
 * Role checks for every route, in one place. Each route module declares, beside its routes,
 * what each of them needs: `public` (no login), `session` (any logged-in person: their own
 * account, the start page) or a permission from src/auth/permissions.ts. `guard` refuses
 * before any handler runs (audited), and `assertEveryRouteDeclared` makes the app refuse to
 * start when a registered route has no declaration, so a new route cannot be left open by
 * forgetting it (the role × route table in test/shared/roles.test.ts checks the outcomes).
 */
import type { Context, Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { recordAudit } from '../../audit/audit.ts';
import { can, type Permission } from '../../auth/permissions.ts';
import { audited, ServiceError } from '../../lib/errors.ts';
import type { AppEnv } from '../app-env.ts';
import { ctxOf } from './ctx.ts';

export type Access = 'public' | 'session' | Permission;
/** `METHOD /path/:param` → what it needs; paths as Hono registers them (full, with prefix). */
export type AccessTable = Record<string, Access>;

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

interface Entry {
  key: string;
  method: string;
  pattern: RegExp;
  access: Access;
}

function compile(table: AccessTable): Entry[] {
  return Object.entries(table).map(([key, access]) => {
    const [method, path] = key.split(' ') as [string, string];
    const source = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z]+/g, '[^/]+');
    return { key, method, pattern: new RegExp(`^${source}/?$`), access };
  });
}

/** The declaration that covers this request, if any (HEAD is served as GET). */
export function findAccess(entries: Entry[], method: string, path: string): Entry | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  return entries.find((entry) => entry.method === m && entry.pattern.test(path));
}

export interface GuardOptions {
  /** Who is not logged in: the pages redirect to the login page; the API has already answered 401. */
  unauthenticated(c: Context<AppEnv>): Response | Promise<Response>;
}

/**
 * Runs after authentication (the session loader, the API gate). A request that matches no
 * declaration is passed on: it names no route, and the not-found handler answers it.
 */
export function guard(table: AccessTable, options: GuardOptions) {
  const entries = compile(table);
  return createMiddleware<AppEnv>(async (c, next) => {
    const entry = findAccess(entries, c.req.method, c.req.path);
    if (!entry || entry.access === 'public') return next();
    const actor = c.get('actor');
    if (!actor) return options.unauthenticated(c);
    if (entry.access !== 'session' && !can(actor, entry.access)) {
      await recordAudit(ctxOf(c), { action: 'access.denied', outcome: 'denied', detail: { route: entry.key, permission: entry.access } });
      throw audited(
        new ServiceError('forbidden', 'U hebt geen toegang tot deze pagina. Neem contact op met de functioneel beheerder als u denkt dat dit niet klopt.'),
      );
    }
    return next();
  });
}

/** Every route the app registered, as `METHOD /path` (middleware, registered for all methods, excluded). */
export function registeredRoutes(app: Hono<AppEnv>): string[] {
  return [...new Set(app.routes.filter((route) => METHODS.has(route.method)).map((route) => `${route.method} ${route.path}`))];
}

/** Fails start-up when a route has no access declaration (fail closed). */
export function assertEveryRouteDeclared(app: Hono<AppEnv>, table: AccessTable): void {
  const missing = registeredRoutes(app).filter((route) => !(route in table));
  if (missing.length > 0) throw new Error(`Routes without an access declaration (src/routes/http/access.ts): ${missing.join(', ')}`);
}
