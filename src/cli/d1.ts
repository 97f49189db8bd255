/**
 * The operator CLI against D1 instead of the SQLite file: `--d1-local` uses the local D1
 * state that `wrangler dev` uses (.wrangler/state, or `--persist-to <dir>` as in wrangler);
 * `--d1-remote <database>` uses the deployed database (name or id from wrangler.toml; needs
 * `wrangler login` or CLOUDFLARE_API_TOKEN). Bindings come from wrangler's getPlatformProxy,
 * so the CLI runs the same verbs over the same driver as the Worker.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { D1Database } from '@cloudflare/workers-types';
import { sql } from 'drizzle-orm';
import { getPlatformProxy, unstable_readConfig } from 'wrangler';
import { openD1Database } from '../db/d1.ts';
import type { Atomic, Db } from '../db/types.ts';
import type { R2AnchorBucket } from '../audit/anchor.ts';

export type D1Target = { kind: 'local'; persistTo?: string | undefined } | { kind: 'remote'; database: string };

export const WRANGLER_CONFIG = resolve('wrangler.toml');

function remoteDatabase(database: string) {
  const config = unstable_readConfig({ config: WRANGLER_CONFIG });
  const found = config.d1_databases.find((d: { database_name?: string; database_id?: string }) => d.database_name === database || d.database_id === database);
  if (found?.database_id) return { name: found.database_name ?? database, id: found.database_id };
  if (/^[0-9a-f-]{36}$/i.test(database)) return { name: database, id: database };
  throw new Error(`Unknown D1 database "${database}": give its name from wrangler.toml or its id`);
}

/** wrangler logs to stdout, and the CLI's stdout is its --json answer: errors only (read lazily). */
function quietWrangler() {
  process.env.WRANGLER_LOG ??= 'error';
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
  process.env.WRANGLER_SEND_METRICS ??= 'false';
}

/** The anchors' R2 bucket from wrangler.toml (ADR 0009), if declared. */
function anchorBucket(): string | null {
  const config = unstable_readConfig({ config: WRANGLER_CONFIG });
  return config.r2_buckets.find((b: { binding: string }) => b.binding === 'AUDIT_ANCHORS')?.bucket_name ?? null;
}

export async function openD1Target(target: D1Target): Promise<{ db: Db; atomic: Atomic; anchors: R2AnchorBucket | undefined; close(): Promise<void> }> {
  quietWrangler();
  let configPath = WRANGLER_CONFIG;
  let cleanup = () => {};
  if (target.kind === 'remote') {
    // A throw-away config with just the remote D1 binding.
    const { name, id } = remoteDatabase(target.database);
    const bucket = anchorBucket();
    const dir = mkdtempSync(join(tmpdir(), 'betrokken-d1-'));
    configPath = join(dir, 'wrangler.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        name: 'betrokken-cli',
        compatibility_date: '2026-08-15',
        d1_databases: [{ binding: 'DB', database_name: name, database_id: id, remote: true }],
        ...(bucket ? { r2_buckets: [{ binding: 'AUDIT_ANCHORS', bucket_name: bucket, remote: true }] } : {}),
      }),
    );
    cleanup = () => rmSync(dir, { recursive: true, force: true });
  }
  const proxy = await getPlatformProxy<{ DB: D1Database; AUDIT_ANCHORS?: R2AnchorBucket }>({
    configPath,
    persist: target.kind === 'local' && target.persistTo ? { path: join(resolve(target.persistTo), 'v3') } : true,
    remoteBindings: target.kind === 'remote',
    envFiles: [],
  });
  const { db, atomic } = openD1Database(proxy.env.DB);
  return {
    db,
    atomic,
    anchors: proxy.env.AUDIT_ANCHORS,
    async close() {
      await proxy.dispose();
      cleanup();
    },
  };
}

/** Whether the schema is there at all (a fresh local state has no tables). */
export async function isMigrated(db: Db): Promise<boolean> {
  const row = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'organisations'`);
  return Number(row?.n ?? 0) > 0;
}

/** Applies the migrations folder to the D1 database with wrangler, as a deployment would. */
export function migrateD1(target: D1Target): Promise<void> {
  quietWrangler();
  const database = target.kind === 'remote' ? remoteDatabase(target.database).name : 'DB';
  const args = ['d1', 'migrations', 'apply', database, '--config', WRANGLER_CONFIG];
  if (target.kind === 'local') args.push('--local', ...(target.persistTo ? ['--persist-to', target.persistTo] : []));
  else args.push('--remote');
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [resolve('node_modules/wrangler/bin/wrangler.js'), ...args], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, CI: 'true' },
    });
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`wrangler d1 migrations apply failed (exit ${code})`))));
  });
}
