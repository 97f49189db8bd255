/** "Mijn registraties": the own registrations, filtered by status, newest first, a page at a time. */
import type { RegistrationView } from '../../registry/registration-dto.ts';
import { Button, Cell, Heading, Link, P, Row, Table } from '../components.tsx';
import { formatDate } from '../labels.ts';
import type { Frame } from '../layout.tsx';
import type { RegistrationFilter } from '../../vocabulary.ts';

export interface RegistrationListProps {
  status: RegistrationFilter;
  items: RegistrationView[];
  /** The cursor of the next page, if there is one. */
  nextCursor: string | null;
  /** After this many days a registration not yet informed is flagged. */
  informWithinDays: number;
}

const statusLabels = (informWithinDays: number): Record<RegistrationFilter, string> => ({
  active: 'Alle actieve',
  ending_soon: 'Binnenkort afgelopen',
  not_informed: `Na ${informWithinDays} dagen nog niet geïnformeerd`,
});

export const registrationListFrame = (): Frame => ({ title: 'Mijn registraties', section: 'registrations' });

export function RegistrationListPage({ status, items, nextCursor, informWithinDays }: RegistrationListProps) {
  const labels = statusLabels(informWithinDays);
  return (
    <>
      <Heading level={1}>Mijn registraties</Heading>
      <form method="get" action="/registrations" class="betrokken-actions">
        <div class="utrecht-form-field">
          <label class="utrecht-form-label" for="status">
            Toon
          </label>{' '}
          <select class="utrecht-select utrecht-select--html-select" id="status" name="status">
            {Object.entries(labels).map(([value, label]) => (
              <option value={value} selected={status === value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <Button variant="secondary">Filteren</Button>
      </form>
      {items.length === 0 ? (
        <P>Geen registraties gevonden.</P>
      ) : (
        <Table
          layout="stack"
          caption={<>{labels[status]} registraties, nieuwste eerst</>}
          columns={['Geregistreerd', 'Eigen kenmerk', 'Loopt tot en met', 'Geïnformeerd', 'Match']}
        >
          {items.map((r) => (
            <Row>
              <Cell label="Geregistreerd">
                <Link href={`/registrations/${r.id}`}>{formatDate(r.registeredAt)}</Link>
              </Cell>
              <Cell label="Eigen kenmerk">{r.reference ?? '—'}</Cell>
              <Cell label="Loopt tot en met">{formatDate(r.endsAt)}</Cell>
              <Cell label="Geïnformeerd">{r.informedOn ? formatDate(r.informedOn) : 'Nog niet'}</Cell>
              <Cell label="Match">{r.matchId ? <Link href={`/matches/${r.matchId}`}>Bekijken</Link> : 'Geen'}</Cell>
            </Row>
          ))}
        </Table>
      )}
      {nextCursor ? (
        <P>
          <Link href={`/registrations?${new URLSearchParams({ status, cursor: nextCursor })}`}>Volgende pagina</Link>
        </P>
      ) : null}
    </>
  );
}
