/** Advies van de registrerende professional op een verzoek van het loket. */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';

export const advicePages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const adviceAccess: AccessTable = {};
