/** De wachtrij van de toezichthouder matchopvolging: geëscaleerde matches, acties, regievoorstel (match monitor). */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';

export const monitorPages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const monitorAccess: AccessTable = {};
