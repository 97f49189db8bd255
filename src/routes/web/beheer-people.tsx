/** Mensen: alle organisaties en de eigen medewerkers van de gemeente (municipal admin). */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';

export const beheerPeoplePages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const beheerPeopleAccess: AccessTable = {};
