/**
 * Beheer, instellingen: the follow-up deadlines in working days (with the environment's
 * default beside each) and the coordination rules per sector: the order of preference (a
 * number per sector, no JavaScript needed) and "mag alleen signaleren".
 */
import type { FollowUpSettings } from '../../settings/settings.ts';
import { SECTORS, type Sector } from '../../vocabulary.ts';
import { Button, ErrorSummary, Heading, Notice, P, Section, Table, TextField, type FormState } from '../components.tsx';
import { SECTOR_LABELS } from '../labels.ts';
import type { Frame } from '../layout.tsx';

export interface SettingsPageProps {
  current: FollowUpSettings;
  defaults: FollowUpSettings;
  state: FormState;
  done: 'opgeslagen' | 'hersteld' | null;
}

export const DAY_LABELS = {
  contactDays: 'Contact opgenomen binnen (werkdagen)',
  coordinatorDays: 'Regie afgesproken binnen (werkdagen)',
  escalationDays: 'Naar de matchmonitor na (werkdagen)',
} as const;

const DAY_HINTS: Record<keyof typeof DAY_LABELS, string> = {
  contactDays: 'Na zoveel werkdagen zonder "contact opgenomen" krijgt een betrokkene één herinnering.',
  coordinatorDays: 'Na zoveel werkdagen zonder regievoerder krijgen de betrokkenen een herinnering en wordt volgens de regels een regievoerder voorgesteld.',
  escalationDays: 'Na zoveel werkdagen zonder contact door twee organisaties of zonder regievoerder komt de match bij de matchmonitor.',
};

export const orderField = (s: Sector) => `volgorde_${s}`;
export const signalField = (s: Sector) => `signaal_${s}`;

const LABELS: Record<string, string> = {
  ...DAY_LABELS,
  signalOnlySectors: 'Mag alleen signaleren',
  coordinatorSectors: 'Volgorde voor de regie',
  ...Object.fromEntries(SECTORS.map((s) => [orderField(s), `Volgorde voor ${SECTOR_LABELS[s]}`])),
};

export const settingsFrame = ({ state }: SettingsPageProps): Frame => ({ title: 'Instellingen', section: 'beheer', hasErrors: !!state.errors });

/** The sectors as the form lists them: the preferred ones first, in order, then the others. */
function ordered(current: FollowUpSettings): Sector[] {
  return [...current.coordinatorSectors, ...SECTORS.filter((s) => !current.coordinatorSectors.includes(s))];
}

function OrderInput({ sector, value, state }: { sector: Sector; value: string; state: FormState }) {
  const name = orderField(sector);
  const id = `veld-${name}`;
  const error = state.errors?.[name]?.[0];
  const shown = state.values ? (state.values[name] ?? '') : value;
  return (
    <div class={`utrecht-form-field${error ? ' utrecht-form-field--invalid' : ''}`}>
      {error ? (
        <div class="utrecht-form-field-error-message" id={`${id}-fout`}>
          <span class="betrokken-visually-hidden">Fout: </span>
          {error}
        </div>
      ) : null}
      <input
        class={`utrecht-textbox utrecht-textbox--html-input${error ? ' utrecht-textbox--invalid' : ''}`}
        id={id}
        name={name}
        type="text"
        aria-label={`Volgorde voor ${SECTOR_LABELS[sector]}`}
        inputmode="numeric"
        size={3}
        maxlength={2}
        value={shown}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-fout` : undefined}
      />
    </div>
  );
}

function SignalInput({ sector, checked, state }: { sector: Sector; checked: boolean; state: FormState }) {
  const name = signalField(sector);
  const id = `veld-${name}`;
  const on = state.values ? state.values[name] === 'ja' : checked;
  return (
    <input
      class="utrecht-checkbox utrecht-checkbox--html-input"
      type="checkbox"
      id={id}
      name={name}
      value="ja"
      checked={on}
      aria-label={`${SECTOR_LABELS[sector]} mag alleen signaleren`}
    />
  );
}

export function SettingsPage({ current, defaults, state, done }: SettingsPageProps) {
  const signalError = state.errors?.signalOnlySectors?.[0];
  return (
    <>
      <Heading level={1}>Instellingen</Heading>
      <Notice text={done === 'opgeslagen' ? 'De instellingen zijn opgeslagen.' : done === 'hersteld' ? 'De standaardwaarden gelden weer.' : null} />
      <P lead>
        De termijnen voor de opvolging van matches en de regieregels van de gemeente. Termijnen tellen in werkdagen (zonder weekenden en feestdagen volgens de
        Algemene termijnenwet).
      </P>
      <ErrorSummary errors={state.errors} labels={LABELS} />
      <form method="post" action="/beheer/instellingen" novalidate>
        <Section id="termijnen" title="Termijnen">
          {(Object.keys(DAY_LABELS) as (keyof typeof DAY_LABELS)[]).map((field) => (
            <TextField
              name={field}
              label={DAY_LABELS[field]}
              inputmode="numeric"
              maxlength={2}
              value={String(current[field])}
              hint={`${DAY_HINTS[field]} Standaard: ${defaults[field]} werkdagen.`}
              state={state}
            />
          ))}
        </Section>
        <Section id="regieregels" title="Regieregels">
          <P>
            Geef met een nummer aan welke sector bij voorkeur de regie voert (1 het eerst). Sectoren zonder nummer komen daarna, in de volgorde van de lijst.
            Een sector die alleen mag signaleren, kan nooit de regie nemen en wordt niet voorgesteld.
          </P>
          {signalError ? (
            <div class="utrecht-form-field-error-message" id="veld-signalOnlySectors" tabindex={-1}>
              <span class="betrokken-visually-hidden">Fout: </span>
              {signalError}
            </div>
          ) : null}
          <Table caption="Regieregels per sector" columns={['Sector', 'Volgorde voor de regie', 'Mag alleen signaleren']}>
            {ordered(current).map((sector) => {
              const rank = current.coordinatorSectors.indexOf(sector);
              return (
                <tr class="utrecht-table__row">
                  <th class="utrecht-table__header-cell" scope="row">
                    {SECTOR_LABELS[sector]}
                  </th>
                  <td class="utrecht-table__cell">
                    <OrderInput sector={sector} value={rank >= 0 ? String(rank + 1) : ''} state={state} />
                  </td>
                  <td class="utrecht-table__cell">
                    <SignalInput sector={sector} checked={current.signalOnlySectors.includes(sector)} state={state} />
                  </td>
                </tr>
              );
            })}
          </Table>
          <P>
            Standaard: eerst {defaults.coordinatorSectors.map((s) => SECTOR_LABELS[s]).join(', ')}; alleen signaleren:{' '}
            {defaults.signalOnlySectors.map((s) => SECTOR_LABELS[s]).join(', ')}.
          </P>
        </Section>
        <div class="betrokken-actions">
          <Button>Opslaan</Button>
        </div>
      </form>
      <Section id="standaard" title="Standaardwaarden">
        <form method="post" action="/beheer/instellingen/standaard">
          <P>Zet alle termijnen en regels terug op de standaardwaarden van de installatie.</P>
          <Button variant="secondary">Standaardwaarden herstellen</Button>
        </form>
      </Section>
    </>
  );
}
