/** Work on many registrations at once: bulk jobs (four eyes) and transferring registrations. */
import { type BulkJobView, BulkJobIdInput, getBulkJob, ListBulkJobsInput, listBulkJobs } from '../../jobs/bulk-jobs.ts';
import { TransferRegistrationsInput, transferRegistrations } from '../../registry/transfer.ts';
import { BULK_JOB_STATUSES } from '../../vocabulary.ts';
import { type CommandSet, verb } from '../command.ts';
import { optionNames } from './directory.ts';

function line(job: BulkJobView): string {
  const what =
    job.kind === 'end_organisation'
      ? `end ${job.organisationName}'s registrations as ${job.reason}`
      : `transfer ${job.fromProfessionalId} → ${job.toProfessionalId}`;
  const extra = [job.skipped > 0 ? `${job.skipped} skipped` : '', job.stopped ? `stopped: ${job.stopped}` : ''].filter(Boolean).join(', ');
  return `${job.id}  ${job.status.padEnd(17)}  ${job.processed}/${job.total}  ${what}  requested by ${job.requestedBy}${job.approvedBy ? `, decided by ${job.approvedBy}` : ''}${extra ? `  (${extra})` : ''}`;
}

export const bulkJobCommands: CommandSet = {
  usage: `  job list [--status ${BULK_JOB_STATUSES.join('|')}]     bulk jobs, newest first, with progress
  job show --id <job id>                                         one job with its progress
                                                                 (approving or rejecting a job is a second municipal
                                                                 admin's, at /beheer/taken: never the CLI's)
  registrations transfer --from <professional id> --to <professional id> [--registration <id>]
                                                                 one registration at once, or all as a queued job`,
  commands: {
    'job list': verb(
      ListBulkJobsInput,
      (o) => ({ status: o.status }),
      async (ctx, input) => {
        const jobs = await listBulkJobs(ctx, input);
        return { json: { items: jobs }, text: [...jobs.map(line), `${jobs.length} job(s)`].join('\n') };
      },
    ),
    'job show': optionNames(
      verb(
        BulkJobIdInput,
        (o) => ({ jobId: o.id }),
        async (ctx, input) => {
          const job = await getBulkJob(ctx, input);
          return { json: { ...job }, text: line(job) };
        },
      ),
      { jobId: 'id' },
    ),
    'registrations transfer': optionNames(
      verb(
        TransferRegistrationsInput,
        (o) => ({ fromProfessionalId: o.from, toProfessionalId: o.to, registrationId: o.registration }),
        async (ctx, input) => {
          const result = await transferRegistrations(ctx, input);
          const text = result.jobId
            ? `Queued job ${result.jobId}: the jobs move the registrations${result.skipped > 0 ? `; ${result.skipped} will be skipped (the colleague is already registered on the same young person)` : ''}.`
            : result.transferred === 1
              ? 'Registration transferred.'
              : result.skipped === 1
                ? 'Not transferred: the colleague is already registered on the same young person.'
                : 'Nothing to transfer.';
          return { json: { ...result }, text };
        },
      ),
      { fromProfessionalId: 'from', toProfessionalId: 'to', registrationId: 'registration' },
    ),
  },
};
