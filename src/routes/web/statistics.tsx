/**
 * Anonieme statistieken, kleine aantallen onderdrukt (municipal admin): the page and the same
 * figures as CSV. The verbs (src/stats/read.ts) check the permission again and audit every
 * view and export; a wrong period goes back to the form with the message beside the field.
 */
import { type Context, Hono } from 'hono';
import { exportStatistics, readStatistics } from '../../stats/read.ts';
import type { Values } from '../../views/components.tsx';
import { StatisticsPage, statisticsFrame } from '../../views/pages/statistics.tsx';
import { statisticsCsv } from '../../views/pages/statistics-csv.ts';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { ctxOf } from '../http/ctx.ts';
import { submitForm } from './forms.ts';
import { render } from './render.tsx';

export const statisticsPages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const statisticsAccess: AccessTable = {
  'GET /statistieken': 'statistics',
  'GET /statistieken.csv': 'statistics',
};

/** The period from the query: only `from` and `to`, as given (the verb validates them). */
function periodValues(c: Context<AppEnv>): Values {
  const values: Values = Object.create(null);
  for (const key of ['from', 'to']) {
    const value = c.req.query(key);
    if (value !== undefined) values[key] = value;
  }
  return values;
}

function query(values: { from?: string | undefined; to?: string | undefined }): string {
  const params = new URLSearchParams();
  if (values.from) params.set('from', values.from);
  if (values.to) params.set('to', values.to);
  const q = params.toString();
  return q ? `?${q}` : '';
}

statisticsPages.get('/statistieken', async (c) => {
  const values = periodValues(c);
  const done = await submitForm(c, values, () => readStatistics(ctxOf(c), values));
  if (!done.ok) {
    return render(c, statisticsFrame(true), <StatisticsPage state={{ values, errors: done.errors }} stats={null} csvHref={null} />, 422);
  }
  const stats = done.value;
  const shown = { from: stats.from, to: stats.to };
  return render(c, statisticsFrame(), <StatisticsPage state={{ values: shown }} stats={stats} csvHref={`/statistieken.csv${query(shown)}`} />);
});

statisticsPages.get('/statistieken.csv', async (c) => {
  const values = periodValues(c);
  const done = await submitForm(c, values, () => exportStatistics(ctxOf(c), values));
  if (!done.ok) {
    return render(c, statisticsFrame(true), <StatisticsPage state={{ values, errors: done.errors }} stats={null} csvHref={null} />, 422);
  }
  const stats = done.value;
  return c.body(statisticsCsv(stats), 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="statistieken-${stats.from}-${stats.to}.csv"`,
  });
});
