/**
 * Development only: the mails this server sent (src/notify/dev-mailbox.ts), newest first,
 * and one mail: its links, its text part, and a link to its HTML part, which is served on
 * its own (src/routes/web/dev-mail.tsx) under a policy that sandboxes it: no scripts, an
 * origin of its own, so it cannot touch this site or its cookies. Not an iframe here: the
 * page stays one document for axe and at 320 px. The text part and its links are shown below it as plain links.
 */
import type { Child } from 'hono/jsx';
import type { SeenMail } from '../../notify/dev-mailbox.ts';
import { Heading, Link, P, Table } from '../components.tsx';
import { formatDateTime } from '../labels.ts';
import type { Frame } from '../layout.tsx';

/** Long links and tokens, with break opportunities every 20 characters: nothing sticks out at 320 px (no CSS of our own here). */
function breakable(text: string): Child[] {
  return text
    .split(/(\S{21,})/)
    .flatMap((part) =>
      part.length > 20 && !/\s/.test(part) ? (part.match(/.{1,20}/g) ?? []).flatMap((chunk, i) => (i === 0 ? [chunk] : [<wbr />, chunk])) : [part],
    );
}

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
              <Link href={link}>{breakable(link)}</Link>
            </li>
          ))}
        </ul>
      )}
      <Heading level={2}>Zoals de ontvanger de e-mail ziet</Heading>
      <P>
        <Link href={`/dev/mail/${mail.id}/html`}>Open de HTML-versie</Link> (apart, zonder scripts: de e-mail kan niets op deze site doen).
      </P>
      <Heading level={2}>Tekstversie</Heading>
      {/* Paragraphs with line breaks, not <pre>: long lines wrap at 320 px (no inline style under our CSP). */}
      {mail.text.split(/\n{2,}/).map((paragraph) => (
        <p class="utrecht-paragraph">{paragraph.split('\n').map((line, i) => (i === 0 ? breakable(line) : [<br />, ...breakable(line)]))}</p>
      ))}
    </>
  );
}
