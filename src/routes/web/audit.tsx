/**
 * Het auditlogboek: zoeken, details, export (auditor), ketenstatus (auditor en municipal
 * admin). The verbs are in src/audit/search.ts and src/audit/status.ts; they check the
 * role again and audit every view, export and check. `auditAlert` puts a failed, not yet
 * acknowledged chain check on every page of the people who may see the chain's status.
 */
import { type Context, Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { exportAuditCsv, exportFileName, filterQuery, getAuditEvent, searchAudit, BSN_REFUSED } from '../../audit/search.ts';
import { acknowledgeAuditCheck, auditAlertFor, getAuditStatus, runAuditCheck } from '../../audit/status.ts';
import { can } from '../../auth/permissions.ts';
import { ServiceError } from '../../lib/errors.ts';
import type { Values } from '../../views/components.tsx';
import { AuditEventPage, AuditSearchPage, auditEventFrame, auditSearchFrame } from '../../views/pages/audit-search.tsx';
import { AuditChainPage, AuditHomePage, auditChainFrame, auditHomeFrame } from '../../views/pages/audit-status.tsx';
import { rolesAllow } from '../../vocabulary.ts';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { ctxOf } from '../http/ctx.ts';
import { submitForm } from './forms.ts';
import { render } from './render.tsx';
import { auditRightsAccess, auditRightsPages } from './audit-rights.tsx';

export const auditPages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const auditAccess: AccessTable = {
  'GET /audit': 'audit_status',
  'GET /audit/zoeken': 'audit_trail',
  'GET /audit/gebeurtenissen/:id': 'audit_trail',
  'GET /audit/export.csv': 'audit_trail',
  'GET /audit/keten': 'audit_status',
  'POST /audit/keten': 'audit_status',
  // The auditor's alone: the admins are among those whose actions the trail records.
  'POST /audit/keten/:id/gezien': 'audit_trail',
  // A young person's trail, only through a rights request (./audit-rights.tsx).
  ...auditRightsAccess,
};

/** After the guard: loads the alert for people with `audit_status` (one small query). */
export const auditAlert = createMiddleware<AppEnv>(async (c, next) => {
  const session = c.get('session');
  if (session && rolesAllow(session.roles, 'audit_status')) {
    const check = await auditAlertFor(c.get('deps'));
    if (check) c.set('auditAlert', { id: check.id, at: check.at, brokenAt: check.brokenAt });
  }
  await next();
});

/** The query's filter values (strings only; the verb validates them). */
function queryValues(c: Context<AppEnv>): Values {
  const values: Values = Object.create(null);
  for (const [key, value] of Object.entries(c.req.query())) values[key] = value;
  return values;
}

/** The values to show again: a field refused as a BSN is emptied, so the page never shows it. */
function shownValues(values: Values, errors: Record<string, string[]>): Values {
  const shown: Values = Object.create(null);
  for (const [key, value] of Object.entries(values)) if (errors[key]?.[0] !== BSN_REFUSED && errors._?.[0] !== BSN_REFUSED) shown[key] = value;
  return shown;
}

auditPages.get('/audit', async (c) => {
  const status = await getAuditStatus(ctxOf(c));
  return render(c, auditHomeFrame(), <AuditHomePage status={status} canSearch={rolesAllow(c.get('session').roles, 'audit_trail')} />);
});

auditPages.get('/audit/zoeken', async (c) => {
  const values = queryValues(c);
  if (Object.keys(values).length === 0) return render(c, auditSearchFrame(), <AuditSearchPage state={{}} events={null} nextHref={null} exportHref={null} />);
  const done = await submitForm(c, values, () => searchAudit(ctxOf(c), values));
  if (!done.ok) {
    const state = { values: shownValues(values, done.errors), errors: done.errors };
    return render(c, auditSearchFrame(true), <AuditSearchPage state={state} events={null} nextHref={null} exportHref={null} />, 422);
  }
  const { filter, events, next } = done.value;
  const shown: Values = Object.create(null);
  for (const [key, value] of Object.entries(filter)) if (key !== 'cursor' && key !== 'limit' && value !== undefined) shown[key] = String(value);
  const query = filterQuery(filter);
  return render(
    c,
    auditSearchFrame(),
    <AuditSearchPage
      state={{ values: shown }}
      events={events}
      nextHref={next ? `/audit/zoeken?${filterQuery(filter, { cursor: next })}` : null}
      exportHref={`/audit/export.csv${query ? `?${query}` : ''}`}
    />,
  );
});

auditPages.route('/', auditRightsPages);

auditPages.get('/audit/gebeurtenissen/:id', async (c) => {
  const event = await getAuditEvent(ctxOf(c), { id: c.req.param('id') });
  return render(c, auditEventFrame(event.seq), <AuditEventPage event={event} />);
});

/**
 * The CSV of a filter, streamed. One response holds at most EXPORT_PART_ROWS rows (D1's
 * query limit per invocation); a longer export names the next part in a `Link` header.
 */
auditPages.get('/audit/export.csv', async (c) => {
  const values = queryValues(c);
  let result: Awaited<ReturnType<typeof exportAuditCsv>>;
  try {
    result = await exportAuditCsv(ctxOf(c), values);
  } catch (error) {
    // A bad filter goes back to the search page with the messages beside the fields.
    if (!(error instanceof ServiceError) || error.code !== 'invalid_input') throw error;
    const errors = error.fields ?? {};
    return render(
      c,
      auditSearchFrame(true),
      <AuditSearchPage state={{ values: shownValues(values, errors), errors }} events={null} nextHref={null} exportHref={null} />,
      422,
    );
  }
  const headers: Record<string, string> = {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${exportFileName(c.get('deps').clock.now())}"`,
  };
  if (result.next) headers.link = `</audit/export.csv?${filterQuery(result.filter, { cursor: result.next })}>; rel="next"`;
  return c.body(result.stream, 200, headers);
});

auditPages.get('/audit/keten', async (c) => {
  const status = await getAuditStatus(ctxOf(c));
  const notice = c.req.query('gecontroleerd') === '1' ? 'De keten is gecontroleerd.' : c.req.query('gezien') === '1' ? 'De melding is weggehaald.' : null;
  return render(c, auditChainFrame(), <AuditChainPage status={status} notice={notice} canAcknowledge={can(c.get('actor'), 'audit_trail')} />);
});

auditPages.post('/audit/keten', async (c) => {
  // "Volledig": from seq 1 instead of from the latest anchor (src/audit/status.ts).
  const body = await c.req.parseBody();
  await runAuditCheck(ctxOf(c), { full: body.volledig === 'ja' });
  return c.redirect('/audit/keten?gecontroleerd=1', 303);
});

auditPages.post('/audit/keten/:id/gezien', async (c) => {
  await acknowledgeAuditCheck(ctxOf(c), { id: c.req.param('id') });
  return c.redirect('/audit/keten?gezien=1', 303);
});
