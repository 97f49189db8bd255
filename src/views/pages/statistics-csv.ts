/**
 * The statistics as a CSV file: the same suppressed tables as the page, one block of rows
 * per topic. Semicolon-separated with a decimal comma and a byte order mark, as Dutch Excel
 * opens it without an import dialog; "< 5", "x", "–" and "nog niet volledig" appear as on the page.
 */
import type { Figure, Statistics, Table } from '../../stats/read.ts';
import type { Shown } from '../../stats/suppress.ts';
import { END_REASONS } from '../../vocabulary.ts';
import { countText, ELSEWHERE, ENDED_TITLES, groupLabel, HIDDEN, INCOMPLETE } from './statistics.tsx';

function field(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function figure(f: Figure, percent: boolean): string {
  if (f === null) return HIDDEN;
  if (f === 'elsewhere') return ELSEWHERE;
  if (f === 'incomplete') return INCOMPLETE;
  const v = percent ? Math.round(f * 1000) / 10 : f;
  return String(v).replace('.', ',');
}

export function statisticsCsv(stats: Statistics): string {
  const header = ['Onderwerp', 'Maand', ...stats.groups.map(groupLabel), 'Totaal'];
  const lines: string[][] = [header];
  const block = <T>(topic: string, table: Table<T>, text: (t: T) => string) => {
    for (const [i, month] of stats.months.entries()) lines.push([topic, month, ...table.cells[i]!.map(text), text(table.rowTotals[i]!)]);
  };
  const counts = (s: Shown) => countText(s);
  block('Nieuwe registraties', stats.registrations, counts);
  block('Nieuwe matches', stats.matches, counts);
  block(`Aandeel matches met contact binnen ${stats.contactDays} werkdagen (%)`, stats.contactShare, (f: Figure) => figure(f, true));
  block('Mediaan werkdagen tot contact', stats.contactMedian, (f: Figure) => figure(f, false));
  block('Mediaan werkdagen tot regievoerder', stats.coordinatorMedian, (f: Figure) => figure(f, false));
  block('Escalaties naar de matchopvolging (maand waarin de match ontstond)', stats.escalations, counts);
  for (const reason of END_REASONS) block(`Beëindigd: ${ENDED_TITLES[reason]}`, stats.ended[reason], counts);
  return `\uFEFF${lines.map((l) => l.map(field).join(';')).join('\r\n')}\r\n`;
}
