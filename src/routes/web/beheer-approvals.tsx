/** Meldingen van overlijden: voorstellen met datum, bevestigen of afwijzen door een tweede beheerder (municipal admin, vier ogen). */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';

export const beheerApprovalPages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const beheerApprovalAccess: AccessTable = {};
