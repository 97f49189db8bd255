/**
 * The signal form (with a confirmation step that says plainly what is and is not stored),
 * the own registrations list and detail, informing the young person (who, a printable
 * letter, recording when and how), and ending a registration behind a confirmation.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { getProfessionalProfile } from '../../directory/directory.ts';
import { BSN_MESSAGES, validateBsn } from '../../identity/bsn.ts';
import { ServiceError } from '../../lib/errors.ts';
import { endRegistration } from '../../registry/end-registration.ts';
import { isoDate } from '../../lib/dates.ts';
import { getRegistration, listRegistrations } from '../../registry/read-registrations.ts';
import { recordInformed, INFORM_WITHIN_DAYS } from '../../registry/record-informed.ts';
import { registerInvolvement } from '../../registry/register-involvement.ts';
import type { RegistrationView } from '../../registry/registration-dto.ts';
import { Alert, Button, Notice, Checkbox, ErrorSummary, Heading, Link, P, RadioGroup, TextField, type FormState } from '../../views/components.tsx';
import { END_REASON_LABELS, formatDate, INFORM_HOW_LABELS, INFORM_WHOM_LABELS, SECTOR_LABELS } from '../../views/labels.ts';
import type { AppEnv } from '../app-env.ts';
import { checkReference, ReferenceField } from '../inputs.ts';
import { auditFailure } from '../http/audit-failure.ts';
import { ctxOf } from '../http/ctx.ts';
import { readForm } from './forms.ts';
import { render } from './render.tsx';
import { CHOOSABLE_END_REASONS, INFORM_HOW } from '../../vocabulary.ts';

export const registrationPages = new Hono<AppEnv>();

// ---- the signal form -------------------------------------------------------------------

const SignalForm = z
  .object({
    // People copy a BSN from documents as "1234 56 782" or "1234.56.782": only digits count.
    bsn: z.string().transform((value, ctx) => {
      const result = validateBsn(value.replace(/[\s.]/g, ''));
      if (!result.ok) {
        ctx.addIssue({ code: 'custom', message: value.trim() ? BSN_MESSAGES[result.error] : 'Vul het BSN van de jeugdige in.' });
        return z.NEVER;
      }
      return result.bsn;
    }),
    birthDate: z.iso.date('Vul de geboortedatum in (dag, maand en jaar).'),
    reference: ReferenceField.optional(),
    criterion: z.literal('ja', { error: 'Bevestig dat u een redelijk vermoeden van een ernstig risico hebt.' }),
    step: z.enum(['check', 'confirm', 'edit']).default('check'),
  })
  .superRefine(checkReference);

const SIGNAL_LABELS = { bsn: 'BSN', birthDate: 'Geboortedatum', reference: 'Eigen kenmerk', criterion: 'Bevestiging' };

function signalForm(c: Context<AppEnv>, state: FormState, status: 200 | 422 = 200) {
  return render(
    c,
    { title: 'Signaal afgeven', section: 'new', hasErrors: !!state.errors, narrow: true },
    <>
      <Heading level={1}>Signaal afgeven</Heading>
      <P lead>U meldt dat u betrokken bent bij een jeugdige. Betrokken legt niet vast waarom.</P>
      <ErrorSummary errors={state.errors} labels={SIGNAL_LABELS} />
      <form method="post" action="/registrations/new" novalidate>
        <TextField
          name="bsn"
          label="BSN van de jeugdige"
          hint="9 cijfers. Het BSN wordt direct omgezet in een code en niet bewaard."
          inputmode="numeric"
          autocomplete="off"
          spellcheck={false}
          maxlength={14}
          state={state}
        />
        <TextField
          name="birthDate"
          label="Geboortedatum"
          type="date"
          hint="Alleen om te controleren dat de jeugdige jonger is dan 23 en om de einddatum te bepalen. Wordt niet bewaard."
          autocomplete="off"
          state={state}
        />
        <TextField
          name="reference"
          label="Eigen kenmerk"
          required={false}
          hint="Bijvoorbeeld uw dossiernummer, zodat u uw cliënt herkent. Geen namen, geen BSN, geen geboortedatum en niets over de zorg."
          maxlength={40}
          autocomplete="off"
          state={state}
        />
        <Checkbox
          name="criterion"
          label="Ik heb een redelijk vermoeden dat deze jeugdige een ernstig risico loopt om veilig op te groeien, zoals de wet (Jeugdwet, artikel 7.1.3.1) vraagt."
          hint="Deze bevestiging wordt niet als inhoud bewaard."
          state={state}
        />
        <input type="hidden" name="step" value="check" />
        <div class="betrokken-actions">
          <Button>Controleren</Button>
        </div>
      </form>
    </>,
    status,
  );
}

function confirmPage(c: Context<AppEnv>, data: { bsn: string; birthDate: string; reference?: string | undefined }) {
  const session = c.get('session');
  return render(
    c,
    { title: 'Controleer uw signaal', section: 'new', narrow: true },
    <>
      <Heading level={1}>Controleer uw signaal</Heading>
      <dl class="betrokken-dl">
        <dt>BSN</dt>
        <dd>{data.bsn}</dd>
        <dt>Geboortedatum</dt>
        <dd>{formatDate(data.birthDate)}</dd>
        <dt>Eigen kenmerk</dt>
        <dd>{data.reference || 'geen'}</dd>
      </dl>
      <Heading level={2}>Wat Betrokken vastlegt</Heading>
      <ul class="utrecht-unordered-list">
        <li class="utrecht-unordered-list__item">Dát u ({session.name}) en uw organisatie betrokken zijn bij deze jeugdige, met uw contactgegevens.</li>
        <li class="utrecht-unordered-list__item">De datum van vandaag en de einddatum: na twee jaar, of eerder als de jeugdige 23 wordt.</li>
        <li class="utrecht-unordered-list__item">Uw eigen kenmerk, als u dat invulde.</li>
        <li class="utrecht-unordered-list__item">Een code die uit het BSN is berekend, zodat andere betrokkenen u kunnen vinden.</li>
      </ul>
      <Heading level={2}>Wat Betrokken niet vastlegt</Heading>
      <ul class="utrecht-unordered-list">
        <li class="utrecht-unordered-list__item">Het BSN zelf en de geboortedatum.</li>
        <li class="utrecht-unordered-list__item">De reden van uw zorg, het risico, een diagnose of een notitie: niets over de inhoud.</li>
      </ul>
      <P>Is een professional van een andere organisatie ook betrokken, dan krijgt u allebei een e-mail en ziet u elkaars contactgegevens.</P>
      <form method="post" action="/registrations/new">
        <input type="hidden" name="bsn" value={data.bsn} />
        <input type="hidden" name="birthDate" value={data.birthDate} />
        <input type="hidden" name="reference" value={data.reference ?? ''} />
        <input type="hidden" name="criterion" value="ja" />
        <div class="betrokken-actions">
          <Button name="step" value="confirm">
            Signaal afgeven
          </Button>
          <Button name="step" value="edit" variant="secondary">
            Wijzigen
          </Button>
        </div>
      </form>
    </>,
  );
}

registrationPages.get('/registrations/new', (c) => signalForm(c, {}));

registrationPages.post('/registrations/new', async (c) => {
  const form = await readForm(c, SignalForm);
  if (!form.ok) return signalForm(c, form, 422);
  const { step, ...data } = form.data;
  if (step === 'edit') return signalForm(c, { values: form.values });
  if (step === 'check') return confirmPage(c, data);
  let result: Awaited<ReturnType<typeof registerInvolvement>>;
  try {
    result = await registerInvolvement(ctxOf(c), { ...data, reference: data.reference || null, professionalEmail: c.get('session').email });
  } catch (error) {
    if (error instanceof ServiceError && error.fields && (error.code === 'invalid_input' || error.code === 'subject_too_old')) {
      if (!error.audited) await auditFailure(c, error.code);
      return signalForm(c, { values: form.values, errors: error.fields }, 422);
    }
    throw error;
  }
  const r = result.registration;
  return render(
    c,
    { title: result.created ? 'Signaal afgegeven' : 'U was al geregistreerd', section: 'new', narrow: true },
    <>
      <Heading level={1}>{result.created ? 'Signaal afgegeven' : 'U was al geregistreerd'}</Heading>
      {result.created ? (
        <Alert type="ok" live>
          Uw betrokkenheid is geregistreerd tot en met {formatDate(r.endsAt)}.
        </Alert>
      ) : (
        <Alert type="info" live>
          U had al een actieve registratie bij deze jeugdige. Er is niets veranderd.
        </Alert>
      )}
      {r.matchId ? (
        <Alert type="warning" live>
          Er is een match: ook een professional van een andere organisatie is betrokken.{' '}
          <Link href={`/matches/${r.matchId}`}>Bekijk de match en neem contact op</Link>.
        </Alert>
      ) : null}
      {result.earlierInvolvement.length > 0 ? (
        <section aria-labelledby="eerder-titel">
          <Heading level={2} id="eerder-titel">
            Eerdere betrokkenheid
          </Heading>
          <P>Deze professionals waren eerder betrokken bij deze jeugdige. U ziet dit alleen nu, één keer: noteer wat u nodig hebt.</P>
          <ul class="betrokken-card-list">
            {result.earlierInvolvement.map((e) => (
              <li class="betrokken-card">
                <strong>{e.professionalName}</strong>, {e.organisationName} ({SECTOR_LABELS[e.sector]})
                <br />
                {e.email}
                {e.phone ? `, ${e.phone}` : ''}
                <br />
                Betrokken van {formatDate(e.registeredAt)}
                {e.endedAt ? ` tot ${formatDate(e.endedAt)}` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <P>
        Vergeet niet de jeugdige of de ouders te informeren: {INFORM_WHOM_LABELS[r.informWhom]}.{' '}
        <Link href={`/registrations/${r.id}`}>Naar de registratie</Link>
      </P>
    </>,
    result.created ? 201 : 200,
  );
});

// ---- list and detail -------------------------------------------------------------------

const STATUS_LABELS = {
  active: 'Alle actieve',
  ending_soon: 'Binnenkort afgelopen',
  not_informed: `Na ${INFORM_WITHIN_DAYS} dagen nog niet geïnformeerd`,
} as const;
const ListQuery = z.object({
  status: z.enum(['active', 'ending_soon', 'not_informed']).catch('active'),
  cursor: z.string().max(200).optional().catch(undefined),
});

registrationPages.get('/registrations', async (c) => {
  const query = ListQuery.parse(c.req.query());
  const page = await listRegistrations(ctxOf(c), { ...query, limit: 25 });
  return render(
    c,
    { title: 'Mijn registraties', section: 'registrations' },
    <>
      <Heading level={1}>Mijn registraties</Heading>
      <form method="get" action="/registrations" class="betrokken-actions">
        <div class="utrecht-form-field">
          <label class="utrecht-form-label" for="status">
            Toon
          </label>{' '}
          <select class="utrecht-select utrecht-select--html-select" id="status" name="status">
            {Object.entries(STATUS_LABELS).map(([value, label]) => (
              <option value={value} selected={query.status === value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <Button variant="secondary">Filteren</Button>
      </form>
      {page.items.length === 0 ? (
        <P>Geen registraties gevonden.</P>
      ) : (
        <div class="betrokken-table-wrap">
          <table class="utrecht-table">
            <caption class="utrecht-table__caption">{STATUS_LABELS[query.status]} registraties, nieuwste eerst</caption>
            <thead class="utrecht-table__header">
              <tr class="utrecht-table__row">
                <th class="utrecht-table__header-cell" scope="col">
                  Geregistreerd
                </th>
                <th class="utrecht-table__header-cell" scope="col">
                  Kenmerk
                </th>
                <th class="utrecht-table__header-cell" scope="col">
                  Loopt tot en met
                </th>
                <th class="utrecht-table__header-cell" scope="col">
                  Geïnformeerd
                </th>
                <th class="utrecht-table__header-cell" scope="col">
                  Match
                </th>
              </tr>
            </thead>
            <tbody class="utrecht-table__body">
              {page.items.map((r) => (
                <tr class="utrecht-table__row">
                  <td class="utrecht-table__cell">
                    <Link href={`/registrations/${r.id}`}>{formatDate(r.registeredAt)}</Link>
                  </td>
                  <td class="utrecht-table__cell">{r.reference ?? '—'}</td>
                  <td class="utrecht-table__cell">{formatDate(r.endsAt)}</td>
                  <td class="utrecht-table__cell">{r.informedOn ? formatDate(r.informedOn) : 'Nog niet'}</td>
                  <td class="utrecht-table__cell">{r.matchId ? <Link href={`/matches/${r.matchId}`}>Bekijken</Link> : 'Geen'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page.nextCursor ? (
        <P>
          <Link href={`/registrations?${new URLSearchParams({ status: query.status, cursor: page.nextCursor })}`}>Volgende pagina</Link>
        </P>
      ) : null}
    </>,
  );
});

const InformedForm = z.object({
  on: z.iso.date('Vul de datum in waarop u hebt geïnformeerd.'),
  how: z.enum(INFORM_HOW, { error: 'Kies hoe u hebt geïnformeerd.' }),
});

function detailPage(c: Context<AppEnv>, r: RegistrationView, state: FormState = {}, notice: string | null = null, status: 200 | 422 = 200) {
  const today = isoDate(c.get('deps').clock.now());
  return render(
    c,
    { title: 'Registratie', section: 'registrations', hasErrors: !!state.errors },
    <>
      <Heading level={1}>Registratie van {formatDate(r.registeredAt)}</Heading>
      <Notice text={notice} />
      <dl class="betrokken-dl">
        <dt>Eigen kenmerk</dt>
        <dd>{r.reference ?? 'geen'}</dd>
        <dt>Geregistreerd op</dt>
        <dd>{formatDate(r.registeredAt)}</dd>
        <dt>Loopt tot en met</dt>
        <dd>{formatDate(r.endsAt)}</dd>
        <dt>Match</dt>
        <dd>{r.matchId ? <Link href={`/matches/${r.matchId}`}>Bekijk de match</Link> : 'Nog geen: er is geen andere organisatie betrokken.'}</dd>
      </dl>

      <section aria-labelledby="informeren-titel">
        <Heading level={2} id="informeren-titel">
          Informeren
        </Heading>
        <P>U moet informeren: {INFORM_WHOM_LABELS[r.informWhom]}.</P>
        {r.informedOn ? (
          <P>
            Geïnformeerd op {formatDate(r.informedOn)} ({r.informedHow ? INFORM_HOW_LABELS[r.informedHow].toLowerCase() : ''}).
          </P>
        ) : (
          <Alert type="warning">Nog niet vastgelegd dat u hebt geïnformeerd. Doe dit binnen {INFORM_WITHIN_DAYS} dagen.</Alert>
        )}
        <P>
          <Link href={`/registrations/${r.id}/letter`}>Brief om af te drukken</Link>
        </P>
        <ErrorSummary errors={state.errors} labels={{ on: 'Datum', how: 'Hoe' }} />
        <form method="post" action={`/registrations/${r.id}/informed`} novalidate>
          <TextField name="on" label="Datum waarop u hebt geïnformeerd" type="date" value={r.informedOn ?? today} state={state} />
          <RadioGroup
            name="how"
            legend="Hoe hebt u geïnformeerd?"
            options={INFORM_HOW_LABELS}
            state={state.values ? state : { values: { how: r.informedHow ?? undefined } }}
          />
          <div class="betrokken-actions">
            <Button variant="secondary">Vastleggen</Button>
          </div>
        </form>
      </section>

      <section aria-labelledby="beeindigen-titel">
        <Heading level={2} id="beeindigen-titel">
          Beëindigen
        </Heading>
        <P>Is uw betrokkenheid voorbij, of was de registratie onterecht? Beëindig haar dan.</P>
        <P>
          <a class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action" href={`/registrations/${r.id}/end`}>
            Betrokkenheid beëindigen
          </a>
        </P>
      </section>
    </>,
    status,
  );
}

registrationPages.get('/registrations/:id', async (c) => {
  const r = await getRegistration(ctxOf(c), c.req.param('id'));
  return detailPage(c, r, {}, c.req.query('vastgelegd') ? 'Vastgelegd dat u hebt geïnformeerd.' : null);
});

registrationPages.post('/registrations/:id/informed', async (c) => {
  const id = c.req.param('id');
  const form = await readForm(c, InformedForm);
  if (!form.ok) return detailPage(c, await getRegistration(ctxOf(c), id), form, null, 422);
  try {
    await recordInformed(ctxOf(c), id, form.data);
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'invalid_input') {
      await auditFailure(c, 'invalid_input');
      return detailPage(c, await getRegistration(ctxOf(c), id), { values: form.values, errors: error.fields ?? {} }, null, 422);
    }
    throw error;
  }
  return c.redirect(`/registrations/${id}?vastgelegd=1`, 303);
});

// ---- the letter ------------------------------------------------------------------------

registrationPages.get('/registrations/:id/letter', async (c) => {
  const ctx = ctxOf(c);
  const r = await getRegistration(ctx, c.req.param('id'));
  const me = await getProfessionalProfile(ctx, c.get('session').professionalId);
  const today = formatDate(isoDate(c.get('deps').clock.now()));
  const toYouth = r.informWhom !== 'representative';
  const toParent = r.informWhom !== 'youth';
  const addressee = toYouth && toParent ? 'Beste jongere, beste ouder of verzorger' : toYouth ? 'Beste jongere' : 'Beste ouder of verzorger';
  const you = toParent && !toYouth ? 'uw kind' : 'jou';
  return render(
    c,
    { title: 'Brief: informeren over de registratie', section: 'registrations' },
    <>
      <div class="betrokken-noprint">
        <Heading level={1}>Brief over de registratie</Heading>
        <P>
          Deze brief is voor {INFORM_WHOM_LABELS[r.informWhom]}. Druk hem af met de afdrukknop van uw browser (Ctrl+P of ⌘P), vul naam en adres met de hand in
          en bewaar geen kopie met inhoud in Betrokken. <Link href={`/registrations/${r.id}`}>Terug naar de registratie</Link>
        </P>
        <div class="betrokken-actions">
          <Button type="button" id="print-button">
            Afdrukken
          </Button>
        </div>
      </div>
      <article class="betrokken-letter" aria-label="Brief">
        <P>{me.organisationName}</P>
        <P>
          Aan: ......................................................
          <br />
          Adres: ....................................................
        </P>
        <P>{today}</P>
        <P>Onderwerp: registratie in de verwijsindex</P>
        <P>{addressee},</P>
        <P>
          Ik ben als {me.sector === 'other' ? 'professional' : `professional (${SECTOR_LABELS[me.sector].toLowerCase()})`} betrokken bij{' '}
          {toYouth && toParent ? 'jou en je gezin' : you}. Ik heb dat op {formatDate(r.registeredAt)} gemeld in de verwijsindex van de gemeente. Dat moet ik u
          laten weten (Jeugdwet, artikel 7.1.5.1).
        </P>
        <P>
          De verwijsindex zorgt dat hulpverleners die bij dezelfde jongere betrokken zijn elkaar snel vinden, zodat zij de hulp samen afstemmen en één van hen
          de regie neemt. In de verwijsindex staat alleen dát ik betrokken ben, met mijn contactgegevens. Er staat niet in waarom, en niets over de inhoud van
          de hulp.
        </P>
        <P>De melding stopt uiterlijk op {formatDate(r.endsAt)}, of eerder als mijn betrokkenheid eindigt.</P>
        <P>
          U hebt het recht om te weten wat er over {toYouth && !toParent ? 'je' : 'u of uw kind'} in de verwijsindex staat, en om bezwaar te maken of om
          verwijdering te vragen. Neemt u daarvoor contact op met mij of met de gemeente.
        </P>
        <P>
          Met vriendelijke groet,
          <br />
          {me.name}
          <br />
          {me.organisationName}
          <br />
          {me.email}
          {me.phone ? (
            <>
              <br />
              {me.phone}
            </>
          ) : null}
        </P>
      </article>
    </>,
  );
});

// ---- ending ----------------------------------------------------------------------------

const CHOOSABLE_LABELS = Object.fromEntries(CHOOSABLE_END_REASONS.map((r) => [r, END_REASON_LABELS[r]]));
const EndForm = z.object({ reason: z.enum(CHOOSABLE_END_REASONS, { error: 'Kies een reden.' }) });

function endPage(c: Context<AppEnv>, r: RegistrationView, state: FormState, status: 200 | 422 = 200) {
  return render(
    c,
    { title: 'Betrokkenheid beëindigen', section: 'registrations', hasErrors: !!state.errors, narrow: true },
    <>
      <Heading level={1}>Betrokkenheid beëindigen</Heading>
      <P>
        Registratie van {formatDate(r.registeredAt)}
        {r.reference ? `, kenmerk ${r.reference}` : ''}.
      </P>
      <Alert type="warning">
        Dit kunt u niet ongedaan maken. Bij "afgerond" blijft de registratie vijf jaar in het archief, onzichtbaar voor iedereen. Bij de andere redenen wordt
        zij echt verwijderd.
        {r.matchId ? ' U verlaat ook de match; de andere leden krijgen daarvan bericht.' : ''}
      </Alert>
      <ErrorSummary errors={state.errors} labels={{ reason: 'Reden' }} />
      <form method="post" action={`/registrations/${r.id}/end`} novalidate>
        <RadioGroup name="reason" legend="Waarom eindigt uw betrokkenheid?" options={CHOOSABLE_LABELS} state={state} />
        <div class="betrokken-actions">
          <Button variant="danger">Ja, beëindigen</Button>
          <Link href={`/registrations/${r.id}`}>Nee, terug</Link>
        </div>
      </form>
    </>,
    status,
  );
}

registrationPages.get('/registrations/:id/end', async (c) => endPage(c, await getRegistration(ctxOf(c), c.req.param('id')), {}));

registrationPages.post('/registrations/:id/end', async (c) => {
  const id = c.req.param('id');
  const form = await readForm(c, EndForm);
  if (!form.ok) return endPage(c, await getRegistration(ctxOf(c), id), form, 422);
  const result = await endRegistration(ctxOf(c), id, form.data.reason);
  return render(
    c,
    { title: 'Betrokkenheid beëindigd', section: 'registrations', narrow: true },
    <>
      <Heading level={1}>Betrokkenheid beëindigd</Heading>
      <Alert type="ok" live>
        {result.outcome === 'archived' ? 'De registratie is beëindigd en gearchiveerd.' : 'De registratie is beëindigd en verwijderd.'}
        {result.alsoEnded > 0 ? ` Ook ${result.alsoEnded} registratie(s) van andere organisaties zijn beëindigd; zij krijgen bericht.` : ''}
        {result.matchClosed ? ' De match is gesloten.' : ''}
      </Alert>
      <P>
        <Link href="/">Naar het overzicht</Link>
      </P>
    </>,
  );
});
