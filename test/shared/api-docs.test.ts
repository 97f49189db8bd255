/**
 * The API viewer at /api/v1/docs (Scalar): public like the document, its script served by
 * the app itself under a hashed URL, and its own Content-Security-Policy with no external
 * origin: scripts from this origin and the one inline start-up script by a per-request nonce.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/context.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const directives = (policy: string) => new Map(policy.split(/;\s*/).map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));

describe('the API viewer', () => {
  it('answers 200 without a token, with its own CSP that names no external origin', async () => {
    const response = await t.app.request('/api/v1/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    const policy = response.headers.get('content-security-policy')!;
    expect(policy).not.toMatch(/https?:|\*|'unsafe-eval'/);
    const csp = directives(policy);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    const scriptSrc = csp.get('script-src')!;
    expect(scriptSrc[0]).toBe("'self'");
    expect(scriptSrc[1]).toMatch(/^'nonce-[A-Za-z0-9_-]{20,}'$/);
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    const nonce = scriptSrc[1]!.slice(7, -1);

    // Every script is this origin's, or inline with this request's nonce.
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    for (const attributes of scripts) {
      expect(attributes).toContain(`nonce="${nonce}"`);
      const src = /src="([^"]+)"/.exec(attributes)?.[1];
      if (src) expect(src).toMatch(/^\/api\/v1\/docs\/scalar\.[0-9a-f]{12}\.js$/);
    }
    expect(html).not.toMatch(/https?:\/\/(?!example)/);
    expect(html).toContain('/api/v1/openapi.json');
    expect(html).toContain('<html lang="en">');
    // The policy's nonce is new per request.
    const again = await t.app.request('/api/v1/docs');
    expect(again.headers.get('content-security-policy')).not.toContain(nonce);
  });

  it('serves its script from this origin under the hashed name only', async () => {
    const html = await (await t.app.request('/api/v1/docs')).text();
    const src = /<script src="([^"]+)"/.exec(html)![1]!;
    const script = await t.app.request(src);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await script.text()).length).toBeGreaterThan(100_000);
    const wrong = await t.app.request('/api/v1/docs/scalar.000000000000.js');
    expect(wrong.status).toBe(404);
    expect(wrong.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('keeps the default policy for every other answer', async () => {
    const page = await t.app.request('/login');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const api = await t.app.request('/api/v1/registrations');
    expect(api.status).toBe(401);
    expect(api.headers.get('content-security-policy')).toContain("default-src 'self'");
  });
});
