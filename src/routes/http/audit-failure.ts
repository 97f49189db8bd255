/**
 * Every failed or refused request (API or page) is audited (NEN 7513): verbs audit the refusals they
 * decide themselves (with their target ids); everything else — validation, media type,
 * body size, conflicts, internal errors — is audited here, once, by the error handler.
 */
import type { Context } from 'hono';
import { recordAudit, type AuditOutcome } from '../../audit/audit.ts';
import type { ErrorCode } from '../../lib/errors.ts';
import type { AppEnv } from '../app-env.ts';
import { ctxOf } from './ctx.ts';
import { pathId } from './path-ids.ts';

/** Paths as the pages have them; API paths are the same after their `/api/v1` prefix. */
const ROUTES: { method: string; pattern: RegExp; action: string; target?: 'registrationId' | 'matchId'; pagesOnly?: true }[] = [
  { method: 'POST', pattern: /^\/registrations(?:\/new)?$/, action: 'registration.create' },
  { method: 'GET', pattern: /^\/registrations$/, action: 'registration.list' },
  { method: 'GET', pattern: /^\/registrations\/([^/]+)(?:\/letter|\/end)?$/, action: 'registration.read', target: 'registrationId' },
  { method: 'POST', pattern: /^\/registrations\/([^/]+)\/end$/, action: 'registration.end', target: 'registrationId' },
  { method: 'POST', pattern: /^\/registrations\/([^/]+)\/informed$/, action: 'registration.inform', target: 'registrationId' },
  { method: 'GET', pattern: /^\/matches\/([^/]+)$/, action: 'match.read', target: 'matchId' },
  { method: 'POST', pattern: /^\/matches\/([^/]+)\/coordinator$/, action: 'match.coordinate', target: 'matchId' },
  { method: 'POST', pattern: /^\/matches\/([^/]+)\/contact$/, action: 'match.contact', target: 'matchId' },
  { method: 'POST', pattern: /^\/account\/password$/, action: 'account.password_change', pagesOnly: true },
  { method: 'POST', pattern: /^\/account\/recovery-codes$/, action: 'account.recovery_codes', pagesOnly: true },
  // The people console (admin and coordinator) and the coordinator's transfer: refused forms.
  { method: 'POST', pattern: /^\/(?:beheer|organisatie)\/mensen\/nieuw$/, action: 'professional.create', pagesOnly: true },
  { method: 'POST', pattern: /^\/(?:beheer|organisatie)\/mensen\/[^/]+\/bewerken$/, action: 'professional.update', pagesOnly: true },
  { method: 'POST', pattern: /^\/(?:beheer|organisatie)\/mensen\/[^/]+\/rollen$/, action: 'professional.roles', pagesOnly: true },
  { method: 'POST', pattern: /^\/organisatie\/registraties\/overdragen$/, action: 'registration.transfer', pagesOnly: true },
  // The match monitor's forms (pathId knows /opvolging/:id).
  { method: 'POST', pattern: /^\/opvolging\/([^/]+)\/actie$/, action: 'monitor.action', target: 'matchId', pagesOnly: true },
  { method: 'POST', pattern: /^\/opvolging\/([^/]+)\/voorstel$/, action: 'monitor.propose', target: 'matchId', pagesOnly: true },
];

const OUTCOMES: Partial<Record<ErrorCode, AuditOutcome>> = {
  invalid_input: 'invalid',
  subject_too_old: 'invalid',
  unsupported_media_type: 'invalid',
  payload_too_large: 'invalid',
  forbidden: 'denied',
  unauthorized: 'denied',
  not_found: 'not_found',
};

export async function auditFailure(c: Context<AppEnv>, code: ErrorCode): Promise<void> {
  if (!c.get('actor')) return; // unauthenticated: apiAuth and the login verbs audit those
  const path = c.req.path.replace(/^\/api\/v1(?=\/)/, '');
  const api = path !== c.req.path;
  const route = ROUTES.find((r) => r.method === c.req.method && !(api && r.pagesOnly) && r.pattern.test(path));
  // Only an id of ours reaches the trail; anything else in its place is not recorded (path-ids.ts).
  const named = pathId(c.req.path);
  const id = route?.target && named?.valid ? named.id : null;
  try {
    await recordAudit(ctxOf(c), {
      action: route?.action ?? 'api.request',
      outcome: OUTCOMES[code] ?? 'error',
      ...(route?.target ? { [route.target]: id } : {}),
      detail: { code, method: c.req.method },
    });
  } catch (error) {
    c.get('deps').log('error', 'could not audit a failed request', { requestId: c.get('requestId'), error: error instanceof Error ? error.name : 'unknown' });
  }
}
