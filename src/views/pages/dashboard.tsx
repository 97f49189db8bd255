/** The professional's overview: new matches first, registrations not yet informed, own registrations. */
import type { MyMatch } from '../../matching/my-matches.ts';
import type { RegistrationView } from '../../registry/registration-dto.ts';
import type { OpenAdvice } from '../../rights/my-advice.ts';
import { Alert, Heading, Link, P, Section } from '../components.tsx';
import { formatDate } from '../labels.ts';
import type { Frame } from '../layout.tsx';

interface RegistrationPage {
  items: RegistrationView[];
  /** Set when there are more than shown. */
  nextCursor: string | null;
}

export interface DashboardProps {
  /** The logged-in professional's name, for the greeting. */
  name: string;
  matches: MyMatch[];
  active: RegistrationPage;
  notInformed: RegistrationPage;
  /** Requests of a young person on which the municipality asks this professional's advice. */
  advice: OpenAdvice[];
  /** Informing is due within this many days of registering. */
  informWithinDays: number;
}

export const dashboardFrame = (): Frame => ({ title: 'Overzicht', section: 'dashboard' });

const ADVICE_KIND: Record<OpenAdvice['kind'], string> = { correction: 'correctie', erasure: 'verwijdering', objection: 'bezwaar' };

export function DashboardPage({ name, matches, active, notInformed, advice, informWithinDays }: DashboardProps) {
  const fresh = matches.filter((m) => m.isNew).length;
  return (
    <>
      <Heading level={1}>Goedendag, {name}</Heading>
      <div class="betrokken-actions">
        <a class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action" href="/registrations/new">
          Signaal afgeven
        </a>
      </div>

      <Section id="matches" title={<>Matches {fresh > 0 ? <span class="betrokken-badge">{fresh} nieuw</span> : null}</>}>
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
      </Section>

      {advice.length > 0 ? (
        <Section
          id="advies"
          title={
            <>
              Advies gevraagd <span class="betrokken-badge">{advice.length}</span>
            </>
          }
        >
          <P>De gemeente vraagt uw advies over een verzoek van een jeugdige die u hebt geregistreerd. De gemeente beslist.</P>
          <ul class="betrokken-card-list">
            {advice.map((a) => (
              <li class="betrokken-card">
                <Link href={`/advies/${a.itemId}`}>Verzoek om {ADVICE_KIND[a.kind]}</Link>
                {a.adviceDueOn ? <> — advies graag vóór {formatDate(a.adviceDueOn)}</> : null}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      <Section
        id="informeren"
        title={
          <>
            Nog niet geïnformeerd{' '}
            {notInformed.items.length > 0 ? (
              <span class="betrokken-badge">
                {notInformed.items.length}
                {notInformed.nextCursor ? '+' : ''}
              </span>
            ) : null}
          </>
        }
      >
        {notInformed.items.length === 0 ? (
          <P>Er zijn geen registraties waarover u de jeugdige of ouders na {informWithinDays} dagen nog niet hebt geïnformeerd.</P>
        ) : (
          <>
            <Alert type="warning">
              Bij deze registraties is na {informWithinDays} dagen nog niet vastgelegd dat de jeugdige of de wettelijk vertegenwoordiger is geïnformeerd. Dat is
              wettelijk verplicht.
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
      </Section>

      <Section id="registraties" title="Mijn actieve registraties">
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
      </Section>
    </>
  );
}
