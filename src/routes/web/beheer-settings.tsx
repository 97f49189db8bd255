/** Instellingen van de gemeente: termijnen voor matchopvolging en regieregels (municipal admin). */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';

export const beheerSettingsPages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const beheerSettingsAccess: AccessTable = {};
