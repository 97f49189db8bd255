/**
 * The body limit on Node's HTTP server (src/routes/http/body-limit.ts): a request with a
 * Content-Length is judged by it without touching the body (which @hono/node-server then
 * reads straight from Node's request); one sent in chunks, without a length, is counted as
 * it arrives. Both the API and the forms refuse a body over 16 KiB with 413.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, type TestContext } from '../support/context.ts';
import { serveOnSocket, type ServedApp } from '../support/node-server.ts';

let t: TestContext;
let served: ServedApp;
let base: string;
let headers: Record<string, string>;
let email: string;

beforeAll(async () => {
  t = await createTestContext();
  const school = await t.organisation('education', 'Basisschool De Linde');
  email = (await school.professional('Juf Jansen')).email;
  headers = school.authHeaders;
  served = await serveOnSocket(t);
  base = served.base;
});
afterAll(async () => {
  await served.close();
  t.close();
});

const registration = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ bsn: randomBsn(), birthDate: '2012-05-17', professionalEmail: email, criterionConfirmed: true, ...extra });

/** The same bytes as a stream: fetch then sends them in chunks, without a Content-Length. */
function chunked(text: string): RequestInit {
  const bytes = new TextEncoder().encode(text);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 4096) controller.enqueue(bytes.subarray(i, i + 4096));
      controller.close();
    },
  });
  return { body, duplex: 'half' } as RequestInit;
}

describe('the API on Node', () => {
  it('reads a body with a Content-Length and registers (201)', async () => {
    const response = await fetch(`${base}/api/v1/registrations`, { method: 'POST', headers, body: registration() });
    expect(response.status).toBe(201);
  });

  it('refuses a body whose Content-Length is over the limit (413, problem JSON)', async () => {
    const response = await fetch(`${base}/api/v1/registrations`, { method: 'POST', headers, body: registration({ pad: 'x'.repeat(20_000) }) });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(((await response.json()) as { code: string }).code).toBe('payload_too_large');
  });

  it('counts a body sent in chunks: over the limit 413, within it read and registered', async () => {
    const big = await fetch(`${base}/api/v1/registrations`, { method: 'POST', headers, ...chunked(registration({ pad: 'x'.repeat(20_000) })) });
    expect(big.status).toBe(413);
    const small = await fetch(`${base}/api/v1/registrations`, { method: 'POST', headers, ...chunked(registration()) });
    expect(small.status).toBe(201);
  });
});

describe('the forms on Node', () => {
  it('refuses a form over the limit, with or without a Content-Length (413)', async () => {
    // The Origin a browser sends from the configured PUBLIC_URL, so the CSRF check passes.
    const form = { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(t.config.PUBLIC_URL).origin };
    const body = `email=a%40b.example&password=${'x'.repeat(20_000)}`;
    expect((await fetch(`${base}/login`, { method: 'POST', headers: form, body, redirect: 'manual' })).status).toBe(413);
    expect((await fetch(`${base}/login`, { method: 'POST', headers: form, ...chunked(body), redirect: 'manual' })).status).toBe(413);
  });
});
