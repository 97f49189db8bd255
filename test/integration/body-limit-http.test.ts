/**
 * The body limit on Node's HTTP server (src/routes/http/body-limit.ts): a request with a
 * Content-Length is judged by it without touching the body (which @hono/node-server then
 * reads straight from Node's request); one sent in chunks, without a length, is counted as
 * it arrives. Both the API and the forms refuse a body over 16 KiB with 413.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/context.ts';
import { createApiClient, createOrganisation, createPerson } from '../../src/directory/directory.ts';
import { createNodeDeps } from '../../src/entry/node-deps.ts';
import { parseEnv } from '../../src/env.ts';
import { randomBsn } from '../support/bsn.ts';
import { TEST_KEY_HEX } from '../support/context.ts';
import { TEST_AUDIT_KEY_HEX } from '../support/driver-node.ts';
import { startServerEntry } from '../support/process.ts';

const dir = mkdtempSync(join(tmpdir(), 'betrokken-body-limit-'));
const port = String(20000 + Math.floor(Math.random() * 20000));
const base = `http://127.0.0.1:${port}`;
const env = {
  PORT: port,
  PUBLIC_URL: base,
  DATABASE_PATH: join(dir, 'betrokken.db'),
  AUDIT_ANCHOR_DIR: join(dir, 'anchors'),
  MAIL_DIR: join(dir, 'mail'),
  PSEUDONYM_KEY: TEST_KEY_HEX,
  AUDIT_KEY: TEST_AUDIT_KEY_HEX,
  LOG_LEVEL: 'warn',
};
let server: Awaited<ReturnType<typeof startServerEntry>>;
let headers: Record<string, string>;
let email: string;

beforeAll(async () => {
  const deps = createNodeDeps(parseEnv(env), { log: () => {} });
  try {
    const operator: Ctx = { deps, actor: { type: 'operator', id: 'test' }, requestId: null, origin: 'test' };
    const { id: organisationId } = await createOrganisation(operator, { name: 'Basisschool De Linde', sector: 'education' });
    email = 'juf@linde.example';
    await createPerson(operator, { organisationId, name: 'Juf Jansen', email, invite: false });
    const { token } = await createApiClient(operator, { organisationId, name: 'Test CMS' });
    headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  } finally {
    deps.close();
  }
  server = await startServerEntry(env);
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
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
    const form = { 'content-type': 'application/x-www-form-urlencoded', origin: base };
    const body = `email=a%40b.example&password=${'x'.repeat(20_000)}`;
    expect((await fetch(`${base}/login`, { method: 'POST', headers: form, body, redirect: 'manual' })).status).toBe(413);
    expect((await fetch(`${base}/login`, { method: 'POST', headers: form, ...chunked(body), redirect: 'manual' })).status).toBe(413);
  });
});
