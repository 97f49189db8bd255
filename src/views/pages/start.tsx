/**
 * The start page of a person who does not register (coordinator only, admin, auditor,
 * match monitor): what they can do here, by role. Professionals get their overview instead.
 */
import { type Permission, type Role, rolesAllow } from '../../vocabulary.ts';
import { Heading, Link, P, Section } from '../components.tsx';
import type { Frame } from '../layout.tsx';

export const startFrame = (): Frame => ({ title: 'Overzicht', section: 'dashboard' });

const TOOLS: { permission: Permission; href: string; title: string; text: string }[] = [
  {
    permission: 'organisation_people',
    href: '/organisatie',
    title: 'Mijn organisatie',
    text: 'De professionals van uw organisatie uitnodigen en beheren, en hun registraties overdragen als iemand vertrekt.',
  },
  {
    permission: 'beheer',
    href: '/beheer',
    title: 'Beheer',
    text: 'Organisaties en convenanten, mensen en rollen, API-koppelingen, de uitgaande e-mail en meldingen van overlijden.',
  },
  {
    permission: 'audit_status',
    href: '/audit',
    title: 'Audit',
    text: 'Of het auditlogboek ongeschonden is; voor de auditor ook het logboek zelf: zoeken, bekijken en exporteren.',
  },
];

export function StartPage({ name, roles }: { name: string; roles: readonly Role[] }) {
  const tools = TOOLS.filter((tool) => rolesAllow(roles, tool.permission));
  return (
    <>
      <Heading level={1}>Goedendag, {name}</Heading>
      {tools.length === 0 ? (
        <P>
          Voor uw rol is hier nog niets te doen. Matches die opvolging nodig hebben verschijnen hier zodra de matchopvolging in gebruik is. Uw account beheert u
          via <Link href="/account">Mijn account</Link>.
        </P>
      ) : (
        tools.map((tool) => (
          <Section id={tool.href.slice(1)} title={<Link href={tool.href}>{tool.title}</Link>}>
            <P>{tool.text}</P>
          </Section>
        ))
      )}
    </>
  );
}
