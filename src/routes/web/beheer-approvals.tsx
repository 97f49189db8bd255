/** Meldingen van overlijden: voorstellen met datum, bevestigen of afwijzen door een tweede beheerder (municipal admin, vier ogen). */
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { isoDate } from '../../lib/dates.ts';
import { ServiceError, statusOf } from '../../lib/errors.ts';
import { confirmDeath, getDeathReport, listDeathReports, proposeDeathConfirmation, rejectDeathReport } from '../../registry/death.ts';
import type { FormState } from '../../views/components.tsx';
import { DeathReportPage, deathReportFrame, DeathReportsPage, deathReportsFrame, type DeathReportProps } from '../../views/pages/beheer-death-reports.tsx';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { ctxOf } from '../http/ctx.ts';
import { readForm, submitForm } from './forms.ts';
import { render } from './render.tsx';

export const beheerApprovalPages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const beheerApprovalAccess: AccessTable = {
  'GET /beheer/overlijden': 'four_eyes',
  'GET /beheer/overlijden/:id': 'four_eyes',
  'POST /beheer/overlijden/:id/voorstellen': 'four_eyes',
  'POST /beheer/overlijden/:id/bevestigen': 'four_eyes',
  'POST /beheer/overlijden/:id/afwijzen': 'four_eyes',
};

beheerApprovalPages.get('/beheer/overlijden', async (c) => {
  const reports = await listDeathReports(ctxOf(c));
  return render(c, deathReportsFrame(), <DeathReportsPage reports={reports} done={c.req.query('gedaan')} />);
});

async function reportPage(c: Context<AppEnv>, extra: { state?: FormState; problem?: string } = {}, status: ContentfulStatusCode = 200) {
  const props: DeathReportProps = {
    report: await getDeathReport(ctxOf(c), { reportId: c.req.param('id') ?? '' }),
    me: c.get('session').professionalId,
    state: extra.state ?? {},
    problem: extra.problem,
    done: c.req.query('gedaan'),
    today: isoDate(c.get('deps').clock.now()),
  };
  return render(c, deathReportFrame(props), <DeathReportPage {...props} />, status);
}

/** A refusal the admin should read on the report's page (four eyes, already settled); anything else goes to the error page. */
async function orRefusal(c: Context<AppEnv>, run: () => Promise<unknown>, redirect: string) {
  try {
    await run();
  } catch (error) {
    if (error instanceof ServiceError && (error.code === 'forbidden' || error.code === 'conflict')) {
      return reportPage(c, { problem: error.message }, statusOf(error.code) as ContentfulStatusCode);
    }
    throw error;
  }
  return c.redirect(redirect, 303);
}

beheerApprovalPages.get('/beheer/overlijden/:id', (c) => reportPage(c));

const ProposeForm = z.object({ diedOn: z.iso.date('Vul de datum van overlijden in (dag, maand en jaar).') });

beheerApprovalPages.post('/beheer/overlijden/:id/voorstellen', async (c) => {
  const id = c.req.param('id');
  const form = await readForm(c, ProposeForm);
  if (!form.ok) return reportPage(c, { state: form }, 422);
  try {
    const done = await submitForm(c, form.values, () => proposeDeathConfirmation(ctxOf(c), { reportId: id, diedOn: form.data.diedOn }));
    if (!done.ok) return reportPage(c, { state: done }, done.status);
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'conflict') return reportPage(c, { problem: error.message }, 409);
    throw error;
  }
  return c.redirect(`/beheer/overlijden/${id}?gedaan=voorgesteld`, 303);
});

beheerApprovalPages.post('/beheer/overlijden/:id/bevestigen', (c) =>
  orRefusal(c, () => confirmDeath(ctxOf(c), { reportId: c.req.param('id') }), '/beheer/overlijden?gedaan=bevestigd'),
);

beheerApprovalPages.post('/beheer/overlijden/:id/afwijzen', (c) =>
  orRefusal(c, () => rejectDeathReport(ctxOf(c), { reportId: c.req.param('id') }), '/beheer/overlijden?gedaan=afgewezen'),
);
