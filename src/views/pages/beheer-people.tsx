/**
 * The people list: the municipal admin's (every organisation and the municipality's own
 * staff, with filters) and the organisation coordinator's (their own organisation). One
 * component; `console` says whose, and so the paths and what is shown.
 */
import type { PersonView } from '../../directory/people.ts';
import type { Role } from '../../vocabulary.ts';
import { Alert, Button, Heading, Link, Notice, P, Table } from '../components.tsx';
import { formatDateTime } from '../labels.ts';
import type { Frame } from '../layout.tsx';

export const ROLE_LABELS: Record<Role, string> = {
  professional: 'Professional',
  organisation_coordinator: 'Contactpersoon organisatie',
  match_monitor: 'Toezichthouder matchopvolging',
  municipal_admin: 'Functioneel beheerder',
  auditor: 'Auditor',
};

export const rolesText = (roles: readonly Role[]) => roles.map((role) => ROLE_LABELS[role]).join(', ') || 'geen';

/** `beheer`: the admin's console under /beheer/mensen; `organisation`: the coordinator's under /organisatie/mensen. */
export type PeopleConsole = 'beheer' | 'organisation';

export const peopleBase = (console: PeopleConsole) => (console === 'beheer' ? '/beheer/mensen' : '/organisatie/mensen');
/** The list page of each console. */
export const peopleHome = (console: PeopleConsole) => (console === 'beheer' ? '/beheer/mensen' : '/organisatie');
export const peopleSection = (console: PeopleConsole) => (console === 'beheer' ? 'beheer' : 'organisation');

/** What was just done (the `gedaan` query after a redirect), said once. */
export const PEOPLE_NOTICES: Record<string, string> = {
  uitgenodigd: 'De persoon is aangemaakt en heeft een uitnodiging per e-mail gekregen.',
  bewerkt: 'De gegevens zijn opgeslagen.',
  rollen: 'De rollen zijn gewijzigd.',
  gedeactiveerd: 'Het account is gedeactiveerd; alle sessies zijn beëindigd.',
  geactiveerd: 'Het account is weer actief.',
  'tweede-factor': 'De tweede stap is opnieuw ingesteld. De persoon krijgt daarvan bericht en koppelt bij de volgende keer inloggen de app opnieuw.',
  uitnodiging: 'Er is een nieuwe uitnodiging verstuurd; eerdere links werken niet meer.',
};

export interface PeopleFilter {
  search?: string | undefined;
  organisationId?: string | undefined;
  role?: Role | undefined;
  active?: 'ja' | 'nee' | undefined;
}

export interface PeopleListProps {
  console: PeopleConsole;
  items: PersonView[];
  total: number;
  nextCursor: string | null;
  filter: PeopleFilter;
  /** For the admin's organisation filter (the municipality's own staff are an option of their own). */
  organisations: { id: string; name: string }[];
  municipalityId: string;
  /** The coordinator's organisation. */
  organisationName?: string | null | undefined;
  done?: string | undefined;
}

export const peopleListFrame = ({ console }: Pick<PeopleListProps, 'console'>): Frame => ({
  title: console === 'beheer' ? 'Mensen' : 'Mijn organisatie',
  section: peopleSection(console),
});

function Select({ id, label, value, options }: { id: string; label: string; value: string | undefined; options: [string, string][] }) {
  return (
    <div class="utrecht-form-field">
      <label class="utrecht-form-label" for={id}>
        {label}
      </label>{' '}
      <select class="utrecht-select utrecht-select--html-select" id={id} name={id}>
        {options.map(([v, text]) => (
          <option value={v} selected={(value ?? '') === v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

function queryOf(filter: PeopleFilter, cursor?: string): string {
  const params = new URLSearchParams();
  if (filter.search) params.set('zoek', filter.search);
  if (filter.organisationId) params.set('organisatie', filter.organisationId);
  if (filter.role) params.set('rol', filter.role);
  if (filter.active) params.set('actief', filter.active);
  if (cursor) params.set('vanaf', cursor);
  return params.toString();
}

export function PeopleListPage(props: PeopleListProps) {
  const { console, items, total, nextCursor, filter } = props;
  const base = peopleBase(console);
  const home = peopleHome(console);
  const orphaned = items.filter((p) => !p.active && p.activeRegistrations > 0);
  const roleOptions = (console === 'beheer' ? (Object.keys(ROLE_LABELS) as Role[]) : (['professional', 'organisation_coordinator'] as Role[])).map(
    (role): [string, string] => [role, ROLE_LABELS[role]],
  );
  return (
    <>
      <Heading level={1}>{console === 'beheer' ? 'Mensen' : `Mijn organisatie${props.organisationName ? `: ${props.organisationName}` : ''}`}</Heading>
      <Notice text={PEOPLE_NOTICES[props.done ?? '']} />
      {console === 'organisation' ? (
        <P>
          Hier beheert u de professionals van uw organisatie. <Link href="/organisatie/registraties">Registraties van uw organisatie</Link>
        </P>
      ) : null}
      {orphaned.length > 0 ? (
        <Alert type="warning">
          {orphaned.map((p) => (
            <div>
              {p.name}: geen actieve contactpersoon — draag de registraties over ({p.activeRegistrations} actief).
              {console === 'organisation' ? (
                <>
                  {' '}
                  <Link href={`/organisatie/registraties?professional=${p.id}`}>Registraties van {p.name}</Link>
                </>
              ) : null}
            </div>
          ))}
        </Alert>
      ) : null}
      <P>
        <Link href={`${base}/nieuw`}>Nieuwe persoon uitnodigen</Link>
      </P>
      <form method="get" action={home} class="betrokken-actions">
        <div class="utrecht-form-field">
          <label class="utrecht-form-label" for="zoek">
            Zoek op naam of e-mailadres
          </label>{' '}
          <input class="utrecht-textbox utrecht-textbox--html-input" id="zoek" name="zoek" type="search" value={filter.search ?? ''} maxlength={100} />
        </div>
        {console === 'beheer' ? (
          <Select
            id="organisatie"
            label="Organisatie"
            value={filter.organisationId}
            options={[
              ['', 'Alle'],
              [props.municipalityId, 'Gemeente (eigen medewerkers)'],
              ...props.organisations.map((o): [string, string] => [o.id, o.name]),
            ]}
          />
        ) : null}
        <Select id="rol" label="Rol" value={filter.role} options={[['', 'Alle'], ...roleOptions]} />
        <Select
          id="actief"
          label="Status"
          value={filter.active}
          options={[
            ['', 'Alle'],
            ['ja', 'Actief'],
            ['nee', 'Gedeactiveerd'],
          ]}
        />
        <Button variant="secondary">Zoeken</Button>
      </form>
      {items.length === 0 ? (
        <P>Geen mensen gevonden.</P>
      ) : (
        <Table
          caption={<>Mensen ({total}), op naam</>}
          columns={['Naam', 'E-mailadres', ...(console === 'beheer' ? ['Organisatie'] : []), 'Rollen', 'Status', 'Laatst ingelogd']}
        >
          {items.map((p) => (
            <tr class="utrecht-table__row">
              <td class="utrecht-table__cell">
                <Link href={`${base}/${p.id}`}>{p.name}</Link>
              </td>
              <td class="utrecht-table__cell">{p.email}</td>
              {console === 'beheer' ? <td class="utrecht-table__cell">{p.organisationName ?? 'Gemeente'}</td> : null}
              <td class="utrecht-table__cell">{rolesText(p.roles)}</td>
              <td class="utrecht-table__cell">
                {p.active ? (p.activated ? 'Actief' : 'Uitgenodigd') : 'Gedeactiveerd'}
                {!p.active && p.activeRegistrations > 0 ? ' — geen actieve contactpersoon' : ''}
              </td>
              <td class="utrecht-table__cell">{p.lastLoginAt ? formatDateTime(p.lastLoginAt) : 'Nooit'}</td>
            </tr>
          ))}
        </Table>
      )}
      {nextCursor ? (
        <P>
          <Link href={`${home}?${queryOf(filter, nextCursor)}`}>Volgende pagina</Link>
        </P>
      ) : null}
    </>
  );
}
