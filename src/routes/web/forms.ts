/**
 * Forms: the body is parsed by zod; on failure the page is rendered again with the values
 * kept (never passwords or codes: the components leave those empty) and every message
 * beside its field. A refused form is audited like a refused API request, whether zod
 * refused it here (readForm) or the verb did (submitForm).
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { ERROR_CODES, fieldErrors, ServiceError, type ErrorCode, type FieldErrors } from '../../lib/errors.ts';
import type { Values } from '../../views/components.tsx';
import type { AppEnv } from '../app-env.ts';
import { auditFailure } from '../http/audit-failure.ts';

export type FormResult<T> = { ok: true; data: T; values: Values } | { ok: false; errors: FieldErrors; values: Values };

export async function readForm<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<FormResult<z.output<S>>> {
  const body = await c.req.parseBody();
  const values: Values = Object.create(null); // keys are whatever the client sent
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') values[key] = value;
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data, values };
  await auditFailure(c, 'invalid_input'); // before login there is no actor: the login verbs audit those
  return { ok: false, errors: fieldErrors(parsed.error), values };
}

/** The refusals a page can show beside its fields. */
export type FormRefusalCode = 'invalid_input' | 'subject_too_old' | 'unauthorized';

export interface FormRefusal<C extends FormRefusalCode> {
  /** Which codes the page shows on the form (default: invalid_input). */
  codes?: readonly C[];
  /**
   * The field errors to show (default: the verb's own, or none). Undefined means this
   * refusal has nothing to show beside a field: it goes to the error page instead.
   */
  fields?: (error: ServiceError) => FieldErrors | undefined;
}

export type Submitted<T, C extends FormRefusalCode = 'invalid_input'> =
  | { ok: true; value: T }
  | { ok: false; errors: FieldErrors; values: Values; status: (typeof ERROR_CODES)[C] };

/**
 * Runs the verb behind a form. A refusal the page can show comes back as the form state to
 * render again (the values kept, the errors beside their fields) with its status (422, or
 * 401 for a failed login step), audited once: here, unless the verb already did. Any other
 * error goes on to the error handler.
 */
export async function submitForm<T, C extends FormRefusalCode = 'invalid_input'>(
  c: Context<AppEnv>,
  values: Values,
  run: () => Promise<T>,
  refusal: FormRefusal<C> = {},
): Promise<Submitted<T, C>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    const codes: readonly ErrorCode[] = refusal.codes ?? ['invalid_input'];
    if (!(error instanceof ServiceError) || !codes.includes(error.code)) throw error;
    const errors = refusal.fields ? refusal.fields(error) : (error.fields ?? {});
    if (!errors) throw error;
    if (!error.audited) await auditFailure(c, error.code);
    return { ok: false, errors, values, status: ERROR_CODES[error.code as C] };
  }
}
