/**
 * What every CLI command shares: the options the command line accepts, the command shape,
 * and `verb`, which turns a verb and its zod schema into a command. Commands live by area
 * in src/cli/commands/*.ts; src/cli/cli.ts runs them (src/cli/main.ts is the process entry).
 */
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import type { Ctx } from '../context.ts';
import { parseInput } from '../lib/errors.ts';

/** Every option any command takes (node:util parseArgs); a command reads the ones it needs. */
export const OPTIONS = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  operator: { type: 'string' },
  name: { type: 'string' },
  sector: { type: 'string' },
  org: { type: 'string' },
  /** The same as --org, spelled out (`professional list --organisation <id>`). */
  organisation: { type: 'string' },
  email: { type: 'string' },
  phone: { type: 'string' },
  role: { type: 'string', multiple: true },
  id: { type: 'string' },
  'rate-limit': { type: 'string' },
  search: { type: 'string' },
  status: { type: 'string' },
  active: { type: 'string' },
  reason: { type: 'string' },
  'convenant-status': { type: 'string' },
  'convenant-date': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  actor: { type: 'string' },
  action: { type: 'string' },
  outcome: { type: 'string' },
  registration: { type: 'string' },
  match: { type: 'string' },
  request: { type: 'string' },
  person: { type: 'string' },
  cursor: { type: 'string' },
  limit: { type: 'string' },
  csv: { type: 'boolean', default: false },
  file: { type: 'string' },
  notify: { type: 'boolean', default: false },
  errors: { type: 'string' },
  'batch-size': { type: 'string' },
  'd1-local': { type: 'boolean', default: false },
  'd1-remote': { type: 'string' },
  'persist-to': { type: 'string' },
} as const;

export function parseCommandLine(argv: string[]) {
  return parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
}

export class UsageError extends Error {}

export type Options = Omit<ReturnType<typeof parseCommandLine>['values'], 'json' | 'help' | 'd1-local' | 'd1-remote' | 'persist-to' | 'operator'>;
/** `json` is printed with --json (one object), `text` otherwise; a `stream` (audit export) is written instead, as it is read. */
export type Result = { json: Record<string, unknown>; text: string; stream?: ReadableStream<Uint8Array> };
/** Readies a command from its options (throwing if they are wrong), before any database is opened. */
export type Command = (options: Options) => (ctx: Ctx) => Promise<Result>;

/** An area's commands and their lines in the usage text. */
export interface CommandSet {
  usage: string;
  commands: Record<string, Command>;
  /** Commands that write nothing, not even an audit row: they run without --operator. */
  readOnly?: string[];
  /** Commands that take a file after their name (`import registrations FILE.csv`): it is their --file. */
  fileOperand?: string[];
}

/**
 * A command that calls a verb: its options become the verb's input, checked with the verb's
 * own schema up front (so bad options never open a database); the verb parses it again.
 */
export function verb<S extends z.ZodType>(
  schema: S,
  input: (o: Options) => Record<string, unknown>,
  run: (ctx: Ctx, input: z.output<S>) => Promise<Result>,
): Command {
  return (options) => {
    const parsed = parseInput(schema, input(options));
    return (ctx) => run(ctx, parsed);
  };
}

/** How a verb's input field is spelled on the command line, where it differs. */
export const OPTION_OF: Record<string, string> = {
  organisationId: 'org',
  apiClientId: 'id',
  professionalId: 'id',
  rateLimitPerMinute: 'rate-limit',
  roles: 'role',
};

/** `--role a,b` (or the option given twice) as a list. */
export function roleList(values: string[] | undefined): string[] | undefined {
  return values
    ?.flatMap((value) => value.split(','))
    .map((role) => role.trim())
    .filter(Boolean);
}
