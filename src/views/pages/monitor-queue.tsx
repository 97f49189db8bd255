/**
 * Matchopvolging (match monitor): the queue of escalated matches, oldest escalation first.
 * Only what the check needs: dates, organisations and sectors, contact and coordination.
 * One match: monitor-match.tsx.
 */
import type { MonitorFilter, MonitorQueueItem } from '../../monitor/queue.ts';
import { Heading, Link, P, Table } from '../components.tsx';
import { formatDate, SECTOR_LABELS } from '../labels.ts';
import type { Frame } from '../layout.tsx';
import type { MonitorAction } from '../../vocabulary.ts';

export const MONITOR_HOME = '/opvolging';

export const MONITOR_ACTION_LABELS: Record<MonitorAction, string> = {
  called: 'Gebeld',
  mailed: 'Gemaild',
  members_agreed: 'Leden hebben afspraken gemaakt',
  followed_up: 'Opgevolgd (uit de wachtrij)',
};

const FILTERS: { filter: MonitorFilter; label: string; href: string }[] = [
  { filter: 'open', label: 'Nog op te volgen', href: MONITOR_HOME },
  { filter: 'all', label: 'Ook afgehandeld', href: `${MONITOR_HOME}?filter=afgehandeld` },
];

export interface MonitorQueueProps {
  items: MonitorQueueItem[];
  filter: MonitorFilter;
  escalationDays: number;
  /** At most this many of each kind are shown; more exist when set. */
  limit: number;
  moreOpen: boolean;
  moreDone: boolean;
}

export const monitorQueueFrame = (): Frame => ({ title: 'Matchopvolging', section: 'monitor' });

export function MonitorQueuePage({ items, filter, escalationDays, limit, moreOpen, moreDone }: MonitorQueueProps) {
  return (
    <>
      <Heading level={1}>Matchopvolging</Heading>
      <P lead>
        Matches waarin na {escalationDays} werkdagen nog geen contact is tussen ten minste twee organisaties, of waarin nog niemand de regie heeft. Neem contact
        op met de betrokken professionals en leg vast wat u hebt gedaan.
      </P>
      <P>U ziet alleen wat u voor die controle nodig hebt: geen gegevens over de jeugdige en geen dossiernummers.</P>
      <nav aria-label="Filter de wachtrij" class="betrokken-actions">
        {FILTERS.map((f) => (
          <Link href={f.href} current={f.filter === filter}>
            {f.label}
          </Link>
        ))}
      </nav>
      {moreOpen ? (
        <P>
          Er zijn meer dan {limit} matches die nog opgevolgd moeten worden. U ziet hier de {limit} met de oudste escalatie; als u die afhandelt, komen de
          volgende in beeld.
        </P>
      ) : null}
      {moreDone ? (
        <P>
          Er zijn meer dan {limit} afgehandelde matches. U ziet hier de {limit} die het laatst zijn afgehandeld.
        </P>
      ) : null}
      {items.length === 0 ? (
        <P>Er staan geen matches in de wachtrij{filter === 'open' ? ' die nog opgevolgd moeten worden' : ''}.</P>
      ) : (
        <Table
          caption={
            filter === 'open'
              ? 'Op te volgen matches, oudste escalatie eerst'
              : 'Geëscaleerde matches: eerst de op te volgen (oudste escalatie eerst), dan de afgehandelde (laatst afgehandeld eerst)'
          }
          columns={['Match', 'Geëscaleerd op', 'Werkdagen open', 'Organisaties', 'Contact', 'Regie', 'Laatste actie']}
        >
          {items.map((item) => (
            <tr class="utrecht-table__row">
              <th class="utrecht-table__header-cell" scope="row">
                <Link href={`${MONITOR_HOME}/${item.matchId}`}>Match van {formatDate(item.createdAt)}</Link>
                {item.doneAt ? (
                  <>
                    {' '}
                    <span class="betrokken-badge betrokken-badge--ok">Afgehandeld</span>
                  </>
                ) : null}
              </th>
              <td class="utrecht-table__cell">{formatDate(item.escalatedAt)}</td>
              <td class="utrecht-table__cell">{item.workingDaysOpen}</td>
              <td class="utrecht-table__cell">
                <ul class="utrecht-unordered-list">
                  {item.organisations.map((o) => (
                    <li class="utrecht-unordered-list__item">
                      {o.name} ({SECTOR_LABELS[o.sector]})
                    </li>
                  ))}
                </ul>
              </td>
              <td class="utrecht-table__cell">
                {item.contactOrganisations} van {item.organisationCount} organisaties
              </td>
              <td class="utrecht-table__cell">{item.coordinator ? 'Ja' : item.proposed ? 'Nee (voorgesteld)' : 'Nee'}</td>
              <td class="utrecht-table__cell">
                {item.lastAction ? `${MONITOR_ACTION_LABELS[item.lastAction.kind]}, ${formatDate(item.lastAction.on)}` : 'Nog geen'}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
