/**
 * RFC 9457 problem details for the API. Messages are fixed texts per error; input values
 * are never echoed (a BSN must not come back in an error).
 */
import type { Context } from 'hono';
import { statusOf, type ErrorCode, type FieldErrors } from '../../lib/errors.ts';

export function problemResponse(c: Context, code: ErrorCode, detail: string, fields?: FieldErrors): Response {
  const status = statusOf(code);
  const body = {
    type: `urn:betrokken:problem:${code}`,
    title: code.replace(/_/g, ' '),
    status,
    detail,
    code,
    ...(fields ? { errors: fields } : {}),
    requestId: c.get('requestId') ?? null,
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8' },
  });
}
