/** The beheer console's start page: the municipal admin's tasks, each a section of its own. */
import { Heading, Link, P, Section } from '../components.tsx';
import type { Frame } from '../layout.tsx';

export const beheerHomeFrame = (): Frame => ({ title: 'Beheer', section: 'beheer' });

const TASKS: { href: string; title: string; text: string }[] = [
  { href: '/beheer/organisaties', title: 'Organisaties', text: 'Organisaties met een convenant: zoeken, aanmaken, wijzigen, deactiveren.' },
  {
    href: '/beheer/mensen',
    title: 'Mensen',
    text: 'Professionals, contactpersonen en de eigen medewerkers: uitnodigen, rollen, deactiveren, tweede factor herstellen.',
  },
  { href: '/beheer/api-koppelingen', title: 'API-koppelingen', text: 'Koppelingen van registratiesystemen: aanmaken en intrekken.' },
  {
    href: '/beheer/instellingen',
    title: 'Instellingen',
    text: 'Termijnen voor de opvolging van matches (werkdagen) en de regieregels: welke sector bij voorkeur de regie voert en welke alleen mag signaleren.',
  },
  { href: '/beheer/mail', title: 'E-mail', text: 'Wachtende, verzonden en mislukte e-mail; mislukte opnieuw versturen.' },
  {
    href: '/beheer/overlijden',
    title: 'Meldingen van overlijden',
    text: 'Een gemeld overlijden bevestigen met de datum; een tweede beheerder keurt goed (vier ogen).',
  },
  { href: '/beheer/taken', title: 'Taken', text: 'Alle registraties van een organisatie beëindigen (vier ogen) en overdrachten: goedkeuren en voortgang.' },
  { href: '/audit', title: 'Auditlogboek', text: 'Of het auditlogboek ongeschonden is.' },
];

export function BeheerHomePage() {
  return (
    <>
      <Heading level={1}>Beheer</Heading>
      <P lead>Hier beheert u de verwijsindex voor de gemeente. Alles wat u hier doet, wordt vastgelegd in het auditlogboek.</P>
      {TASKS.map((task) => (
        <Section id={task.href.split('/').pop()!} title={<Link href={task.href}>{task.title}</Link>}>
          <P>{task.text}</P>
        </Section>
      ))}
    </>
  );
}
