/**
 * The two statements every page links to in its footer (public, before login):
 * - the accessibility statement, after the Dutch model (digitoegankelijk.nl): the status,
 *   the date, how it was checked, what is known not to work, and whom to contact;
 * - the privacy statement, when the municipality links none of its own
 *   (MUNICIPALITY_PRIVACY_URL): what Betrokken keeps, how long, who sees it, the rights.
 */
import { Heading, Link, P, Section } from '../components.tsx';
import type { Frame } from '../layout.tsx';
import { formatDate } from '../labels.ts';

export interface MunicipalityContact {
  name: string;
  address: string;
  phone: string;
  email: string;
  helpdesk: string;
}

/**
 * When this statement was last checked against the pages. Status C ("eerste maatregelen
 * genomen") until an independent WCAG-EM evaluation exists: automated checks on every page
 * are measures, not proof (docs/theming.md, "Accessibility statement").
 */
export const ACCESSIBILITY_STATEMENT_DATE = new Date('2026-11-29T12:00:00Z');

export const accessibilityFrame = (): Frame => ({ title: 'Toegankelijkheidsverklaring', narrow: true });

export function AccessibilityStatementPage({ municipality, publicUrl }: { municipality: MunicipalityContact; publicUrl: string }) {
  return (
    <>
      <Heading level={1}>Toegankelijkheidsverklaring</Heading>
      <P>
        {municipality.name} wil dat iedereen Betrokken kan gebruiken, ook mensen met een beperking. Deze verklaring gaat over Betrokken, de verwijsindex op{' '}
        {publicUrl}.
      </P>
      <Section id="status" title="Status">
        <P>
          Betrokken voldoet nog niet aantoonbaar aan de eisen (WCAG 2.2 niveau A en AA, EN 301 549): er zijn eerste maatregelen genomen (status C). Een
          onderzoek door een onafhankelijke deskundige volgt.
        </P>
        <P>Deze verklaring is opgesteld op {formatDate(ACCESSIBILITY_STATEMENT_DATE)} en wordt bij elke nieuwe versie van Betrokken bijgewerkt.</P>
      </Section>
      <Section id="maatregelen" title="Wat we doen">
        <ul class="utrecht-unordered-list">
          <li class="utrecht-unordered-list__item">
            Elke pagina wordt bij elke wijziging automatisch getoetst (axe), in elk thema, op een breed scherm en op 320 pixels breed.
          </li>
          <li class="utrecht-unordered-list__item">
            Alles werkt met het toetsenbord en zonder JavaScript; foutmeldingen staan bij het veld waar ze over gaan.
          </li>
          <li class="utrecht-unordered-list__item">U kunt uw sessie verlengen voordat die afloopt.</li>
          <li class="utrecht-unordered-list__item">De pagina's gebruiken NL Design System-componenten.</li>
        </ul>
      </Section>
      <Section id="bekend" title="Wat nog niet goed werkt">
        <P>
          Grafieken op de statistiekpagina hebben een tabel met dezelfde cijfers ernaast; de grafiek zelf is niet met een schermlezer te verkennen. Brede
          beheertabellen schuiven op een smal scherm opzij.
        </P>
      </Section>
      <Section id="contact" title="Contact en klachten">
        <P>
          Loopt u tegen iets aan? Laat het ons weten: {municipality.helpdesk}, of mail naar{' '}
          <Link href={`mailto:${municipality.email}`}>{municipality.email}</Link>. U krijgt binnen 5 werkdagen antwoord. Bent u niet tevreden over het antwoord,
          dan kunt u een klacht indienen bij {municipality.name}, {municipality.address}, en daarna bij de Nationale ombudsman.
        </P>
      </Section>
    </>
  );
}

export const privacyFrame = (): Frame => ({ title: 'Privacyverklaring', narrow: true });

export function PrivacyStatementPage({
  municipality,
  termMonths,
  archiveYears,
}: {
  municipality: MunicipalityContact;
  termMonths: number;
  archiveYears: number;
}) {
  return (
    <>
      <Heading level={1}>Privacyverklaring Betrokken</Heading>
      <P>
        {municipality.name} is verantwoordelijk voor Betrokken, de verwijsindex voor jongeren tot 23 jaar (Jeugdwet, paragraaf 7.1). Professionals die bij een
        jongere betrokken zijn, melden dát ze betrokken zijn, zodat ze elkaar vinden en afspreken wie de hulp coördineert.
      </P>
      <Section id="wat" title="Wat we vastleggen">
        <ul class="utrecht-unordered-list">
          <li class="utrecht-unordered-list__item">
            Dat een organisatie en een professional bij een jongere betrokken zijn, sinds wanneer en tot wanneer. Nooit waarom.
          </li>
          <li class="utrecht-unordered-list__item">
            De jongere alleen onder een pseudoniem dat uit het burgerservicenummer wordt berekend; het burgerservicenummer zelf en de geboortedatum worden niet
            bewaard.
          </li>
          <li class="utrecht-unordered-list__item">Van professionals: naam, e-mailadres, telefoonnummer en organisatie, om elkaar te kunnen bereiken.</li>
        </ul>
      </Section>
      <Section id="hoelang" title="Hoe lang">
        <P>
          Een melding is actief tot de professional haar beëindigt, tot ten hoogste {termMonths} maanden na de melding, of tot de jongere 23 wordt. Daarna
          bewaren we haar {archiveYears} jaar in een archief dat niemand kan inzien, behalve één keer een professional die dezelfde jongere opnieuw meldt. Een
          onterechte melding wordt meteen verwijderd.
        </P>
      </Section>
      <Section id="wie" title="Wie wat ziet">
        <P>
          Alleen professionals die zelf bij dezelfde jongere betrokken zijn, zien elkaars contactgegevens. Niemand kan zoeken. Elke inzage en wijziging wordt
          vastgelegd en gecontroleerd.
        </P>
      </Section>
      <Section id="rechten" title="Uw rechten">
        <P>
          U mag weten of er over u (of uw kind) een melding is, en door wie. U kunt vragen een melding te verbeteren of te verwijderen, of bezwaar maken. Neem
          contact op met {municipality.name}, {municipality.address}, telefoon {municipality.phone}, e-mail{' '}
          <Link href={`mailto:${municipality.email}`}>{municipality.email}</Link>. Bent u het niet eens met de afhandeling, dan kunt u een klacht indienen bij
          de Autoriteit Persoonsgegevens.
        </P>
      </Section>
    </>
  );
}
