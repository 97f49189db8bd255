/** Het verzoekenloket: inzage, correctie, verwijdering en bezwaar van de jeugdige (municipal admin). */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';

export const rightsPages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const rightsAccess: AccessTable = {};
