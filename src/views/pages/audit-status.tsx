/** The audit chain's status (auditor and municipal admin) and the audit console's start page. */
import type { AuditCheck, AuditStatus } from '../../audit/status.ts';
import { Alert, Button, type FormState, Heading, Link, Notice, P, Section, Table } from '../components.tsx';
import { formatDateTime } from '../labels.ts';
import type { Frame } from '../layout.tsx';
import { AuditSearchForm } from './audit-search.tsx';

export const auditHomeFrame = (): Frame => ({ title: 'Auditlogboek', section: 'audit' });
export const auditChainFrame = (): Frame => ({ title: 'Ketenstatus van het auditlogboek', section: 'audit' });

function CheckSummary({ check }: { check: AuditCheck | undefined }) {
  if (!check) return <P>Het auditlogboek is nog niet gecontroleerd vanuit de console.</P>;
  return check.ok ? (
    <Alert type="ok">
      Laatste controle op {formatDateTime(check.at)}: het auditlogboek is ongeschonden ({check.checked} gebeurtenissen gecontroleerd).
    </Alert>
  ) : (
    <Alert type="error">
      Laatste controle op {formatDateTime(check.at)}: het auditlogboek is NIET in orde, vanaf gebeurtenis {String(check.brokenAt ?? '?')}.
    </Alert>
  );
}

export function AuditHomePage({ status, canSearch }: { status: AuditStatus; canSearch: boolean }) {
  return (
    <>
      <Heading level={1}>Auditlogboek</Heading>
      <Section id="status" title="Ketenstatus">
        <CheckSummary check={status.checks[0]} />
        <P>
          <Link href="/audit/keten">Naar de ketenstatus</Link>
        </P>
      </Section>
      {canSearch ? (
        <>
          <Section id="zoeken" title="Zoeken">
            <AuditSearchForm state={{}} />
          </Section>
          <Section id="verzoeken" title="Een jeugdige">
            <P>
              Wat er over een jeugdige is vastgelegd, bekijkt u via het id van een verzoek van de betrokkene:{' '}
              <Link href="/audit/verzoeken">audittrail van een verzoek</Link>.
            </P>
          </Section>
        </>
      ) : null}
    </>
  );
}

export function AuditChainPage({
  status,
  notice,
  canAcknowledge,
}: {
  status: AuditStatus;
  notice?: string | null;
  state?: FormState;
  canAcknowledge: boolean;
}) {
  const alert = status.alert;
  return (
    <>
      <Heading level={1}>Ketenstatus van het auditlogboek</Heading>
      <Notice text={notice} />
      <P>
        Elke gebeurtenis in het auditlogboek heeft een eigen code en is gekoppeld aan de vorige. De controle rekent dat na vanaf het laatste anker buiten de
        database (een volledige controle: vanaf de eerste gebeurtenis). Een mislukte controle blijft op elke pagina in beeld tot de auditor hem als gezien
        markeert.
      </P>
      {alert ? (
        <Alert type="error">
          <P>
            De controle van {formatDateTime(alert.at)} vond een fout bij gebeurtenis {String(alert.brokenAt ?? '?')}: {alert.reason ?? 'onbekend'}. Meld dit
            volgens het incidentproces (docs/operations.md, "Audit trail integrity").
          </P>
          {canAcknowledge ? (
            <form method="post" action={`/audit/keten/${alert.id}/gezien`}>
              <Button variant="secondary">Gezien: melding weghalen</Button>
            </form>
          ) : (
            <P>De auditor haalt deze melding weg zodra hij is bekeken.</P>
          )}
        </Alert>
      ) : null}
      <dl class="betrokken-dl">
        <dt>Laatste verzegelde gebeurtenis</dt>
        <dd>{status.headSeq === null ? 'Nog geen' : String(status.headSeq)}</dd>
        <dt>Laatste gebeurtenis</dt>
        <dd>{status.lastSeq === null ? 'Nog geen' : String(status.lastSeq)}</dd>
        <dt>Laatste anker</dt>
        <dd>{status.anchor ? `gebeurtenis ${status.anchor.seq}, ${formatDateTime(status.anchor.at)}` : 'Nog geen anker'}</dd>
      </dl>
      <form method="post" action="/audit/keten">
        <P>De controle begint bij het laatste anker: dat is snel. Een volledige controle leest het hele logboek vanaf de eerste gebeurtenis en duurt langer.</P>
        <div class="betrokken-actions">
          <Button name="volledig" value="nee">
            Keten nu controleren
          </Button>
          <Button variant="secondary" name="volledig" value="ja">
            Volledig controleren
          </Button>
        </div>
      </form>
      <Section id="controles" title="Eerdere controles">
        {status.checks.length === 0 ? (
          <P>Nog geen controles.</P>
        ) : (
          <Table
            caption="De laatste tien controles, nieuwste eerst"
            hiddenCaption
            columns={['Tijd', 'Uitslag', 'Gecontroleerd', 'Verzegeld tot', 'Anker', 'Gezien']}
          >
            {status.checks.map((check) => (
              <tr class="utrecht-table__row">
                <td class="utrecht-table__cell">{formatDateTime(check.at)}</td>
                <td class="utrecht-table__cell">{check.ok ? 'In orde' : `Fout bij ${check.brokenAt ?? '?'}: ${check.reason ?? ''}`}</td>
                <td class="utrecht-table__cell">{String(check.checked)}</td>
                <td class="utrecht-table__cell">{check.headSeq === null ? '—' : String(check.headSeq)}</td>
                <td class="utrecht-table__cell">
                  {check.anchorSeq === null ? '—' : `${check.anchorSeq} (${check.anchorAt ? formatDateTime(check.anchorAt) : ''})`}
                </td>
                <td class="utrecht-table__cell">{check.ok ? '—' : check.acknowledgedAt ? formatDateTime(check.acknowledgedAt) : 'Nog niet'}</td>
              </tr>
            ))}
          </Table>
        )}
      </Section>
    </>
  );
}
