/** Mensen: alle organisaties en de eigen medewerkers van de gemeente (municipal admin). The pages: people-pages.tsx. */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { mountPeoplePages, peopleAccess } from './people-pages.tsx';

export const beheerPeoplePages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const beheerPeopleAccess: AccessTable = peopleAccess('beheer', 'beheer');

mountPeoplePages(beheerPeoplePages, 'beheer');
