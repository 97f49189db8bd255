/**
 * The Rate Limiting binding from wrangler.toml, as miniflare runs it locally: the Workers
 * limiter refuses an address once the binding does, even when the isolate's own per-address
 * limit is higher (ADR 0010).
 */
import { env } from 'cloudflare:test';
import { expect, it } from 'vitest';
import { createEdgeRateLimiter, createMemoryRateLimiter } from '../../src/auth/rate-limit.ts';
import type { WorkerEnv } from '../../src/entry/worker.ts';

it('miniflare enforces the API_RATE_LIMITER binding (limit 1200 per 60 s per key)', { timeout: 30_000 }, async () => {
  const binding = (env as unknown as WorkerEnv).API_RATE_LIMITER;
  expect(binding).toBeDefined();
  const limiter = createEdgeRateLimiter(createMemoryRateLimiter(), binding);
  const key = `ip:198.51.100.${Math.floor(Math.random() * 250)}`;
  // Miniflare counts in fixed 60 s epochs: start early in one so the loop stays inside it.
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 50_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 100));
  let allowed = 0;
  for (let i = 0; i < 1250; i++) if ((await limiter.hit({ key, limit: 1_000_000, now: new Date() })).allowed) allowed++;
  expect(allowed).toBe(1200);
});
