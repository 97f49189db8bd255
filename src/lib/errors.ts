/**
 * Domain errors carry a code from a closed union (DESIGN rule 4). One error handler maps
 * codes to HTTP statuses; messages are written for people and never contain input values.
 */
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
