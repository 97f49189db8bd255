/** Anonieme statistieken, kleine aantallen onderdrukt (municipal admin). */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';

export const statisticsPages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const statisticsAccess: AccessTable = {};
