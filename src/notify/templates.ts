/**
 * Dutch email templates. They say that something happened and link to the match page
 * behind login; they carry the recipient's own registration number and never anything
 * about the child (no BSN, name, birth date or pseudonym) (DOMAIN, law 7.1.4.3).
 */
export type TemplateName =
  | 'match_created'
  | 'match_joined'
  | 'match_member_added'
  | 'match_member_left'
  | 'match_closed'
  | 'registration_ended';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const COPY: Record<TemplateName, { subject: string; lead: string }> = {
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
  registration_ended: {
    subject: 'Betrokken: uw registratie is beëindigd',
    lead: 'Een andere betrokken organisatie heeft gemeld dat de registraties over deze jeugdige moeten eindigen. Uw registratie is daarom beëindigd en verwijderd.',
  },
};

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function renderMail(
  template: TemplateName,
  data: { matchId: string | null; registrationId: string },
  publicUrl: string,
): RenderedMail {
  const copy = COPY[template];
  const link = data.matchId ? `${publicUrl}/matches/${encodeURIComponent(data.matchId)}` : null;
  const text = [
    'Beste professional,',
    '',
    copy.lead,
    '',
    `Uw registratienummer: ${data.registrationId}`,
    ...(link ? [`Bekijk de match (na inloggen): ${link}`] : []),
    '',
    'Deze e-mail bevat bewust geen gegevens over de jeugdige.',
    '',
    'Met vriendelijke groet,',
    'Betrokken — verwijsindex van uw gemeente',
  ].join('\n');
  const html = `<!doctype html><html lang="nl"><body style="font-family: sans-serif; line-height: 1.5">
<p>Beste professional,</p>
<p>${escapeHtml(copy.lead)}</p>
<p>Uw registratienummer: <strong>${escapeHtml(data.registrationId)}</strong></p>
${link ? `<p><a href="${escapeHtml(link)}">Bekijk de match</a> (na inloggen)</p>` : ''}
<p style="color:#555">Deze e-mail bevat bewust geen gegevens over de jeugdige.</p>
<p>Met vriendelijke groet,<br>Betrokken — verwijsindex van uw gemeente</p>
</body></html>`;
  return { subject: copy.subject, text, html };
}
