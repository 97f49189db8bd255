/** Het auditlogboek: zoeken, details, export, ketenstatus (auditor; status ook municipal admin). */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';

export const auditPages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const auditAccess: AccessTable = {};
