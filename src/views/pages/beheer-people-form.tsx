/**
 * The people forms (admin's and coordinator's console): inviting a new person, editing
 * name, email address and phone, and changing roles. Roles are checkboxes named
 * `role-<role>`; their error shows beside the group.
 */
import type { PersonView } from '../../directory/people.ts';
import type { Role } from '../../vocabulary.ts';
import { Button, ErrorSummary, Heading, Link, P, TextField, type FormState } from '../components.tsx';
import type { Frame } from '../layout.tsx';
import { type PeopleConsole, peopleBase, peopleHome, peopleSection, ROLE_LABELS } from './beheer-people.tsx';

const LABELS = { name: 'Naam', email: 'E-mailadres', phone: 'Telefoon', organisationId: 'Organisatie', roles: 'Rollen' };

const ORGANISATION_ROLE_LIST: Role[] = ['professional', 'organisation_coordinator'];
const MUNICIPAL_ROLE_LIST: Role[] = ['match_monitor', 'municipal_admin', 'auditor'];

function RoleChoices({ roles, state, legend }: { roles: Role[]; state: FormState; legend: string }) {
  const error = state.errors?.roles?.[0];
  return (
    <fieldset
      class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset"
      aria-describedby={error ? 'veld-roles-fout' : undefined}
      aria-invalid={error ? 'true' : undefined}
    >
      <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">{legend}</legend>
      {error ? (
        <div class="utrecht-form-field-error-message" id="veld-roles-fout">
          <span class="betrokken-visually-hidden">Fout: </span>
          {error}
        </div>
      ) : null}
      {roles.map((role, index) => (
        <div class="utrecht-form-field utrecht-form-field--checkbox">
          <div class="utrecht-form-field__label utrecht-form-field__label--checkbox">
            <label class="utrecht-form-label utrecht-form-label--checkbox" for={index === 0 ? 'veld-roles' : `veld-role-${role}`}>
              <input
                class="utrecht-checkbox utrecht-checkbox--html-input utrecht-form-field__input"
                type="checkbox"
                id={index === 0 ? 'veld-roles' : `veld-role-${role}`}
                name={`role-${role}`}
                value="ja"
                checked={state.values?.[`role-${role}`] === 'ja'}
              />{' '}
              {ROLE_LABELS[role]}
            </label>
          </div>
        </div>
      ))}
    </fieldset>
  );
}

/** Form values for a person's current roles. */
export function roleValues(roles: readonly Role[]): Record<string, string> {
  return Object.fromEntries(roles.map((role) => [`role-${role}`, 'ja']));
}

export interface NewPersonProps {
  console: PeopleConsole;
  state: FormState;
  /** The admin chooses an organisation, or none (the municipality's own staff). */
  organisations: { id: string; name: string }[];
}

export const newPersonFrame = ({ console, state }: Pick<NewPersonProps, 'console' | 'state'>): Frame => ({
  title: 'Nieuwe persoon uitnodigen',
  section: peopleSection(console),
  hasErrors: !!state.errors,
  narrow: true,
});

export function NewPersonPage({ console, state, organisations }: NewPersonProps) {
  const organisationError = state.errors?.organisationId?.[0];
  const chosen = state.values?.organisationId ?? '';
  return (
    <>
      <Heading level={1}>Nieuwe persoon uitnodigen</Heading>
      <P>De persoon krijgt een e-mail met een link om een wachtwoord te kiezen en de tweede stap van het inloggen in te stellen.</P>
      <ErrorSummary errors={state.errors} labels={LABELS} />
      <form method="post" action={`${peopleBase(console)}/nieuw`} novalidate>
        <TextField name="name" label="Naam" autocomplete="off" maxlength={200} state={state} />
        <TextField name="email" label="E-mailadres" type="email" autocomplete="off" maxlength={254} state={state} />
        <TextField name="phone" label="Telefoon" type="tel" autocomplete="off" maxlength={40} required={false} state={state} />
        {console === 'beheer' ? (
          <div class={`utrecht-form-field${organisationError ? ' utrecht-form-field--invalid' : ''}`}>
            <div class="utrecht-form-field__label">
              <label class="utrecht-form-label" for="veld-organisationId">
                Organisatie
              </label>
            </div>
            <div class="utrecht-form-field-description utrecht-form-field__description" id="veld-organisationId-hint">
              Eigen medewerkers van de gemeente (toezichthouder, beheerder, auditor) hebben geen organisatie.
            </div>
            {organisationError ? (
              <div class="utrecht-form-field-error-message utrecht-form-field__error-message" id="veld-organisationId-fout">
                <span class="betrokken-visually-hidden">Fout: </span>
                {organisationError}
              </div>
            ) : null}
            <div class="utrecht-form-field__input">
              <select
                class="utrecht-select utrecht-select--html-select"
                id="veld-organisationId"
                name="organisationId"
                aria-describedby={`veld-organisationId-hint${organisationError ? ' veld-organisationId-fout' : ''}`}
                aria-invalid={organisationError ? 'true' : undefined}
              >
                <option value="" selected={chosen === ''}>
                  Geen: medewerker van de gemeente
                </option>
                {organisations.map((o) => (
                  <option value={o.id} selected={chosen === o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            </div>
          </div>
        ) : null}
        <RoleChoices
          legend="Rollen"
          roles={console === 'beheer' ? [...ORGANISATION_ROLE_LIST, ...MUNICIPAL_ROLE_LIST] : ORGANISATION_ROLE_LIST}
          state={state.values ? state : { values: { 'role-professional': 'ja' } }}
        />
        <div class="betrokken-actions">
          <Button>Uitnodigen</Button>
          <Link href={peopleHome(console)}>Annuleren</Link>
        </div>
      </form>
    </>
  );
}

export interface EditPersonProps {
  console: PeopleConsole;
  person: PersonView;
  state: FormState;
}

export const editPersonFrame = ({ console, state }: Pick<EditPersonProps, 'console' | 'state'>): Frame => ({
  title: 'Gegevens wijzigen',
  section: peopleSection(console),
  hasErrors: !!state.errors,
  narrow: true,
});

export function EditPersonPage({ console, person, state }: EditPersonProps) {
  const base = `${peopleBase(console)}/${person.id}`;
  const form = state.values ? state : { values: { name: person.name, email: person.email, phone: person.phone ?? '' } };
  return (
    <>
      <Heading level={1}>Gegevens wijzigen van {person.name}</Heading>
      <ErrorSummary errors={state.errors} labels={LABELS} />
      <form method="post" action={`${base}/bewerken`} novalidate>
        <TextField name="name" label="Naam" autocomplete="off" maxlength={200} state={form} />
        <TextField name="email" label="E-mailadres" hint="Hiermee logt de persoon in." type="email" autocomplete="off" maxlength={254} state={form} />
        <TextField name="phone" label="Telefoon" type="tel" autocomplete="off" maxlength={40} required={false} state={form} />
        <div class="betrokken-actions">
          <Button>Opslaan</Button>
          <Link href={base}>Annuleren</Link>
        </div>
      </form>
    </>
  );
}

export interface PersonRolesProps {
  console: PeopleConsole;
  person: PersonView;
  state: FormState;
}

export const personRolesFrame = ({ console, state }: Pick<PersonRolesProps, 'console' | 'state'>): Frame => ({
  title: 'Rollen wijzigen',
  section: peopleSection(console),
  hasErrors: !!state.errors,
  narrow: true,
});

export function PersonRolesPage({ console, person, state }: PersonRolesProps) {
  const base = `${peopleBase(console)}/${person.id}`;
  const roles = person.organisationId === null ? MUNICIPAL_ROLE_LIST : ORGANISATION_ROLE_LIST;
  return (
    <>
      <Heading level={1}>Rollen wijzigen van {person.name}</Heading>
      <P>
        {person.organisationId === null
          ? 'Een medewerker van de gemeente heeft alleen gemeentelijke rollen.'
          : 'Iemand van een organisatie is professional, contactpersoon of beide.'}
      </P>
      <ErrorSummary errors={state.errors} labels={LABELS} />
      <form method="post" action={`${base}/rollen`} novalidate>
        <RoleChoices legend="Rollen" roles={roles} state={state.values ? state : { values: roleValues(person.roles) }} />
        <div class="betrokken-actions">
          <Button>Opslaan</Button>
          <Link href={base}>Annuleren</Link>
        </div>
      </form>
    </>
  );
}
