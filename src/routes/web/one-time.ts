/**
 * The named parts of one-time messages (src/auth/flash.ts) that pages show after
 * Post/Redirect/Get: what a POST used to render itself, now carried to the page after the
 * redirect and shown there exactly once. Each part is parsed with zod where it is read; a
 * part that does not parse is treated as absent.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import type { FlashValue } from '../../auth/flash.ts';
import { EarlierInvolvement } from '../api/schemas.ts';
import type { AppEnv } from '../app-env.ts';

/** The result of "Signaal afgeven", for the registration's page (registrations.tsx). */
const SignalGiven = z.object({
  registrationId: z.string(),
  created: z.boolean(),
  earlierInvolvement: z.array(EarlierInvolvement),
});
export type SignalGiven = z.output<typeof SignalGiven>;

/** New recovery codes: after enrolment (then on to the overview) or renewed on the account page. */
const RecoveryCodes = z.object({ codes: z.array(z.string()), after: z.enum(['enrolment', 'renewal']) });
export type RecoveryCodes = z.output<typeof RecoveryCodes>;

/** A new API client's token, shown once (beheer-api-clients.tsx). */
const ApiClientCreated = z.object({ name: z.string(), organisationName: z.string(), token: z.string() });
export type ApiClientCreated = z.output<typeof ApiClientCreated>;

const PARTS = { signalGiven: SignalGiven, recoveryCodes: RecoveryCodes, apiClientCreated: ApiClientCreated } as const;
type Parts = { [K in keyof typeof PARTS]: z.output<(typeof PARTS)[K]> };

/** This request's one-time part of the given name, if the message carries one. */
export function flashPart<K extends keyof Parts>(c: Context<AppEnv>, name: K): Parts[K] | undefined {
  const parsed = PARTS[name].safeParse(c.get('flash')?.[name]);
  return parsed.success ? (parsed.data as Parts[K]) : undefined;
}

export const signalGivenFlash = (value: SignalGiven): FlashValue => ({ signalGiven: value });
export const recoveryCodesFlash = (codes: string[], after: RecoveryCodes['after']): FlashValue => ({ recoveryCodes: { codes, after } });
export const apiClientFlash = (value: ApiClientCreated): FlashValue => ({ apiClientCreated: value });
