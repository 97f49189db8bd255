/**
 * The coordinator's view of their organisation's active registrations — no subject data:
 * registration number, own case number, professional, dates, informed, match — and the
 * transfer of one registration, or all of a professional's, to an active colleague.
 */
import type { PersonView } from '../../directory/people.ts';
import type { OrganisationRegistration } from '../../registry/transfer.ts';
import { Alert, Button, ErrorSummary, Heading, Link, Notice, P, Table, type FormState } from '../components.tsx';
import { formatDate } from '../labels.ts';
import type { Frame } from '../layout.tsx';

export interface OrganisationRegistrationsProps {
  items: OrganisationRegistration[];
  nextCursor: string | null;
  /** Everyone of the organisation, for the filter (deactivated ones too: theirs need a new owner). */
  people: { id: string; name: string; active: boolean; activeRegistrations: number }[];
  professionalId: string | undefined;
  /** What was just done. */
  notice: string | null;
}

export const organisationRegistrationsFrame = (): Frame => ({ title: 'Registraties van uw organisatie', section: 'organisation' });

export function OrganisationRegistrationsPage({ items, nextCursor, people, professionalId, notice }: OrganisationRegistrationsProps) {
  const chosen = people.find((p) => p.id === professionalId);
  return (
    <>
      <Heading level={1}>Registraties van uw organisatie</Heading>
      <Notice text={notice} />
      <P>
        U ziet hier de actieve registraties van uw organisatie, zonder gegevens over de jeugdigen. Vertrekt een professional, draag diens registraties dan over
        aan een collega. <Link href="/organisatie">Terug naar Mijn organisatie</Link>
      </P>
      <form method="get" action="/organisatie/registraties" class="betrokken-actions">
        <div class="utrecht-form-field">
          <label class="utrecht-form-label" for="professional">
            Professional
          </label>{' '}
          <select class="utrecht-select utrecht-select--html-select" id="professional" name="professional">
            <option value="" selected={!professionalId}>
              Alle professionals
            </option>
            {people.map((p) => (
              <option value={p.id} selected={p.id === professionalId}>
                {p.name}
                {p.active ? '' : ' (gedeactiveerd)'}
              </option>
            ))}
          </select>
        </div>
        <Button variant="secondary">Filteren</Button>
      </form>
      {chosen && !chosen.active && chosen.activeRegistrations > 0 ? (
        <Alert type="warning">{chosen.name}: geen actieve contactpersoon — draag de registraties over.</Alert>
      ) : null}
      {chosen && chosen.activeRegistrations > 0 ? (
        <P>
          <a
            class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action"
            href={`/organisatie/registraties/overdragen?van=${chosen.id}`}
          >
            Alle {chosen.activeRegistrations} registratie(s) van {chosen.name} overdragen
          </a>
        </P>
      ) : null}
      {items.length === 0 ? (
        <P>Geen actieve registraties gevonden.</P>
      ) : (
        <Table
          caption={<>Actieve registraties{chosen ? ` van ${chosen.name}` : ''}, nieuwste eerst</>}
          columns={['Registratienummer', 'Eigen kenmerk', 'Professional', 'Geregistreerd', 'Loopt tot en met', 'Geïnformeerd', 'Match', 'Overdragen']}
        >
          {items.map((r) => (
            <tr class="utrecht-table__row">
              <td class="utrecht-table__cell">{r.id}</td>
              <td class="utrecht-table__cell">{r.reference ?? '—'}</td>
              <td class="utrecht-table__cell">{r.professionalName}</td>
              <td class="utrecht-table__cell">{formatDate(r.registeredAt)}</td>
              <td class="utrecht-table__cell">{formatDate(r.endsOn)}</td>
              <td class="utrecht-table__cell">{r.informed ? 'Ja' : 'Nee'}</td>
              <td class="utrecht-table__cell">{r.inMatch ? 'Ja' : 'Nee'}</td>
              <td class="utrecht-table__cell">
                <a
                  class="utrecht-link"
                  href={`/organisatie/registraties/overdragen?${new URLSearchParams({ van: r.professionalId, registratie: r.id })}`}
                  aria-label={`Overdragen: registratie ${r.id}`}
                >
                  Overdragen
                </a>
              </td>
            </tr>
          ))}
        </Table>
      )}
      {nextCursor ? (
        <P>
          <Link href={`/organisatie/registraties?${new URLSearchParams({ ...(professionalId ? { professional: professionalId } : {}), vanaf: nextCursor })}`}>
            Volgende pagina
          </Link>
        </P>
      ) : null}
    </>
  );
}

export interface TransferProps {
  from: PersonView;
  /** One registration, or (null) all of `from`'s active registrations. */
  registrationId: string | null;
  colleagues: { id: string; name: string }[];
  state: FormState;
}

export const transferFrame = ({ state }: Pick<TransferProps, 'state'>): Frame => ({
  title: 'Registraties overdragen',
  section: 'organisation',
  hasErrors: !!state.errors,
  narrow: true,
});

export function TransferPage({ from, registrationId, colleagues, state }: TransferProps) {
  const error = state.errors?.naar?.[0];
  const choices = colleagues.filter((c) => c.id !== from.id);
  return (
    <>
      <Heading level={1}>Registraties overdragen</Heading>
      <P>
        {registrationId
          ? `U draagt registratie ${registrationId} van ${from.name} over aan een collega.`
          : `U draagt alle ${from.activeRegistrations} actieve registratie(s) van ${from.name} over aan een collega. Dit gebeurt op de achtergrond.`}{' '}
        Een eventuele match gaat mee; de andere leden van de match krijgen bericht over de nieuwe contactpersoon. Is de collega al betrokken bij dezelfde
        jeugdige, dan blijft die registratie staan.
      </P>
      <ErrorSummary errors={state.errors} labels={{ naar: 'Collega' }} />
      {choices.length === 0 ? (
        <Alert type="warning">Er is geen andere actieve professional in uw organisatie. Nodig eerst een collega uit.</Alert>
      ) : (
        <form method="post" action="/organisatie/registraties/overdragen" novalidate>
          <input type="hidden" name="van" value={from.id} />
          {registrationId ? <input type="hidden" name="registratie" value={registrationId} /> : null}
          <div class={`utrecht-form-field${error ? ' utrecht-form-field--invalid' : ''}`}>
            <div class="utrecht-form-field__label">
              <label class="utrecht-form-label" for="veld-naar">
                Collega
              </label>
            </div>
            {error ? (
              <div class="utrecht-form-field-error-message utrecht-form-field__error-message" id="veld-naar-fout">
                <span class="betrokken-visually-hidden">Fout: </span>
                {error}
              </div>
            ) : null}
            <div class="utrecht-form-field__input">
              <select
                class="utrecht-select utrecht-select--html-select"
                id="veld-naar"
                name="naar"
                aria-invalid={error ? 'true' : undefined}
                aria-describedby={error ? 'veld-naar-fout' : undefined}
              >
                <option value="">Kies een collega</option>
                {choices.map((c) => (
                  <option value={c.id} selected={state.values?.naar === c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div class="betrokken-actions">
            <Button>Ja, overdragen</Button>
            <Link href={`/organisatie/registraties?professional=${from.id}`}>Nee, terug</Link>
          </div>
        </form>
      )}
    </>
  );
}
