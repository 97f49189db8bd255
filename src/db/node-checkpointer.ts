/**
 * Checkpoints off the event loop (ADR 0019). Imported only from Node-side code.
 *
 * A checkpoint copies the WAL's pages into the database file and fsyncs both. SQLite's
 * auto-checkpoint does that inside the COMMIT that crossed 1,000 WAL pages, on the thread
 * that committed: in the server, the event loop. At 1,000,000 registrations the pages are
 * spread over a 500 MB file and the fsync stood the server still for milliseconds each time
 * (a commit of 14 units: 0.6 ms without, 2.1 ms on average with; docs/benchmarks.md).
 *
 * So a worker thread with a connection of its own runs the checkpoints: PASSIVE ones, which
 * never wait for or block the writer. The server's connection keeps an auto-checkpoint with a
 * ten times larger threshold as the backstop: SQLite only starts writing the WAL from the
 * beginning again after a checkpoint that caught up with the last commit, which a checkpoint
 * on another thread, while commits go on, rarely does. That one then copies only the pages of
 * the last pass or two.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Units committed between two checkpoint passes: at 1,000,000 rows ≈ 1,000–2,000 WAL pages. */
export const UNITS_PER_CHECKPOINT = 100;
/** The server connection's own auto-checkpoint (pages), the backstop described above. */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 10_000;

export interface Checkpointer {
  /** Called after each COMMIT with its number of units; starts a pass when enough have piled up. */
  committed(units: number): void;
  /**
   * Passes completed and failed, and the WAL pages in the database file after the last pass
   * (counted since the WAL last restarted), for tests and the benchmark.
   */
  readonly stats: { passes: number; failures: number; pages: number };
  /** Resolves when no pass is running (tests, the benchmark). */
  idle(): Promise<void>;
  close(): void;
}

interface PassResult {
  ok: boolean;
  /** Pages copied into the database file by this pass (or earlier ones since the last restart). */
  checkpointed?: number;
  message?: string;
}

/**
 * The worker's code, as a script: it needs nothing but the driver, whose resolved path it is
 * given, so the same code runs from the sources (tests) and from the bundle (`dist/`).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
parentPort.on('message', (message) => {
  if (message === 'close') {
    try { db.close(); } catch {}
    parentPort.close();
    return;
  }
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, checkpointed: result.checkpointed });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String(error && error.message ? error.message : error) });
  }
});
`;

/**
 * The worker starts with the first pass, so a process that commits little (a CLI command,
 * most tests) never starts it.
 */
export function createCheckpointer(databasePath: string, warn: (message: string) => void = () => {}): Checkpointer {
  const stats = { passes: 0, failures: 0, pages: 0 };
  let worker: Worker | null = null;
  let pendingUnits = 0;
  let running = false;
  let closed = false;
  let waiting: Array<() => void> = [];

  const settle = () => {
    running = false;
    worker?.unref();
    const waiters = waiting;
    waiting = [];
    for (const resolve of waiters) resolve();
  };

  const start = () => {
    if (!worker) {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), path: databasePath },
      });
      worker.on('message', (result: PassResult) => {
        if (result.ok) {
          stats.passes++;
          stats.pages = result.checkpointed ?? 0;
        } else {
          stats.failures++;
          warn(`checkpoint failed: ${result.message}`);
        }
        settle();
      });
      // A worker that cannot run (its connection failed to open, say) leaves the checkpoints
      // to the server connection's backstop; it is not started again.
      worker.on('error', (error) => {
        stats.failures++;
        warn(`checkpoint thread stopped: ${error.message}`);
        closed = true;
        settle();
      });
      // Never keeps the process alive. After the listeners: adding a 'message' listener
      // refs the worker's port again.
      worker.unref();
    }
    running = true;
    pendingUnits = 0;
    worker.postMessage('run');
  };

  return {
    stats,
    committed(units) {
      if (closed) return;
      pendingUnits += units;
      if (!running && pendingUnits >= UNITS_PER_CHECKPOINT) start();
    },
    idle() {
      if (!running) return Promise.resolve();
      worker?.ref(); // somebody waits for the pass: it keeps the process alive until then
      return new Promise((resolve) => waiting.push(resolve));
    },
    close() {
      closed = true;
      // The worker finishes a pass it is in (a checkpoint is safe to interrupt, but there is
      // no need), closes its connection and ends.
      worker?.postMessage('close');
    },
  };
}
