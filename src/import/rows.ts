/**
 * What one line of an import file must be (ADR 0016): the columns, and the checks the
 * register verb makes (BSN elfproef, birth date and age, an active designated professional
 * of an active organisation, the case number's shape) plus the import's own (registered-at
 * not in the future, a term that has not yet ended). A rejection names the line, the column
 * and the reason — never the value, so a BSN cannot leak through a report.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { organisations, professionals } from '../db/schema.ts';
import type { Db } from '../db/types.ts';
import { MUNICIPALITY_ID, parseRoles, rolesOfPerson } from '../directory/roles.ts';
import { BsnField } from '../identity/bsn.ts';
import { ReferenceField, referenceProblem } from '../identity/reference.ts';
import { isoDate, startOfDutchDay } from '../lib/dates.ts';
import { computeTerm, type Term } from '../registry/lifecycle.ts';
import type { Sector } from '../vocabulary.ts';

/** The columns, by their name in the header (case and surrounding spaces do not matter); Dutch names are accepted too. */
export const COLUMNS = {
  bsn: ['bsn'],
  birthDate: ['birth_date', 'geboortedatum'],
  professionalEmail: ['professional_email', 'email', 'e-mail', 'e-mailadres'],
  reference: ['case_number', 'reference', 'dossiernummer', 'kenmerk', 'eigen_kenmerk'],
  registeredAt: ['registered_at', 'geregistreerd_op', 'registratiedatum'],
} as const;

export type Column = keyof typeof COLUMNS;
const REQUIRED: Column[] = ['bsn', 'birthDate', 'professionalEmail', 'registeredAt'];

/** Where each column is in a record. */
export type Layout = Record<Column, number | null> & { names: Record<Column, string> };

/** Reads the header; throws a message naming what is wrong (missing or doubled columns). */
export function readHeader(fields: string[]): Layout {
  const positions: Record<string, number | null> = {};
  const names: Record<string, string> = {};
  const seen = fields.map((f) => f.trim().toLowerCase());
  for (const [column, aliases] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
    const found = seen.flatMap((name, index) => ((aliases as readonly string[]).includes(name) ? [index] : []));
    if (found.length > 1) throw new Error(`header: column ${aliases[0]} appears more than once`);
    positions[column] = found[0] ?? null;
    names[column] = found[0] === undefined ? aliases[0]! : fields[found[0]]!.trim();
  }
  const missing = REQUIRED.filter((c) => positions[c] === null).map((c) => COLUMNS[c][0]);
  if (missing.length > 0)
    throw new Error(`header: missing column(s) ${missing.join(', ')} (expected: ${REQUIRED.map((c) => COLUMNS[c][0]).join(', ')}, case_number optional)`);
  return { ...(positions as Record<Column, number | null>), names: names as Record<Column, string> };
}

/** A professional as the import needs them: who may register, or why not. */
export interface ImportProfessional {
  id: string;
  organisationId: string;
  sector: Sector;
  /** Null when they may register; else the reason (Dutch). */
  refusal: string | null;
}

/** Every person with an email, read once: 1M lines need no 1M lookups. */
export async function readProfessionals(db: Db): Promise<Map<string, ImportProfessional>> {
  const rows = await db
    .select({
      id: professionals.id,
      email: professionals.email,
      active: professionals.active,
      organisationId: professionals.organisationId,
      organisationActive: organisations.active,
      sector: organisations.sector,
      roles: rolesOfPerson,
    })
    .from(professionals)
    .innerJoin(organisations, eq(organisations.id, professionals.organisationId));
  const byEmail = new Map<string, ImportProfessional>();
  for (const r of rows) {
    const refusal =
      r.organisationId === MUNICIPALITY_ID
        ? 'Medewerkers van de gemeente registreren niet (municipal staff do not register).'
        : !r.active
          ? 'De professional is gedeactiveerd (professional is deactivated).'
          : !parseRoles(r.roles).includes('professional')
            ? 'Deze persoon heeft de rol professional niet (not designated to register).'
            : !r.organisationActive
              ? 'De organisatie van de professional is gedeactiveerd (organisation is deactivated).'
              : null;
    byEmail.set(r.email.toLowerCase(), { id: r.id, organisationId: r.organisationId, sector: r.sector, refusal });
  }
  return byEmail;
}

export interface Rejection {
  line: number;
  /** The column as named in the file's header. */
  field: string;
  reason: string;
}

export interface ImportRow {
  line: number;
  bsn: string;
  professional: ImportProfessional;
  reference: string | null;
  registeredAt: Date;
  /** Its Dutch calendar date. */
  registeredOn: string;
  term: Term;
}

const DateField = z.iso.date({ error: 'Een datum als JJJJ-MM-DD (a date as YYYY-MM-DD).' });
const Email = z.email({ error: 'Geen geldig e-mailadres (not a valid email address).' }).max(254);
/** A date (the day's start in the Netherlands) or an ISO date-time with its offset (Z or ±hh:mm). */
const RegisteredAt = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'Een datum (JJJJ-MM-DD) of datum-tijd met tijdzone (2024-03-01T09:30:00+01:00) (a date or an ISO date-time with offset).',
});

/** A check of a string, remembered (up to 100,000 values, then forgotten and learnt again). */
function remembered(check: (value: string) => boolean): (value: string) => boolean {
  const known = new Map<string, boolean>();
  return (value) => {
    let ok = known.get(value);
    if (ok === undefined) {
      if (known.size >= 100_000) known.clear();
      ok = check(value);
      known.set(value, ok);
    }
    return ok;
  };
}

/** The checks that need "today" and the term length, and the Dutch midnight per date (cached: a file holds few distinct dates). */
export function createRowChecker(options: { today: string; now: Date; termMonths: number; professionals: Map<string, ImportProfessional>; layout: Layout }) {
  const { today, now, termMonths, layout } = options;
  const midnights = new Map<string, Date>();
  // The Dutch date changes only on the hour (midnight, or a DST switch at 02:00/03:00).
  const dates = new Map<number, string>();
  const dutchDate = (instant: Date) => {
    const hour = Math.floor(instant.getTime() / 3_600_000);
    let date = dates.get(hour);
    if (date === undefined) {
      date = isoDate(instant);
      dates.set(hour, date);
    }
    return date;
  };
  const midnight = (date: string) => {
    let instant = midnights.get(date);
    if (!instant) {
      instant = startOfDutchDay(date);
      midnights.set(date, instant);
    }
    return instant;
  };
  // A file holds few distinct dates: each is checked once.
  const isDate = remembered((value) => DateField.safeParse(value).success);
  const isRegisteredAt = (value: string) => (value.length === 10 ? isDate(value) : RegisteredAt.safeParse(value).success);
  const field = (fields: string[], column: Column) => {
    const at = layout[column];
    return at === null ? '' : (fields[at] ?? '').trim();
  };

  /** One line: the row to import, or its first problem. */
  return (line: number, fields: string[]): ImportRow | Rejection => {
    const reject = (column: Column, reason: string): Rejection => ({ line, field: layout.names[column], reason });

    const bsn = BsnField.safeParse(field(fields, 'bsn'));
    if (!bsn.success) return reject('bsn', bsn.error.issues[0]?.message ?? 'Ongeldig BSN.');

    const birthDate = field(fields, 'birthDate');
    if (!isDate(birthDate)) return reject('birthDate', 'Geboortedatum als JJJJ-MM-DD (birth date as YYYY-MM-DD).');
    if (birthDate > today) return reject('birthDate', 'De geboortedatum ligt in de toekomst (birth date in the future).');

    const email = field(fields, 'professionalEmail').toLowerCase();
    // A known address was checked when it was stored: only an unknown one is checked here.
    const professional = options.professionals.get(email);
    if (!professional && !Email.safeParse(email).success) return reject('professionalEmail', 'Geen geldig e-mailadres (not a valid email address).');
    if (!professional) return reject('professionalEmail', 'Geen professional met dit e-mailadres (no professional with this email).');
    if (professional.refusal) return reject('professionalEmail', professional.refusal);

    const rawReference = field(fields, 'reference');
    const reference = ReferenceField.safeParse(rawReference);
    if (!reference.success) return reject('reference', reference.error.issues[0]?.message ?? 'Ongeldig dossiernummer.');
    // Every notation of the birth date holds its year: without it only the BSN checks apply (cheaper).
    if (reference.data && referenceProblem(reference.data, reference.data.includes(birthDate.slice(0, 4)) ? birthDate : undefined)) {
      return reject('reference', 'Het dossiernummer lijkt op een BSN of geboortedatum (the case number looks like a BSN or birth date).');
    }

    const rawRegisteredAt = field(fields, 'registeredAt');
    if (!isRegisteredAt(rawRegisteredAt)) return reject('registeredAt', RegisteredAt.safeParse('').error!.issues[0]!.message);
    const registeredAt = rawRegisteredAt.length === 10 ? midnight(rawRegisteredAt) : new Date(rawRegisteredAt);
    if (registeredAt.getTime() > now.getTime()) return reject('registeredAt', 'De registratiedatum ligt in de toekomst (registered-at in the future).');
    const registeredOn = rawRegisteredAt.length === 10 ? rawRegisteredAt : dutchDate(registeredAt);
    if (birthDate > registeredOn) return reject('birthDate', 'Geboren na de registratiedatum (born after registered-at).');

    // The term runs from the registration, as it did in the index the file comes from.
    const term = computeTerm(birthDate, registeredOn, termMonths);
    if (!term) return reject('birthDate', 'De jeugdige was bij registratie 23 jaar of ouder (23 or older when registered).');
    if (term.endsOn < today) {
      return term.endsBecause === 'age'
        ? reject('birthDate', 'De jeugdige is inmiddels 23 jaar: registratie is geëindigd (turned 23 since: the registration has ended).')
        : reject('registeredAt', `Termijn verstreken: de registratie eindigde op ${term.endsOn} (term expired).`);
    }
    return { line, bsn: bsn.data, professional, reference: reference.data || null, registeredAt, registeredOn, term };
  };
}

export function isRejection(value: ImportRow | Rejection): value is Rejection {
  return 'reason' in value;
}
