/**
 * Forms: the body is parsed by zod; on failure the page is rendered again with the values
 * kept (never passwords or codes: the components leave those empty) and every message
 * beside its field. A refused form is audited like a refused API request.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import type { FieldErrors } from '../../lib/errors.ts';
import type { Values } from '../../views/components.tsx';
import type { AppEnv } from '../app-env.ts';
import { auditFailure } from '../http/audit-failure.ts';
import { fieldErrors } from '../../lib/errors.ts';

export type FormResult<T> = { ok: true; data: T; values: Values } | { ok: false; errors: FieldErrors; values: Values };

export async function readForm<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<FormResult<z.output<S>>> {
  const body = await c.req.parseBody();
  const values: Values = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') values[key] = value;
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data, values };
  await auditFailure(c, 'invalid_input'); // before login there is no actor: the login verbs audit those
  return { ok: false, errors: fieldErrors(parsed.error), values };
}
