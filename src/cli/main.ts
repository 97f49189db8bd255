/**
 * Operator CLI: `npm run cli -- <command> [options]`. Every command accepts `--json` and then
 * prints exactly one JSON object on stdout, so scripts (and our tests and benchmarks) can
 * drive it. Exit codes: 0 done, 1 refused (e.g. unknown organisation), 2 bad usage/config.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { sealAuditChain, verifyAuditChain } from '../audit/chain.ts';
import type { Ctx } from '../context.ts';
import { createApiClient, createOrganisation, createProfessional } from '../directory/directory.ts';
import { systemClock, type Deps } from '../deps.ts';
import { argon2Hasher, createNodeDeps, loadNodeConfig } from '../entry/node-deps.ts';
import { ConfigError, parseEnv } from '../env.ts';
import { createPseudonymizer } from '../identity/pseudonymizer.ts';
import { createFileMailer, createSmtpMailer } from '../notify/transports/node.ts';
// D1 support loads wrangler, which is slow to import: only when asked for (see below).
import type { D1Target } from './d1.ts';
import { outboxStatus } from '../jobs/drain-outbox.ts';
import { runJobs } from '../jobs/run-jobs.ts';
import { ServiceError } from '../lib/errors.ts';
import { ROLES, SECTORS } from '../vocabulary.ts';

const USAGE = `Usage: npm run cli -- <command> [options] [--json]

Commands:
  org create --name <name> --sector <${SECTORS.join('|')}>
  professional create --org <organisation id> --name <name> --email <email> [--phone <phone>] [--role <${ROLES.join('|')}>]
  api-client create --org <organisation id> --name <name>      prints the token once
  outbox status                                                  pending / sent / dead counts
  jobs run                                                       runs every job once (drain, expiry, retention)
  audit verify                                                   checks the audit hash chain
  migrate                                                        applies pending migrations

Database (default: the SQLite file at DATABASE_PATH, ./data/betrokken.db):
  --d1-local [--persist-to <dir>]   the local D1 state of \`wrangler dev\` (.wrangler/state by default)
  --d1-remote <database>            the deployed D1 database (name in wrangler.toml, or its id);
                                    needs \`wrangler login\` or CLOUDFLARE_API_TOKEN

Environment: DATABASE_PATH and the other variables in README.`;

class UsageError extends Error {}

const text = (name: string) =>
  z
    .string({ error: `--${name} is required` })
    .trim()
    .min(1, `--${name} is required`);

type Handler = (ctx: Ctx, options: Record<string, unknown>) => Promise<{ json: Record<string, unknown>; text: string }>;

const COMMANDS: Record<string, { options: z.ZodType<Record<string, unknown>>; run: Handler }> = {
  'org create': {
    options: z.object({ name: text('name'), sector: z.enum(SECTORS, { error: `--sector must be one of ${SECTORS.join(', ')}` }) }),
    run: async (ctx, o) => {
      const { id } = await createOrganisation(ctx, o as { name: string; sector: (typeof SECTORS)[number] });
      return { json: { id }, text: `Organisation created: ${id}` };
    },
  },
  'professional create': {
    options: z.object({
      org: text('org'),
      name: text('name'),
      email: z.email({ error: '--email must be an email address' }),
      phone: z.string().trim().max(40).optional(),
      role: z.enum(ROLES, { error: `--role must be one of ${ROLES.join(', ')}` }).optional(),
    }),
    run: async (ctx, o) => {
      const input = o as { org: string; name: string; email: string; phone?: string; role?: (typeof ROLES)[number] };
      const { id } = await createProfessional(ctx, { organisationId: input.org, ...input });
      return { json: { id }, text: `Professional created: ${id}` };
    },
  },
  'api-client create': {
    options: z.object({ org: text('org'), name: text('name') }),
    run: async (ctx, o) => {
      const { id, token } = await createApiClient(ctx, { organisationId: o.org as string, name: o.name as string });
      return {
        json: { id, token },
        text: `API client created: ${id}\nToken (shown only now; store it safely):\n${token}`,
      };
    },
  },
  'outbox status': {
    options: z.object({}),
    run: async (ctx) => {
      const counts = await outboxStatus(ctx.deps);
      return { json: counts, text: `pending ${counts.pending}, sent ${counts.sent}, dead ${counts.dead}` };
    },
  },
  'jobs run': {
    options: z.object({}),
    run: async (ctx) => {
      await runJobs(ctx.deps);
      const counts = await outboxStatus(ctx.deps);
      return { json: { outbox: counts }, text: `Jobs ran. Outbox: pending ${counts.pending}, sent ${counts.sent}, dead ${counts.dead}` };
    },
  },
  'audit verify': {
    options: z.object({}),
    run: async (ctx) => {
      const result = await verifyAuditChain(ctx.deps.db);
      if (result.brokenAt !== null) throw new ServiceError('conflict', `Audit chain broken at seq ${result.brokenAt}`);
      return { json: result, text: `Audit chain intact (${result.checked} sealed events checked)` };
    },
  },
  migrate: {
    options: z.object({}),
    // Opening the database applies pending migrations.
    run: async () => ({ json: { migrated: true }, text: 'Migrations applied.' }),
  },
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
      role: { type: 'string' },
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
  const { json, help, 'd1-local': d1Local, 'd1-remote': d1Remote, 'persist-to': persistTo, ...rawOptions } = parsed.values;
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
  const options = command.options.safeParse(rawOptions);
  if (!options.success) return fail(json, new UsageError(options.error.issues.map((i) => i.message).join('\n')));

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
    opened = d1 ? await openD1Deps(d1) : openNodeDeps();
    const { deps } = opened;
    const ctx: Ctx = { deps, actor: { type: 'operator', id: process.env.USER ?? null }, requestId: null, origin: 'cli' };
    const result = await command.run(ctx, options.data);
    await sealAuditChain(deps.db, deps.atomic);
    console.log(json ? JSON.stringify(result.json) : result.text);
    return 0;
  } catch (error) {
    return fail(json, error);
  } finally {
    await opened?.close();
  }
}

function openNodeDeps() {
  const deps = createNodeDeps(loadNodeConfig(), { log: () => {} });
  return { deps, close: () => deps.close() };
}

/**
 * The same ports over D1. No CLI command pseudonymises a BSN, so without PSEUDONYM_KEY a
 * throw-away key fills the slot (the Worker's own key is a wrangler secret).
 */
async function openD1Deps(target: D1Target) {
  const env = { ...process.env };
  env.PSEUDONYM_KEY ||= Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex');
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
    atomic: database.atomic,
    hasher: argon2Hasher,
    mailer: config.SMTP_URL ? createSmtpMailer(config.SMTP_URL) : createFileMailer(config.MAIL_DIR),
    pseudonymizer: createPseudonymizer({ id: config.PSEUDONYM_KEY_ID, bytes: config.PSEUDONYM_KEY! }),
    clock: systemClock,
    config,
    log: () => {},
    clientAddress: () => null, // the CLI serves no requests
  };
  return { deps, close: () => database.close() };
}

function fail(json: boolean, error: unknown): number {
  const usage = error instanceof UsageError || error instanceof ConfigError;
  const code = usage ? 'usage' : error instanceof ServiceError ? error.code : 'internal';
  const message = error instanceof Error && (usage || error instanceof ServiceError) ? error.message : 'Unexpected error';
  if (json) console.log(JSON.stringify({ error: { code, message } }));
  else console.error(`Error: ${message}`);
  if (!usage && !(error instanceof ServiceError)) console.error(error);
  return usage ? 2 : 1;
}

process.exitCode = await main(process.argv.slice(2));
