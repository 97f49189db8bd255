/**
 * Vitest global setup: compiles dist/ (scripts/build.mjs) once per test run, before any test
 * file, when it is missing or older than the sources. The tests that spawn the CLI or the
 * server run that compiled code, as `npm start` and the package bin do.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup() {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url)), '--if-stale', '--quiet'], { stdio: 'inherit' });
}
