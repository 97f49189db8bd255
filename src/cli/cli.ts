/**
 * Operator CLI: `npx betrokken <command> [options]` (bin/betrokken.mjs). Every command accepts `--json` and then
 * prints exactly one JSON object on stdout, so scripts (and our tests and benchmarks) can
 * drive it. Exit codes: 0 done, 1 refused (e.g. unknown organisation), 2 bad usage/config.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createR2AnchorStore, missingAnchorStore } from '../audit/anchor.ts';
import { withAuditMacs } from '../audit/audit.ts';
import { AuditIntegrityError, sealAuditChain } from '../audit/chain.ts';
import { createAuditKeyring } from '../audit/key.ts';
import { createMemoryRateLimiter } from '../auth/rate-limit.ts';
import type { Ctx } from '../context.ts';
import { systemClock, type Deps } from '../deps.ts';
import { argon2Hasher, createNodeDeps, loadNodeConfig, nodeHmac } from '../entry/node-deps.ts';
import { ConfigError, parseEnv } from '../env.ts';
import { createPseudonymizer } from '../identity/pseudonymizer.ts';
import { createFileMailer, createSmtpMailer } from '../notify/transports/node.ts';
// D1 support loads wrangler, which is slow to import: only when asked for (see below).
import type { D1Target } from './d1.ts';
import { type FieldErrors, ServiceError } from '../lib/errors.ts';
import { type Command, type CommandSet, OPTION_OF, parseCommandLine, UsageError } from './command.ts';
import { auditCommands, auditTiming } from './commands/audit.ts';
import { bulkJobCommands } from './commands/bulk-jobs.ts';
import { directoryCommands } from './commands/directory.ts';
import { importCommands } from './commands/import.ts';
import { outboxCommands } from './commands/outbox.ts';
import { peopleCommands } from './commands/people.ts';
import { rightsCommands } from './commands/rights.ts';

const SETS: CommandSet[] = [directoryCommands, peopleCommands, bulkJobCommands, outboxCommands, auditCommands, rightsCommands, importCommands];

const MIGRATE: Command = () => async () => ({ json: { migrated: true }, text: 'Migrations applied.' });

const COMMANDS: Record<string, Command> = {
  ...Object.assign({}, ...SETS.map((set) => set.commands)),
  // Opening the database applies pending migrations.
  migrate: MIGRATE,
};

/** Commands that take a file after their name. */
const FILE_OPERAND = new Set(SETS.flatMap((set) => set.fileOperand ?? []));

/** Commands that write nothing, not even an audit row: no --operator, and no key on remote D1. */
const READ_ONLY = new Set(SETS.flatMap((set) => set.readOnly ?? []));

const USAGE = `Usage: npx betrokken <command> [options] [--json]   (or: npm run -s cli -- …)

Commands:
${SETS.map((set) => set.usage).join('\n')}
  migrate                                                        applies pending migrations

Database (default: the SQLite file at DATABASE_PATH, ./data/betrokken.db):
  --d1-local [--persist-to <dir>]   the local D1 state of \`wrangler dev\` (.wrangler/state by default)
  --d1-remote <database>            the deployed D1 database (name in wrangler.toml, or its id);
                                    needs \`wrangler login\` or CLOUDFLARE_API_TOKEN, and the
                                    deployment's AUDIT_KEY and PSEUDONYM_KEY in the environment

Every command that reads or changes the index needs --operator <your name> (or
BETROKKEN_OPERATOR): the audit trail records who looked at or changed what. Only
\`outbox status\` and \`audit verify\` go without.

Environment: DATABASE_PATH and the other variables in README.`;

/**
 * Where the CLI reads its environment and writes its output: the process (src/cli/main.ts),
 * or a test that runs it in process. `write` is stdout (the JSON object, or the CSV stream),
 * `error` is a line on stderr.
 */
export interface CliIo {
  env: Record<string, string | undefined>;
  write(chunk: string | Uint8Array): Promise<void>;
  error(line: string): void;
}

/** Runs one command line; returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const fail = (json: boolean, error: unknown) => failure(json, error, io);
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
    await io.write(`${USAGE}\n`);
    return help ? 0 : 2;
  }
  let name = parsed.positionals.join(' ');
  // A file operand after the command (`import registrations FILE.csv`) is its --file.
  const withoutOperand = parsed.positionals.slice(0, -1).join(' ');
  if (!COMMANDS[name] && FILE_OPERAND.has(withoutOperand) && rawOptions.file === undefined) {
    rawOptions.file = parsed.positionals.at(-1);
    name = withoutOperand;
  }
  const command = COMMANDS[name];
  if (!command) return fail(json, new UsageError(`Unknown command: ${name}\n\n${USAGE}`));
  let run: ReturnType<Command>;
  try {
    run = command(rawOptions);
  } catch (error) {
    return fail(json, error);
  }

  // Every action is audited under a named operator (NEN 7513): never a nameless actor.
  const operator = (operatorOption ?? io.env.BETROKKEN_OPERATOR ?? '').trim();
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
      await io.write(`${json ? JSON.stringify({ migrated: true }) : 'Migrations applied.'}\n`);
      return 0;
    }
    opened = d1 ? await openD1Deps(d1, name, io.env) : openNodeDeps(io.env);
    const { deps } = opened;
    const ctx: Ctx = { deps, actor: { type: 'operator', id: operator || 'read-only' }, requestId: null, origin: 'cli' };
    const result = await run(ctx);
    if (!READ_ONLY.has(name)) await sealAfter(deps, io);
    if (result.stream) {
      // A streamed result (audit export): written as it is read, never whole in memory.
      const reader = result.stream.getReader();
      for (let part = await reader.read(); !part.done; part = await reader.read()) await io.write(part.value);
    } else {
      await io.write(`${json ? JSON.stringify(result.json) : result.text}\n`);
    }
    return 0;
  } catch (error) {
    return fail(json, error);
  } finally {
    await opened?.close();
  }
}

/** Seals what the command audited; a refusal is reported (the command itself succeeded). */
async function sealAfter(deps: Deps, io: CliIo) {
  try {
    await sealAuditChain(deps.db, deps.atomic, deps.auditKeys, auditTiming(deps));
  } catch (error) {
    if (!(error instanceof AuditIntegrityError)) throw error;
    io.error(`Warning: ${error.message}. Run \`audit verify\` (docs/operations.md, "Audit trail integrity").`);
  }
}

/**
 * The keys for D1: the operator's environment; for --d1-local also the development keys
 * `npm run dev:worker` wrote to .dev.vars, so rows match what `wrangler dev` seals.
 */
function d1KeyEnvironment(target: D1Target, name: string, environment: Record<string, string | undefined>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...environment };
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

function openNodeDeps(env: Record<string, string | undefined>) {
  const deps = createNodeDeps(loadNodeConfig(env), { log: () => {} });
  return { deps, close: () => deps.close() };
}

/**
 * The same ports over D1. No CLI command pseudonymises a BSN, so without PSEUDONYM_KEY a
 * throw-away key fills the slot (the Worker's own key is a wrangler secret).
 */
async function openD1Deps(target: D1Target, name: string, environment: Record<string, string | undefined>) {
  const env = d1KeyEnvironment(target, name, environment);
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

function failure(json: boolean, error: unknown, io: CliIo): number {
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
  // Synchronous enough: the error line is short, and the caller awaits nothing after it.
  if (json) void io.write(`${JSON.stringify({ error: { code, message } })}\n`);
  else io.error(`Error: ${message}`);
  if (!usage && !(error instanceof ServiceError)) io.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return usage ? 2 : 1;
}
