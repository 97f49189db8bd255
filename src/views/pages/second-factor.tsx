/**
 * The second factor: why it is needed, linking an authenticator app (a QR code drawn
 * here, no external service) and the recovery codes, shown once.
 */
import { encode } from 'uqr';
import { Alert, Button, ErrorSummary, Heading, Link, P, type FormState, CodeField } from '../components.tsx';
import type { Frame } from '../layout.tsx';

export const enrolIntroFrame = (): Frame => ({ title: 'Tweede stap instellen', narrow: true });

export function EnrolIntroPage() {
  return (
    <>
      <Heading level={1}>Tweede stap instellen</Heading>
      <P>
        Betrokken bevat gegevens over kinderen en jongeren. Daarom logt iedereen in met een wachtwoord én een code uit een authenticator-app op de telefoon. Dat
        stelt u nu eenmalig in.
      </P>
      <form method="post" action="/login/enrol/start">
        <Button>Beginnen</Button>
      </form>
    </>
  );
}

/** The QR code as SVG, drawn here from the module matrix (no image service, no raw HTML). */
function QrCode({ text }: { text: string }) {
  const { data, size } = encode(text, { ecc: 'M', border: 2 });
  let d = '';
  for (const [y, row] of data.entries()) {
    for (const [x, dark] of row.entries()) if (dark) d += `M${x},${y}h1v1h-1z`;
  }
  return (
    <div class="betrokken-qr">
      <svg
        xmlns="http://www.w3.org/2000/svg"
        viewBox={`0 0 ${size} ${size}`}
        role="img"
        aria-label="QR-code om Betrokken aan uw authenticator-app toe te voegen"
        shape-rendering="crispEdges"
      >
        <rect width={size} height={size} fill="#fff" />
        <path d={d} fill="#000" />
      </svg>
    </div>
  );
}

export interface EnrolProps {
  /** The secret to type over, and the otpauth: URI the QR code carries. */
  enrolment: { secret: string; uri: string };
  state: FormState;
}

export const enrolFrame = ({ state }: EnrolProps): Frame => ({ title: 'Authenticator-app koppelen', narrow: true, hasErrors: !!state.errors });

export function EnrolPage({ enrolment, state }: EnrolProps) {
  const grouped = enrolment.secret.replace(/(.{4})/g, '$1 ').trim();
  return (
    <>
      <Heading level={1}>Authenticator-app koppelen</Heading>
      <ErrorSummary errors={state.errors} labels={{ code: 'Code' }} />
      <ol class="utrecht-ordered-list">
        <li class="utrecht-ordered-list__item">Open een authenticator-app op uw telefoon (bijvoorbeeld die van uw organisatie).</li>
        <li class="utrecht-ordered-list__item">Scan deze QR-code, of typ de sleutel hieronder over.</li>
        <li class="utrecht-ordered-list__item">Vul de code in die de app daarna toont.</li>
      </ol>
      <QrCode text={enrolment.uri} />
      <P>
        Sleutel om over te typen: <span class="betrokken-secret">{grouped}</span>
      </P>
      <form method="post" action="/login/enrol" novalidate>
        <CodeField label="Code uit de app" hint="6 cijfers." state={state} />
        <div class="betrokken-actions">
          <Button>Koppelen</Button>
        </div>
      </form>
    </>
  );
}

export interface RecoveryCodesProps {
  /** The new codes, the one time they are shown; null once they were (a reload). */
  codes: string[] | null;
  /** Where to go once the codes are kept: the overview after enrolment, the account page after renewing. */
  next: { href: string; label: string };
}

export const recoveryCodesFrame = ({ shown }: { shown: boolean } = { shown: false }): Frame => ({
  title: shown ? 'Herstelcodes al getoond' : 'Uw herstelcodes',
  narrow: true,
});

export function RecoveryCodesPage({ codes, next }: RecoveryCodesProps) {
  if (!codes) {
    return (
      <>
        <Heading level={1}>Herstelcodes al getoond</Heading>
        <Alert type="info">
          Uw herstelcodes zijn al een keer getoond en worden niet opnieuw getoond. Hebt u ze niet bewaard? Maak dan nieuwe codes op de pagina Mijn account: de
          oude codes werken daarna niet meer.
        </Alert>
        <P>
          <Link href="/account#tweede-stap">Nieuwe herstelcodes maken</Link>
        </P>
        <P>
          <Link href={next.href}>{next.label}</Link>
        </P>
      </>
    );
  }
  return (
    <>
      <Heading level={1}>Uw herstelcodes</Heading>
      <Alert type="warning">
        Bewaar deze codes op een veilige plek, bijvoorbeeld in een wachtwoordkluis. U ziet ze maar één keer. Elke code werkt één keer, als u uw telefoon niet
        bij de hand hebt.
      </Alert>
      <ul class="betrokken-codes" aria-label="Herstelcodes">
        {codes.map((code) => (
          <li>{code}</li>
        ))}
      </ul>
      <P>
        <Link href={next.href}>{next.label}</Link>
      </P>
    </>
  );
}
