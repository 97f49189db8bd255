/** De uitgaande e-mail: wachtend, verzonden, mislukt; opnieuw proberen (municipal admin). */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';

export const beheerMailPages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const beheerMailAccess: AccessTable = {};
