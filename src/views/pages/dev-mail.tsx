/**
 * Development only: the mails this server sent (src/notify/dev-mailbox.ts), newest first,
 * and one mail as the recipient would see it. The HTML part is shown in a sandboxed iframe
 * (no scripts, no same origin: it cannot touch this page or its cookies); its links open
 * in a new tab. The iframe inherits this page's CSP, so the mail's inline styles do not
 * apply there: the layout is the mail client's business, the content and links are what
 * the preview is for. The text part and its links are shown below it as plain links.
 */
import type { SeenMail } from '../../notify/dev-mailbox.ts';
import { Heading, Link, P, Table } from '../components.tsx';
import { formatDateTime } from '../labels.ts';
import type { Frame } from '../layout.tsx';

export const devMailListFrame = (): Frame => ({ title: 'Verzonden e-mail (ontwikkeling)' });
export const devMailFrame = (mail: SeenMail): Frame => ({ title: `E-mail: ${mail.subject}` });

export function DevMailListPage({ mails }: { mails: SeenMail[] }) {
  return (
    <>
      <Heading level={1}>Verzonden e-mail (ontwikkeling)</Heading>
      <P>
        Deze pagina bestaat alleen in de ontwikkelomgeving (NODE_ENV=development). Hier staat de e-mail die deze server sinds de start heeft verstuurd (de
        laatste 50), nieuwste eerst.
      </P>
      {mails.length === 0 ? (
        <P>Nog geen e-mail verstuurd.</P>
      ) : (
        <Table caption="Verzonden e-mail, nieuwste eerst" columns={['Aan', 'Onderwerp', 'Tijd']}>
          {mails.map((mail) => (
            <tr class="utrecht-table__row">
              <td class="utrecht-table__cell">{mail.to}</td>
              <td class="utrecht-table__cell">
                <Link href={`/dev/mail/${mail.id}`}>{mail.subject}</Link>
              </td>
              <td class="utrecht-table__cell">{formatDateTime(mail.at)}</td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}

export function DevMailPage({ mail }: { mail: SeenMail }) {
  return (
    <>
      <P>
        <Link href="/dev/mail">Terug naar alle e-mail</Link>
      </P>
      <Heading level={1}>{mail.subject}</Heading>
      <dl class="betrokken-dl">
        <dt>Van</dt>
        <dd>{mail.from}</dd>
        <dt>Aan</dt>
        <dd>{mail.to}</dd>
        <dt>Tijd</dt>
        <dd>{formatDateTime(mail.at)}</dd>
      </dl>
      <Heading level={2}>Links in deze e-mail</Heading>
      {mail.links.length === 0 ? (
        <P>Geen links.</P>
      ) : (
        <ul class="utrecht-unordered-list">
          {mail.links.map((link) => (
            <li class="utrecht-unordered-list__item">
              <Link href={link}>{link}</Link>
            </li>
          ))}
        </ul>
      )}
      <Heading level={2}>Zoals de ontvanger de e-mail ziet</Heading>
      <iframe title={`E-mail: ${mail.subject}`} srcdoc={mail.html} sandbox="allow-popups allow-popups-to-escape-sandbox" width="100%" height="600" />
      <Heading level={2}>Tekstversie</Heading>
      {/* Paragraphs with line breaks, not <pre>: long lines wrap at 320 px (no inline style under our CSP). */}
      {mail.text.split(/\n{2,}/).map((paragraph) => (
        <p class="utrecht-paragraph">{paragraph.split('\n').map((line, i) => (i === 0 ? line : [<br />, line]))}</p>
      ))}
    </>
  );
}
