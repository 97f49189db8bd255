import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

// Offline and quiet: miniflare must not look up Cloudflare's request metadata or send metrics.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
process.env.WRANGLER_SEND_METRICS ??= 'false';

// The pages import the built CSS and script: build them first, however vitest was started.
execFileSync(process.execPath, [fileURLToPath(new URL('./scripts/build-assets.mjs', import.meta.url))], { stdio: 'inherit' });
// And the API viewer's script (src/routes/api/docs.ts).
execFileSync(process.execPath, [fileURLToPath(new URL('./scripts/build-docs-assets.mjs', import.meta.url))], { stdio: 'inherit' });

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const driver = (name: string) => ({ '#test-driver': path(`./test/support/driver-${name}.ts`) });

export default defineConfig({
  test: {
    // One test file per core: this vitest's default is one less than the cores, which on a
    // two-core CI machine runs the suite file by file while the browser tests mostly wait.
    maxWorkers: availableParallelism(),
    // dist/ (the compiled server and CLI) for the tests that spawn them: built once per run.
    globalSetup: ['./test/support/build-dist.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The JSON report is what .ci/run reads to print "N passed, N failed".
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        // Node: better-sqlite3, native argon2, real SMTP, child processes.
        extends: true,
        resolve: { alias: driver('node') },
        test: {
          name: 'node',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/shared/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          // Test files share a worker's module cache: each file builds its own app, database
          // and mailer (test/support/context.ts) and nothing keeps state in a module, so
          // importing the app once per worker instead of once per file halves the Node suites.
          isolate: false,
        },
      },
      {
        // Workers: the same shared suites inside workerd on D1, plus Workers-only tests.
        extends: true,
        plugins: [
          cloudflareTest(async () => ({
            main: './src/entry/worker.ts',
            wrangler: { configPath: './wrangler.toml' },
            miniflare: { bindings: { TEST_MIGRATIONS: await readD1Migrations(path('./migrations')) } },
          })),
        ],
        resolve: { alias: driver('workers') },
        test: {
          name: 'workers',
          include: ['test/shared/**/*.test.ts', 'test/workers/**/*.test.ts'],
          // As above, in one workerd runtime per worker: importing the app into workerd cost
          // ≈ 5 s a file. The driver empties D1 per test context (test/support/driver-workers.ts).
          isolate: false,
        },
      },
    ],
  },
});
