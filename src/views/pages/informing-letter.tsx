/**
 * The printable letters that inform of a registration (Jeugdwet, artikel 7.1.5.1;
 * docs/domain.md): under 12 the legal representative is informed, from 12 to 15 both the
 * young person and the representative, from 16 the young person. Each letter keeps to one
 * register: the representative's letter says "u" and "uw kind", the young person's letter
 * (12 and older) is a separate, plainer letter that says "je". Both name the municipality and
 * how to reach it. Its own file because the wording is legal text: it changes for other
 * reasons, and with other reviewers, than the page around it.
 */
import type { Env } from '../../env.ts';
import type { RegistrationView } from '../../registry/registration-dto.ts';
import type { InformWhom, Sector } from '../../vocabulary.ts';
import { Button, Heading, Link, P } from '../components.tsx';
import { formatDate, SECTOR_LABELS } from '../labels.ts';
import type { Frame } from '../layout.tsx';

/** The professional who signs the letter. */
export interface LetterSender {
  name: string;
  email: string;
  phone: string | null;
  organisationName: string;
  sector: Sector;
}

/** The municipality as the letter names it (MUNICIPALITY_* in the configuration). */
export interface LetterMunicipality {
  name: string;
  address: string;
  phone: string;
  email: string;
  /** The municipality's privacy statement, as a full address a reader can type. */
  privacyUrl: string;
}

/** Who a letter is written to: the representative ("u") or the young person ("je"). */
export const LETTER_KINDS = ['ouder', 'jongere'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

/** The letters a registration needs: the young person's only from 12 (docs/domain.md, informing). */
export function lettersFor(informWhom: InformWhom): LetterKind[] {
  return informWhom === 'representative' ? ['ouder'] : informWhom === 'both' ? ['ouder', 'jongere'] : ['jongere'];
}

/** The letter asked for (`?voor=`), or the first one when none is asked; null when the registration needs no such letter. */
export function letterKind(informWhom: InformWhom, asked: string | undefined): LetterKind | null {
  const offered = lettersFor(informWhom);
  if (asked === undefined) return offered[0] ?? null;
  return offered.find((k) => k === asked) ?? null;
}

/** The municipality from the configuration; the privacy statement as a full address (Betrokken's own page when the municipality has none). */
export function letterMunicipality(config: Env): LetterMunicipality {
  return {
    name: config.MUNICIPALITY_NAME,
    address: config.MUNICIPALITY_ADDRESS,
    phone: config.MUNICIPALITY_PHONE,
    email: config.MUNICIPALITY_EMAIL,
    privacyUrl: config.MUNICIPALITY_PRIVACY_URL ?? `${config.PUBLIC_URL}/privacy`,
  };
}

export const LETTER_NAMES: Record<LetterKind, string> = {
  ouder: 'Brief voor de ouder of verzorger',
  jongere: 'Brief voor de jongere (12 jaar en ouder)',
};

export interface InformingLetterProps {
  registration: RegistrationView;
  sender: LetterSender;
  municipality: LetterMunicipality;
  /** Which of the registration's letters (one of lettersFor(registration.informWhom)). */
  kind: LetterKind;
  /** The letter's date (YYYY-MM-DD). */
  today: string;
}

export const informingLetterFrame = (): Frame => ({ title: 'Brief: informeren over de registratie', section: 'registrations' });

const sectorPhrase = (sector: Sector) => (sector === 'other' ? '' : ` (${SECTOR_LABELS[sector].toLowerCase()})`);

export function InformingLetterPage(props: InformingLetterProps) {
  const { registration: r, kind } = props;
  const letters = lettersFor(r.informWhom);
  return (
    <>
      <div class="betrokken-noprint">
        <Heading level={1}>{LETTER_NAMES[kind]}</Heading>
        <P>
          Druk de brief af met de afdrukknop van uw browser (Ctrl+P of ⌘P), vul naam en adres met de hand in en bewaar geen kopie met inhoud in Betrokken.{' '}
          <Link href={`/registrations/${r.id}`}>Terug naar de registratie</Link>
        </P>
        {letters.length > 1 ? (
          <nav aria-label="Brieven bij deze registratie">
            <P>
              Bij deze registratie informeert u de jongere én de ouder of verzorger, elk met een eigen brief:{' '}
              {letters.map((k, i) => (
                <>
                  {i > 0 ? ' · ' : ''}
                  <Link href={`/registrations/${r.id}/letter?voor=${k}`} current={k === kind}>
                    {LETTER_NAMES[k]}
                  </Link>
                </>
              ))}
            </P>
          </nav>
        ) : null}
        <div class="betrokken-actions">
          <Button type="button" id="print-button">
            Afdrukken
          </Button>
        </div>
      </div>
      {kind === 'ouder' ? <RepresentativeLetter {...props} alsoYouth={letters.includes('jongere')} /> : <YouthLetter {...props} />}
    </>
  );
}

function Letterhead({ sender, today, subject }: { sender: LetterSender; today: string; subject: string }) {
  return (
    <>
      <P>{sender.organisationName}</P>
      <P>
        Aan: ......................................................
        <br />
        Adres: ....................................................
      </P>
      <P>{formatDate(today)}</P>
      <P>Onderwerp: {subject}</P>
    </>
  );
}

function Signature({ sender, greeting }: { sender: LetterSender; greeting: string }) {
  return (
    <P>
      {greeting}
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
  );
}

function MunicipalityContact({ municipality: m }: { municipality: LetterMunicipality }) {
  return (
    <P>
      {m.name}
      <br />
      {m.address}
      <br />
      Telefoon: {m.phone}
      <br />
      E-mail: {m.email}
    </P>
  );
}

/** To the parent or guardian: "u", "uw kind". */
function RepresentativeLetter({ registration: r, sender, municipality: m, today, alsoYouth }: InformingLetterProps & { alsoYouth: boolean }) {
  return (
    <article class="betrokken-letter" aria-label="Brief voor de ouder of verzorger">
      <Letterhead sender={sender} today={today} subject="registratie van uw kind in de verwijsindex" />
      <P>Geachte ouder of verzorger,</P>
      <P>
        Ik ben als professional{sectorPhrase(sender.sector)} betrokken bij uw kind. Op {formatDate(r.registeredAt)} heb ik dat gemeld in de verwijsindex van{' '}
        {m.name}. De wet vraagt mij u daarover te informeren (Jeugdwet, artikel 7.1.5.1).
        {alsoYouth ? ' Uw kind krijgt hierover ook zelf een brief.' : ''}
      </P>
      <P>
        De verwijsindex zorgt ervoor dat hulpverleners die bij hetzelfde kind betrokken zijn, elkaar snel vinden. Zo kunnen zij de hulp samen afstemmen en
        afspreken wie de regie neemt. In de verwijsindex staat alleen dát ik betrokken ben, met mijn contactgegevens. Er staat niet in waarom, en niets over de
        inhoud van de hulp.
      </P>
      <P>De melding loopt uiterlijk tot en met {formatDate(r.endsAt)}. Zij stopt eerder als mijn betrokkenheid eindigt.</P>
      <P>
        U hebt het recht om te weten wat er over uw kind in de verwijsindex staat. U kunt ook vragen om gegevens te verbeteren of te verwijderen, en u kunt
        bezwaar maken tegen de melding. Neemt u daarvoor contact op met mij of met de gemeente:
      </P>
      <MunicipalityContact municipality={m} />
      <P>Hoe de gemeente met persoonsgegevens omgaat, leest u in de privacyverklaring: {m.privacyUrl}.</P>
      <P>Hebt u vragen over deze brief? Neemt u dan gerust contact met mij op.</P>
      <Signature sender={sender} greeting="Met vriendelijke groet," />
    </article>
  );
}

/** To the young person of 12 or older: "je", plain words. */
function YouthLetter({ registration: r, sender, municipality: m, today }: InformingLetterProps) {
  return (
    <article class="betrokken-letter" aria-label="Brief voor de jongere">
      <Letterhead sender={sender} today={today} subject="je staat in de verwijsindex" />
      <P>Hallo,</P>
      <P>
        Ik ben {sender.name} van {sender.organisationName}
        {sectorPhrase(sender.sector)}. Ik ben bij jou betrokken. Op {formatDate(r.registeredAt)} heb ik dat gemeld in de verwijsindex van {m.name}. Dat moet ik
        je laten weten: zo staat het in de wet (Jeugdwet, artikel 7.1.5.1).
      </P>
      <P>
        <strong>Wat is de verwijsindex?</strong> Soms helpen meerdere mensen je tegelijk, bijvoorbeeld van school, van het wijkteam of van de jeugdhulp. De
        verwijsindex laat hen weten dat ze allemaal bij jou betrokken zijn. Dan kunnen ze samen afspreken hoe ze je het beste helpen, en wie het overzicht
        houdt.
      </P>
      <P>
        <strong>Wat staat erin?</strong> Alleen dát ik bij jou betrokken ben, en hoe anderen mij kunnen bereiken. Er staat niet in waarom, en niets over wat we
        samen bespreken.
      </P>
      <P>
        <strong>Hoe lang?</strong> Tot en met {formatDate(r.endsAt)}, of korter als ik je niet meer help.
      </P>
      <P>
        <strong>Wat mag jij?</strong> Je mag vragen wat er over jou in de verwijsindex staat. Je mag ook vragen om iets te verbeteren of weg te halen, en je mag
        laten weten dat je het er niet mee eens bent (bezwaar maken). Vraag het mij, of neem contact op met de gemeente:
      </P>
      <MunicipalityContact municipality={m} />
      <P>Hoe de gemeente met jouw gegevens omgaat, lees je in de privacyverklaring: {m.privacyUrl}.</P>
      <P>Heb je vragen over deze brief? Bel of mail me gerust.</P>
      <Signature sender={sender} greeting="Groeten," />
    </article>
  );
}
