/**
 * One person (admin's and coordinator's console): their details and status, and the
 * actions — edit, roles, deactivate or reactivate, reset the second factor, resend the
 * invitation — each behind a confirmation page.
 */
import type { PersonView } from '../../directory/people.ts';
import { Alert, Button, Heading, Link, Notice, P, Section } from '../components.tsx';
import { formatDateTime } from '../labels.ts';
import type { Frame } from '../layout.tsx';
import { PEOPLE_NOTICES, type PeopleConsole, peopleBase, peopleHome, peopleSection, rolesText } from './beheer-people.tsx';

export interface PersonDetailProps {
  console: PeopleConsole;
  person: PersonView;
  /** The person looking: they cannot deactivate themselves. */
  selfId: string;
  done?: string | undefined;
}

export const personDetailFrame = ({ console, person }: Pick<PersonDetailProps, 'console' | 'person'>): Frame => ({
  title: person.name,
  section: peopleSection(console),
});

function ActionLink({ href, children }: { href: string; children: string }) {
  return (
    <a class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action" href={href}>
      {children}
    </a>
  );
}

export function PersonDetailPage({ console, person: p, selfId, done }: PersonDetailProps) {
  const base = `${peopleBase(console)}/${p.id}`;
  return (
    <>
      <Heading level={1}>{p.name}</Heading>
      <Notice text={PEOPLE_NOTICES[done ?? '']} />
      {!p.active && p.activeRegistrations > 0 ? (
        <Alert type="warning">
          Geen actieve contactpersoon — draag de registraties over. {p.name} heeft nog {p.activeRegistrations} actieve registratie(s).
          {console === 'organisation' ? (
            <>
              {' '}
              <Link href={`/organisatie/registraties?professional=${p.id}`}>Naar de registraties</Link>
            </>
          ) : null}
        </Alert>
      ) : null}
      <dl class="betrokken-dl">
        <dt>E-mailadres</dt>
        <dd>{p.email}</dd>
        <dt>Telefoon</dt>
        <dd>{p.phone ?? 'niet bekend'}</dd>
        <dt>Organisatie</dt>
        <dd>{p.organisationName ?? 'Gemeente (eigen medewerker)'}</dd>
        <dt>Rollen</dt>
        <dd>{rolesText(p.roles)}</dd>
        <dt>Status</dt>
        <dd>{p.active ? 'Actief' : `Gedeactiveerd${p.deactivatedAt ? ` sinds ${formatDateTime(p.deactivatedAt)}` : ''}`}</dd>
        <dt>Uitnodiging</dt>
        <dd>{p.activated ? 'Geaccepteerd' : 'Nog niet geaccepteerd'}</dd>
        <dt>Tweede stap van inloggen</dt>
        <dd>{p.hasSecondFactor ? 'Ingesteld' : 'Niet ingesteld (wordt bij de volgende keer inloggen ingesteld)'}</dd>
        <dt>Laatst ingelogd</dt>
        <dd>{p.lastLoginAt ? formatDateTime(p.lastLoginAt) : 'Nooit'}</dd>
        <dt>Actieve registraties</dt>
        <dd>{p.activeRegistrations}</dd>
      </dl>
      <Section id="acties" title="Wijzigen">
        <div class="betrokken-actions">
          <ActionLink href={`${base}/bewerken`}>Gegevens wijzigen</ActionLink>
          <ActionLink href={`${base}/rollen`}>Rollen wijzigen</ActionLink>
          {p.active && !p.activated ? <ActionLink href={`${base}/uitnodiging`}>Uitnodiging opnieuw versturen</ActionLink> : null}
          {p.active ? <ActionLink href={`${base}/tweede-factor`}>Tweede stap opnieuw instellen</ActionLink> : null}
          {p.active && p.id !== selfId ? <ActionLink href={`${base}/deactiveren`}>Deactiveren</ActionLink> : null}
          {p.active || console !== 'beheer' ? null : <ActionLink href={`${base}/activeren`}>Weer activeren</ActionLink>}
        </div>
      </Section>
      <P>
        <Link href={peopleHome(console)}>Terug naar de lijst</Link>
      </P>
    </>
  );
}

/** The actions that need only a confirmation. */
export type PersonAction = 'deactivate' | 'reactivate' | 'reset' | 'reinvite';

export const PERSON_ACTION_PATHS: Record<PersonAction, string> = {
  deactivate: 'deactiveren',
  reactivate: 'activeren',
  reset: 'tweede-factor',
  reinvite: 'uitnodiging',
};

const CONFIRM: Record<PersonAction, { title: string; text: (p: PersonView) => string; button: string; danger: boolean }> = {
  deactivate: {
    title: 'Account deactiveren',
    text: (p) =>
      `${p.name} kan daarna niet meer inloggen en wordt nergens meer als contactpersoon getoond; alle sessies eindigen direct.${
        p.activeRegistrations > 0 ? ` De ${p.activeRegistrations} actieve registratie(s) blijven bestaan tot ze zijn overgedragen of beëindigd.` : ''
      }`,
    button: 'Ja, deactiveren',
    danger: true,
  },
  reactivate: {
    title: 'Account weer activeren',
    text: (p) => `${p.name} kan daarna weer inloggen met het eigen wachtwoord en de tweede stap.`,
    button: 'Ja, activeren',
    danger: false,
  },
  reset: {
    title: 'Tweede stap opnieuw instellen',
    text: (p) =>
      `Voor als ${p.name} de telefoon met de authenticator-app kwijt is. De koppeling en de herstelcodes vervallen, alle sessies eindigen, en bij de volgende keer inloggen stelt ${p.name} de app opnieuw in. ${p.name} krijgt hiervan een e-mail.`,
    button: 'Ja, opnieuw instellen',
    danger: true,
  },
  reinvite: {
    title: 'Uitnodiging opnieuw versturen',
    text: (p) => `${p.name} krijgt een nieuwe uitnodiging per e-mail (${p.email}). Eerdere uitnodigingslinks werken daarna niet meer.`,
    button: 'Versturen',
    danger: false,
  },
};

export interface ConfirmPersonActionProps {
  console: PeopleConsole;
  person: PersonView;
  action: PersonAction;
}

export const confirmPersonActionFrame = ({ console, action }: Pick<ConfirmPersonActionProps, 'console' | 'action'>): Frame => ({
  title: CONFIRM[action].title,
  section: peopleSection(console),
  narrow: true,
});

export function ConfirmPersonActionPage({ console, person, action }: ConfirmPersonActionProps) {
  const copy = CONFIRM[action];
  const base = `${peopleBase(console)}/${person.id}`;
  return (
    <>
      <Heading level={1}>{copy.title}</Heading>
      {copy.danger ? <Alert type="warning">{copy.text(person)}</Alert> : <P>{copy.text(person)}</P>}
      <form method="post" action={`${base}/${PERSON_ACTION_PATHS[action]}`}>
        <div class="betrokken-actions">
          <Button variant={copy.danger ? 'danger' : 'primary'}>{copy.button}</Button>
          <Link href={base}>Nee, terug</Link>
        </div>
      </form>
    </>
  );
}
