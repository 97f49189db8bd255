/**
 * How a verb's input names records and people: by an id Betrokken handed out (a random
 * UUID; the bound is the API's), or, for the acting professional of an API client, by
 * e-mail address. Verbs parse these themselves, so nothing else reaches a query.
 */
import { z } from 'zod';

export const Id = z.string({ error: 'required' }).min(1, 'required').max(64);

export const ProfessionalEmail = z.email({ error: 'Een geldig e-mailadres van de professional.' }).max(254);
