/** Organisaties en hun convenant, deactiveren (municipal admin). */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';

export const beheerOrganisationPages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const beheerOrganisationAccess: AccessTable = {};
