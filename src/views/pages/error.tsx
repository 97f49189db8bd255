/** A page that says what went wrong (not found, refused, a dead link, too many attempts). */
import { Heading, Link, P } from '../components.tsx';
import type { Frame } from '../layout.tsx';

export interface ErrorPageProps {
  title: string;
  message: string;
}

export const errorFrame = ({ title }: ErrorPageProps): Frame => ({ title, narrow: true });

export function ErrorPage({ title, message }: ErrorPageProps) {
  return (
    <>
      <Heading level={1}>{title}</Heading>
      <P>{message}</P>
      <P>
        <Link href="/">Naar het overzicht</Link>
      </P>
    </>
  );
}
