/**
 * Operator CLI: `npm run cli -- <command> [options]`. Every command accepts `--json` and then
 * prints exactly one JSON object on stdout, so scripts (and our tests and benchmarks) can
 * drive it. Exit codes: 0 done, 1 refused (e.g. unknown organisation), 2 bad usage/config.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { createR2AnchorStore, missingAnchorStore } from '../audit/anchor.ts';
import { withAuditMacs } from '../audit/audit.ts';
import { anchorAuditChain, AuditIntegrityError, sealAuditChain, verifyAuditChain } from '../audit/chain.ts';
import { createAuditKeyring } from '../audit/key.ts';
import { SetApiClientRateLimitInput, setApiClientRateLimit } from '../auth/api-token.ts';
import { createMemoryRateLimiter } from '../auth/rate-limit.ts';
import type { Ctx } from '../context.ts';
import { CreateApiClientInput, CreateOrganisationInput, CreatePersonInput, createApiClient, createOrganisation, createPerson } from '../directory/directory.ts';
import { systemClock, type Deps } from '../deps.ts';
import { argon2Hasher, createNodeDeps, loadNodeConfig, nodeHmac } from '../entry/node-deps.ts';
import { ConfigError, parseEnv } from '../env.ts';
import { createPseudonymizer } from '../identity/pseudonymizer.ts';
import { createFileMailer, createSmtpMailer } from '../notify/transports/node.ts';
// D1 support loads wrangler, which is slow to import: only when asked for (see below).
import type { D1Target } from './d1.ts';
import { outboxStatus } from '../jobs/drain-outbox.ts';
import { runJobs } from '../jobs/run-jobs.ts';
import { type FieldErrors, parseInput, ServiceError } from '../lib/errors.ts';
import { MUNICIPAL_ROLES, SECTORS } from '../vocabulary.ts';

const USAGE = `Usage: npm run cli -- <command> [options] [--json]

Commands:
  org create --name <name> --sector <${SECTORS.join('|')}>
  professional create --org <organisation id> --name <name> --email <email> [--phone <phone>] [--role professional,organisation_coordinator]
  user create --role <${MUNICIPAL_ROLES.join('|')}>[,…] --name <name> --email <email> [--phone <phone>]
                                                                 the municipality's staff (how the first admin is made)
  api-client create --org <organisation id> --name <name> [--rate-limit <requests per minute>]
                                                                 prints the token once
  api-client set-limit --id <api client id> --rate-limit <requests per minute|default>
                                                                 this client's own API limit (default: API_LIMIT_PER_MINUTE)
  outbox status                                                  pending / sent / dead counts
  jobs run                                                       runs every job once (drain, expiry, retention)
  audit verify                                                   checks the keyed audit chain and its latest anchor
  audit anchor                                                   seals the audit chain and anchors its head now
  migrate                                                        applies pending migrations

Database (default: the SQLite file at DATABASE_PATH, ./data/betrokken.db):
  --d1-local [--persist-to <dir>]   the local D1 state of \`wrangler dev\` (.wrangler/state by default)
  --d1-remote <database>            the deployed D1 database (name in wrangler.toml, or its id);
                                    needs \`wrangler login\` or CLOUDFLARE_API_TOKEN, and the
                                    deployment's AUDIT_KEY and PSEUDONYM_KEY in the environment

Every command that changes something needs --operator <your name> (or BETROKKEN_OPERATOR):
the audit trail records who ran it.

Environment: DATABASE_PATH and the other variables in README.`;

class UsageError extends Error {}

type Options = Omit<ReturnType<typeof parseCommandLine>['values'], 'json' | 'help' | 'd1-local' | 'd1-remote' | 'persist-to'>;
type Result = { json: Record<string, unknown>; text: string };
/** Readies a command from its options (throwing if they are wrong), before any database is opened. */
type Command = (options: Options) => (ctx: Ctx) => Promise<Result>;

/**
 * A command that calls a verb: its options become the verb's input, checked with the verb's
 * own schema up front (so bad options never open a database); the verb parses it again.
 */
function verb<S extends z.ZodType>(schema: S, input: (o: Options) => Record<string, unknown>, run: (ctx: Ctx, input: z.output<S>) => Promise<Result>): Command {
  return (options) => {
    const parsed = parseInput(schema, input(options));
    return (ctx) => run(ctx, parsed);
  };
}

/** How a verb's input field is spelled on the command line, where it differs. */
const OPTION_OF: Record<string, string> = { organisationId: 'org', apiClientId: 'id', rateLimitPerMinute: 'rate-limit', roles: 'role' };

/** `--role a,b` (or the option given twice) as a list. */
function roleList(values: string[] | undefined): string[] | undefined {
  return values
    ?.flatMap((value) => value.split(','))
    .map((role) => role.trim())
    .filter(Boolean);
}

const COMMANDS: Record<string, Command> = {
  'org create': verb(
    CreateOrganisationInput,
    (o) => ({ name: o.name, sector: o.sector }),
    async (ctx, input) => {
      const { id } = await createOrganisation(ctx, input);
      return { json: { id }, text: `Organisation created: ${id}` };
    },
  ),
  'professional create': verb(
    CreatePersonInput,
    (o) => ({ organisationId: o.org, name: o.name, email: o.email, phone: o.phone, roles: roleList(o.role) }),
    async (ctx, input) => {
      const { id } = await createPerson(ctx, input);
      return { json: { id }, text: `Professional created and invited: ${id}` };
    },
  ),
  'user create': verb(
    CreatePersonInput,
    (o) => ({ name: o.name, email: o.email, phone: o.phone, roles: roleList(o.role) ?? [] }),
    async (ctx, input) => {
      const { id } = await createPerson(ctx, input);
      return { json: { id }, text: `User created and invited: ${id}` };
    },
  ),
  'api-client create': verb(
    CreateApiClientInput,
    (o) => ({ organisationId: o.org, name: o.name, rateLimitPerMinute: o['rate-limit'] }),
    async (ctx, input) => {
      const { id, token } = await createApiClient(ctx, input);
      return {
        json: { id, token },
        text: `API client created: ${id}\nToken (shown only now; store it safely):\n${token}`,
      };
    },
  ),
  'api-client set-limit': verb(
    SetApiClientRateLimitInput,
    (o) => ({ apiClientId: o.id, rateLimitPerMinute: o['rate-limit'] === 'default' ? null : o['rate-limit'] }),
    async (ctx, input) => {
      await setApiClientRateLimit(ctx, input);
      const limit = input.rateLimitPerMinute;
      return {
        json: { id: input.apiClientId, rateLimitPerMinute: limit },
        text: `API client ${input.apiClientId}: ${limit === null ? 'the default limit (API_LIMIT_PER_MINUTE)' : `${limit} requests per minute`}`,
      };
    },
  ),
  'outbox status': () => async (ctx) => {
    const counts = await outboxStatus(ctx.deps);
    return { json: counts, text: `pending ${counts.pending}, sent ${counts.sent}, dead ${counts.dead}` };
  },
  'jobs run': () => async (ctx) => {
    await runJobs(ctx.deps);
    const counts = await outboxStatus(ctx.deps);
    return { json: { outbox: counts }, text: `Jobs ran. Outbox: pending ${counts.pending}, sent ${counts.sent}, dead ${counts.dead}` };
  },
  'audit verify': () => async (ctx) => {
    const { db, auditKeys, auditAnchors } = ctx.deps;
    const result = await verifyAuditChain(db, auditKeys, { anchors: auditAnchors, ...auditTiming(ctx.deps) });
    if (!result.ok) throw new ServiceError('conflict', `Audit trail fails at seq ${result.brokenAt}: ${result.reason}`);
    const anchored = result.anchor ? `; matches the anchor of ${result.anchor.at} (seq ${result.anchor.seq})` : '; no anchor yet';
    return { json: { ...result }, text: `Audit trail intact (${result.checked} events, ${result.sealed} sealed${anchored})` };
  },
  'audit anchor': () => async (ctx) => {
    const { db, atomic, auditKeys, auditAnchors, clock } = ctx.deps;
    const timing = auditTiming(ctx.deps);
    await sealAuditChain(db, atomic, auditKeys, timing);
    const anchor = await anchorAuditChain(db, auditKeys, auditAnchors, clock.now(), timing);
    if (!anchor) return { json: { anchor: null }, text: 'Nothing sealed yet: no anchor written.' };
    return { json: { anchor, where: auditAnchors.where }, text: `Anchored seq ${anchor.seq} at ${anchor.at} to ${auditAnchors.where}` };
  },
  // Opening the database applies pending migrations.
  migrate: () => async () => ({ json: { migrated: true }, text: 'Migrations applied.' }),
};

function parseCommandLine(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      name: { type: 'string' },
      sector: { type: 'string' },
      org: { type: 'string' },
      email: { type: 'string' },
      phone: { type: 'string' },
      role: { type: 'string', multiple: true },
      operator: { type: 'string' },
      id: { type: 'string' },
      'rate-limit': { type: 'string' },
      'd1-local': { type: 'boolean', default: false },
      'd1-remote': { type: 'string' },
      'persist-to': { type: 'string' },
    },
  });
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    return fail(argv.includes('--json'), new UsageError(error instanceof Error ? error.message : String(error)));
  }
  const { json, help, 'd1-local': d1Local, 'd1-remote': d1Remote, 'persist-to': persistTo, operator: operatorOption, ...rawOptions } = parsed.values;
  if (d1Local && d1Remote) return fail(json, new UsageError('Choose one of --d1-local and --d1-remote'));
  if (persistTo && !d1Local) return fail(json, new UsageError('--persist-to goes with --d1-local'));
  const d1: D1Target | null = d1Local ? { kind: 'local', persistTo } : d1Remote ? { kind: 'remote', database: d1Remote } : null;
  if (help || parsed.positionals.length === 0) {
    console.log(USAGE);
    return help ? 0 : 2;
  }
  const name = parsed.positionals.join(' ');
  const command = COMMANDS[name];
  if (!command) return fail(json, new UsageError(`Unknown command: ${name}\n\n${USAGE}`));
  let run: ReturnType<Command>;
  try {
    run = command(rawOptions);
  } catch (error) {
    return fail(json, error);
  }

  // Every action is audited under a named operator (NEN 7513): never a nameless actor.
  const operator = (operatorOption ?? process.env.BETROKKEN_OPERATOR ?? '').trim();
  if (!operator && !READ_ONLY.has(name)) {
    return fail(json, new UsageError('Name yourself for the audit trail: --operator <name>, or set BETROKKEN_OPERATOR'));
  }
  if (operator.length > 100) return fail(json, new UsageError('--operator: at most 100 characters'));

  let opened: { deps: Deps; close(): Promise<void> | void } | undefined;
  try {
    if (d1 && name === 'jobs run') {
      // The CLI has neither the Worker's mail binding nor its [vars]: running the drain here
      // would mark mail as sent that never went out.
      throw new UsageError('On Workers the jobs run from the Cron Trigger. Locally: curl http://localhost:8787/cdn-cgi/local/scheduled');
    }
    if (d1 && name === 'migrate') {
      const { migrateD1 } = await import('./d1.ts');
      await migrateD1(d1);
      console.log(json ? JSON.stringify({ migrated: true }) : 'Migrations applied.');
      return 0;
    }
    opened = d1 ? await openD1Deps(d1, name) : openNodeDeps();
    const { deps } = opened;
    const ctx: Ctx = { deps, actor: { type: 'operator', id: operator || 'read-only' }, requestId: null, origin: 'cli' };
    const result = await run(ctx);
    if (!READ_ONLY.has(name)) await sealAfter(deps);
    console.log(json ? JSON.stringify(result.json) : result.text);
    return 0;
  } catch (error) {
    return fail(json, error);
  } finally {
    await opened?.close();
  }
}

/** Commands that write nothing, not even an audit row: they need no key on remote D1. */
const READ_ONLY = new Set(['outbox status', 'audit verify']);

/** The deployment's own sealing and anchoring intervals, as the jobs use them (ADR 0009). */
function auditTiming(deps: Deps) {
  return { now: deps.clock.now(), graceMs: deps.config.AUDIT_SEAL_GRACE_SECONDS * 1000, anchorMs: deps.config.AUDIT_ANCHOR_SECONDS * 1000 };
}

/** Seals what the command audited; a refusal is reported (the command itself succeeded). */
async function sealAfter(deps: Deps) {
  try {
    await sealAuditChain(deps.db, deps.atomic, deps.auditKeys, auditTiming(deps));
  } catch (error) {
    if (!(error instanceof AuditIntegrityError)) throw error;
    console.error(`Warning: ${error.message}. Run \`audit verify\` (docs/operations.md, "Audit trail integrity").`);
  }
}

/**
 * The keys for D1: the operator's environment; for --d1-local also the development keys
 * `npm run dev:worker` wrote to .dev.vars, so rows match what `wrangler dev` seals.
 */
function d1KeyEnvironment(target: D1Target, name: string): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  if (target.kind === 'local' && existsSync('.dev.vars')) {
    for (const line of readFileSync('.dev.vars', 'utf8').split('\n')) {
      const match = /^(AUDIT_KEY|AUDIT_KEY_ID|PSEUDONYM_KEY|PSEUDONYM_KEY_ID)=(.*)$/.exec(line.trim());
      if (match && !env[match[1]!]) env[match[1]!] = match[2];
    }
  }
  const missing = ['AUDIT_KEY', 'PSEUDONYM_KEY'].filter((key) => !env[key]);
  if (missing.length > 0 && target.kind === 'remote' && name !== 'outbox status') {
    // With a throw-away key, rows would carry MACs the deployment refuses to seal (ADR 0009).
    throw new UsageError(
      `${missing.join(' and ')} not set: on --d1-remote the CLI MACs audit rows and checks the chain with the deployment's own keys. Set them in the environment (the values given to \`wrangler secret put\`).`,
    );
  }
  return env;
}

function openNodeDeps() {
  const deps = createNodeDeps(loadNodeConfig(), { log: () => {} });
  return { deps, close: () => deps.close() };
}

/**
 * The same ports over D1. No CLI command pseudonymises a BSN, so without PSEUDONYM_KEY a
 * throw-away key fills the slot (the Worker's own key is a wrangler secret).
 */
async function openD1Deps(target: D1Target, name: string) {
  const env = d1KeyEnvironment(target, name);
  // Only a read (`outbox status`) or local state gets here without keys: a throw-away key fills the slot.
  env.PSEUDONYM_KEY ||= Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex');
  env.AUDIT_KEY ||= Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex');
  const config = parseEnv(env);
  const { isMigrated, migrateD1, openD1Target } = await import('./d1.ts');
  let database = await openD1Target(target);
  if (!(await isMigrated(database.db))) {
    // Like the SQLite file, a local D1 state is migrated on first use; a remote one is not
    // changed behind the operator's back.
    await database.close();
    if (target.kind === 'remote') throw new UsageError('The D1 database has no tables yet: run `npm run cli -- migrate --d1-remote <database>` first');
    await migrateD1(target);
    database = await openD1Target(target);
  }
  const deps: Deps = {
    db: database.db,
    atomic: withAuditMacs(database.atomic),
    hasher: argon2Hasher,
    mailer: config.SMTP_URL ? createSmtpMailer(config.SMTP_URL) : createFileMailer(config.MAIL_DIR),
    pseudonymizer: createPseudonymizer({ id: config.PSEUDONYM_KEY_ID, bytes: config.PSEUDONYM_KEY! }),
    clock: systemClock,
    config,
    log: () => {},
    clientAddress: () => null, // the CLI serves no requests
    auditKeys: createAuditKeyring({ id: config.AUDIT_KEY_ID, bytes: config.AUDIT_KEY! }, config.AUDIT_PREVIOUS_KEYS, nodeHmac),
    auditAnchors: database.anchors ? createR2AnchorStore(database.anchors) : missingAnchorStore,
    rateLimiter: createMemoryRateLimiter(),
  };
  return { deps, close: () => database.close() };
}

/** Field errors as the operator typed them: one line per option. */
function optionErrors(fields: FieldErrors): string {
  return Object.entries(fields)
    .map(([field, messages]) => `  --${OPTION_OF[field] ?? field}: ${messages.join('; ')}`)
    .join('\n');
}

function fail(json: boolean, error: unknown): number {
  // A verb refusing its input is bad usage of the command, as a wrong option always was.
  const badInput = error instanceof ServiceError && error.code === 'invalid_input';
  const usage = error instanceof UsageError || error instanceof ConfigError || badInput;
  const code = usage ? 'usage' : error instanceof ServiceError ? error.code : 'internal';
  const fields = error instanceof ServiceError && error.fields ? `\n${optionErrors(error.fields)}` : '';
  const message = badInput
    ? `Invalid options:${fields}`
    : error instanceof Error && (usage || error instanceof ServiceError)
      ? `${error.message}${fields}`
      : 'Unexpected error';
  if (json) console.log(JSON.stringify({ error: { code, message } }));
  else console.error(`Error: ${message}`);
  if (!usage && !(error instanceof ServiceError)) console.error(error);
  return usage ? 2 : 1;
}

process.exitCode = await main(process.argv.slice(2));
