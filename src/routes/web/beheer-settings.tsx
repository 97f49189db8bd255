/** Instellingen van de gemeente: termijnen voor matchopvolging en regieregels (municipal admin). */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { resetSettings, updateSettings, viewSettings } from '../../settings/update-settings.ts';
import type { FormState } from '../../views/components.tsx';
import { orderField, SettingsPage, settingsFrame, type SettingsPageProps, signalField } from '../../views/pages/beheer-settings.tsx';
import { SECTORS } from '../../vocabulary.ts';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { ctxOf } from '../http/ctx.ts';
import { readForm, submitForm } from './forms.ts';
import { render } from './render.tsx';

export const beheerSettingsPages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const beheerSettingsAccess: AccessTable = {
  'GET /beheer/instellingen': 'beheer',
  'POST /beheer/instellingen': 'beheer',
  'POST /beheer/instellingen/standaard': 'beheer',
};

async function settingsPage(c: Context<AppEnv>, state: FormState = {}, status: 200 | 422 = 200) {
  const { current, defaults } = await viewSettings(ctxOf(c));
  const done = c.req.query('gedaan');
  const props: SettingsPageProps = { current, defaults, state, done: done === 'opgeslagen' || done === 'hersteld' ? done : null };
  return render(c, settingsFrame(props), <SettingsPage {...props} />, status);
}

beheerSettingsPages.get('/beheer/instellingen', (c) => settingsPage(c));

const Days = z
  .string()
  .trim()
  .regex(/^\d{1,2}$/, 'Vul een heel aantal werkdagen in.')
  .transform(Number);
const Order = z
  .string()
  .trim()
  .regex(/^\d{0,2}$/, 'Vul een nummer in, of laat het leeg.')
  .optional();

const SettingsForm = z
  .object({
    contactDays: Days,
    coordinatorDays: Days,
    escalationDays: Days,
    ...Object.fromEntries(SECTORS.map((s) => [orderField(s), Order])),
    ...Object.fromEntries(SECTORS.map((s) => [signalField(s), z.literal('ja').optional()])),
  })
  .superRefine((form, issues) => {
    const seen = new Map<string, string>();
    for (const s of SECTORS) {
      const value = (form as unknown as Record<string, string | undefined>)[orderField(s)];
      if (!value) continue;
      const n = String(Number(value));
      if (n === '0') issues.addIssue({ code: 'custom', path: [orderField(s)], message: 'Begin bij 1.' });
      else if (seen.has(n))
        issues.addIssue({ code: 'custom', path: [orderField(s)], message: `Nummer ${n} is al gebruikt: geef elke sector een eigen nummer.` });
      seen.set(n, s);
    }
  });

beheerSettingsPages.post('/beheer/instellingen', async (c) => {
  const form = await readForm(c, SettingsForm);
  if (!form.ok) return settingsPage(c, form, 422);
  const values = form.data as Record<string, string | number | undefined>;
  const numbered = SECTORS.filter((s) => values[orderField(s)]).sort((a, b) => Number(values[orderField(a)]) - Number(values[orderField(b)]));
  const input = {
    contactDays: form.data.contactDays,
    coordinatorDays: form.data.coordinatorDays,
    escalationDays: form.data.escalationDays,
    coordinatorSectors: numbered,
    signalOnlySectors: SECTORS.filter((s) => values[signalField(s)] === 'ja'),
  };
  const done = await submitForm(c, form.values, () => updateSettings(ctxOf(c), input));
  if (!done.ok) return settingsPage(c, done, done.status);
  return c.redirect('/beheer/instellingen?gedaan=opgeslagen', 303);
});

beheerSettingsPages.post('/beheer/instellingen/standaard', async (c) => {
  await resetSettings(ctxOf(c), {});
  return c.redirect('/beheer/instellingen?gedaan=hersteld', 303);
});
