/**
 * Beheer, e-mail: the outbox by status, newest first, a page at a time. Never a mail's
 * content (an account mail carries its single-use link until it is sent): the template, the
 * address, the dates, the attempts and the last failure only.
 */
import type { OutboxItem, OutboxStatus } from '../../notify/outbox-admin.ts';
import { Heading, Link, Notice, P, Table } from '../components.tsx';
import { formatDateTime } from '../labels.ts';
import type { Frame } from '../layout.tsx';

export const MAIL_STATUS_LABELS: Record<OutboxStatus, string> = { pending: 'Wachtend', sent: 'Verzonden', dead: 'Mislukt' };

const CAPTIONS: Record<OutboxStatus, string> = { pending: 'Wachtende e-mail', sent: 'Verzonden e-mail', dead: 'Mislukte e-mail' };

export const TEMPLATE_LABELS: Record<string, string> = {
  invitation: 'Uitnodiging',
  password_reset: 'Nieuw wachtwoord',
  match_created: 'Nieuwe match',
  match_joined: 'Match (aangesloten)',
  match_member_added: 'Nieuw lid in match',
  match_member_left: 'Lid uit match',
  match_closed: 'Match gesloten',
  coordinator_chosen: 'Regie afgesproken',
  registration_ended: 'Registratie beëindigd',
};

export interface MailListProps {
  status: OutboxStatus;
  items: OutboxItem[];
  counts: Record<OutboxStatus, number>;
  nextCursor: string | null;
  notice?: string | null;
}

export const mailListFrame = (): Frame => ({ title: 'E-mail', section: 'beheer' });

export function MailListPage({ status, items, counts, nextCursor, notice }: MailListProps) {
  const showError = status !== 'sent';
  const columns = ['Soort', 'Aan', 'Aangemaakt', 'Pogingen', status === 'pending' ? 'Volgende poging' : status === 'sent' ? 'Verzonden' : null];
  if (showError) columns.push('Laatste fout');
  if (status === 'dead') columns.push('Actie');
  return (
    <>
      <Heading level={1}>E-mail</Heading>
      <Notice text={notice} />
      <nav aria-label="Status van de e-mail">
        <ul class="betrokken-actions">
          {(Object.keys(MAIL_STATUS_LABELS) as OutboxStatus[]).map((s) => (
            <li>
              <Link href={`/beheer/mail?status=${s}`} current={s === status}>
                {MAIL_STATUS_LABELS[s]} ({counts[s]})
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {status === 'dead' ? (
        <P>
          Mislukte e-mail kunt u opnieuw laten versturen. Bij een uitnodiging of een link voor een nieuw wachtwoord is de oude link niet meer te gebruiken: de
          persoon krijgt dan een nieuwe link.
        </P>
      ) : null}
      {items.length === 0 ? (
        <P>Geen e-mail met deze status.</P>
      ) : (
        <Table caption={`${CAPTIONS[status]}, nieuwste eerst`} columns={columns.filter((c): c is string => c !== null)}>
          {items.map((m) => (
            <tr class="utrecht-table__row">
              <td class="utrecht-table__cell">{TEMPLATE_LABELS[m.template] ?? m.template}</td>
              <td class="utrecht-table__cell">{m.recipientEmail}</td>
              <td class="utrecht-table__cell">{formatDateTime(m.createdAt)}</td>
              <td class="utrecht-table__cell">{m.attempts}</td>
              {status === 'pending' ? <td class="utrecht-table__cell">{m.nextAttemptAt ? formatDateTime(m.nextAttemptAt) : '—'}</td> : null}
              {status === 'sent' ? <td class="utrecht-table__cell">{m.sentAt ? formatDateTime(m.sentAt) : '—'}</td> : null}
              {showError ? <td class="utrecht-table__cell">{m.replaced ? 'Vervangen door een nieuwe link' : (m.lastError ?? '—')}</td> : null}
              {status === 'dead' ? (
                <td class="utrecht-table__cell">
                  {m.retryable ? (
                    <form method="post" action={`/beheer/mail/${m.id}/opnieuw`}>
                      {/* aria-label, not a visually hidden span: that would stick out of the scrolling table at 320 px. */}
                      <button
                        class="utrecht-button utrecht-button--secondary-action"
                        type="submit"
                        aria-label={`${m.reissues ? 'Nieuwe link sturen' : 'Opnieuw versturen'}: ${TEMPLATE_LABELS[m.template] ?? m.template} aan ${m.recipientEmail}`}
                      >
                        {m.reissues ? 'Nieuwe link sturen' : 'Opnieuw versturen'}
                      </button>
                    </form>
                  ) : (
                    '—'
                  )}
                </td>
              ) : null}
            </tr>
          ))}
        </Table>
      )}
      {nextCursor ? (
        <P>
          <Link href={`/beheer/mail?${new URLSearchParams({ status, cursor: nextCursor })}`}>Volgende pagina</Link>
        </P>
      ) : null}
    </>
  );
}
