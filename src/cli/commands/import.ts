/** Migrating an existing index: `import registrations FILE.csv` (ADR 0016; src/cli/import-registrations.ts). */
import { type CommandSet, UsageError } from '../command.ts';
import { importRegistrations } from '../import-registrations.ts';

const DEFAULT_BATCH = 100_000;

export const importCommands: CommandSet = {
  usage: `  import registrations <file.csv> [--notify] [--errors <file.csv>] [--batch-size <n>]
                                                                 imports an existing index (SQLite only): columns bsn,
                                                                 birth_date, professional_email, case_number (optional),
                                                                 registered_at; bad lines are reported, not imported;
                                                                 re-running the same file skips what is there; --notify
                                                                 queues the match mails`,
  fileOperand: ['import registrations'],
  commands: {
    'import registrations': (options) => {
      const file = options.file?.trim();
      if (!file) throw new UsageError('import registrations: name the file, e.g. `import registrations index.csv`');
      const rawBatch = options['batch-size'];
      const batchSize = rawBatch === undefined ? DEFAULT_BATCH : Number(rawBatch);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 200_000) throw new UsageError('--batch-size: a whole number from 1 to 200000');
      return async (ctx) => {
        const summary = await importRegistrations(ctx, { file, notify: options.notify ?? false, batchSize, errorsFile: options.errors });
        const shown = summary.rejected.slice(0, 20).map((r) => `  line ${r.line}, ${r.field}: ${r.reason}`);
        return {
          json: {
            read: summary.read,
            imported: summary.imported,
            duplicates: summary.duplicates,
            rejectedCount: summary.rejectedCount,
            rejected: summary.rejected,
            rejectedTruncated: summary.rejectedCount > summary.rejected.length,
            matches: summary.matches,
            mailsQueued: summary.mailsQueued,
            timingsMs: Object.fromEntries(Object.entries(summary.timings).map(([phase, ms]) => [phase, Math.round(ms)])),
          },
          text: [
            `Read ${summary.read} line(s): ${summary.imported} imported, ${summary.duplicates} already present, ${summary.rejectedCount} rejected.`,
            `Matches: ${summary.matches.created} created, ${summary.matches.joined} joined; ${summary.mailsQueued} mail(s) queued${options.notify ? '' : ' (without --notify none are sent)'}.`,
            ...(shown.length > 0 ? ['Rejected lines (none imported):', ...shown] : []),
            ...(summary.rejectedCount > shown.length
              ? [`  … and ${summary.rejectedCount - shown.length} more${options.errors ? ` (all in ${options.errors})` : ' (--errors <file> lists them all)'}`]
              : []),
          ].join('\n'),
        };
      };
    },
  },
};
