/** The outbox and the jobs. */
import { outboxStatus } from '../../jobs/drain-outbox.ts';
import { runJobs } from '../../jobs/run-jobs.ts';
import type { CommandSet } from '../command.ts';

export const outboxCommands: CommandSet = {
  usage: `  outbox status                                                  pending / sent / dead counts
  jobs run                                                       runs every job once (drain, expiry, retention)`,
  readOnly: ['outbox status'],
  commands: {
    'outbox status': () => async (ctx) => {
      const counts = await outboxStatus(ctx.deps);
      return { json: counts, text: `pending ${counts.pending}, sent ${counts.sent}, dead ${counts.dead}` };
    },
    'jobs run': () => async (ctx) => {
      await runJobs(ctx.deps);
      const counts = await outboxStatus(ctx.deps);
      return { json: { outbox: counts }, text: `Jobs ran. Outbox: pending ${counts.pending}, sent ${counts.sent}, dead ${counts.dead}` };
    },
  },
};
