/** Dutch labels for the domain's closed lists, and date formatting in Dutch time. */
import type { EndReason, InformHow, InformWhom, Sector } from '../vocabulary.ts';

export const SECTOR_LABELS: Record<Sector, string> = {
  youth_care: 'Jeugdhulp',
  safe_home: 'Veilig Thuis',
  district_team: 'Wijkteam',
  youth_health: 'Jeugdgezondheidszorg',
  mental_health: 'GGZ',
  general_practice: 'Huisartsenzorg',
  hospital: 'Ziekenhuis',
  education: 'Onderwijs',
  police: 'Politie',
  justice: 'Justitie (Halt, Raad voor de Kinderbescherming)',
  social_support: 'Wmo-ondersteuning',
  debt_counselling: 'Schuldhulpverlening',
  other: 'Overig',
};

/** The reasons a professional may choose in the browser, in the order shown. */
export const END_REASON_LABELS: Record<EndReason, string> = {
  resolved: 'Zorg weggenomen of mijn betrokkenheid is afgerond',
  unjustified: 'Onterecht geregistreerd (wordt verwijderd)',
  deceased: 'De jeugdige is overleden (alle registraties worden verwijderd)',
  turned_23: 'De jeugdige is 23 jaar geworden (alle registraties worden verwijderd)',
  erasure: 'Verzoek tot verwijdering of bezwaar toegekend (wordt verwijderd)',
  expired: 'Termijn van twee jaar verstreken',
};

export const INFORM_WHOM_LABELS: Record<InformWhom, string> = {
  representative: 'de wettelijk vertegenwoordiger (de jeugdige is jonger dan 12)',
  both: 'de jeugdige én de wettelijk vertegenwoordiger (de jeugdige is 12 tot en met 15)',
  youth: 'de jeugdige zelf (16 jaar of ouder)',
};

export const INFORM_HOW_LABELS: Record<InformHow, string> = {
  in_person: 'In een persoonlijk gesprek',
  phone: 'Telefonisch',
  letter: 'Per brief',
  email: 'Per e-mail',
  digital_message: 'Via een beveiligd digitaal bericht',
};

const DATE = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', day: 'numeric', month: 'long', year: 'numeric' });
const TIME = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit' });

/**
 * Formatted dates, remembered: Intl's formatting was ≈ 5 % of an overview page's CPU (a
 * date per row; docs/benchmarks.md). An instant is keyed by its UTC hour: Amsterdam's
 * offset is a whole number of hours and changes on the hour, so the local date is the same
 * for every instant of one UTC hour. Cleared when it gets large.
 */
const dates = new Map<string | number, string>();

function remembered(key: string | number, format: () => string): string {
  let text = dates.get(key);
  if (text === undefined) {
    if (dates.size >= 10_000) dates.clear();
    text = format();
    dates.set(key, text);
  }
  return text;
}

/** "23 november 2026" for an instant (ISO string or Date) or a calendar date (YYYY-MM-DD). */
export function formatDate(value: string | Date): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return remembered(value, () => DATE.format(new Date(`${value}T12:00:00Z`)));
  const at = new Date(value);
  return remembered(Math.floor(at.getTime() / 3_600_000), () => DATE.format(at));
}

export function formatTime(value: string | Date): string {
  return TIME.format(new Date(value));
}

export function formatDateTime(value: string | Date): string {
  return `${formatDate(value)}, ${formatTime(value)}`;
}
