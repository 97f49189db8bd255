#!/usr/bin/env node
// `npm run demo [-- --force]`: a demo municipality in the configured database (src/cli/demo.ts
// says what and how). Compiled like the CLI (scripts/build.mjs) to dist/demo/, then run.
import { pathToFileURL } from 'node:url';
import { build, bundleScript } from './build.mjs';
import { isStale } from './stale.mjs';

// The CLI's build first (it also generates the page assets the sources import).
if (isStale()) await build();
const demo = await import(pathToFileURL(await bundleScript('src/cli/demo.ts', 'demo')).href);
process.exitCode = await demo.runDemo(process.argv.slice(2), {
  env: process.env,
  out: (line) => console.log(line),
  error: (line) => console.error(line),
});
