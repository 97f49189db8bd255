/** Mijn organisatie: professionals en registraties van de eigen organisatie, overdragen (organisation coordinator). */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';

export const organisationPages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const organisationAccess: AccessTable = {};
