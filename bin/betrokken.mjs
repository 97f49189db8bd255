#!/usr/bin/env node
// The operator CLI as a command of its own (`npx betrokken …`, `npm run -s cli -- …`, or this
// file run directly). It runs the compiled CLI in dist/ (scripts/build.mjs), building it
// first when dist/ is missing or older than the sources, so a fresh clone works and nobody
// runs stale code. Nothing but the command's own output reaches stdout: with `--json`
// exactly one JSON object, ready for a pipe into jq. A failed build is reported on stderr.
import { isStale } from '../scripts/stale.mjs';

// V8's code cache for dist/ (in the OS temp directory): the compiled CLI starts faster after
// its first run.
process.getBuiltinModule('node:module').enableCompileCache?.();

if (isStale()) {
  try {
    const { build } = await import('../scripts/build.mjs');
    await build();
  } catch (error) {
    console.error(`betrokken: could not build the CLI (npm run build): ${error instanceof Error ? error.message : error}`);
    process.exit(2);
  }
}
await import('../dist/cli/main.mjs');
