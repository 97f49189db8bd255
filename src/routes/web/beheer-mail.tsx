/** De uitgaande e-mail: wachtend, verzonden, mislukt; opnieuw proberen (municipal admin). */
import { Hono } from 'hono';
import { z } from 'zod';
import { listOutbox, OUTBOX_STATUSES, retryOutbox } from '../../notify/outbox-admin.ts';
import { ServiceError } from '../../lib/errors.ts';
import { MailListPage, mailListFrame } from '../../views/pages/beheer-mail.tsx';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { ctxOf } from '../http/ctx.ts';
import { render } from './render.tsx';

export const beheerMailPages = new Hono<AppEnv>();

/** What each route needs (src/routes/http/access.ts). */
export const beheerMailAccess: AccessTable = {
  'GET /beheer/mail': 'beheer',
  'POST /beheer/mail/:id/opnieuw': 'beheer',
};

const NOTICES = {
  opnieuw: 'De e-mail staat weer klaar om te versturen.',
  nieuwelink: 'Er is een nieuwe link verstuurd; de oude werkt niet meer.',
} as const;

const ListQuery = z.object({
  status: z.enum(OUTBOX_STATUSES).catch('pending'),
  cursor: z
    .string()
    .regex(/^\d{1,15}\.[A-Za-z0-9-]{1,64}$/)
    .optional()
    .catch(undefined),
  gedaan: z.enum(['opnieuw', 'nieuwelink']).optional().catch(undefined),
});

beheerMailPages.get('/beheer/mail', async (c) => {
  const { status, cursor, gedaan } = ListQuery.parse(c.req.query());
  const page = await listOutbox(ctxOf(c), { status, cursor });
  return render(c, mailListFrame(), <MailListPage status={status} {...page} notice={gedaan ? NOTICES[gedaan] : null} />);
});

beheerMailPages.post('/beheer/mail/:id/opnieuw', async (c) => {
  const id = z.uuid().safeParse(c.req.param('id'));
  if (!id.success) throw new ServiceError('not_found', 'E-mail niet gevonden.');
  const { outcome } = await retryOutbox(ctxOf(c), { outboxId: id.data });
  return c.redirect(`/beheer/mail?status=dead&gedaan=${outcome === 'reissued' ? 'nieuwelink' : 'opnieuw'}`, 303);
});
