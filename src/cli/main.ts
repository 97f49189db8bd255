/**
 * The CLI's process entry (bin/betrokken.mjs, `npm run cli`): runs src/cli/cli.ts with the
 * process's environment, stdout (waiting for it to drain, so a long CSV export is never held
 * in memory) and stderr, and exits with its code.
 */
import { once } from 'node:events';
import { runCli } from './cli.ts';

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  async write(chunk) {
    if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
  },
  error(line) {
    console.error(line);
  },
});
