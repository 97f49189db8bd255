/** Beheer, organisaties: the list with search and filters, a page at a time. */
import type { OrganisationPage } from '../../directory/organisations.ts';
import { CONVENANT_STATUSES, type ConvenantStatus, SECTORS } from '../../vocabulary.ts';
import { Button, Heading, Link, Notice, P, SelectField, Table } from '../components.tsx';
import { formatDate, SECTOR_LABELS } from '../labels.ts';
import type { Frame } from '../layout.tsx';

export const CONVENANT_STATUS_LABELS: Record<ConvenantStatus, string> = {
  pending: 'In voorbereiding',
  signed: 'Ondertekend',
  ended: 'Beëindigd',
};

export const SECTOR_OPTIONS: Record<string, string> = Object.fromEntries(SECTORS.map((s) => [s, SECTOR_LABELS[s]]));
export const CONVENANT_STATUS_OPTIONS: Record<string, string> = Object.fromEntries(CONVENANT_STATUSES.map((s) => [s, CONVENANT_STATUS_LABELS[s]]));

export interface OrganisationListQuery {
  q?: string | undefined;
  sector?: string | undefined;
  actief?: 'ja' | 'nee' | undefined;
}

export interface OrganisationListProps {
  query: OrganisationListQuery;
  result: OrganisationPage;
  notice?: string | null;
}

export const organisationListFrame = (): Frame => ({ title: 'Organisaties', section: 'beheer' });

function pageHref(query: OrganisationListQuery, page: number) {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.sector) params.set('sector', query.sector);
  if (query.actief) params.set('actief', query.actief);
  if (page > 1) params.set('pagina', String(page));
  const search = params.toString();
  return `/beheer/organisaties${search ? `?${search}` : ''}`;
}

export function OrganisationListPage({ query, result, notice }: OrganisationListProps) {
  const values = { q: query.q ?? '', sector: query.sector ?? '', actief: query.actief ?? '' };
  const filtered = !!(query.q || query.sector || query.actief);
  return (
    <>
      <Heading level={1}>Organisaties</Heading>
      <Notice text={notice} />
      <P>
        <Link href="/beheer/organisaties/nieuw">Organisatie toevoegen</Link>
      </P>
      <form method="get" action="/beheer/organisaties">
        <div class="utrecht-form-field utrecht-form-field--text">
          <div class="utrecht-form-field__label">
            <label class="utrecht-form-label" for="veld-q">
              Naam bevat
            </label>
          </div>
          <div class="utrecht-form-field__input">
            <input class="utrecht-textbox utrecht-textbox--html-input" id="veld-q" name="q" type="search" maxlength={100} value={values.q} />
          </div>
        </div>
        <SelectField name="sector" label="Sector" options={SECTOR_OPTIONS} empty="Alle sectoren" state={{ values }} />
        <SelectField name="actief" label="Status" options={{ ja: 'Actief', nee: 'Gedeactiveerd' }} empty="Actief en gedeactiveerd" state={{ values }} />
        <div class="betrokken-actions">
          <Button variant="secondary">Zoeken</Button>
          {filtered ? <Link href="/beheer/organisaties">Alle organisaties</Link> : null}
        </div>
      </form>
      {result.items.length === 0 ? (
        <P>Geen organisaties gevonden.</P>
      ) : (
        <Table
          caption={`Organisaties${filtered ? ' die aan de zoekopdracht voldoen' : ''}, op naam (${result.total}; pagina ${result.page} van ${result.pageCount})`}
          columns={['Naam', 'Sector', 'Convenant', 'Status']}
        >
          {result.items.map((o) => (
            <tr class="utrecht-table__row">
              <td class="utrecht-table__cell">
                <Link href={`/beheer/organisaties/${o.id}`}>{o.name}</Link>
              </td>
              <td class="utrecht-table__cell">{SECTOR_LABELS[o.sector]}</td>
              <td class="utrecht-table__cell">
                {CONVENANT_STATUS_LABELS[o.convenantStatus]}
                {o.convenantSignedOn ? `, ${formatDate(o.convenantSignedOn)}` : ''}
              </td>
              <td class="utrecht-table__cell">
                {o.active ? <span class="betrokken-badge betrokken-badge--ok">Actief</span> : <span class="betrokken-badge">Gedeactiveerd</span>}
              </td>
            </tr>
          ))}
        </Table>
      )}
      {result.pageCount > 1 ? (
        <nav aria-label="Pagina's" class="betrokken-actions">
          {result.page > 1 ? <Link href={pageHref(query, result.page - 1)}>Vorige pagina</Link> : null}
          {result.page < result.pageCount ? <Link href={pageHref(query, result.page + 1)}>Volgende pagina</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
