/**
 * Domain errors carry a code from a closed union (docs/architecture.md). One error handler maps
 * codes to HTTP statuses; messages are written for people and never contain input values.
 */
import type { ZodError, z } from 'zod';

export const ERROR_CODES = {
  invalid_input: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  subject_too_old: 422,
  registration_not_active: 409,
  conflict: 409,
  unsupported_media_type: 415,
  payload_too_large: 413,
  too_many_requests: 429,
  internal: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export type FieldErrors = Record<string, string[]>;

export class ServiceError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldErrors | undefined;
  /** Set by a verb that already wrote the audit event for this refusal. */
  audited = false;
  constructor(code: ErrorCode, message: string, fields?: FieldErrors) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
    this.fields = fields;
  }
}

/** Marks an error whose refusal the verb has audited itself (with its own target ids). */
export function audited(error: ServiceError): ServiceError {
  error.audited = true;
  return error;
}

export function statusOf(code: ErrorCode): number {
  return ERROR_CODES[code];
}

/** Field errors keyed by dotted path, messages only (zod issues can carry the input). */
export function fieldErrors(error: ZodError): FieldErrors {
  // Prototype-less: a key such as `constructor` or `__proto__` in the input is just a key.
  const fields: FieldErrors = Object.create(null);
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

/**
 * Parses a verb's input with the verb's own schema: every verb does this first, whoever
 * called it (API, page, CLI, job), so no verb trusts its caller's validation.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ServiceError('invalid_input', 'De invoer is niet geldig.', fieldErrors(parsed.error));
  return parsed.data;
}
