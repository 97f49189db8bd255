/**
 * How a verb's input names records and people: by an id Betrokken handed out (a random
 * UUID; the bound is the API's), or, for the acting professional of an API client, by
 * e-mail address. Verbs parse these themselves, so nothing else reaches a query.
 */
import { z } from 'zod';

export const Id = z.string({ error: 'required' }).min(1, 'required').max(64);

export const ProfessionalEmail = z.email({ error: 'Een geldig e-mailadres van de professional.' }).max(254);

// Random bytes drawn from the runtime's CSPRNG 4 KiB at a time (as Node's own randomUUID
// does): one call per id was 2 % of a registration's CPU. Each id still gets fresh bytes.
const pool = new Uint8Array(4096);
let used = pool.length;
function randomBytes16(): Uint8Array {
  if (used + 16 > pool.length) {
    crypto.getRandomValues(pool);
    used = 0;
  }
  const bytes = pool.slice(used, used + 16);
  used += 16;
  return bytes;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A time-ordered UUID (version 7, RFC 9562): 48 bits of Unix milliseconds, then 74 random
 * bits. For rows written on every registration (the registration, its audit events): new
 * keys land at the end of their indexes instead of on a random page each, so a group
 * commit writes a few pages instead of one per row and index (issue 12, docs/benchmarks.md).
 * It shows when the row was made, which its own columns show anyway; match ids, which go
 * out in mail links, stay fully random.
 */
export function timeOrderedId(now: number = Date.now()): string {
  const b = randomBytes16();
  let ms = now;
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  // One string from table lookups: building it through arrays was ≈ 2 % of a registration's
  // CPU (five ids a request; docs/benchmarks.md).
  const h = (i: number) => HEX[b[i]!]!;
  return `${h(0)}${h(1)}${h(2)}${h(3)}-${h(4)}${h(5)}-${h(6)}${h(7)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
}
