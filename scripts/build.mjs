#!/usr/bin/env node
// `npm run build` (also run by `npm start`, and by bin/betrokken.mjs when dist/ is missing or
// older than the sources): compiles the Node server (src/entry/node.ts) and the operator CLI
// (src/cli/main.ts) with esbuild into dist/, so neither compiles TypeScript when it starts.
//
//   dist/entry/node.mjs   the server (`npm start` runs it)
//   dist/cli/main.mjs     the CLI (bin/betrokken.mjs and `npm run cli` run it)
//   dist/build.json       what the build read, so the bin can tell when dist/ is stale
//
// Every output file sits two directories below the repository root, as its source did:
// src/db/node.ts finds the migrations at '../../migrations' from its own URL, and so does
// the bundled copy of it. Each entry is one self-contained file, npm packages included
// (measured: with the packages left in node_modules the CLI took 2.4 s and the server 2.7 s
// to start, bundled 0.35 s and 0.9 s on the same loaded machine; and without code splitting
// the CLI's file holds only what the CLI uses). Not bundled: the native addons and wrangler
// (loaded only for --d1-local/--d1-remote). A file is written only when its content changed,
// and then atomically, so a process running from dist/ never reads half a file.
import { builtinModules } from 'node:module';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DIST, isStale, MANIFEST, ROOT } from './stale.mjs';

export { DIST, isStale };
const OUT_DIRS = ['entry', 'cli'];
/** Read by scripts/build-assets.mjs into src/views/assets.generated.ts, so not seen by esbuild. */
const ASSET_SOURCES = [
  ...readdirSync(join(ROOT, 'src/views'), { recursive: true })
    .map(String)
    .filter((name) => /\.(css|svg)$/.test(name))
    .map((name) => `src/views/${name.replaceAll('\\', '/')}`),
  'src/views/client/session.js',
  'scripts/build-assets.mjs',
  'scripts/build-docs-assets.mjs',
  'scripts/build.mjs',
  'scripts/stale.mjs',
];
/** Loaded at run time from node_modules: native addons, and wrangler (the CLI's D1 support). */
const EXTERNAL = ['better-sqlite3', 'argon2', 'wrangler'];

/**
 * Node built-ins and the external packages through require(), not import:
 * - an ESM import of a built-in makes Node build its ESM facade, which reads every export,
 *   and node:http's exports include a lazy getter that loads all of undici (measured: 35 ms
 *   of the CLI's start, for nodemailer's `import http from 'node:http'`);
 * - esbuild hoists an external `import` to the top of the bundle, so wrangler (2 s to load)
 *   would load with every CLI command; a require() stays where the source imported it, in
 *   the lazily initialised D1 module. (All three external packages are CommonJS.)
 */
const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const throughRequire = {
  name: 'through-require',
  setup(build) {
    build.onResolve({ filter: /^[a-z_:/0-9@-]+$/ }, (args) => {
      const builtin = BUILTINS.has(args.path);
      if (!builtin && !EXTERNAL.includes(args.path)) return undefined;
      if (args.namespace === 'through-require') return { path: args.path, external: true };
      return { path: builtin ? `node:${args.path.replace(/^node:/, '')}` : args.path, namespace: 'through-require' };
    });
    build.onLoad({ filter: /.*/, namespace: 'through-require' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/** esbuild's options for Node code of ours (the entries, and test helper processes). */
const OPTIONS = {
  absWorkingDir: ROOT,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  // A package's ES module build first (where it has one and no "exports"): tree-shaken, and
  // not wrapped for CommonJS (e.g. @zxcvbn-ts/language-common's dictionaries stay out of the CLI).
  mainFields: ['module', 'main'],
  target: 'node22',
  sourcemap: 'linked',
  sourcesContent: false,
  external: EXTERNAL,
  // Bundled CommonJS packages (nodemailer, …) call require() for Node built-ins.
  banner: { js: "const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);" },
  plugins: [throughRequire],
  // Whitespace and syntax only (measured ~10 % less CPU to start the CLI than unminified);
  // identifiers keep their names, so stack traces stay readable without the source map.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'silent',
};

/** Builds dist/; returns what it wrote. Quiet unless `log` is given. */
export async function build({ log = () => {} } = {}) {
  const started = performance.now();
  await import(`${pathToFileURL(join(ROOT, 'scripts/build-assets.mjs')).href}?${Date.now()}`);
  // The API viewer's script (src/routes/api/docs.ts).
  await import(`${pathToFileURL(join(ROOT, 'scripts/build-docs-assets.mjs')).href}?${Date.now()}`);
  // The manifest gets this time, not the time it is written: a source saved while esbuild
  // runs is newer than the build, so the next run of the bin builds again.
  const readFrom = new Date();
  // Loaded here, not at the top: a fresh dist/ needs no esbuild.
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    ...OPTIONS,
    entryPoints: { 'entry/node': 'src/entry/node.ts', 'cli/main': 'src/cli/main.ts' },
    outdir: DIST,
    metafile: true,
    write: false,
  });
  for (const message of result.warnings) log(`build: warning: ${message.text}`);

  const written = new Set();
  let changed = 0;
  for (const file of result.outputFiles) {
    written.add(file.path);
    if (writeIfChanged(file.path, file.contents)) changed++;
  }
  // Files of an earlier build that this one no longer makes.
  for (const dir of OUT_DIRS) {
    for (const name of safeReaddir(join(DIST, dir))) {
      const path = join(DIST, dir, name);
      if (!written.has(path)) rmSync(path, { force: true });
    }
  }
  const inputs = [
    ...Object.keys(result.metafile.inputs).filter((input) => !input.includes('node_modules/') && !input.includes(':')),
    ...ASSET_SOURCES,
    'package.json',
  ];
  writeIfChanged(MANIFEST, `${JSON.stringify({ inputs: [...new Set(inputs)].sort() }, null, 1)}\n`);
  utimesSync(MANIFEST, readFrom, readFrom);
  const ms = Math.round(performance.now() - started);
  log(`build: dist/ ${changed === 0 ? 'unchanged' : `${changed} file(s) written`} in ${ms} ms`);
  return { ms, changed, files: [...written].map((path) => relative(ROOT, path)) };
}

/**
 * Compiles one more TypeScript program of ours (a test's helper process) the same way, to
 * dist/<dir>/<name>.mjs two directories deep like the entries; returns that path. Not part
 * of the manifest: whoever runs it builds it first.
 */
export async function bundleScript(source, dir) {
  const esbuild = await import('esbuild');
  const name = source
    .split('/')
    .pop()
    .replace(/\.tsx?$/, '');
  const outfile = join(DIST, dir, `${name}.mjs`);
  const result = await esbuild.build({ ...OPTIONS, entryPoints: [source], write: false, outfile });
  for (const file of result.outputFiles) writeIfChanged(file.path, file.contents);
  return outfile;
}

function writeIfChanged(path, contents) {
  try {
    if (Buffer.from(contents).equals(readFileSync(path))) return false;
  } catch {}
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
  return true;
}

function safeReaddir(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

// `node scripts/build.mjs [--if-stale] [--quiet]`
if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (!(args.includes('--if-stale') && !isStale())) {
    try {
      await build({ log: args.includes('--quiet') ? undefined : (line) => console.error(line) });
    } catch (error) {
      // esbuild has printed nothing (logLevel silent): its messages are in the error.
      console.error(`build failed: ${error instanceof Error ? error.message : error}`);
      process.exit(1);
    }
  }
}
