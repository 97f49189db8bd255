/**
 * The printable letter that informs the young person and/or their parents of a
 * registration (Jeugdwet, artikel 7.1.5.1; docs/domain.md). Its own file because the
 * wording is legal text: it changes for other reasons, and with other reviewers, than the
 * page around it. Addressing follows who must be informed: the young person ("je"), the
 * parents ("u", "uw kind") or both.
 */
import type { RegistrationView } from '../../registry/registration-dto.ts';
import type { Sector } from '../../vocabulary.ts';
import { Button, Heading, Link, P } from '../components.tsx';
import { formatDate, INFORM_WHOM_LABELS, SECTOR_LABELS } from '../labels.ts';
import type { Frame } from '../layout.tsx';

/** The professional who signs the letter. */
export interface LetterSender {
  name: string;
  email: string;
  phone: string | null;
  organisationName: string;
  sector: Sector;
}

export interface InformingLetterProps {
  registration: RegistrationView;
  sender: LetterSender;
  /** The letter's date (YYYY-MM-DD). */
  today: string;
}

export const informingLetterFrame = (): Frame => ({ title: 'Brief: informeren over de registratie', section: 'registrations' });

export function InformingLetterPage({ registration: r, sender, today }: InformingLetterProps) {
  const toYouth = r.informWhom !== 'representative';
  const toParent = r.informWhom !== 'youth';
  const addressee = toYouth && toParent ? 'Beste jongere, beste ouder of verzorger' : toYouth ? 'Beste jongere' : 'Beste ouder of verzorger';
  const you = toParent && !toYouth ? 'uw kind' : 'jou';
  return (
    <>
      <div class="betrokken-noprint">
        <Heading level={1}>Brief over de registratie</Heading>
        <P>
          Deze brief is voor {INFORM_WHOM_LABELS[r.informWhom]}. Druk hem af met de afdrukknop van uw browser (Ctrl+P of ⌘P), vul naam en adres met de hand in
          en bewaar geen kopie met inhoud in Betrokken. <Link href={`/registrations/${r.id}`}>Terug naar de registratie</Link>
        </P>
        <div class="betrokken-actions">
          <Button type="button" id="print-button">
            Afdrukken
          </Button>
        </div>
      </div>
      <article class="betrokken-letter" aria-label="Brief">
        <P>{sender.organisationName}</P>
        <P>
          Aan: ......................................................
          <br />
          Adres: ....................................................
        </P>
        <P>{formatDate(today)}</P>
        <P>Onderwerp: registratie in de verwijsindex</P>
        <P>{addressee},</P>
        <P>
          Ik ben als {sender.sector === 'other' ? 'professional' : `professional (${SECTOR_LABELS[sender.sector].toLowerCase()})`} betrokken bij{' '}
          {toYouth && toParent ? 'jou en je gezin' : you}. Ik heb dat op {formatDate(r.registeredAt)} gemeld in de verwijsindex van de gemeente. Dat moet ik u
          laten weten (Jeugdwet, artikel 7.1.5.1).
        </P>
        <P>
          De verwijsindex zorgt dat hulpverleners die bij dezelfde jongere betrokken zijn elkaar snel vinden, zodat zij de hulp samen afstemmen en één van hen
          de regie neemt. In de verwijsindex staat alleen dát ik betrokken ben, met mijn contactgegevens. Er staat niet in waarom, en niets over de inhoud van
          de hulp.
        </P>
        <P>De melding stopt uiterlijk op {formatDate(r.endsAt)}, of eerder als mijn betrokkenheid eindigt.</P>
        <P>
          U hebt het recht om te weten wat er over {toYouth && !toParent ? 'je' : 'u of uw kind'} in de verwijsindex staat, en om bezwaar te maken of om
          verwijdering te vragen. Neemt u daarvoor contact op met mij of met de gemeente.
        </P>
        <P>
          Met vriendelijke groet,
          <br />
          {sender.name}
          <br />
          {sender.organisationName}
          <br />
          {sender.email}
          {sender.phone ? (
            <>
              <br />
              {sender.phone}
            </>
          ) : null}
        </P>
      </article>
    </>
  );
}
