/**
 * `npm run demo` (scripts/demo.mjs): a demo municipality in the configured database
 * (DATABASE_PATH, default ./data/betrokken.db), so a newcomer sees a living index in one
 * command: organisations of several sectors, people in every role with a password and an
 * authenticator secret (printed once, at the end), registrations and two matches, whose
 * mails stay queued for the server to send (see them at /dev/mail after `npm start`).
 *
 * Everything goes through the verbs the pages and the CLI use (createOrganisation,
 * createPerson with its invitation, setPasswordWithToken, the TOTP enrolment,
 * registerInvolvement): no SQL of its own, so every step is audited like any other.
 * Refuses NODE_ENV=production, and a database that already has organisations unless
 * --force (then names and addresses get a suffix, so they do not collide).
 */
import { generate } from 'otplib';
import { setPasswordWithToken } from '../auth/account-tokens.ts';
import { beginTotpEnrolment, confirmTotpEnrolment } from '../auth/totp.ts';
import type { Ctx } from '../context.ts';
import { createOrganisation, createPerson } from '../directory/directory.ts';
import { listOrganisations } from '../directory/organisations.ts';
import { createNodeDeps, loadNodeConfig } from '../entry/node-deps.ts';
import { ConfigError } from '../env.ts';
import { ServiceError } from '../lib/errors.ts';
import { drainOutbox } from '../jobs/drain-outbox.ts';
import type { OutgoingMail } from '../notify/mailer.ts';
import { registerInvolvement } from '../registry/register-involvement.ts';
import type { Role, Sector } from '../vocabulary.ts';

export interface DemoIo {
  env: Record<string, string | undefined>;
  out(line: string): void;
  error(line: string): void;
}

interface DemoPerson {
  name: string;
  email: string;
  roles: Role[];
  /** Index into ORGANISATIONS; none for the municipality's own staff. */
  org?: number;
}

const ORGANISATIONS: { name: string; sector: Sector; domain: string }[] = [
  { name: 'Jeugdhulp De Linde', sector: 'youth_care', domain: 'delinde.example' },
  { name: 'Wijkteam Centrum', sector: 'district_team', domain: 'wijkteam.example' },
  { name: 'Basisschool De Kastanje', sector: 'education', domain: 'dekastanje.example' },
  { name: 'JGZ Voorbeeldstad', sector: 'youth_health', domain: 'jgz.example' },
];

const PEOPLE: DemoPerson[] = [
  { name: 'Sanne de Vries', email: 'sanne.devries@delinde.example', roles: ['professional'], org: 0 },
  { name: 'Daan Bakker', email: 'daan.bakker@delinde.example', roles: ['organisation_coordinator'], org: 0 },
  { name: 'Mehmet Yilmaz', email: 'mehmet.yilmaz@wijkteam.example', roles: ['professional'], org: 1 },
  { name: 'Lotte Jansen', email: 'lotte.jansen@dekastanje.example', roles: ['professional'], org: 2 },
  { name: 'Fatima El Amrani', email: 'fatima.elamrani@jgz.example', roles: ['professional'], org: 3 },
  { name: 'Eva Smit', email: 'eva.smit@voorbeeldstad.example', roles: ['municipal_admin'] },
  { name: 'Iris Mulder', email: 'iris.mulder@voorbeeldstad.example', roles: ['match_monitor'] },
  { name: 'Noah Visser', email: 'noah.visser@voorbeeldstad.example', roles: ['auditor'] },
];

/** Who registers which (made-up) young person: two of them are known to more than one organisation. */
const REGISTRATIONS: { child: number; person: string; reference: string }[] = [
  { child: 0, person: 'sanne.devries@delinde.example', reference: 'DL-0142' },
  { child: 0, person: 'mehmet.yilmaz@wijkteam.example', reference: 'WT-0077' },
  { child: 1, person: 'lotte.jansen@dekastanje.example', reference: 'KAS-0012' },
  { child: 1, person: 'fatima.elamrani@jgz.example', reference: 'JGZ-0931' },
  { child: 2, person: 'sanne.devries@delinde.example', reference: 'DL-0150' },
];
const BIRTH_DATES = ['2013-04-09', '2016-11-23', '2010-02-02'];

const WORDS = [
  'kastanje',
  'vijver',
  'molen',
  'dijk',
  'tulp',
  'fietspad',
  'zandloper',
  'kompas',
  'lantaarn',
  'beukenlaan',
  'wilg',
  'haven',
  'brug',
  'zonnewijzer',
  'gracht',
  'klaproos',
  'veerpont',
  'schelp',
  'uiterwaard',
  'duinpan',
  'hooiberg',
  'stoomboot',
];

function pick<T>(items: readonly T[]): T {
  return items[crypto.getRandomValues(new Uint32Array(1))[0]! % items.length]!;
}

/** A random passphrase like "Demo-Kastanje-vijver-molen-31": long, easy to type, strong enough for the policy. */
function passphrase(): string {
  const words: string[] = [];
  while (words.length < 3) {
    const word = pick(WORDS);
    if (!words.includes(word)) words.push(word);
  }
  const number = 10 + (crypto.getRandomValues(new Uint8Array(1))[0]! % 90);
  return `Demo-${words[0]![0]!.toUpperCase()}${words[0]!.slice(1)}-${words[1]}-${words[2]}-${number}`;
}

/** A made-up BSN that passes the elfproef (random each run: these children do not exist). */
function demoBsn(): string {
  for (;;) {
    const digits = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b % 10);
    const check = digits.reduce((sum, d, i) => sum + (9 - i) * d, 0) % 11;
    if (check > 9 || digits[0] === 0) continue;
    return [...digits, check].join('');
  }
}

/** Sets a fresh passphrase through the invitation; another one if the policy (a zxcvbn score) finds it weak. */
async function setPassword(ctx: Ctx, token: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const password = passphrase();
    try {
      await setPasswordWithToken(ctx, { purpose: 'invitation', token, password });
      return password;
    } catch (error) {
      if (!(error instanceof ServiceError && error.code === 'invalid_input') || attempt >= 5) throw error;
    }
  }
}

const ROLE_LABELS: Record<Role, string> = {
  professional: 'professional',
  organisation_coordinator: 'coördinator organisatie',
  match_monitor: 'matchopvolger',
  municipal_admin: 'functioneel beheerder',
  auditor: 'auditor',
};

/** Columns padded to their widest cell. */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}

export async function runDemo(argv: string[], io: DemoIo): Promise<number> {
  const force = argv.includes('--force');
  const unknown = argv.filter((arg) => arg !== '--force');
  if (unknown.length > 0) {
    io.error(`Unknown option: ${unknown.join(' ')}\nUsage: npm run demo [-- --force]`);
    return 2;
  }
  if (io.env.NODE_ENV === 'production') {
    io.error('npm run demo refuses NODE_ENV=production: it creates people with printed passwords.');
    return 2;
  }
  let config: ReturnType<typeof loadNodeConfig>;
  try {
    config = loadNodeConfig(io.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.error(error.message);
      return 2;
    }
    throw error;
  }
  // The invitations are caught here and used at once (their links are spent): nothing else
  // reads them. The match mails stay queued for the server.
  const invitations: OutgoingMail[] = [];
  const deps = createNodeDeps(config, { mailer: { send: async (mail) => void invitations.push(mail) }, log: () => {} });
  try {
    const operator: Ctx = { deps, actor: { type: 'operator', id: 'npm run demo' }, requestId: null, origin: 'cli' };
    const existing = await listOrganisations(operator, {});
    if (existing.total > 0 && !force) {
      io.error(`${config.DATABASE_PATH} already has ${existing.total} organisation(s): run \`npm run demo -- --force\` to add the demo anyway.`);
      return 1;
    }
    // On a database that is not empty, a suffix keeps names and addresses unique.
    const suffix = existing.total > 0 ? `-${crypto.randomUUID().slice(0, 4)}` : '';
    const nameSuffix = suffix ? ` (${suffix.slice(1)})` : '';
    const emailOf = (email: string) => email.replace('@', `${suffix}@`);

    const orgIds: string[] = [];
    for (const org of ORGANISATIONS) orgIds.push((await createOrganisation(operator, { name: `${org.name}${nameSuffix}`, sector: org.sector })).id);

    const people = new Map<string, { id: string; email: string; person: DemoPerson }>();
    for (const person of PEOPLE) {
      const email = emailOf(person.email);
      const { id } = await createPerson(operator, {
        ...(person.org === undefined ? {} : { organisationId: orgIds[person.org]! }),
        name: person.name,
        email,
        phone: person.org === undefined ? null : '010-1234567',
        roles: person.roles,
      });
      people.set(person.email, { id, email, person });
    }
    await drainOutbox(deps);

    const accounts: { email: string; role: string; organisation: string; password: string; secret: string; uri: string }[] = [];
    for (const { id, email, person } of people.values()) {
      const mail = invitations.findLast((m) => m.to === email);
      const token = mail && /\/account\/activate\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
      if (!token) throw new Error(`no invitation for ${email}`);
      const password = await setPassword(operator, token);
      const { secret, uri } = await beginTotpEnrolment(operator, { professionalId: id });
      await confirmTotpEnrolment(operator, { professionalId: id, code: await generate({ secret }) });
      accounts.push({
        email,
        role: person.roles.map((role) => ROLE_LABELS[role]).join(', '),
        organisation: person.org === undefined ? config.MUNICIPALITY_NAME : `${ORGANISATIONS[person.org]!.name}${nameSuffix}`,
        password,
        secret,
        uri,
      });
    }

    const bsns = BIRTH_DATES.map(() => demoBsn());
    const matchIds = new Set<string>();
    for (const registration of REGISTRATIONS) {
      const { id, email, person } = people.get(registration.person)!;
      const ctx: Ctx = { deps, actor: { type: 'professional', id, organisationId: orgIds[person.org!]!, roles: person.roles }, requestId: null, origin: 'cli' };
      const result = await registerInvolvement(ctx, {
        bsn: bsns[registration.child]!,
        birthDate: BIRTH_DATES[registration.child]!,
        professionalEmail: email,
        reference: registration.reference,
      });
      if (result.registration.matchId) matchIds.add(result.registration.matchId);
    }
    const matches = matchIds.size;

    io.out(
      `Demo municipality created in ${config.DATABASE_PATH}: ${ORGANISATIONS.length} organisations, ${accounts.length} people, ${REGISTRATIONS.length} registrations, ${matches} matches.`,
    );
    io.out('The match mails are queued: start the server (npm start) and read them at /dev/mail.');
    io.out('');
    io.out('Log in at /login with an address and its password; the second step asks for a code from an');
    io.out('authenticator app set up with the secret (or the otpauth URL below). Shown this once:');
    io.out('');
    for (const line of table([
      ['E-mail', 'Rol', 'Organisatie', 'Wachtwoord', 'TOTP-geheim'],
      ...accounts.map((a) => [a.email, a.role, a.organisation, a.password, a.secret]),
    ])) {
      io.out(line);
    }
    io.out('');
    io.out('otpauth URLs (paste into an authenticator, or `oathtool --totp -b <secret>`):');
    for (const account of accounts) io.out(`  ${account.uri}`);
    return 0;
  } finally {
    deps.close();
  }
}
