#!/usr/bin/env node
// Bundles the Workers entry the way wrangler does and fails on any module that cannot run on
// Workers (native addons, nodemailer, Node built-ins that Workers lack). `npm run
// build:worker` runs it before wrangler, so such an import is a build error; the test suite
// runs it too (test/unit/worker-bundle.test.ts).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const NODE_ONLY =
  /^(better-sqlite3|argon2|nodemailer|@hono\/node-server)(\/|$)|^(node:)?(fs|fs\/promises|child_process|net|tls|dgram|cluster|worker_threads|http2?|os)$/;

/** Returns the Node-only imports reachable from `entry`, with their importers. */
export async function nodeOnlyImports(entry) {
  const found = [];
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
    plugins: [
      {
        name: 'forbid-node-only',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) => {
            if (!NODE_ONLY.test(args.path)) return undefined;
            found.push(`${args.path} (imported by ${args.importer.replace(`${process.cwd()}/`, '')})`);
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  return found;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const found = await nodeOnlyImports(process.argv[2] ?? 'src/entry/worker.ts');
  if (found.length > 0) {
    console.error(`Node-only modules are reachable from the worker entry:\n  ${found.join('\n  ')}`);
    process.exit(1);
  }
}
