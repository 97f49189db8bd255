/**
 * The rate limiter's pieces, without a runtime (ADR 0010): the in-memory fixed window, the
 * Workers limiter over a faithful fake of the Rate Limiting binding's `limit({ key })`, and
 * the refusal tally that keeps a flood's audit rows bounded.
 */
import { describe, expect, it } from 'vitest';
import { addressKey, createEdgeRateLimiter, createMemoryRateLimiter, type RateLimitBinding } from '../../src/auth/rate-limit.ts';
import { createRefusalTally, type TallyEntry } from '../../src/routes/middleware/refusal-tally.ts';

const at = (ms: number) => new Date(Date.UTC(2026, 10, 23, 9, 0, 0) + ms);

/** Like Cloudflare's binding: a fixed limit per key per period, counted only while allowed keys are below it. */
function fakeBinding(limit: number): RateLimitBinding & { calls: string[] } {
  const counts = new Map<string, number>();
  const calls: string[] = [];
  return {
    calls,
    async limit({ key }) {
      calls.push(key);
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      return { success: count <= limit };
    },
  };
}

describe('memory rate limiter', () => {
  it('allows `limit` hits per key per minute, then refuses with the seconds left in the window', async () => {
    const limiter = createMemoryRateLimiter();
    for (let i = 0; i < 3; i++) expect((await limiter.hit({ key: 'a', limit: 3, now: at(15_000) })).allowed).toBe(true);
    expect(await limiter.hit({ key: 'a', limit: 3, now: at(15_000) })).toEqual({ allowed: false, count: 4, retryAfterSeconds: 45 });
    expect((await limiter.hit({ key: 'b', limit: 3, now: at(15_000) })).allowed).toBe(true);
    expect(await limiter.hit({ key: 'a', limit: 3, now: at(60_000) })).toMatchObject({ allowed: true, count: 1, retryAfterSeconds: 60 });
  });

  it('keys past its bound share one bucket, so memory stays bounded', async () => {
    const limiter = createMemoryRateLimiter(2);
    await limiter.hit({ key: 'a', limit: 2, now: at(0) });
    await limiter.hit({ key: 'b', limit: 2, now: at(0) });
    expect((await limiter.hit({ key: 'c', limit: 2, now: at(0) })).count).toBe(1);
    expect((await limiter.hit({ key: 'd', limit: 2, now: at(0) })).count).toBe(2);
    expect((await limiter.hit({ key: 'e', limit: 2, now: at(0) })).allowed).toBe(false);
  });

  it("a flood of addresses never pushes an API client's key into the shared bucket", async () => {
    const limiter = createMemoryRateLimiter(2);
    for (const ip of ['ip:a', 'ip:b', 'ip:c', 'ip:d', 'ip:e']) await limiter.hit({ key: ip, limit: 2, now: at(0) });
    expect(await limiter.hit({ key: 'client:1', limit: 2, now: at(0) })).toMatchObject({ allowed: true, count: 1 });
    expect(await limiter.hit({ key: 'client:2', limit: 2, now: at(0) })).toMatchObject({ allowed: true, count: 1 });
  });
});

describe('addressKey', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2::99', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:0db8:0000:0002:ffff::1', '2001:db8:0:2::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('counts %s as %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });

  it('counts an unknown address as one', () => {
    expect(addressKey(null)).toBe('unknown');
  });
});

describe('Workers limiter over the Rate Limiting binding', () => {
  it('refuses an address the binding refuses, though the isolate allowed it', async () => {
    const binding = fakeBinding(2);
    const limiter = createEdgeRateLimiter(createMemoryRateLimiter(), binding);
    const hit = () => limiter.hit({ key: 'ip:192.0.2.1', limit: 100, now: at(0) });
    expect((await hit()).allowed).toBe(true);
    expect((await hit()).allowed).toBe(true);
    expect(await hit()).toMatchObject({ allowed: false, retryAfterSeconds: 60 });
    expect(binding.calls).toEqual(['ip:192.0.2.1', 'ip:192.0.2.1', 'ip:192.0.2.1']);
  });

  it('asks the binding about addresses only, and not once the isolate has refused', async () => {
    const binding = fakeBinding(1);
    const limiter = createEdgeRateLimiter(createMemoryRateLimiter(), binding);
    for (let i = 0; i < 3; i++) expect((await limiter.hit({ key: 'client:x', limit: 5, now: at(0) })).allowed).toBe(true);
    expect((await limiter.hit({ key: 'ip:unknown', limit: 5, now: at(0) })).allowed).toBe(true);
    expect((await limiter.hit({ key: 'ip:unknown', limit: 5, now: at(0) })).allowed).toBe(true);
    expect(binding.calls).toEqual([]);
    await limiter.hit({ key: 'ip:192.0.2.2', limit: 1, now: at(0) });
    await limiter.hit({ key: 'ip:192.0.2.2', limit: 1, now: at(0) });
    expect(binding.calls).toEqual(['ip:192.0.2.2']);
  });

  it('without a binding, the isolate decides alone', async () => {
    const limiter = createEdgeRateLimiter(createMemoryRateLimiter(), undefined);
    expect((await limiter.hit({ key: 'ip:192.0.2.3', limit: 1, now: at(0) })).allowed).toBe(true);
    expect((await limiter.hit({ key: 'ip:192.0.2.3', limit: 1, now: at(0) })).allowed).toBe(false);
  });
});

describe('refusal tally', () => {
  const entry = (origin: string): TallyEntry => ({ action: 'api.authenticate', actor: { type: 'system', id: 'api-auth' }, origin, detail: {} });

  it('writes the first refusal, powers of ten, and the final count: 2 + log10(N) rows for a flood of N', () => {
    const tally = createRefusalTally();
    const written: [string, number][] = [];
    for (let i = 0; i < 51_248; i++) for (const row of tally.note('k', entry('192.0.2.1'), at(i))) written.push([row.summary, row.count]);
    for (const row of tally.close(at(60_000))) written.push([row.summary, row.count]);
    expect(written).toEqual([
      ['first', 1],
      ['milestone', 10],
      ['milestone', 100],
      ['milestone', 1000],
      ['milestone', 10_000],
      ['final', 51_248],
    ]);
  });

  it('writes no final row when the last row already has the count, and counts each address apart', () => {
    const tally = createRefusalTally();
    expect(tally.note('a', entry('192.0.2.1'), at(0))).toHaveLength(1);
    expect(tally.note('b', entry('192.0.2.2'), at(1))).toHaveLength(1);
    expect(tally.note('b', entry('192.0.2.2'), at(2))).toHaveLength(0);
    const final = tally.close(at(60_000));
    expect(final.map((r) => [r.entry.origin, r.count, r.windowStart])).toEqual([['192.0.2.2', 2, at(0).getTime()]]);
    expect(tally.close(at(61_000))).toEqual([]);
  });

  it('addresses past its bound share one entry without an address', () => {
    const tally = createRefusalTally(1);
    tally.note('a', entry('192.0.2.1'), at(0));
    const [row] = tally.note('b', entry('192.0.2.2'), at(0));
    expect(row).toMatchObject({ summary: 'first', entry: { origin: null, detail: { overflow: true } } });
    expect(tally.note('c', entry('192.0.2.3'), at(0))).toEqual([]);
  });
});
