/** The outbox and the jobs. */
import { outboxStatus } from '../../jobs/drain-outbox.ts';
import { runJobs } from '../../jobs/run-jobs.ts';
import { ListOutboxInput, listOutbox, OUTBOX_STATUSES, RetryOutboxInput, retryOutbox } from '../../notify/outbox-admin.ts';
import { type CommandSet, verb } from '../command.ts';
import { optionNames } from './directory.ts';

const date = (value: Date | null) => (value ? value.toISOString() : null);

export const outboxCommands: CommandSet = {
  usage: `  outbox status                                                  pending / sent / dead counts
  outbox list [--status ${OUTBOX_STATUSES.join('|')}] [--limit <n>] [--cursor <next cursor>]
                                                                 newest first; never a mail's content
  outbox retry --id <outbox id>                                  a dead mail back in the queue; a dead invitation or
                                                                 password reset gets a new link instead
  jobs run                                                       runs every job once (drain, expiry, retention)`,
  readOnly: ['outbox status'],
  commands: {
    'outbox status': () => async (ctx) => {
      const counts = await outboxStatus(ctx.deps);
      return { json: counts, text: `pending ${counts.pending}, sent ${counts.sent}, dead ${counts.dead}` };
    },
    'outbox list': verb(
      ListOutboxInput,
      (o) => ({ status: o.status, cursor: o.cursor, limit: o.limit !== undefined && /^\d{1,9}$/.test(o.limit) ? Number(o.limit) : o.limit }),
      async (ctx, input) => {
        const { items, nextCursor, counts } = await listOutbox(ctx, {
          status: input.status,
          limit: input.limit,
          cursor: input.cursor ? `${input.cursor.at.getTime()}.${input.cursor.id}` : undefined,
        });
        const json = items.map((m) => ({ ...m, createdAt: date(m.createdAt), nextAttemptAt: date(m.nextAttemptAt), sentAt: date(m.sentAt) }));
        const lines = items.map(
          (m) =>
            `${m.id}  ${date(m.createdAt)}  ${m.template.padEnd(18)}  ${m.recipientEmail}  attempts ${m.attempts}${m.replaced ? '  (replaced by a new link)' : m.lastError ? `  ${m.lastError}` : ''}`,
        );
        return {
          json: { status: input.status, items: json, nextCursor, counts },
          text: [
            ...lines,
            `${items.length} ${input.status} mail(s) shown of ${counts[input.status]}${nextCursor ? `; next page: --cursor ${nextCursor}` : ''}`,
          ].join('\n'),
        };
      },
    ),
    'outbox retry': optionNames(
      verb(
        RetryOutboxInput,
        (o) => ({ outboxId: o.id }),
        async (ctx, input) => {
          const { id, outcome } = await retryOutbox(ctx, input);
          return {
            json: { id, outcome },
            text: outcome === 'reissued' ? `Mail ${id}: a new link was issued (the old mail is marked as replaced).` : `Mail ${id} is queued again.`,
          };
        },
      ),
      { outboxId: 'id' },
    ),
    'jobs run': () => async (ctx) => {
      await runJobs(ctx.deps);
      const counts = await outboxStatus(ctx.deps);
      return { json: { outbox: counts }, text: `Jobs ran. Outbox: pending ${counts.pending}, sent ${counts.sent}, dead ${counts.dead}` };
    },
  },
};
