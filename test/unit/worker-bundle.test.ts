/**
 * "A Node-only import reachable from the worker entry is a build error": bundle the
 * Workers entry the way wrangler does and fail on any module that cannot run on Workers
 * (native addons, nodemailer, and Node built-ins that Workers lack).
 */
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

const NODE_ONLY = /^(better-sqlite3|argon2|nodemailer|@hono\/node-server)(\/|$)|^(node:)?(fs|fs\/promises|child_process|net|tls|dgram|cluster|worker_threads|http2?|os)$/;

function forbidNodeOnly(found: string[]): Plugin {
  return {
    name: 'forbid-node-only',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (NODE_ONLY.test(args.path)) {
          found.push(`${args.path} (imported by ${args.importer.replace(process.cwd() + '/', '')})`);
          return { path: args.path, external: true };
        }
        return undefined;
      });
    },
  };
}

async function bundle(entry: string) {
  const found: string[] = [];
  await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    external: ['cloudflare:*', 'node:*', '*.wasm'],
    logLevel: 'silent',
    plugins: [forbidNodeOnly(found)],
  });
  return found;
}

describe('worker bundle', () => {
  it('reaches no Node-only module from src/entry/worker.ts', async () => {
    expect(await bundle('src/entry/worker.ts')).toEqual([]);
  });

  it('would catch one (the check itself works)', async () => {
    expect((await bundle('src/entry/node-deps.ts')).join('\n')).toMatch(/better-sqlite3|argon2|nodemailer/);
  });
});
