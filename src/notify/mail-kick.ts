/**
 * Mail leaves at once (ADR 0013): a unit that queued mail in the outbox kicks the drainer as
 * soon as it has committed, instead of waiting for the next job tick (JOB_INTERVAL_SECONDS).
 * The outbox stays the only way out (ADR 0001): the kick only drains sooner, and the
 * periodic job remains the safety net for anything a kick missed (a crash, a failed send).
 * Runtime-neutral: the Node entry drains in process, the Workers entry with waitUntil after
 * the response (src/entry/*).
 */
import type { Atomic, Statement } from '../db/types.ts';

const QUEUES_MAIL = Symbol('queues mail');

/** Marks an outbox insert (src/notify/outbox.ts), so the unit that carries it kicks the drainer. */
export function markQueuesMail<T extends object>(statement: T): T {
  (statement as Record<symbol, unknown>)[QUEUES_MAIL] = true;
  return statement;
}

export function queuesMail(statements: readonly Statement[]): boolean {
  return statements.some((s) => (s as unknown as Record<symbol, unknown>)[QUEUES_MAIL] === true);
}

/** An atomic that calls `onMail` after a unit that queued mail has committed (never after a failed one). */
export function withMailKick(atomic: Atomic, onMail: () => void): Atomic {
  return async (statements) => {
    await atomic(statements);
    if (queuesMail(statements)) onMail();
  };
}

export interface MailKicker {
  kick(): void;
  /** Resolves once no drain is running or due (tests, shutdown). */
  idle(): Promise<void>;
}

/**
 * In-process kicks, coalesced: one drain at a time, and one more after it when kicked while
 * it ran (its rows may have been queued after that drain read the due ones). Drains never
 * send a row twice anyway: the drainer leases rows (src/jobs/drain-outbox.ts).
 */
export function createMailKicker(drain: () => Promise<unknown>, onError: (error: unknown) => void): MailKicker {
  let running: Promise<void> | null = null;
  let again = false;
  const run = (): Promise<void> =>
    drain()
      .then(
        () => undefined,
        (error: unknown) => onError(error),
      )
      .then(() => {
        if (!again) {
          running = null;
          return;
        }
        again = false;
        return run();
      });
  return {
    kick() {
      if (running) {
        again = true;
        return;
      }
      running = run();
    },
    idle: async () => {
      while (running) await running;
    },
  };
}
