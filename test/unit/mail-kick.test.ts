import { expect, it } from 'vitest';
import type { Statement } from '../../src/db/types.ts';
import { createMailKicker, markQueuesMail, withMailKick } from '../../src/notify/mail-kick.ts';

/** A drain the test finishes by hand: events, not sleeps. */
function controllableDrain() {
  const pending: (() => void)[] = [];
  let calls = 0;
  return {
    drain: () => {
      calls++;
      return new Promise<void>((resolve) => pending.push(resolve));
    },
    finishOne: async () => {
      while (pending.length === 0) await Promise.resolve();
      pending.shift()!();
    },
    get calls() {
      return calls;
    },
  };
}

it('coalesces kicks: one drain at a time, and exactly one more when kicked while it ran', async () => {
  const d = controllableDrain();
  const kicker = createMailKicker(d.drain, () => {});
  kicker.kick();
  kicker.kick();
  kicker.kick();
  expect(d.calls).toBe(1);
  await d.finishOne();
  await d.finishOne();
  await kicker.idle();
  expect(d.calls).toBe(2);
  kicker.kick();
  await d.finishOne();
  await kicker.idle();
  expect(d.calls).toBe(3);
});

it('reports a failed drain and keeps working', async () => {
  const errors: unknown[] = [];
  let calls = 0;
  const kicker = createMailKicker(
    async () => {
      calls++;
      if (calls === 1) throw new Error('smtp down');
    },
    (e) => errors.push(e),
  );
  kicker.kick();
  await kicker.idle();
  kicker.kick();
  await kicker.idle();
  expect(calls).toBe(2);
  expect(errors).toHaveLength(1);
});

it('kicks only after a committed unit that queued mail', async () => {
  let kicks = 0;
  const plain = {} as Statement;
  const mail = markQueuesMail({}) as Statement;
  const ok = withMailKick(
    async () => {},
    () => kicks++,
  );
  await ok([plain]);
  expect(kicks).toBe(0);
  await ok([plain, mail]);
  expect(kicks).toBe(1);
  const failing = withMailKick(
    async () => {
      throw new Error('guard');
    },
    () => kicks++,
  );
  await expect(failing([mail])).rejects.toThrow('guard');
  expect(kicks).toBe(1);
});
