/**
 * Test helper process: commits enough units to a file database for the checkpointer to
 * start its worker thread (ADR 0019), waits for the pass, prints the checkpointer's figures
 * as JSON and ends its script without closing the database. The process must then exit by
 * itself: the worker thread may not keep it alive.
 */
import { UNITS_PER_CHECKPOINT } from '../../src/db/node-checkpointer.ts';
import { openNodeDatabase } from '../../src/db/node.ts';
import { statisticsCounters } from '../../src/db/schema.ts';

const database = openNodeDatabase(process.env.DATABASE_PATH!);
const units = Array.from({ length: UNITS_PER_CHECKPOINT + 10 }, (_, n) =>
  database.atomic([database.db.insert(statisticsCounters).values({ month: '2026-11', sector: 'onderwijs', metric: `leave-${n}`, bucket: 0, count: 1 })]),
);
await Promise.all(units);
await database.checkpointer!.idle();
process.stdout.write(JSON.stringify(database.checkpointer!.stats));
