/**
 * Dutch email templates. They say that something happened and link to the match page
 * behind login; they carry nothing about the child (no BSN, name, birth date, pseudonym,
 * own reference or registration id: the professional recognises their client by their own
 * reference on the page, behind login) (docs/domain.md; law 7.1.4.3).
 */
import type { MailData, TemplateName } from '../vocabulary.ts';

/** Payload fields that are secrets: the drainer removes them once the mail is out. */
export const SECRET_FIELDS = ['token'] as const;

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

type MatchTemplate = Exclude<TemplateName, 'invitation' | 'password_reset' | 'second_factor_reset' | 'email_changed'>;

const ACCOUNT: Record<'invitation' | 'password_reset', { subject: string; lead: string; path: string; valid: string; action: string }> = {
  invitation: {
    subject: 'Betrokken: u bent uitgenodigd',
    lead: 'Uw organisatie heeft u aangemeld als professional in Betrokken, de verwijsindex van de gemeente. Kies via de link hieronder een wachtwoord en stel de tweede stap van het inloggen in.',
    path: '/account/activate',
    valid: '72 uur',
    action: 'Account activeren',
  },
  password_reset: {
    subject: 'Betrokken: nieuw wachtwoord instellen',
    lead: 'U heeft gevraagd om een nieuw wachtwoord. Heeft u dat niet gedaan, dan kunt u deze e-mail negeren: er verandert dan niets.',
    path: '/account/reset',
    valid: '1 uur',
    action: 'Nieuw wachtwoord kiezen',
  },
};

const COPY: Record<MatchTemplate, { subject: string; lead: string }> = {
  match_created: {
    subject: 'Betrokken: er is een match op uw registratie',
    lead: 'Een of meer professionals van een andere organisatie zijn betrokken bij dezelfde jeugdige als u. Neem contact met elkaar op en spreek af wie de regie neemt.',
  },
  match_joined: {
    subject: 'Betrokken: er is een match op uw registratie',
    lead: 'Andere professionals zijn al betrokken bij dezelfde jeugdige als u. Neem contact met elkaar op en stem af wie de regie heeft.',
  },
  match_member_added: {
    subject: 'Betrokken: een nieuwe professional in uw match',
    lead: 'Er is een professional bijgekomen in een match waarin u betrokken bent. Neem contact op en stem samen af.',
  },
  match_member_left: {
    subject: 'Betrokken: een professional is niet meer betrokken',
    lead: 'Een professional in een match waarin u betrokken bent, heeft de betrokkenheid beëindigd. De match blijft bestaan.',
  },
  match_closed: {
    subject: 'Betrokken: een match is gesloten',
    lead: 'Een match waarin u betrokken was, is gesloten: er zijn niet langer twee of meer organisaties betrokken.',
  },
  coordinator_chosen: {
    subject: 'Betrokken: er is afgesproken wie de regie neemt',
    lead: 'In een match waarin u betrokken bent, heeft een professional de regie genomen. Op de matchpagina ziet u wie.',
  },
  registration_ended: {
    subject: 'Betrokken: uw registratie is beëindigd',
    lead: 'De registraties over deze jeugdige moesten voor alle betrokken organisaties eindigen (gemeld door een betrokken organisatie of bevestigd door de gemeente). Uw registratie is daarom beëindigd en verwijderd.',
  },
  match_contact_changed: {
    subject: 'Betrokken: een nieuwe contactpersoon in uw match',
    lead: 'In een match waarin u betrokken bent, heeft een organisatie de registratie overgedragen aan een collega. Op de matchpagina ziet u de nieuwe contactpersoon.',
  },
  contact_reminder: {
    subject: 'Betrokken: herinnering, neem contact op in uw match',
    lead: 'U heeft in een match nog niet vastgelegd dat u contact heeft opgenomen met de andere betrokken professionals. Neem contact op en leg het vast op de matchpagina.',
  },
  coordinator_reminder: {
    subject: 'Betrokken: herinnering, spreek af wie de regie neemt',
    lead: 'In een match waarin u betrokken bent, is nog niet afgesproken wie de regie neemt. Op de matchpagina staat wie volgens de afspraken van de gemeente de regie voor de hand ligt; die professional kan de regie bevestigen.',
  },
  coordinator_proposed: {
    subject: 'Betrokken: er is een regievoerder voorgesteld',
    lead: 'In een match waarin u betrokken bent, is een regievoerder voorgesteld. Op de matchpagina ziet u wie; die professional kan de regie bevestigen of teruggeven.',
  },
  coordination_returned: {
    subject: 'Betrokken: de regie is teruggegeven',
    lead: 'In een match waarin u betrokken bent, heeft de regievoerder de regie teruggegeven. Spreek samen af wie de regie neemt.',
  },
  inform_reminder: {
    subject: 'Betrokken: herinnering, informeer over uw registratie',
    lead: 'U heeft bij een registratie nog niet vastgelegd dat de jeugdige of de wettelijk vertegenwoordiger is geïnformeerd (de wet vraagt dat). Leg het vast bij de registratie.',
  },
  expiry_reminder: {
    subject: 'Betrokken: uw registratie eindigt binnen 30 dagen',
    lead: 'Een registratie van u eindigt binnen 30 dagen. Is er nog steeds een redelijk vermoeden van een ernstig risico, dan kunt u de registratie verlengen; anders eindigt zij vanzelf.',
  },
  advice_requested: {
    subject: 'Betrokken: uw advies gevraagd over een verzoek',
    lead: 'De gemeente heeft een verzoek ontvangen (correctie, verwijdering of bezwaar) dat een registratie van u betreft. Geef binnen vijf werkdagen uw advies; de gemeente beslist.',
  },
};

const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

/** "30 november 2026" for a calendar date (YYYY-MM-DD); anything else as given. */
function dutchDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}` : date;
}

/** The advice mail names its due date (a date, not subject data). */
function adviceCopy(dueOn: string) {
  return {
    subject: COPY.advice_requested.subject,
    lead: `De gemeente heeft een verzoek ontvangen (correctie, verwijdering of bezwaar) dat een registratie van u betreft. Geef uiterlijk op ${dutchDate(dueOn)} uw advies; de gemeente beslist.`,
  };
}

/** The registration ends because the subject turns 23: there is nothing to extend. */
const EXPIRY_BY_AGE = {
  subject: 'Betrokken: uw registratie eindigt binnen 30 dagen',
  lead: 'Een registratie van u eindigt binnen 30 dagen, omdat dan de leeftijdsgrens van de wet is bereikt. Verlengen is daarom niet mogelijk; de registratie eindigt vanzelf.',
};

/** Where a mail's link goes: the match page, the registration, or the advice page. */
function linkOf(template: MatchTemplate, data: MailData, publicUrl: string): { href: string; label: string } | null {
  if (template === 'advice_requested' && data.adviceItemId) {
    return { href: `${publicUrl}/advies/${encodeURIComponent(data.adviceItemId)}`, label: 'Geef uw advies' };
  }
  if ((template === 'inform_reminder' || template === 'expiry_reminder') && data.registrationId) {
    return { href: `${publicUrl}/registrations/${encodeURIComponent(data.registrationId)}`, label: 'Bekijk de registratie' };
  }
  return data.matchId ? { href: `${publicUrl}/matches/${encodeURIComponent(data.matchId)}`, label: 'Bekijk de match' } : null;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Who sends the mails: the municipality by name, and where to ask questions (src/env.ts). */
export interface MailSender {
  municipality: string;
  helpdesk: string;
}

interface Parts {
  subject: string;
  text: string[];
  html: string[];
}

const parts = (subject: string, body: { text: string[]; html: string[] }): Parts => ({ subject, ...body });

/** Every mail: greeting, body, sign-off naming the municipality and its helpdesk; as plain text and as HTML (body parts already escaped). */
function finish({ subject, text: body, html: bodyHtml }: Parts, sender: MailSender): RenderedMail {
  const signOff = `Betrokken — verwijsindex van ${sender.municipality}`;
  const questions = `Vragen over Betrokken? ${sender.helpdesk}.`;
  const text = ['Beste professional,', '', ...body, '', 'Met vriendelijke groet,', signOff, '', questions].join('\n');
  const html = `<!doctype html><html lang="nl"><body style="font-family: sans-serif; line-height: 1.5">
<p>Beste professional,</p>
${bodyHtml.join('\n')}
<p>Met vriendelijke groet,<br>${escapeHtml(signOff)}</p>
<p style="color:#555">${escapeHtml(questions)}</p>
</body></html>`;
  return { subject, text, html };
}

function renderAccountMail(template: 'invitation' | 'password_reset', token: string, publicUrl: string): Parts {
  const copy = ACCOUNT[template];
  const link = `${publicUrl}${copy.path}?token=${encodeURIComponent(token)}`;
  return parts(copy.subject, {
    text: [copy.lead, '', `${copy.action}: ${link}`, `De link werkt één keer en is ${copy.valid} geldig.`],
    html: [
      `<p>${escapeHtml(copy.lead)}</p>`,
      `<p><a href="${escapeHtml(link)}">${escapeHtml(copy.action)}</a></p>`,
      `<p>De link werkt één keer en is ${escapeHtml(copy.valid)} geldig.</p>`,
    ],
  });
}

/** The second factor was reset by an admin or the organisation's contact person: no link with a token, they simply log in. */
function renderSecondFactorReset(publicUrl: string): Parts {
  const lead =
    'De tweede stap van het inloggen (uw authenticator-app) is voor uw account opnieuw ingesteld. Bij de volgende keer inloggen stelt u de app opnieuw in; uw oude herstelcodes werken niet meer.';
  const warning = 'Hebt u hier niet om gevraagd? Neem dan contact op met de contactpersoon van uw organisatie of met de functioneel beheerder van de gemeente.';
  const link = `${publicUrl}/login`;
  return parts('Betrokken: tweede stap van het inloggen opnieuw ingesteld', {
    text: [lead, '', `Inloggen: ${link}`, '', warning],
    html: [`<p>${escapeHtml(lead)}</p>`, `<p><a href="${escapeHtml(link)}">Inloggen</a></p>`, `<p>${escapeHtml(warning)}</p>`],
  });
}

/** To the old address when someone else changed the login address: an account cannot move unnoticed. */
function renderEmailChanged(publicUrl: string): Parts {
  const lead =
    'Het e-mailadres waarmee u inlogt in Betrokken is gewijzigd door de contactpersoon van uw organisatie of de functioneel beheerder. Uw sessies zijn beëindigd en eerder verstuurde links werken niet meer.';
  const warning = 'Klopt dit niet? Neem dan direct contact op met de functioneel beheerder van de gemeente.';
  const link = `${publicUrl}/login`;
  return parts('Betrokken: uw e-mailadres is gewijzigd', {
    text: [lead, '', warning, '', `Betrokken: ${link}`],
    html: [`<p>${escapeHtml(lead)}</p>`, `<p>${escapeHtml(warning)}</p>`, `<p><a href="${escapeHtml(link)}">Betrokken</a></p>`],
  });
}

/** A mail as sent: its subject, and the body as plain text and HTML, signed by the municipality. */
export function renderMail(template: TemplateName, data: MailData, publicUrl: string, sender: MailSender): RenderedMail {
  return finish(renderParts(template, data, publicUrl), sender);
}

function renderParts(template: TemplateName, data: MailData, publicUrl: string): Parts {
  if (template === 'second_factor_reset') return renderSecondFactorReset(publicUrl);
  if (template === 'email_changed') return renderEmailChanged(publicUrl);
  if (template === 'invitation' || template === 'password_reset') {
    if (!data.token) throw new Error(`the ${template} mail has no token (already sent?)`);
    return renderAccountMail(template, data.token, publicUrl);
  }
  const copy =
    template === 'expiry_reminder' && data.endsByAge
      ? EXPIRY_BY_AGE
      : template === 'advice_requested' && data.adviceDueOn
        ? adviceCopy(data.adviceDueOn)
        : COPY[template];
  if (data.noActiveContact) return renderForCoordinator(copy, data, publicUrl);
  const link = linkOf(template, data, publicUrl);
  return parts(copy.subject, {
    text: [copy.lead, '', ...(link ? [`${link.label} (na inloggen): ${link.href}`] : []), '', 'Deze e-mail bevat bewust geen gegevens over de jeugdige.'],
    html: [
      `<p>${escapeHtml(copy.lead)}</p>`,
      link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a> (na inloggen)</p>` : '',
      '<p style="color:#555">Deze e-mail bevat bewust geen gegevens over de jeugdige.</p>',
    ],
  });
}

const NO_ACTIVE_CONTACT =
  'U ontvangt dit bericht als contactpersoon van uw organisatie: de professional van deze registratie is niet meer actief, dus er is geen actieve contactpersoon voor deze registratie. Draag de registratie over aan een collega in "Mijn organisatie".';

/** A mail meant for a deactivated professional, sent to their organisation's coordinator instead (src/notify/recipients.ts). */
function renderForCoordinator(copy: { subject: string; lead: string }, data: MailData, publicUrl: string): Parts {
  const link = `${publicUrl}/organisatie`;
  return parts(`${copy.subject} (geen actieve contactpersoon)`, {
    text: [
      NO_ACTIVE_CONTACT,
      '',
      `Het bericht: ${copy.lead}`,
      '',
      `Registratienummer: ${data.registrationId ?? ''}`,
      `Mijn organisatie (na inloggen): ${link}`,
      '',
      'Deze e-mail bevat bewust geen gegevens over de jeugdige.',
    ],
    html: [
      `<p>${escapeHtml(NO_ACTIVE_CONTACT)}</p>`,
      `<p>Het bericht: ${escapeHtml(copy.lead)}</p>`,
      `<p>Registratienummer: <strong>${escapeHtml(data.registrationId ?? '')}</strong></p>`,
      `<p><a href="${escapeHtml(link)}">Naar Mijn organisatie</a> (na inloggen)</p>`,
      '<p style="color:#555">Deze e-mail bevat bewust geen gegevens over de jeugdige.</p>',
    ],
  });
}
