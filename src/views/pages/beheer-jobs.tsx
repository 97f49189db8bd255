/**
 * Taken op veel registraties tegelijk (municipal admin): de registraties van een
 * gedeactiveerde organisatie beëindigen (vier ogen) en alle registraties van een professional
 * overdragen. The list; one job: beheer-jobs-detail.tsx.
 */
import type { BulkJobStatus, BulkJobView } from '../../jobs/bulk-jobs.ts';
import { Heading, Link, P, Table } from '../components.tsx';
import { formatDateTime } from '../labels.ts';
import type { Frame } from '../layout.tsx';

export const JOBS_HOME = '/beheer/taken';

export const JOB_KIND_LABELS: Record<BulkJobView['kind'], string> = {
  end_organisation: 'Registraties van een organisatie beëindigen',
  transfer: 'Registraties overdragen',
};

export const JOB_STATUS_LABELS: Record<BulkJobStatus, string> = {
  awaiting_approval: 'Wacht op goedkeuring',
  queued: 'Bezig',
  done: 'Klaar',
  rejected: 'Afgewezen',
};

export const JOB_REASON_LABELS: Record<'resolved' | 'unjustified', string> = {
  resolved: 'Zorg beëindigd — de registraties worden gearchiveerd (5 jaar)',
  unjustified: 'Onterecht geregistreerd — de registraties worden verwijderd',
};

/** Progress as text and as a <progress> element (the text is its accessible name). */
export function JobProgress({ job, id }: { job: BulkJobView; id: string }) {
  const text = `${job.processed} van ${job.total} verwerkt`;
  return (
    <>
      <span id={id}>{text}</span>
      {job.skipped > 0 ? ` (${job.skipped} overgeslagen)` : ''}{' '}
      <progress max={Math.max(job.total, 1)} value={job.total === 0 ? 1 : job.processed} aria-labelledby={id}>
        {text}
      </progress>
    </>
  );
}

const FILTERS: { status: BulkJobStatus | undefined; label: string }[] = [
  { status: undefined, label: 'Alle' },
  { status: 'awaiting_approval', label: JOB_STATUS_LABELS.awaiting_approval },
  { status: 'queued', label: JOB_STATUS_LABELS.queued },
  { status: 'done', label: JOB_STATUS_LABELS.done },
  { status: 'rejected', label: JOB_STATUS_LABELS.rejected },
];

export interface JobListProps {
  jobs: BulkJobView[];
  status: BulkJobStatus | undefined;
}

export const jobListFrame = (): Frame => ({ title: 'Taken', section: 'beheer' });

export function JobListPage({ jobs, status }: JobListProps) {
  return (
    <>
      <Heading level={1}>Taken</Heading>
      <P lead>
        Werk aan veel registraties tegelijk: de registraties van een gedeactiveerde organisatie beëindigen, of alle registraties van een professional overdragen
        aan een collega. Het systeem verwerkt zo'n taak in delen; de voortgang ziet u hieronder.
      </P>
      <P>
        Vier ogen: het beëindigen van alle registraties van een organisatie is onomkeerbaar. Een tweede functioneel beheerder moet de taak goedkeuren voordat er
        iets gebeurt; wie de taak heeft aangevraagd, kan haar niet zelf goedkeuren.
      </P>
      <nav aria-label="Filter op status" class="betrokken-actions">
        {FILTERS.map((f) => (
          <Link href={f.status ? `${JOBS_HOME}?status=${f.status}` : JOBS_HOME} current={f.status === status}>
            {f.label}
          </Link>
        ))}
      </nav>
      {jobs.length === 0 ? (
        <P>Er zijn geen taken{status ? ' met deze status' : ''}.</P>
      ) : (
        <Table
          caption={`Taken${status ? `: ${JOB_STATUS_LABELS[status].toLowerCase()}` : ''}`}
          columns={['Taak', 'Organisatie', 'Status', 'Aangevraagd', 'Goedgekeurd of afgewezen door', 'Voortgang']}
        >
          {jobs.map((job) => (
            <tr class="utrecht-table__row">
              <td class="utrecht-table__cell">
                <Link href={`${JOBS_HOME}/${job.id}`}>{JOB_KIND_LABELS[job.kind]}</Link>
              </td>
              <td class="utrecht-table__cell">{job.organisationName}</td>
              <td class="utrecht-table__cell">{JOB_STATUS_LABELS[job.status]}</td>
              <td class="utrecht-table__cell">
                {job.requestedByName ?? job.requestedBy}, {formatDateTime(job.requestedAt)}
              </td>
              <td class="utrecht-table__cell">{job.approvedBy ? (job.approvedByName ?? job.approvedBy) : '—'}</td>
              <td class="utrecht-table__cell">
                <JobProgress job={job} id={`voortgang-${job.id}`} />
              </td>
            </tr>
          ))}
        </Table>
      )}
      <P>
        <Link href="/beheer">Terug naar beheer</Link>
      </P>
    </>
  );
}
