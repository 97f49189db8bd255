/**
 * The professional's advice on a request at the rights desk: what kind of request, by when,
 * which of their registrations, and a closed choice (grant or refuse). Nothing about the
 * applicant, and no free text.
 */
import type { AdviceView } from '../../rights/advice.ts';
import { Button, ErrorSummary, type FormState, Heading, Link, Notice, P, RadioGroup } from '../components.tsx';
import { formatDate } from '../labels.ts';
import type { Frame } from '../layout.tsx';

const KIND_TEXT: Record<AdviceView['kind'], string> = {
  correction: 'een verzoek om correctie',
  erasure: 'een verzoek om verwijdering',
  objection: 'een bezwaar',
};

const ADVICE_LABELS = {
  grant: 'Toekennen: de registratie mag worden verwijderd',
  refuse: 'Afwijzen: de registratie moet blijven, er is nog een redelijk vermoeden van een ernstig risico',
};

export interface AdviceProps {
  advice: AdviceView;
  state: FormState;
  done?: string | undefined;
}

export const adviceFrame = ({ state }: AdviceProps): Frame => ({ title: 'Advies gevraagd', section: 'registrations', hasErrors: !!state.errors });

export function AdvicePage({ advice: a, state, done }: AdviceProps) {
  const r = a.registration;
  const open = a.requestStatus === 'open';
  const values = state.values ?? (a.advice ? { advice: a.advice } : {});
  return (
    <>
      <Heading level={1}>Advies gevraagd</Heading>
      <Notice text={done === 'gegeven' ? 'Uw advies is vastgelegd. De gemeente beslist.' : undefined} />
      <P lead>
        De gemeente heeft {KIND_TEXT[a.kind]} ontvangen dat uw registratie betreft. Geef uw advies
        {a.adviceDueOn ? ` vóór of op ${formatDate(a.adviceDueOn)}` : ''}; de gemeente beslist.
      </P>
      <dl class="betrokken-dl">
        <dt>Organisatie</dt>
        <dd>{r.organisationName}</dd>
        <dt>Registratie</dt>
        <dd>
          {r.status === 'active' ? (
            <Link href={`/registrations/${r.id}`}>{r.id}</Link>
          ) : r.status === 'archived' ? (
            `${r.id} (archief)`
          ) : (
            `${r.id} (bestaat niet meer)`
          )}
        </dd>
        <dt>Eigen kenmerk</dt>
        <dd>{r.reference ?? '—'}</dd>
        <dt>Geregistreerd op</dt>
        <dd>{r.registeredAt ? formatDate(r.registeredAt) : '—'}</dd>
        <dt>Status</dt>
        <dd>
          {r.status === 'active'
            ? `Actief, uiterlijk tot en met ${r.endsOn ? formatDate(r.endsOn) : '—'}`
            : r.status === 'archived'
              ? `Beëindigd${r.endedAt ? ` op ${formatDate(r.endedAt)}` : ''} (archief)`
              : 'Bestaat niet meer'}
        </dd>
        <dt>Uw advies</dt>
        <dd>{a.advice ? (a.advice === 'grant' ? 'Toekennen' : 'Afwijzen') : 'Nog niet gegeven'}</dd>
      </dl>
      {open ? (
        <>
          <ErrorSummary errors={state.errors} labels={{ advice: 'Uw advies' }} />
          <form method="post" action={`/advies/${a.itemId}`} novalidate>
            <RadioGroup name="advice" legend="Uw advies" options={ADVICE_LABELS} state={{ values, errors: state.errors }} />
            <div class="betrokken-actions">
              <Button>{a.advice ? 'Advies wijzigen' : 'Advies geven'}</Button>
            </div>
          </form>
        </>
      ) : (
        <P>De gemeente heeft over dit verzoek beslist; advies geven kan niet meer.</P>
      )}
      {a.others.length > 0 ? (
        <>
          <Heading level={2}>Uw andere registraties in dit verzoek</Heading>
          <ul class="utrecht-unordered-list">
            {a.others.map((o) => (
              <li class="utrecht-unordered-list__item">
                <Link href={`/advies/${o.itemId}`}>Registratie {o.registrationId}</Link> — {o.advice ? 'advies gegeven' : 'nog geen advies'}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
