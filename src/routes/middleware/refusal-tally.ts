/**
 * Refused API requests (bad tokens, 429s) are audited per window, not per request (ADR 0010):
 * per kind of refusal and client address, the first refusal in a one-minute window writes a
 * row (count 1); the rest only count, with a summary row when the count reaches 10, 100,
 * 1000, … and a final one with the window's total after the window ends (written by the
 * first API request after that). A flood of N refusals from one address in one window writes
 * at most 2 + log10(N) rows. Counted in this process's (or isolate's) memory.
 */
import { RATE_WINDOW_MS, windowStartOf } from '../../auth/rate-limit.ts';

export interface TallyEntry {
  /** What the audit row says: action, the actor's type and id, the client address. */
  action: string;
  actor: { type: 'system'; id: string } | { type: 'api_client'; id: string; organisationId: string };
  origin: string | null;
  detail: Record<string, string | number | boolean | null>;
}

export interface TallyRow {
  entry: TallyEntry;
  count: number;
  windowStart: number;
  /** first: the window's first refusal; milestone: count reached a power of ten; final: the window's total. */
  summary: 'first' | 'milestone' | 'final';
}

interface Open {
  entry: TallyEntry;
  count: number;
  written: number;
}

/**
 * Distinct keys past this in one window share one entry (origin null): memory stays bounded,
 * and so do the rows a flood from many addresses writes (at most this many first rows a minute).
 */
export const MAX_TALLY_KEYS = 1000;
const OVERFLOW = '*overflow*';

const isMilestone = (n: number) => n >= 10 && 10 ** Math.round(Math.log10(n)) === n;

export function createRefusalTally(maxKeys = MAX_TALLY_KEYS) {
  let window = Number.NEGATIVE_INFINITY;
  let open = new Map<string, Open>();

  /** Final rows for the windows that have ended by `now` (call on every request; cheap when none). */
  function close(now: Date): TallyRow[] {
    const start = windowStartOf(now);
    if (start <= window) return [];
    const ended = window;
    const rows: TallyRow[] = [];
    for (const o of open.values()) if (o.count > o.written) rows.push({ entry: o.entry, count: o.count, windowStart: ended, summary: 'final' });
    window = start;
    open = new Map();
    return rows;
  }

  /** Counts one refusal; the rows to write for it now (none, most of the time). */
  function note(key: string, entry: TallyEntry, now: Date): TallyRow[] {
    const rows = close(now);
    let o = open.get(key);
    if (!o) {
      if (open.size >= maxKeys) {
        o = open.get(OVERFLOW);
        if (!o) {
          o = { entry: { ...entry, origin: null, detail: { ...entry.detail, overflow: true } }, count: 0, written: 0 };
          open.set(OVERFLOW, o);
        }
      } else {
        o = { entry, count: 0, written: 0 };
        open.set(key, o);
      }
    }
    o.count += 1;
    if (o.count === 1 || isMilestone(o.count)) {
      o.written = o.count;
      rows.push({ entry: o.entry, count: o.count, windowStart: window, summary: o.count === 1 ? 'first' : 'milestone' });
    }
    return rows;
  }

  return { close, note };
}

export type RefusalTally = ReturnType<typeof createRefusalTally>;

export const TALLY_WINDOW_SECONDS = RATE_WINDOW_MS / 1000;
