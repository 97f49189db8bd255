/**
 * The auditor's way to a young person's audit trail: only through a rights request's id
 * (src/rights/trail.ts). Mounted by ./audit.tsx.
 */
import { Hono } from 'hono';
import { RequestTrailInput, requestAuditTrail } from '../../rights/trail.ts';
import { AuditRequestFormPage, auditRequestFormFrame, AuditRequestTrailPage, auditRequestTrailFrame } from '../../views/pages/audit-request-trail.tsx';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { auditFailure } from '../http/audit-failure.ts';
import { ctxOf } from '../http/ctx.ts';
import { render } from './render.tsx';

export const auditRightsPages = new Hono<AppEnv>();

export const auditRightsAccess: AccessTable = {
  'GET /audit/verzoeken': 'audit_trail',
  'GET /audit/verzoeken/:id': 'audit_trail',
};

auditRightsPages.get('/audit/verzoeken', async (c) => {
  const id = c.req.query('id');
  if (id === undefined) return render(c, auditRequestFormFrame(false), <AuditRequestFormPage state={{}} />);
  const parsed = RequestTrailInput.safeParse({ requestId: id });
  if (!parsed.success) {
    await auditFailure(c, 'invalid_input');
    // The value is not shown again: whatever was typed (a BSN, say) stays out of the page.
    return render(c, auditRequestFormFrame(true), <AuditRequestFormPage state={{ errors: { id: parsed.error.issues.map((i) => i.message) } }} />, 422);
  }
  return c.redirect(`/audit/verzoeken/${parsed.data.requestId}`, 303);
});

auditRightsPages.get('/audit/verzoeken/:id', async (c) => {
  const trail = await requestAuditTrail(ctxOf(c), { requestId: c.req.param('id') });
  return render(c, auditRequestTrailFrame(), <AuditRequestTrailPage trail={trail} />);
});
