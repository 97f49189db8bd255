/**
 * Beheer, API-koppelingen: the list (never a token), adding one (the token shown once, on
 * the answer to the form), and revoking one behind a confirmation.
 */
import type { ApiClientSummary } from '../../directory/api-clients.ts';
import { Alert, Button, ErrorSummary, Heading, Link, Notice, P, SelectField, Table, TextField, type FormState } from '../components.tsx';
import { formatDate } from '../labels.ts';
import type { Frame } from '../layout.tsx';

export interface ApiClientListProps {
  clients: ApiClientSummary[];
  /** Only this organisation's clients (its name), if filtered. */
  organisation: { id: string; name: string } | null;
  notice?: string | null;
}

export const apiClientListFrame = (): Frame => ({ title: 'API-koppelingen', section: 'beheer' });

export function ApiClientListPage({ clients, organisation, notice }: ApiClientListProps) {
  return (
    <>
      <Heading level={1}>API-koppelingen{organisation ? ` van ${organisation.name}` : ''}</Heading>
      <Notice text={notice} />
      <P>
        Met een API-koppeling registreert het systeem van een organisatie betrokkenheid namens haar professionals. Het token ziet u alleen bij het aanmaken;
        Betrokken bewaart alleen een afgeleide ervan.
      </P>
      <div class="betrokken-actions">
        <Link href={organisation ? `/beheer/api-koppelingen/nieuw?organisatie=${organisation.id}` : '/beheer/api-koppelingen/nieuw'}>
          API-koppeling aanmaken
        </Link>
        {organisation ? <Link href="/beheer/api-koppelingen">Alle API-koppelingen</Link> : null}
      </div>
      {clients.length === 0 ? (
        <P>Geen API-koppelingen gevonden.</P>
      ) : (
        <Table caption="API-koppelingen, actieve eerst" columns={['Organisatie', 'Naam', 'Aangemaakt', 'Limiet per minuut', 'Status', 'Actie']}>
          {clients.map((client) => (
            <tr class="utrecht-table__row">
              <td class="utrecht-table__cell">
                <Link href={`/beheer/organisaties/${client.organisationId}`}>{client.organisationName}</Link>
                {client.organisationActive ? '' : ' (gedeactiveerd)'}
              </td>
              <td class="utrecht-table__cell">{client.name}</td>
              <td class="utrecht-table__cell">{formatDate(client.createdAt)}</td>
              <td class="utrecht-table__cell">{client.rateLimitPerMinute ?? 'standaard'}</td>
              <td class="utrecht-table__cell">{client.active ? 'Actief' : 'Ingetrokken'}</td>
              <td class="utrecht-table__cell">
                {client.active ? (
                  // aria-label, not a visually hidden span: that would stick out of the scrolling table at 320 px.
                  <a class="utrecht-link" href={`/beheer/api-koppelingen/${client.id}/intrekken`} aria-label={`Intrekken: ${client.name}`}>
                    Intrekken
                  </a>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}

const LABELS = { organisationId: 'Organisatie', name: 'Naam van de koppeling', rateLimitPerMinute: 'Limiet per minuut' };

export interface NewApiClientProps {
  organisations: { id: string; name: string }[];
  state: FormState;
}

export const newApiClientFrame = ({ state }: Pick<NewApiClientProps, 'state'>): Frame => ({
  title: 'API-koppeling aanmaken',
  section: 'beheer',
  hasErrors: !!state.errors,
  narrow: true,
});

export function NewApiClientPage({ organisations, state }: NewApiClientProps) {
  return (
    <>
      <Heading level={1}>API-koppeling aanmaken</Heading>
      <ErrorSummary errors={state.errors} labels={LABELS} />
      <form method="post" action="/beheer/api-koppelingen/nieuw" novalidate>
        <SelectField
          name="organisationId"
          label={LABELS.organisationId}
          options={Object.fromEntries(organisations.map((o) => [o.id, o.name]))}
          empty="Kies een actieve organisatie"
          state={state}
        />
        <TextField name="name" label={LABELS.name} hint="Bijvoorbeeld de naam van het dossiersysteem." autocomplete="off" maxlength={200} state={state} />
        <TextField
          name="rateLimitPerMinute"
          label={LABELS.rateLimitPerMinute}
          hint="Leeg laten voor de standaardlimiet."
          inputmode="numeric"
          required={false}
          maxlength={7}
          state={state}
        />
        <div class="betrokken-actions">
          <Button>Aanmaken</Button>
          <Link href="/beheer/api-koppelingen">Annuleren</Link>
        </div>
      </form>
    </>
  );
}

export interface ApiClientCreatedProps {
  /** The new client and its token, the one time it is shown; null once it was (a reload). */
  created: { organisationName: string; name: string; token: string } | null;
}

export const apiClientCreatedFrame = ({ shown }: { shown: boolean } = { shown: false }): Frame => ({
  title: shown ? 'Token al getoond' : 'API-koppeling aangemaakt',
  section: 'beheer',
  narrow: true,
});

export function ApiClientCreatedPage({ created }: ApiClientCreatedProps) {
  if (!created) {
    return (
      <>
        <Heading level={1}>Token al getoond</Heading>
        <Alert type="info">
          Het token van een nieuwe API-koppeling wordt één keer getoond en daarna nooit meer. Bent u het kwijt? Trek de koppeling dan in en maak een nieuwe.
        </Alert>
        <P>
          <Link href="/beheer/api-koppelingen">Naar de API-koppelingen</Link>
        </P>
      </>
    );
  }
  const { organisationName, name, token } = created;
  return (
    <>
      <Heading level={1}>API-koppeling aangemaakt</Heading>
      <Alert type="warning">
        Dit is de enige keer dat u het token ziet. Geef het veilig door aan de beheerder van het systeem van {organisationName}. Bent u het kwijt, trek de
        koppeling dan in en maak een nieuwe.
      </Alert>
      <dl class="betrokken-dl">
        <dt>Koppeling</dt>
        <dd>{name}</dd>
        <dt>Token</dt>
        <dd>
          <code class="betrokken-secret">{token}</code>
        </dd>
      </dl>
      <P>
        <Link href="/beheer/api-koppelingen">Naar de API-koppelingen</Link>
      </P>
    </>
  );
}

export interface RevokeApiClientProps {
  client: ApiClientSummary;
}

export const revokeApiClientFrame = (): Frame => ({ title: 'API-koppeling intrekken', section: 'beheer', narrow: true });

export function RevokeApiClientPage({ client }: RevokeApiClientProps) {
  return (
    <>
      <Heading level={1}>API-koppeling intrekken</Heading>
      <P>
        Koppeling {client.name} van {client.organisationName}, aangemaakt op {formatDate(client.createdAt)}.
      </P>
      <Alert type="warning">
        Na het intrekken weigert Betrokken het token meteen. Dit kunt u niet ongedaan maken: voor een nieuwe koppeling krijgt u een nieuw token.
      </Alert>
      <form method="post" action={`/beheer/api-koppelingen/${client.id}/intrekken`}>
        <div class="betrokken-actions">
          <Button variant="danger">Ja, intrekken</Button>
          <Link href="/beheer/api-koppelingen">Nee, terug</Link>
        </div>
      </form>
    </>
  );
}
