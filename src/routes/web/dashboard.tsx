/** The professional's overview: new matches first, registrations not yet informed, own registrations. */
import { Hono } from 'hono';
import { listMyMatches } from '../../matching/my-matches.ts';
import { listRegistrations } from '../../registry/read-registrations.ts';
import { INFORM_WITHIN_DAYS } from '../../registry/record-informed.ts';
import { Alert, Heading, Link, P } from '../../views/components.tsx';
import { formatDate } from '../../views/labels.ts';
import type { AppEnv } from '../app-env.ts';
import { ctxOf } from '../http/ctx.ts';
import { render } from './render.tsx';

export const dashboardRoutes = new Hono<AppEnv>();

const DASHBOARD_LIMIT = 10;

dashboardRoutes.get('/', async (c) => {
  const ctx = ctxOf(c);
  const [matches, active, notInformed] = [
    await listMyMatches(ctx),
    await listRegistrations(ctx, { status: 'active', limit: DASHBOARD_LIMIT }),
    await listRegistrations(ctx, { status: 'not_informed', limit: 50 }),
  ];
  const fresh = matches.filter((m) => m.isNew).length;
  const session = c.get('session');
  return render(
    c,
    { title: 'Overzicht', section: 'dashboard' },
    <>
      <Heading level={1}>Goedendag, {session.name}</Heading>
      <div class="betrokken-actions">
        <a class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action" href="/registrations/new">
          Signaal afgeven
        </a>
      </div>

      <section aria-labelledby="matches-titel">
        <Heading level={2} id="matches-titel">
          Matches {fresh > 0 ? <span class="betrokken-badge">{fresh} nieuw</span> : null}
        </Heading>
        {matches.length === 0 ? (
          <P>
            U zit nu in geen enkele match. Zodra een professional van een andere organisatie bij dezelfde jeugdige betrokken is, ziet u dat hier en krijgt u een
            e-mail.
          </P>
        ) : (
          <ul class="betrokken-card-list">
            {matches.map((m) => (
              <li class="betrokken-card">
                <Link href={`/matches/${m.id}`}>
                  Match van {formatDate(m.createdAt)}
                  {m.reference ? `, uw kenmerk ${m.reference}` : ''}
                </Link>{' '}
                {m.isNew ? <span class="betrokken-badge">Nieuw</span> : null}
                <br />
                {m.organisations} organisaties betrokken.{' '}
                {m.coordinatorChosen ? (
                  <span class="betrokken-badge betrokken-badge--ok">Regie afgesproken</span>
                ) : (
                  <span class="betrokken-badge betrokken-badge--warn">Nog geen regie</span>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="informeren-titel">
        <Heading level={2} id="informeren-titel">
          Nog niet geïnformeerd{' '}
          {notInformed.items.length > 0 ? (
            <span class="betrokken-badge">
              {notInformed.items.length}
              {notInformed.nextCursor ? '+' : ''}
            </span>
          ) : null}
        </Heading>
        {notInformed.items.length === 0 ? (
          <P>Er zijn geen registraties waarover u de jeugdige of ouders na {INFORM_WITHIN_DAYS} dagen nog niet hebt geïnformeerd.</P>
        ) : (
          <>
            <Alert type="warning">
              Bij deze registraties is na {INFORM_WITHIN_DAYS} dagen nog niet vastgelegd dat de jeugdige of de wettelijk vertegenwoordiger is geïnformeerd. Dat
              is wettelijk verplicht.
            </Alert>
            <ul class="betrokken-card-list">
              {notInformed.items.map((r) => (
                <li class="betrokken-card">
                  <Link href={`/registrations/${r.id}`}>
                    Registratie van {formatDate(r.registeredAt)}
                    {r.reference ? `, kenmerk ${r.reference}` : ''}
                  </Link>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="registraties-titel">
        <Heading level={2} id="registraties-titel">
          Mijn actieve registraties
        </Heading>
        {active.items.length === 0 ? (
          <P>U hebt geen actieve registraties.</P>
        ) : (
          <ul class="betrokken-card-list">
            {active.items.map((r) => (
              <li class="betrokken-card">
                <Link href={`/registrations/${r.id}`}>
                  Registratie van {formatDate(r.registeredAt)}
                  {r.reference ? `, kenmerk ${r.reference}` : ''}
                </Link>
                <br />
                Loopt tot en met {formatDate(r.endsAt)}.{r.matchId ? ' In een match.' : ''}
              </li>
            ))}
          </ul>
        )}
        {active.nextCursor ? (
          <P>
            <Link href="/registrations">Alle registraties bekijken</Link>
          </P>
        ) : null}
      </section>
    </>,
  );
});
