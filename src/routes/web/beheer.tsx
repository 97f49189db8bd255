/** The beheer console's start page (municipal admin); its sections are in beheer-*.tsx. */
import { Hono } from 'hono';
import { BeheerHomePage, beheerHomeFrame } from '../../views/pages/beheer-home.tsx';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { render } from './render.tsx';

export const beheerPages = new Hono<AppEnv>();

export const beheerAccess: AccessTable = { 'GET /beheer': 'beheer' };

beheerPages.get('/beheer', (c) => render(c, beheerHomeFrame(), <BeheerHomePage />));
