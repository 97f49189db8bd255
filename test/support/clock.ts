import type { Clock } from '../../src/deps.ts';

/** A clock the test moves by hand. */
export function createTestClock(start = new Date('2026-11-23T09:00:00Z')): Clock & { advance(ms: number): void; set(d: Date): void } {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
    set: (d) => {
      now = d.getTime();
    },
  };
}
