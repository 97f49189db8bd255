/**
 * Session cookies and the middleware that puts the logged-in professional on the context.
 *
 * Over https the cookie is `__Host-` prefixed and Secure (so no subdomain can set or read
 * it), always HttpOnly and SameSite=Lax, and without Max-Age: the server decides when a
 * session ends (30 minutes idle, 8 hours absolute). On plain http (development on this
 * machine only: config refuses http in production) the prefix and Secure are dropped,
 * because browsers refuse them there. The half-login between password and second factor
 * has its own cookie, so it can never open a page.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { type FlashValue, openFlash, setFlash } from '../../auth/flash.ts';
import { resumeSession, type SessionStage } from '../../auth/sessions.ts';
import type { Actor } from '../../context.ts';
import type { Env } from '../../env.ts';
import type { AppEnv } from '../app-env.ts';
import { ctxOf } from '../http/ctx.ts';

/** Who acts before login: the login pages themselves. */
export const ANONYMOUS: Actor = { type: 'system', id: 'web' };

type Kind = 'session' | 'login';

const secure = (config: Env) => config.PUBLIC_URL.startsWith('https://');

export function cookieName(config: Env, kind: Kind): string {
  const base = kind === 'session' ? 'betrokken' : 'betrokken-login';
  return secure(config) ? `__Host-${base}` : base;
}

export function setSessionCookie(c: Context<AppEnv>, kind: Kind, value: string): void {
  const config = c.get('deps').config;
  setCookie(c, cookieName(config, kind), value, { path: '/', httpOnly: true, secure: secure(config), sameSite: 'Lax' });
}

export function clearSessionCookie(c: Context<AppEnv>, kind: Kind): void {
  const config = c.get('deps').config;
  deleteCookie(c, cookieName(config, kind), { path: '/', secure: secure(config) });
}

export function readSessionCookie(c: Context<AppEnv>, kind: Kind): string | undefined {
  const value = getCookie(c, cookieName(c.get('deps').config, kind));
  // 32 random bytes, base64url: anything else is not ours and not worth a query.
  return value && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
}

/** The half-login's professional, if the cookie names a live one of the given stage. */
export async function pendingLogin(c: Context<AppEnv>, stage: SessionStage) {
  const id = readSessionCookie(c, 'login');
  const info = id ? await resumeSession(ctxOf(c, ANONYMOUS), { sessionId: id, stage }) : null;
  return info && id ? { id, professionalId: info.professionalId, email: info.email } : null;
}

/** Puts the logged-in professional (if any) on the context as session and actor. */
export const loadSession = createMiddleware<AppEnv>(async (c, next) => {
  const id = readSessionCookie(c, 'session');
  const info = id ? await resumeSession(ctxOf(c, ANONYMOUS), { sessionId: id }) : null;
  if (id && info) {
    c.set('session', { ...info, id });
    c.set('actor', { type: 'professional', id: info.professionalId, organisationId: info.organisationId, roles: info.roles });
    const flash = await openFlash(id, info.flash);
    if (flash) c.set('flash', flash);
  } else if (id) {
    clearSessionCookie(c, 'session'); // ended or expired: the browser can forget it
  }
  await next();
});

/**
 * Post/Redirect/Get with a one-time message: the page at `location` gets `value` once
 * (`c.get('flash')`; a `notice` the frame shows by itself). See src/auth/flash.ts.
 */
export async function redirectWithFlash(c: Context<AppEnv>, location: string, value: FlashValue): Promise<Response> {
  await setFlash(ctxOf(c), c.get('session').id, value);
  return c.redirect(location, 303);
}

/** A page behind login without a session: to the login page (and back here afterwards). */
export function redirectToLogin(c: Context<AppEnv>): Response {
  const back = c.req.method === 'GET' ? c.req.path : '/';
  const expired = readSessionCookie(c, 'session') !== undefined || c.req.query('verlopen') !== undefined;
  return c.redirect(`/login?${new URLSearchParams({ terug: back, ...(expired ? { verlopen: '1' } : {}) })}`, 303);
}

/** A local path to return to after login; anything else (another site, //host) is ignored. */
export function safeReturnPath(value: string | undefined): string {
  return value && /^\/(?![/\\])[\w\-/.%?=&]*$/.test(value) ? value : '/';
}
