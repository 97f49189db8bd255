/**
 * Statistieken (municipal admin): per month and sector group, small figures suppressed
 * (src/stats/suppress.ts). Each topic has a table (months × sectors, with totals) and,
 * where a picture helps, an SVG chart beside it (statistics-chart.tsx).
 */
import type { CountTable, Figure, FigureTable, Statistics, Table as Grid } from '../../stats/read.ts';
import type { SectorGroup, Shown } from '../../stats/suppress.ts';
import { END_REASONS, type EndReason } from '../../vocabulary.ts';
import { Button, ErrorSummary, type FormState, Heading, Link, P, Section, Table, TextField } from '../components.tsx';
import { SECTOR_LABELS } from '../labels.ts';
import type { Frame } from '../layout.tsx';
import { BarChart } from './statistics-chart.tsx';

export const statisticsFrame = (hasErrors = false): Frame => ({ title: 'Statistieken', section: 'statistics', hasErrors });

const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

export function monthLabel(month: string, short = false): string {
  const [y, m] = month.split('-');
  const name = MONTHS[Number(m) - 1] ?? m ?? '';
  return short ? `${name.slice(0, 3)} ${y?.slice(2)}` : `${name} ${y}`;
}

export const MERGED_LABEL = 'Overige sectoren';

export function groupLabel(g: SectorGroup): string {
  return g.key === 'merged' ? MERGED_LABEL : SECTOR_LABELS[g.key];
}

/** Why a registration ended, as a heading (shorter than the form's labels). */
export const ENDED_TITLES: Record<EndReason, string> = {
  resolved: 'Afgerond',
  unjustified: 'Onterecht (verwijderd)',
  expired: 'Termijn verstreken',
  turned_23: '23 jaar geworden',
  deceased: 'Overleden',
  erasure: 'Verwijderd op verzoek of bezwaar',
};

export const SMALL = '< 5';
export const HIDDEN = 'x';
/** No own figure this month: the sector is counted under "Overige sectoren" then. */
export const ELSEWHERE = '–';
/** A follow-up figure of a month whose matches are still being followed up. */
export const INCOMPLETE = 'nog niet volledig';

export function countText(s: Shown): string {
  if (s.shown) return String(s.value);
  return { small: SMALL, secondary: HIDDEN, elsewhere: ELSEWHERE, incomplete: INCOMPLETE }[s.reason];
}

export function figureText(f: Figure, kind: 'percent' | 'days'): string {
  if (f === null) return HIDDEN;
  if (f === 'elsewhere') return ELSEWHERE;
  if (f === 'incomplete') return INCOMPLETE;
  return kind === 'percent' ? `${(Math.round(f * 1000) / 10).toLocaleString('nl-NL')}%` : f.toLocaleString('nl-NL');
}

export const FIELD_LABELS: Record<string, string> = { from: 'Eerste maand', to: 'Laatste maand' };

function PeriodForm({ state, csvHref }: { state: FormState; csvHref: string | null }) {
  return (
    <form method="get" action="/statistieken" novalidate>
      <ErrorSummary errors={state.errors} labels={FIELD_LABELS} />
      <TextField name="from" label={FIELD_LABELS.from!} hint="JJJJ-MM, bijvoorbeeld 2026-01." maxlength={7} required={false} spellcheck={false} state={state} />
      <TextField
        name="to"
        label={FIELD_LABELS.to!}
        hint="JJJJ-MM, hoogstens de vorige maand. Leeg: de twaalf afgesloten maanden vóór deze maand. Hoogstens 36 maanden."
        maxlength={7}
        required={false}
        spellcheck={false}
        state={state}
      />
      <div class="betrokken-actions">
        <Button>Periode tonen</Button>
        {csvHref ? <Link href={csvHref}>Download deze cijfers als CSV-bestand</Link> : null}
      </div>
    </form>
  );
}

function Row({ head, cells, total }: { head: string; cells: string[]; total: string }) {
  return (
    <tr class="utrecht-table__row">
      <th class="utrecht-table__header-cell" scope="row">
        {head}
      </th>
      {cells.map((c) => (
        <td class="utrecht-table__cell utrecht-table__cell--numeric">{c}</td>
      ))}
      <td class="utrecht-table__cell utrecht-table__cell--numeric">{total}</td>
    </tr>
  );
}

/** Months × sector groups with the totals, as text. */
function GridTable<T>({ caption, stats, table, text }: { caption: string; stats: Statistics; table: Grid<T>; text: (t: T) => string }) {
  return (
    <Table caption={caption} columns={['Maand', ...stats.groups.map(groupLabel), 'Totaal']}>
      {stats.months.map((m, i) => (
        <Row head={monthLabel(m)} cells={table.cells[i]!.map(text)} total={text(table.rowTotals[i]!)} />
      ))}
    </Table>
  );
}

function period(stats: Statistics): string {
  return `${monthLabel(stats.from)} tot en met ${monthLabel(stats.to)}`;
}

function Counts({ caption, stats, grid }: { caption: string; stats: Statistics; grid: CountTable }) {
  return <GridTable caption={caption} stats={stats} table={grid} text={countText} />;
}

function Figures({ caption, stats, table, kind }: { caption: string; stats: Statistics; table: FigureTable; kind: 'percent' | 'days' }) {
  return <GridTable caption={caption} stats={stats} table={table} text={(f: Figure) => figureText(f, kind)} />;
}

/** Which sectors form "Overige sectoren", per run of months with the same grouping. */
function MergedNote({ stats }: { stats: Statistics }) {
  const runs: { first: string; last: string; sectors: string }[] = [];
  for (const [i, m] of stats.months.entries()) {
    const merged = stats.monthGroups[i]!.find((g) => g.key === 'merged');
    const sectors = merged ? merged.sectors.map((s) => SECTOR_LABELS[s]).join(', ') : '';
    const previous = runs.at(-1);
    if (previous && previous.sectors === sectors) previous.last = m;
    else runs.push({ first: m, last: m, sectors });
  }
  const withMerged = runs.filter((r) => r.sectors !== '');
  if (withMerged.length === 0) return null;
  const when = (r: (typeof runs)[number]) => (r.first === r.last ? monthLabel(r.first) : `${monthLabel(r.first)} tot en met ${monthLabel(r.last)}`);
  if (runs.length === 1) return <P>{`${MERGED_LABEL}: ${withMerged[0]!.sectors}.`}</P>;
  return (
    <>
      <P>{`${MERGED_LABEL} per maand (een "${ELSEWHERE}" in een kolom betekent dat die sector die maand hieronder valt):`}</P>
      <ul class="utrecht-unordered-list">
        {runs.map((r) => (
          <li class="utrecht-unordered-list__item">{`${when(r)}: ${r.sectors === '' ? 'geen' : r.sectors}`}</li>
        ))}
      </ul>
    </>
  );
}

export function StatisticsPage({ state, stats, csvHref }: { state: FormState; stats: Statistics | null; csvHref: string | null }) {
  const short = stats?.months.map((m) => monthLabel(m, true)) ?? [];
  return (
    <>
      <Heading level={1}>Statistieken</Heading>
      <P lead>
        Cijfers per maand en per sector, zonder dat ze zijn te herleiden tot een jeugdige, een professional of een organisatie. Een aantal kleiner dan 5 staat
        er als "{SMALL}". Een "{HIDDEN}" is een cijfer dat verborgen is omdat een klein aantal anders met de totalen is terug te rekenen. Sectoren die aan het
        eind van een maand minder dan 3 organisaties hadden, staan voor die maand samen onder "{MERGED_LABEL}"; hun eigen kolom toont dan "{ELSEWHERE}". Cijfers
        per organisatie of per professional zijn er niet, en ook geen totalen over een periode: elke maand staat op zichzelf en blijft later hetzelfde, zodat
        twee periodes of twee momenten samen niets verraden. Daarom staan alleen afgesloten maanden erin, en de cijfers over de opvolging van matches pas als de
        maand minstens een volle maand voorbij is; tot dan staat er "{INCOMPLETE}".
      </P>
      <Section id="periode" title="Periode">
        <PeriodForm state={state} csvHref={csvHref} />
      </Section>
      {stats ? (
        <>
          <MergedNote stats={stats} />
          <Section id="registraties" title="Registraties en matches">
            <BarChart
              id="grafiek-registraties"
              title={`Registraties en matches per maand, ${period(stats)}`}
              description="Staafdiagram: per maand het totaal aantal nieuwe registraties en nieuwe matches. Een gearceerde staaf is een aantal kleiner dan 5; een x is verborgen. De cijfers staan in de tabellen hieronder."
              labels={short}
              series={[
                { name: 'Registraties', values: stats.registrations.rowTotals },
                { name: 'Matches', values: stats.matches.rowTotals },
              ]}
            />
            <Counts caption={`Nieuwe registraties per maand en sector, ${period(stats)}`} stats={stats} grid={stats.registrations} />
            <Counts caption={`Nieuwe matches per maand en sector, ${period(stats)}`} stats={stats} grid={stats.matches} />
            <P>Een match telt mee bij elke sector van de organisaties waarmee hij ontstond; de sectoren tellen daarom samen soms op tot meer dan het totaal.</P>
          </Section>
          <Section id="opvolging" title="Opvolging van matches">
            <BarChart
              id="grafiek-contact"
              title={`Aandeel matches met contact binnen ${stats.contactDays} werkdagen, ${period(stats)}`}
              description={`Staafdiagram: per maand waarin de match ontstond, het percentage matches waarbij binnen ${stats.contactDays} werkdagen contact was tussen twee organisaties. Een x is verborgen; een streep staat bij een maand waarvan de opvolging nog niet volledig is. De cijfers staan in de tabel hieronder.`}
              labels={short}
              series={[{ name: `Contact binnen ${stats.contactDays} werkdagen`, values: stats.contactShare.rowTotals }]}
              percent
            />
            <Figures
              caption={`Aandeel matches met contact binnen ${stats.contactDays} werkdagen, naar maand waarin de match ontstond`}
              stats={stats}
              table={stats.contactShare}
              kind="percent"
            />
            <Figures caption="Mediaan aantal werkdagen van match tot contact" stats={stats} table={stats.contactMedian} kind="days" />
            <Figures caption="Mediaan aantal werkdagen van match tot regievoerder" stats={stats} table={stats.coordinatorMedian} kind="days" />
            <Counts
              caption={`Matches doorgezet naar de matchopvolging (escalaties), naar maand waarin de match ontstond, ${period(stats)}`}
              stats={stats}
              grid={stats.escalations}
            />
          </Section>
          <Section id="beeindigd" title="Beëindigde registraties per reden">
            {END_REASONS.map((reason) => (
              <Counts caption={`${ENDED_TITLES[reason]}: beëindigde registraties per maand en sector`} stats={stats} grid={stats.ended[reason]} />
            ))}
          </Section>
        </>
      ) : null}
    </>
  );
}
