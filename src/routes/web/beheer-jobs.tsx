/** Taken op veel registraties tegelijk: goedkeuren (vier ogen), voortgang (municipal admin). */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';

export const beheerJobPages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const beheerJobAccess: AccessTable = {};
