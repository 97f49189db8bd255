/** "A Node-only import reachable from the worker entry is a build error" (scripts/check-worker-imports.mjs). */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JS build script without type declarations
import { nodeOnlyImports } from '../../scripts/check-worker-imports.mjs';

describe('worker bundle', () => {
  it('reaches no Node-only module from src/entry/worker.ts', async () => {
    expect(await nodeOnlyImports('src/entry/worker.ts')).toEqual([]);
  });

  it('would catch one (the check itself works)', async () => {
    expect(((await nodeOnlyImports('src/entry/node-deps.ts')) as string[]).join('\n')).toMatch(/better-sqlite3|argon2|nodemailer/);
  });
});
