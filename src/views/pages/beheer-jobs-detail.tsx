/**
 * One bulk job (municipal admin): what it does, who requested and approved it, its progress,
 * and — while it awaits approval — the forms of the second admin (four eyes): approve
 * (with an explicit confirmation) or reject.
 */
import type { BulkJobView } from '../../jobs/bulk-jobs.ts';
import { Alert, Button, Checkbox, ErrorSummary, type FormState, Heading, Link, Notice, P, Section } from '../components.tsx';
import { formatDateTime } from '../labels.ts';
import type { Frame } from '../layout.tsx';
import { JOB_KIND_LABELS, JOB_REASON_LABELS, JOB_STATUS_LABELS, JOBS_HOME, JobProgress } from './beheer-jobs.tsx';

export const JOB_NOTICES: Record<string, string> = {
  goedgekeurd: 'De taak is goedgekeurd. Het systeem verwerkt de registraties in delen; ververs deze pagina om de voortgang te zien.',
  afgewezen: 'De taak is afgewezen. Er is niets beëindigd; de organisatie blijft gedeactiveerd.',
};

export interface JobDetailProps {
  job: BulkJobView;
  /** The admin looking: the requester cannot approve their own request. */
  selfId: string;
  done?: string | undefined;
  /** A refusal to show at the top (four eyes, decided already). */
  refusal?: string | undefined;
  state?: FormState | undefined;
}

export const jobDetailFrame = ({ job, state }: Pick<JobDetailProps, 'job' | 'state'>): Frame => ({
  title: `${JOB_KIND_LABELS[job.kind]} — ${job.organisationName}`,
  section: 'beheer',
  hasErrors: Boolean(state?.errors && Object.keys(state.errors).length > 0),
});

const CONFIRM_LABELS = { bevestigd: 'Bevestiging' };

export function JobDetailPage({ job, selfId, done, refusal, state }: JobDetailProps) {
  const own = job.requestedBy === selfId;
  const base = `${JOBS_HOME}/${job.id}`;
  return (
    <>
      <ErrorSummary errors={state?.errors} labels={CONFIRM_LABELS} />
      <Heading level={1}>{JOB_KIND_LABELS[job.kind]}</Heading>
      <Notice text={JOB_NOTICES[done ?? '']} />
      {refusal ? <Alert type="error">{refusal}</Alert> : null}
      <dl class="betrokken-dl">
        <dt>Organisatie</dt>
        <dd>{job.organisationName}</dd>
        {job.kind === 'end_organisation' && job.reason ? (
          <>
            <dt>Reden van beëindigen</dt>
            <dd>{JOB_REASON_LABELS[job.reason]}</dd>
          </>
        ) : null}
        {job.kind === 'transfer' ? (
          <>
            <dt>Van</dt>
            <dd>{job.fromProfessionalName ?? 'onbekend'}</dd>
            <dt>Naar</dt>
            <dd>{job.toProfessionalName ?? 'onbekend'}</dd>
          </>
        ) : null}
        <dt>Status</dt>
        <dd>{JOB_STATUS_LABELS[job.status]}</dd>
        <dt>Aangevraagd</dt>
        <dd>
          {job.requestedByName ?? job.requestedBy}, {formatDateTime(job.requestedAt)}
        </dd>
        <dt>{job.status === 'rejected' ? 'Afgewezen' : 'Goedgekeurd'}</dt>
        <dd>
          {job.approvedBy && job.approvedAt
            ? `${job.approvedByName ?? job.approvedBy}, ${formatDateTime(job.approvedAt)}`
            : job.kind === 'transfer'
              ? 'Niet nodig (overdragen is niet onomkeerbaar)'
              : 'Nog niet'}
        </dd>
        <dt>Voortgang</dt>
        <dd>
          <JobProgress job={job} id="voortgang" />
        </dd>
        {job.finishedAt ? (
          <>
            <dt>Klaar</dt>
            <dd>{formatDateTime(job.finishedAt)}</dd>
          </>
        ) : null}
      </dl>
      {job.kind === 'transfer' && job.skipped > 0 ? (
        <Alert type="warning">
          {job.skipped} registratie(s) zijn niet overgedragen: de collega heeft zelf al een registratie over dezelfde jeugdige. Die blijven bij de huidige
          professional; beëindig ze daar of laat ze staan.
        </Alert>
      ) : null}
      {job.stopped === 'colleague_unavailable' ? (
        <Alert type="warning">
          De overdracht is gestopt: {job.toProfessionalName ?? 'de collega'} is gedeactiveerd of heeft de rol professional niet meer. De registraties die nog
          niet waren overgedragen, staan nog bij {job.fromProfessionalName ?? 'de huidige professional'}; draag ze over aan een andere collega.
        </Alert>
      ) : null}
      {job.status === 'awaiting_approval' ? (
        <Section id="besluit" title="Goedkeuren of afwijzen (vier ogen)">
          <P>
            Alle {job.total} actieve registraties van {job.organisationName} worden beëindigd: {job.reason ? JOB_REASON_LABELS[job.reason] : ''}. Dit is
            onomkeerbaar. Daarom moet een tweede functioneel beheerder, niet degene die de taak aanvroeg, haar goedkeuren.
          </P>
          {own ? (
            <Alert type="info">U hebt deze taak zelf aangevraagd. Vraag een andere functioneel beheerder om haar goed te keuren of af te wijzen.</Alert>
          ) : (
            <form method="post" action={`${base}/goedkeuren`} novalidate>
              <Checkbox name="bevestigd" label={`Ik heb gecontroleerd dat alle registraties van ${job.organisationName} zo moeten eindigen.`} state={state} />
              <div class="betrokken-actions">
                <Button variant="danger">Goedkeuren en uitvoeren</Button>
              </div>
            </form>
          )}
          <form method="post" action={`${base}/afwijzen`}>
            <P>
              {own ? 'U kunt uw aanvraag ook intrekken: ' : 'Afwijzen: '}
              er wordt niets beëindigd en de organisatie blijft gedeactiveerd.
            </P>
            <div class="betrokken-actions">
              <Button variant="secondary">{own ? 'Aanvraag intrekken' : 'Afwijzen'}</Button>
            </div>
          </form>
        </Section>
      ) : null}
      <P>
        <Link href={JOBS_HOME}>Terug naar de taken</Link>
      </P>
    </>
  );
}
