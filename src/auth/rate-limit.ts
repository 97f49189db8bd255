/**
 * The API's request limits (ADR 0010): fixed one-minute windows, counted in memory, per key
 * (`ip:<address>` before authentication, `client:<api client id>` after it). No database
 * write per request: on Node one process serves the API, so its memory is exact; on Workers
 * each isolate counts for itself and the Rate Limiting binding adds an edge-wide ceiling per
 * address (createEdgeRateLimiter). The limiter is a port in Deps, built by each entry.
 */

export const RATE_WINDOW_MS = 60_000;

export interface RateDecision {
  allowed: boolean;
  /** Requests counted for this key in the current window, this one included. */
  count: number;
  /** Whole seconds until the window ends (at least 1): the Retry-After of a 429. */
  retryAfterSeconds: number;
}

/** Counts one request against `key`; allowed while the window's count is at most `limit`. */
export interface RateLimiter {
  hit(input: { key: string; limit: number; now: Date }): Promise<RateDecision>;
}

/** Cloudflare's Rate Limiting binding (`[[ratelimits]]` in wrangler.toml), as far as we use it. */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/**
 * The key an address is counted under: an IPv4 address as it is, an IPv6 address by its /64
 * (one subscriber's network gets a whole /64, so counting single IPv6 addresses would let
 * one client rotate through 2^64 of them). IPv4-mapped IPv6 counts as the IPv4 address.
 */
export function addressKey(address: string | null): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const bare = address.replace(/%.*$/, '').toLowerCase();
  const [head = '', tail] = bare.split('::', 2) as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** The window a moment falls in, as the epoch millisecond it starts at. */
export function windowStartOf(now: Date): number {
  return Math.floor(now.getTime() / RATE_WINDOW_MS) * RATE_WINDOW_MS;
}

export function retryAfterSeconds(now: Date): number {
  return Math.max(1, Math.ceil((windowStartOf(now) + RATE_WINDOW_MS - now.getTime()) / 1000));
}

/** Keys past this many in one window share one bucket, so memory stays bounded under a flood of addresses. */
export const MAX_KEYS_PER_WINDOW = 100_000;
const OVERFLOW_KEY = '*overflow*';
/** Keys of authenticated API clients (their count is bounded by the clients that exist). */
export const CLIENT_KEY_PREFIX = 'client:';

/**
 * A fixed-window counter in this process's memory. The map holds the current window only:
 * it is dropped whole when the window turns, so it never holds more than
 * MAX_KEYS_PER_WINDOW keys, and nothing needs purging.
 */
export function createMemoryRateLimiter(maxKeys = MAX_KEYS_PER_WINDOW): RateLimiter {
  let window = Number.NEGATIVE_INFINITY;
  let counts = new Map<string, number>();
  return {
    async hit({ key, limit, now }) {
      const start = windowStartOf(now);
      if (start > window) {
        window = start;
        counts = new Map();
      }
      // A client's key never overflows: there are only as many as authenticated API clients,
      // and a flood of addresses must not push real clients into the shared bucket.
      const bucket = counts.has(key) || counts.size < maxKeys || key.startsWith(CLIENT_KEY_PREFIX) ? key : OVERFLOW_KEY;
      const count = (counts.get(bucket) ?? 0) + 1;
      counts.set(bucket, count);
      return { allowed: count <= limit, count, retryAfterSeconds: retryAfterSeconds(now) };
    },
  };
}

/**
 * Workers: the isolate's own counter (exact within the isolate, any limit, per-client limits
 * included), then, for a client address the isolate allowed, Cloudflare's Rate Limiting
 * binding, which counts that address across the isolates of a Cloudflare location with the
 * fixed limit in wrangler.toml. Without a binding (or without a known address) the isolate's
 * count alone decides.
 */
export function createEdgeRateLimiter(local: RateLimiter, binding: RateLimitBinding | undefined): RateLimiter {
  return {
    async hit(input) {
      const decision = await local.hit(input);
      if (!decision.allowed || !binding || !input.key.startsWith('ip:') || input.key === 'ip:unknown') return decision;
      const { success } = await binding.limit({ key: input.key });
      return success ? decision : { ...decision, allowed: false };
    },
  };
}
