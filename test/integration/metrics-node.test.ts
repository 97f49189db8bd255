/**
 * `/metrics` from the server `npm start` runs (dist/entry/node.mjs): on Node the answer also
 * has the process metrics (memory, CPU, start time), and the scheduler's first job run is
 * counted. The shared suite (test/shared/metrics.test.ts) covers the rest on both drivers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { TEST_KEY_HEX } from '../support/context.ts';
import { TEST_AUDIT_KEY_HEX } from '../support/driver-node.ts';
import { startServerEntry } from '../support/process.ts';

const dir = mkdtempSync(join(tmpdir(), 'betrokken-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TOKEN = 'n'.repeat(40);

function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

it('adds the Node process metrics and counts the scheduler’s job runs', { timeout: 60_000 }, async () => {
  const port = String(20000 + Math.floor(Math.random() * 20000));
  const server = await startServerEntry({
    PORT: port,
    NODE_ENV: 'production',
    PUBLIC_URL: 'https://betrokken.example',
    DATABASE_PATH: join(dir, 'betrokken.db'),
    AUDIT_ANCHOR_DIR: join(dir, 'anchors'),
    MAIL_DIR: join(dir, 'mail'),
    PSEUDONYM_KEY: TEST_KEY_HEX,
    AUDIT_KEY: TEST_AUDIT_KEY_HEX,
    METRICS_TOKEN: TOKEN,
  });
  try {
    const started = Date.now() / 1000;
    const scrape = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(response.status).toBe(200);
      return response.text();
    };
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
    // The first job run starts with the server; wait for it to be counted.
    let text = await scrape();
    for (let i = 0; i < 50 && !value(text, 'betrokken_job_runs_total{job="seal-audit",outcome="success"}'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      text = await scrape();
    }
    expect(value(text, 'betrokken_job_runs_total{job="drain-outbox",outcome="success"}')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'betrokken_job_runs_total{job="seal-audit",outcome="success"}')).toBeGreaterThanOrEqual(1);
    const rss = value(text, 'process_resident_memory_bytes')!;
    expect(rss).toBeGreaterThan(10 * 1024 * 1024);
    expect(rss).toBeLessThan(2 * 1024 * 1024 * 1024);
    const start = value(text, 'process_start_time_seconds')!;
    expect(Math.abs(start - started)).toBeLessThan(30);
    expect(value(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(value(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE process_resident_memory_bytes gauge');
  } finally {
    await server.stop();
  }
});
