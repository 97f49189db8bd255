/**
 * `/metrics` (issue 13, operators): Prometheus text format 0.0.4 behind METRICS_TOKEN, on
 * both runtimes. Without the token configured it does not exist; a wrong or missing token
 * gets 401; scrapes write no audit rows; the counters move with requests, job runs and
 * refused logins; the outbox gauges are the database's counts; and nothing in the answer
 * names a person, a BSN, a pseudonym, an address or an id.
 */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { checkPassword } from '../../src/auth/login.ts';
import { ConfigError, parseEnv } from '../../src/env.ts';
import { auditEvents, outbox, registrations } from '../../src/db/schema.ts';
import { runJobs } from '../../src/jobs/run-jobs.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, type TestContext, type TestOrganisation } from '../support/context.ts';

const TOKEN = 'metrics-token-'.padEnd(48, 'x');
let t: TestContext;
let orgA: TestOrganisation;
let orgB: TestOrganisation;
const bsns: string[] = [];
const emails: string[] = [];

beforeAll(async () => {
  t = await createTestContext({ env: { METRICS_TOKEN: TOKEN } });
  orgA = await t.organisation();
  orgB = await t.organisation();
  // A match: two organisations register the same child, so the outbox has mail waiting.
  const bsn = randomBsn();
  bsns.push(bsn);
  for (const org of [orgA, orgB]) {
    const professional = await org.professional();
    emails.push(professional.email);
    const { status } = await t.register(org, professional.email, { bsn });
    expect(status).toBe(201);
  }
}, 60_000);
afterAll(() => t.close());

const scrape = (authorization?: string, app = t.app) => app.request('/metrics', { headers: authorization ? { authorization } : {} });

async function metricsText(): Promise<string> {
  const response = await scrape(`Bearer ${TOKEN}`);
  expect(response.status).toBe(200);
  return response.text();
}

/** A sample's value: `name{labels}` exactly as printed (labels in their printed order), 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

async function auditCount(): Promise<number> {
  const [row] = await t.deps.db.select({ n: count() }).from(auditEvents);
  return row!.n;
}

describe('/metrics: the token', () => {
  it('does not exist without METRICS_TOKEN: 404 like any unknown path', async () => {
    const app = createApp({ ...t.deps, config: { ...t.deps.config, METRICS_TOKEN: undefined } });
    expect((await scrape(undefined, app)).status).toBe(404);
    expect((await scrape(`Bearer ${TOKEN}`, app)).status).toBe(404);
  });

  it('answers 401 without a token, with a wrong one, a prefix of the right one or another scheme', async () => {
    for (const authorization of [
      undefined,
      'Bearer ',
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Bearer ${TOKEN}y`,
      `Bearer ${'y'.repeat(48)}`,
      `Basic ${btoa(`x:${TOKEN}`)}`,
      TOKEN,
    ]) {
      const response = await scrape(authorization);
      expect(response.status, authorization).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(await response.text()).not.toContain('betrokken_');
    }
    expect(t.logs.some((l) => l.message === 'metrics scrape refused' && l.fields?.reason === 'wrong_token')).toBe(true);
    expect(JSON.stringify(t.logs)).not.toContain(TOKEN);
  });

  it('refuses a METRICS_TOKEN shorter than 32 characters or with spaces at start-up, naming it but not its value', () => {
    for (const bad of ['short-token', `${'x'.repeat(20)} ${'y'.repeat(20)}`]) {
      let error: unknown;
      try {
        parseEnv({ METRICS_TOKEN: bad });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.join()).toContain('METRICS_TOKEN');
      expect((error as ConfigError).message).not.toContain(bad);
    }
    expect(parseEnv({ METRICS_TOKEN: TOKEN }).METRICS_TOKEN).toBe(TOKEN);
  });

  it('answers the right token in the text format 0.0.4, not cached', async () => {
    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('writes no audit row for a scrape or a refused scrape (aggregates only; see src/routes/http/metrics.ts)', async () => {
    const before = await auditCount();
    await metricsText();
    await scrape('Bearer wrong');
    expect(await auditCount()).toBe(before);
  });
});

describe('/metrics: the exposition', () => {
  it('parses: every line a comment (HELP, TYPE) or `name{labels} value`, one TYPE per family', async () => {
    const text = await metricsText();
    expect(text.endsWith('\n')).toBe(true);
    const types = new Map<string, string>();
    const sampleLine =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\})? (-?\d+(\.\d+)?(e[+-]?\d+)?|\+Inf|-Inf|NaN)$/;
    for (const line of text.trimEnd().split('\n')) {
      if (line.startsWith('# HELP ')) {
        expect(line).toMatch(/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* \S/);
        continue;
      }
      if (line.startsWith('# TYPE ')) {
        const [, , name, type] = line.split(' ');
        expect(types.has(name!), `TYPE ${name} once`).toBe(false);
        expect(['counter', 'gauge', 'histogram']).toContain(type);
        types.set(name!, type!);
        continue;
      }
      const match = sampleLine.exec(line);
      expect(match, line).not.toBeNull();
      const name = match![1]!;
      const family = types.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
      expect(types.has(family), `${name} has a TYPE before it`).toBe(true);
    }
    for (const name of [
      'betrokken_http_requests_total',
      'betrokken_http_request_duration_seconds',
      'betrokken_outbox_depth',
      'betrokken_outbox_dead',
      'betrokken_job_runs_total',
      'betrokken_logins_refused_total',
    ])
      expect(types.has(name), name).toBe(true);
    expect(types.get('betrokken_http_request_duration_seconds')).toBe('histogram');
  });

  it('counts requests by method, route pattern and status: never the path with its id', async () => {
    const id = crypto.randomUUID();
    const series = 'betrokken_http_requests_total{method="GET",route="/api/v1/registrations/:id",status="404"}';
    const duration = 'betrokken_http_request_duration_seconds_count{route="/api/v1/registrations/:id"}';
    const unmatched = 'betrokken_http_requests_total{method="GET",route="unmatched",status="404"}';
    const before = await metricsText();
    expect((await t.app.request(`/api/v1/registrations/${id}`, { headers: orgA.authHeaders })).status).toBe(404);
    expect((await t.app.request(`/api/v1/registrations/${id}`, { headers: orgA.authHeaders })).status).toBe(404);
    expect((await t.app.request(`/geen-pagina/${id}`)).status).toBe(404);
    const after = await metricsText();
    expect(sample(after, series) - sample(before, series)).toBe(2);
    expect(sample(after, duration) - sample(before, duration)).toBe(2);
    expect(sample(after, unmatched) - sample(before, unmatched)).toBe(1);
    // The scrapes count too, under their own route.
    expect(sample(after, 'betrokken_http_requests_total{method="GET",route="/metrics",status="200"}')).toBeGreaterThanOrEqual(1);
    // Histogram buckets are cumulative: +Inf equals the count.
    expect(sample(after, 'betrokken_http_request_duration_seconds_bucket{route="/api/v1/registrations/:id",le="+Inf"}')).toBe(sample(after, duration));
    expect(after).not.toContain(id);
    expect(after).not.toContain('geen-pagina');
  });

  it('counts refused logins by reason and job runs by job and outcome', async () => {
    const unknown = 'betrokken_logins_refused_total{reason="unknown_account"}';
    const drain = 'betrokken_job_runs_total{job="drain-outbox",outcome="success"}';
    const before = await metricsText();
    const ctx = { ...t.operator, actor: { type: 'system' as const, id: 'web' } };
    await expect(checkPassword(ctx, { email: 'niemand@example.org', password: 'wrong wrong wrong' })).rejects.toMatchObject({ code: 'unauthorized' });
    await runJobs(t.deps);
    const after = await metricsText();
    expect(sample(after, unknown) - sample(before, unknown)).toBe(1);
    expect(sample(after, drain) - sample(before, drain)).toBe(1);
    expect(after).toContain('betrokken_logins_refused_total{reason="throttled"}');
  });

  it('gives the outbox depth and dead mails as the database counts them', async () => {
    // A new match (the job run above may have sent the first one's mail).
    const bsn = randomBsn();
    bsns.push(bsn);
    for (const org of [orgA, orgB]) {
      const professional = await org.professional();
      emails.push(professional.email);
      expect((await t.register(org, professional.email, { bsn })).status).toBe(201);
    }
    const pending = await t.deps.db.select({ id: outbox.id }).from(outbox).where(eq(outbox.status, 'pending'));
    expect(pending.length).toBeGreaterThan(0);
    const text = await metricsText();
    expect(sample(text, 'betrokken_outbox_depth')).toBe(pending.length);
    expect(sample(text, 'betrokken_outbox_dead')).toBe(0);

    await t.deps.db.update(outbox).set({ status: 'dead' }).where(eq(outbox.id, pending[0]!.id));
    const later = await metricsText();
    expect(sample(later, 'betrokken_outbox_depth')).toBe(pending.length - 1);
    expect(sample(later, 'betrokken_outbox_dead')).toBe(1);
  });

  it('holds no BSN, pseudonym, email address, organisation name or id', async () => {
    const text = await metricsText();
    const rows = await t.deps.db.select({ id: registrations.id, pseudonym: registrations.subjectPseudonym }).from(registrations);
    expect(rows.length).toBeGreaterThan(0);
    const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
    const pseudonyms = rows.flatMap((r) => [hex(r.pseudonym), base64(r.pseudonym)]);
    for (const secret of [...bsns, ...emails, ...rows.map((r) => r.id), ...pseudonyms, orgA.id, orgA.name, orgB.id]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
    expect(text).not.toContain('@');
  });
});
