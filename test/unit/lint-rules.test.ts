// The layer rules of docs/architecture.md are lint rules in biome.json. This proves each one
// fires: every fixture below breaks one rule from where it sits, and `biome lint` with the
// project's own configuration must report exactly that rule with its instruction.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Case {
  rule: string;
  /** Where the fixture sits: the rules depend on the folder. */
  file: string;
  source: string;
  /** A part of the instruction the diagnostic must carry. */
  says: string;
  category?: string;
}

const CASES: Case[] = [
  {
    rule: 'routes do not import db/',
    file: 'src/routes/web/fixture.ts',
    source: "import { registrations } from '../../db/schema.ts';\nexport const used = registrations;",
    says: 'call a verb',
  },
  {
    rule: 'routes do not import drizzle-orm',
    file: 'src/routes/api/fixture.ts',
    source: "import { eq } from 'drizzle-orm';\nexport const used = eq;",
    says: 'call a verb',
  },
  {
    rule: 'views do not import drizzle-orm',
    file: 'src/views/pages/fixture.tsx',
    source: "import { sql } from 'drizzle-orm';\nexport const used = sql;",
    says: 'call a verb',
  },
  {
    rule: 'views do not import db/',
    file: 'src/views/pages/fixture.tsx',
    source: "import { SECTORS } from '../../db/schema.ts';\nexport const used = SECTORS;",
    says: 'call a verb',
  },
  {
    rule: 'views do not import routes/',
    file: 'src/views/fixture.tsx',
    source: "import type { AppEnv } from '../routes/app-env.ts';\nexport type T = AppEnv;",
    says: 'pure components with plain props',
  },
  ...['registry', 'matching', 'notify', 'audit', 'auth', 'identity', 'jobs', 'directory'].flatMap((folder) => [
    {
      rule: `${folder} does not import hono`,
      file: `src/${folder}/fixture.ts`,
      source: "import { Hono } from 'hono';\nexport const used = Hono;",
      says: 'knows nothing of HTTP',
    },
    {
      rule: `${folder} does not import routes/`,
      file: `src/${folder}/fixture.ts`,
      source: "import { ctxOf } from '../routes/http/ctx.ts';\nexport const used = ctxOf;",
      says: 'knows nothing of HTTP',
    },
  ]),
  {
    rule: 'domain does not import hono/* helpers',
    file: 'src/registry/fixture.ts',
    source: "import { HTTPException } from 'hono/http-exception';\nexport const used = HTTPException;",
    says: 'knows nothing of HTTP',
  },
  {
    rule: 'process.env outside entry/cli',
    file: 'src/app.ts',
    source: 'export const port = process.env.PORT;',
    says: 'deps.config',
    category: 'lint/style/noRestrictedGlobals',
  },
  {
    rule: 'process.env in a domain folder',
    file: 'src/auth/fixture.ts',
    source: 'export const key = process.env.KEY;',
    says: 'deps.config',
    category: 'lint/style/noRestrictedGlobals',
  },
  {
    rule: 'Node built-in outside the adapters',
    file: 'src/registry/fixture.ts',
    source: "import { readFileSync } from 'node:fs';\nexport const used = readFileSync;",
    says: 'Node built-ins are imported only',
  },
  {
    rule: 'Node built-in in a route',
    file: 'src/routes/web/fixture.ts',
    source: "import { join } from 'node:path';\nexport const used = join;",
    says: 'Node built-ins are imported only',
  },
  {
    rule: 'a bare Node built-in must say node: (and is then refused)',
    file: 'src/auth/fixture.ts',
    source: "import { gzipSync } from 'zlib';\nexport const used = gzipSync;",
    says: 'node:',
    category: 'lint/style/useNodejsImportProtocol',
  },
  {
    rule: '@hono/node-server outside the Node entry',
    file: 'src/app.ts',
    source: "import { serve } from '@hono/node-server';\nexport const used = serve;",
    says: 'src/entry/node.ts',
  },
  {
    rule: 'tsx outside the CLI and entries',
    file: 'src/jobs/fixture.ts',
    source: "import { register } from 'tsx/esm/api';\nexport const used = register;",
    says: 'this package is imported only by the entries',
  },
  {
    rule: 'better-sqlite3 outside db/node.ts',
    file: 'src/db/d1.ts',
    source: "import x from 'better-sqlite3';\nexport const used = x;",
    says: 'src/db/node.ts',
  },
  { rule: 'argon2 outside the entries', file: 'src/auth/fixture.ts', source: "import { hash } from 'argon2';\nexport const used = hash;", says: 'deps.hasher' },
  {
    rule: 'nodemailer outside its transport',
    file: 'src/notify/fixture.ts',
    source: "import { createTransport } from 'nodemailer';\nexport const used = createTransport;",
    says: 'src/notify/transports/node.ts',
  },
];

/** Allowed where the rules say so: these must pass without a diagnostic. */
const ALLOWED: { file: string; source: string }[] = [
  { file: 'src/entry/fixture.ts', source: "import { readFileSync } from 'node:fs';\nexport const x = [readFileSync, process.env.X];" },
  { file: 'src/cli/fixture.ts', source: "import Database from 'better-sqlite3';\nexport const x = [Database, process.env.X];" },
  { file: 'src/db/node.ts', source: "import Database from 'better-sqlite3';\nimport { mkdirSync } from 'node:fs';\nexport const x = [Database, mkdirSync];" },
  { file: 'src/notify/transports/node.ts', source: "import { createTransport } from 'nodemailer';\nexport const x = createTransport;" },
  {
    file: 'src/registry/fixture.ts',
    source: "import { eq } from 'drizzle-orm';\nimport { registrations } from '../db/schema.ts';\nexport const x = [eq, registrations];",
  },
  {
    file: 'src/routes/web/fixture.ts',
    source:
      "import { Hono } from 'hono';\nimport { registerInvolvement } from '../../registry/register-involvement.ts';\nexport const x = [Hono, registerInvolvement];",
  },
];

let dir: string;
let config: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'betrokken-lint-'));
  // The project's configuration as it is, minus the schema path (which points into node_modules).
  const parsed = JSON.parse(readFileSync(join(ROOT, 'biome.json'), 'utf8'));
  delete parsed.$schema;
  parsed.vcs = { enabled: false };
  config = JSON.stringify(parsed);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Lints one fixture with the project's configuration: the rules it broke, and biome's text. */
function lint(file: string, source: string, others: Record<string, string> = {}): { rules: string[]; text: string } {
  const caseDir = mkdtempSync(join(dir, 'case-'));
  writeFileSync(join(caseDir, 'biome.json'), config);
  for (const [path, text] of Object.entries({ ...others, [file]: source })) {
    mkdirSync(dirname(join(caseDir, path)), { recursive: true });
    writeFileSync(join(caseDir, path), `${text}\n`);
  }
  // biome exits 1 when it reports an error and writes its diagnostics to stderr.
  const run = spawnSync(join(ROOT, 'node_modules/.bin/biome'), ['lint', '--colors=off', '--max-diagnostics=50', file], { cwd: caseDir, encoding: 'utf8' });
  const text = `${run.stdout}${run.stderr}`;
  // The text reporter, not JSON: only it carries a rule's configured message for every rule.
  const rules = [...text.matchAll(/^\S+:\d+:\d+ (lint\/\S+)/gm)].map((m) => m[1]!);
  return { rules, text: text.replace(/\s+/g, ' ') };
}

describe('layer rules (biome.json)', () => {
  it.each(CASES)('$rule', ({ file, source, says, category }) => {
    const { rules, text } = lint(file, source);
    expect(rules).toEqual([category ?? 'lint/style/noRestrictedImports']);
    expect(text).toContain(says);
  });

  it('refuses an import cycle between domain folders (registry uses matching, never the reverse)', () => {
    const { rules } = lint('src/registry/fixture.ts', "import { b } from '../matching/fixture.ts';\nexport const a = () => b;", {
      'src/matching/fixture.ts': "import { a } from '../registry/fixture.ts';\nexport const b = () => a;",
    });
    expect(rules).toEqual(['lint/suspicious/noImportCycles']);
  });

  it.each(ALLOWED)('allows what $file may import', ({ file, source }) => {
    expect(lint(file, source).rules).toEqual([]);
  });
});
