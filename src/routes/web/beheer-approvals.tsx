/** Vier ogen: overlijden bevestigen, registraties van een organisatie beëindigen; voortgang van taken (municipal admin). */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';

export const beheerApprovalPages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const beheerApprovalAccess: AccessTable = {};
