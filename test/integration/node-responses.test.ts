/**
 * Answers on Node's HTTP server (@hono/node-server, as src/entry/node.ts serves them): a page
 * or an API answer is sent whole, with a Content-Length, and with the headers the
 * middleware adds after the handler (no-store, the security headers). The pages' no-store
 * is set on the answer's own headers rather than with c.header(), which would copy the
 * answer into a new Response and send it through a stream; that costs CPU but shows no
 * difference on the wire (@hono/node-server reads a short stream whole and still sends a
 * length), so this checks the headers and the framing, and docs/benchmarks.md the cost.
 * For the same reason a page must reach Hono as a primitive string (checked below).
 */
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSession } from '../../src/auth/sessions.ts';
import type { AppEnv } from '../../src/routes/app-env.ts';
import { errorPage } from '../../src/routes/web/render.tsx';
import { cookieName } from '../../src/routes/web/session.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, type TestContext } from '../support/context.ts';
import { serveOnSocket, type ServedApp } from '../support/node-server.ts';

let t: TestContext;
let served: ServedApp;
let base: string;
let cookie: string;
let apiHeaders: Record<string, string>;
let email: string;

beforeAll(async () => {
  t = await createTestContext();
  const school = await t.organisation('education', 'Basisschool De Linde');
  const juf = await school.professional('Juf Jansen');
  email = juf.email;
  apiHeaders = school.authHeaders;
  await t.register(school, email, { bsn: randomBsn() });
  const session = await startSession(t.operator, { professionalId: juf.id, userAgent: null, stage: 'full' });
  cookie = `${cookieName(t.config, 'session')}=${session.id}`;
  served = await serveOnSocket(t);
  base = served.base;
});
afterAll(async () => {
  await served.close();
  t.close();
});

/** The answer's body, and that it came whole with a matching Content-Length. */
async function sentWhole(response: Response): Promise<string> {
  const body = new Uint8Array(await response.arrayBuffer());
  expect(response.headers.get('transfer-encoding')).toBeNull();
  expect(response.headers.get('content-length')).toBe(String(body.length));
  return new TextDecoder().decode(body);
}

describe('answers on Node', () => {
  it('sends an anonymous page whole, not cached', async () => {
    const response = await fetch(`${base}/login`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await sentWhole(response)).toContain('<html');
  });

  it("sends a professional's overview whole, not cached, with the security headers", async () => {
    const response = await fetch(`${base}/`, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toBeTruthy();
    expect(await sentWhole(response)).toContain('Juf Jansen');
  });

  it('sends an API answer whole, not cached', async () => {
    const response = await fetch(`${base}/api/v1/registrations`, {
      method: 'POST',
      headers: apiHeaders,
      body: JSON.stringify({ bsn: randomBsn(), birthDate: '2012-05-17', professionalEmail: email, criterionConfirmed: true }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(JSON.parse(await sentWhole(response))).toHaveProperty('id');
  });
});

describe('pages', () => {
  // @hono/node-server sends bytes as they are; Hono's escaped String object (what the html``
  // template gives) becomes a web Response with a stream as soon as a middleware sets a
  // header on it, and a primitive string measured slower than bytes (docs/benchmarks.md).
  // Not visible on the wire, so the contract is checked.
  it('hands Hono each page as UTF-8 bytes', async () => {
    const bodies: unknown[] = [];
    const app = new Hono<AppEnv>();
    app.use(async (c, next) => {
      c.set('deps', t.deps);
      const body = c.body as (...args: unknown[]) => Response;
      c.body = ((...args: unknown[]) => {
        bodies.push(args[0]);
        return body(...args);
      }) as unknown as typeof c.body;
      await next();
    });
    app.get('/', (c) => errorPage(c, 404, 'Niet gevonden', 'Deze pagina bestaat niet.'));
    const response = await app.request('/');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    expect(await response.text()).toMatch(/^<!doctype html><html[\s\S]*Deze pagina bestaat niet\./);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toBeInstanceOf(Uint8Array);
  });
});
