/**
 * The printable answer to the applicant (municipal admin): for an access request the
 * registrations found (or that there are none), for a correction, erasure or objection
 * request the decision per registration; with the municipality's name and contact details
 * (MUNICIPALITY_* in the configuration), the request's reference and the applicant's rights.
 * Its own file because the wording is legal text. The print stylesheet hides the page's
 * chrome (`betrokken-noprint`, src/views/theme.css).
 */
import type { RightsRequestView } from '../../rights/requests.ts';
import { Alert, Button, Heading, Link, P } from '../components.tsx';
import { formatDate, SECTOR_LABELS } from '../labels.ts';
import type { Frame } from '../layout.tsx';

export interface Municipality {
  name: string;
  address: string;
  phone: string;
  email: string;
}

export interface RightsLetterProps {
  request: RightsRequestView;
  municipality: Municipality;
  /** The letter's date (YYYY-MM-DD). */
  today: string;
}

export const rightsLetterFrame = (): Frame => ({ title: 'Brief aan de aanvrager', section: 'rights' });

const SUBJECTS: Record<RightsRequestView['kind'], string> = {
  access: 'uw verzoek om inzage in de verwijsindex',
  correction: 'uw verzoek om correctie van gegevens in de verwijsindex',
  erasure: 'uw verzoek om verwijdering van gegevens uit de verwijsindex',
  objection: 'uw bezwaar tegen de verwerking van gegevens in de verwijsindex',
};

function AccessBody({ request: r }: { request: RightsRequestView }) {
  const present = r.items.filter((i) => i.status !== null);
  if (present.length === 0) return <P>Er zijn geen registraties over de jeugdige in de verwijsindex, ook niet in het archief.</P>;
  return (
    <>
      <P>In de verwijsindex staan de volgende registraties over de jeugdige. Per registratie ziet u welke organisatie en welke professional betrokken is.</P>
      <ul class="utrecht-unordered-list">
        {present.map((i) => (
          <li class="utrecht-unordered-list__item">
            {i.organisationName} ({SECTOR_LABELS[i.sector].toLowerCase()}); contactpersoon {i.professionalName}, {i.professionalEmail}
            {i.professionalPhone ? `, ${i.professionalPhone}` : ''}. Geregistreerd op {i.registeredAt ? formatDate(i.registeredAt) : '—'};{' '}
            {i.status === 'active'
              ? `de registratie loopt uiterlijk tot en met ${i.endsOn ? formatDate(i.endsOn) : '—'}.`
              : `de registratie is beëindigd${i.endedAt ? ` op ${formatDate(i.endedAt)}` : ''} en staat in het archief.`}{' '}
            {i.informedOn ? `U bent hierover geïnformeerd op ${formatDate(i.informedOn)}.` : 'Volgens de registratie bent u hierover nog niet geïnformeerd.'}
          </li>
        ))}
      </ul>
      <P>
        In de verwijsindex staat alleen dát een organisatie betrokken is, met de contactgegevens van de professional. Er staat niet in waarom, en niets over de
        inhoud van de hulp. Een registratie in het archief is voor niemand zichtbaar en wordt na vijf jaar vernietigd, of eerder wanneer de jeugdige 23 jaar
        wordt.
      </P>
    </>
  );
}

function DecisionBody({ request: r }: { request: RightsRequestView }) {
  if (r.items.length === 0) return <P>Er zijn geen registraties over de jeugdige in de verwijsindex, ook niet in het archief. Er was dus niets te wijzigen.</P>;
  return (
    <>
      <P>Wij hebben uw verzoek per registratie beoordeeld, na advies van de betrokken professional. Ons besluit:</P>
      <ul class="utrecht-unordered-list">
        {r.items.map((i) => (
          <li class="utrecht-unordered-list__item">
            {i.organisationName} ({SECTOR_LABELS[i.sector].toLowerCase()}):{' '}
            {i.decision === 'grant'
              ? i.executedAt
                ? 'toegekend. De registratie is verwijderd uit de verwijsindex (niet gearchiveerd).'
                : 'toegekend. De registratie wordt verwijderd uit de verwijsindex (niet gearchiveerd).'
              : i.decision === 'refuse'
                ? 'afgewezen. De registratie blijft bestaan.'
                : 'nog niet beslist.'}
          </li>
        ))}
      </ul>
    </>
  );
}

export function RightsLetterPage({ request: r, municipality: m, today }: RightsLetterProps) {
  return (
    <>
      <div class="betrokken-noprint">
        <Heading level={1}>Brief aan de aanvrager</Heading>
        <P>
          Druk de brief af met de afdrukknop van uw browser (Ctrl+P of ⌘P) en vul naam en adres met de hand in. Bewaar geen kopie met het BSN in Betrokken.{' '}
          <Link href={`/loket/${r.id}`}>Terug naar het verzoek</Link>
        </P>
        {r.kind !== 'access' && r.status !== 'done' ? (
          <Alert type="warning">
            Dit verzoek is nog niet afgehandeld. Stuur de brief pas als over elke registratie is beslist en het besluit is uitgevoerd.
          </Alert>
        ) : null}
        <div class="betrokken-actions">
          <Button type="button" id="print-button">
            Afdrukken
          </Button>
        </div>
      </div>
      <article class="betrokken-letter" aria-label="Brief">
        <P>
          {m.name}
          <br />
          {m.address}
          <br />
          Telefoon {m.phone}
          <br />
          {m.email}
        </P>
        <P>
          Aan: ......................................................
          <br />
          Adres: ....................................................
        </P>
        <P>
          {formatDate(today)}
          <br />
          Ons kenmerk: {r.reference}
          <br />
          Uw verzoek van: {formatDate(r.receivedOn)}
        </P>
        <P>Onderwerp: {SUBJECTS[r.kind]}</P>
        <P>Geachte heer, mevrouw,</P>
        <P>
          Op {formatDate(r.receivedOn)} hebben wij {SUBJECTS[r.kind]} ontvangen. De verwijsindex brengt hulpverleners die bij dezelfde jeugdige betrokken zijn
          met elkaar in contact (Jeugdwet, paragraaf 7.1).
        </P>
        {r.kind === 'access' ? <AccessBody request={r} /> : <DecisionBody request={r} />}
        <P>
          U hebt het recht om gegevens te laten corrigeren of verwijderen en om bezwaar te maken tegen de registratie. Dat kunt u bij ons aanvragen, met het
          kenmerk hierboven. Bent u het niet eens met hoe wij met uw verzoek zijn omgegaan, dan kunt u een klacht indienen bij de Autoriteit Persoonsgegevens
          (autoriteitpersoonsgegevens.nl).
        </P>
        <P>
          Met vriendelijke groet,
          <br />
          {m.name}
          <br />
          {m.email} — {m.phone}
        </P>
      </article>
    </>
  );
}
