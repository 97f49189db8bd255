/** Taken op veel registraties tegelijk: goedkeuren (vier ogen), voortgang (municipal admin). */
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { approveBulkJob, getBulkJob, listBulkJobs, rejectBulkJob } from '../../jobs/bulk-jobs.ts';
import { BULK_JOB_STATUSES } from '../../vocabulary.ts';
import { ServiceError } from '../../lib/errors.ts';
import type { FormState } from '../../views/components.tsx';
import { JobDetailPage, jobDetailFrame } from '../../views/pages/beheer-jobs-detail.tsx';
import { JOBS_HOME, JobListPage, jobListFrame } from '../../views/pages/beheer-jobs.tsx';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { ctxOf } from '../http/ctx.ts';
import { readForm } from './forms.ts';
import { render } from './render.tsx';

export const beheerJobPages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const beheerJobAccess: AccessTable = {
  [`GET ${JOBS_HOME}`]: 'beheer',
  [`GET ${JOBS_HOME}/:id`]: 'beheer',
  [`POST ${JOBS_HOME}/:id/goedkeuren`]: 'four_eyes',
  [`POST ${JOBS_HOME}/:id/afwijzen`]: 'four_eyes',
};

const ListQuery = z.object({ status: z.enum(BULK_JOB_STATUSES).optional().catch(undefined) });

const ApproveForm = z.object({
  bevestigd: z.literal('ja', { error: 'Bevestig dat alle registraties zo moeten eindigen.' }),
});

beheerJobPages.get(JOBS_HOME, async (c) => {
  const { status } = ListQuery.parse(c.req.query());
  const jobs = await listBulkJobs(ctxOf(c), status ? { status } : {});
  return render(c, jobListFrame(), <JobListPage jobs={jobs} status={status} />);
});

async function detail(c: Context<AppEnv>, extra: { refusal?: string; state?: FormState } = {}, status: 200 | 403 | 409 | 422 = 200) {
  const job = await getBulkJob(ctxOf(c), { jobId: c.req.param('id') ?? '' });
  const props = { job, selfId: c.get('session').professionalId, done: c.req.query('gedaan'), ...extra };
  return render(c, jobDetailFrame(props), <JobDetailPage {...props} />, status);
}

beheerJobPages.get(`${JOBS_HOME}/:id`, (c) => detail(c));

/** A decision the verb refused that the page explains (four eyes; decided already). */
async function decided(c: Context<AppEnv>, run: () => Promise<unknown>, done: string) {
  try {
    await run();
  } catch (error) {
    if (error instanceof ServiceError && (error.code === 'forbidden' || error.code === 'conflict'))
      return detail(c, { refusal: error.message }, error.code === 'forbidden' ? 403 : 409);
    throw error;
  }
  return c.redirect(`${JOBS_HOME}/${c.req.param('id')}?gedaan=${done}`, 303);
}

beheerJobPages.post(`${JOBS_HOME}/:id/goedkeuren`, async (c) => {
  const form = await readForm(c, ApproveForm);
  if (!form.ok) return detail(c, { state: form }, 422);
  return decided(c, () => approveBulkJob(ctxOf(c), { jobId: c.req.param('id') }), 'goedgekeurd');
});

beheerJobPages.post(`${JOBS_HOME}/:id/afwijzen`, (c) => decided(c, () => rejectBulkJob(ctxOf(c), { jobId: c.req.param('id') }), 'afgewezen'));
