import type { Hook } from '@hono/zod-openapi';
import { ServiceError } from '../../lib/errors.ts';
import type { AppEnv } from '../app-env.ts';
import { fieldErrors } from '../../lib/errors.ts';

/** Every validation failure becomes a 422 problem with per-field messages. */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (!result.success) {
    throw new ServiceError('invalid_input', 'De invoer is niet geldig.', fieldErrors(result.error));
  }
};
