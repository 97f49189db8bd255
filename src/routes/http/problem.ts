/**
 * RFC 9457 problem details for the API. Messages are fixed texts per error; input values
 * are never echoed (a BSN must not come back in an error).
 */
import type { Context } from 'hono';
import type { ZodError } from 'zod';
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

/** Field errors keyed by dotted path, messages only (zod issues can carry the input). */
export function fieldErrors(error: ZodError): FieldErrors {
  const fields: FieldErrors = {};
  const add = (key: string, message: string) => {
    fields[key] = [...(fields[key] ?? []), message];
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      // Unknown fields are refused: nothing but the listed fields is ever stored.
      for (const k of issue.keys) add([...issue.path, k].join('.'), 'Onbekend veld: dit veld wordt niet geaccepteerd.');
      continue;
    }
    add(issue.path.join('.') || '_', issue.message);
  }
  return fields;
}
