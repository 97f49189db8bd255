import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const driver = (name: string) => ({ '#test-driver': fileURLToPath(new URL(`./test/support/driver-${name}.ts`, import.meta.url)) });

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The JSON report is what .ci/run reads to print "N passed, N failed".
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        extends: true,
        resolve: { alias: driver('node') },
        test: { name: 'node', include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/shared/**/*.test.ts'] },
      },
    ],
  },
});
