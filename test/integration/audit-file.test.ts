/**
 * Attacks on the audit trail by someone holding the SQLite file but not AUDIT_KEY
 * (ADR 0009), checked through the CLI process as an operator would: `audit verify` must
 * exit non-zero and name the first bad seq; `jobs run` must not launder forged rows.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { sealAuditChain } from '../../src/audit/chain.ts';
import type { Ctx } from '../../src/context.ts';
import { createOrganisation } from '../../src/directory/directory.ts';
import { createNodeDeps } from '../../src/entry/node-deps.ts';
import { parseEnv } from '../../src/env.ts';
import { TEST_KEY_HEX } from '../support/context.ts';
import { TEST_AUDIT_KEY_HEX } from '../support/driver-node.ts';
import { runBin } from '../support/process.ts';

const root = mkdtempSync(join(tmpdir(), 'betrokken-audit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let env: Record<string, string>;
const cli = (...args: string[]) => runBin([...args, '--json'], env);
const json = (run: { stdout: string }) => JSON.parse(run.stdout) as Record<string, unknown> & { error?: { code: string; message: string } };

/** Opens the file as an attacker would: triggers dropped, no key. */
function tamper(statements: string[]) {
  const db = new Database(env.DATABASE_PATH!);
  try {
    db.exec('DROP TRIGGER IF EXISTS audit_events_seal_only; DROP TRIGGER IF EXISTS audit_events_no_delete;');
    for (const s of statements) db.exec(s);
  } finally {
    db.close();
  }
}

let case_ = 0;
beforeEach(async () => {
  const dir = join(root, `case-${++case_}`);
  env = {
    DATABASE_PATH: join(dir, 'b.db'),
    MAIL_DIR: join(dir, 'mail'),
    PSEUDONYM_KEY: TEST_KEY_HEX,
    AUDIT_KEY: TEST_AUDIT_KEY_HEX,
    AUDIT_ANCHOR_DIR: join(dir, 'anchors'),
    LOG_LEVEL: 'silent',
    BETROKKEN_OPERATOR: 'test-operator',
  };
  // Some audited, sealed history, made in-process with the same keys (faster than the CLI).
  const deps = createNodeDeps(parseEnv({ ...env, NODE_ENV: 'test' }), { log: () => {} });
  try {
    const operator: Ctx = { deps, actor: { type: 'operator', id: 'test' }, requestId: null, origin: 'cli' };
    for (const name of ['A', 'B', 'C']) await createOrganisation(operator, { name: `Org ${name}`, sector: 'education' });
    await sealAuditChain(deps.db, deps.atomic, deps.auditKeys);
  } finally {
    deps.close();
  }
});

describe('audit trail on the SQLite file', () => {
  it('audit anchor appends the head to the anchor file; audit verify checks it', async () => {
    const anchored = await cli('audit', 'anchor');
    expect(anchored.code).toBe(0);
    const { anchor } = json(anchored) as { anchor: { seq: number; hash: string } };
    const lines = readFileSync(join(env.AUDIT_ANCHOR_DIR!, 'audit-anchors.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject(anchor);
    const verify = await cli('audit', 'verify');
    expect(verify.code).toBe(0);
    expect(json(verify)).toMatchObject({ ok: true, brokenAt: null, anchor: { seq: anchor.seq } });
  });

  it('a changed row fails verify with its seq, and `jobs run` does not re-seal forged rows', async () => {
    await cli('audit', 'anchor');
    // Row 2 changed and every seal from it on nulled: the old, unkeyed sealer re-hashed these.
    tamper([`UPDATE audit_events SET detail = '{"organisationId":"forged"}', prev_hash = NULL, hash = NULL WHERE seq >= 2`]);
    const jobs = await runBin(['jobs', 'run'], env);
    expect(jobs.code).toBe(0);
    const verify = await cli('audit', 'verify');
    expect(verify.code).toBe(1);
    expect(json(verify).error?.message).toMatch(/^Audit trail fails at seq 2: /);
    const db = new Database(env.DATABASE_PATH!, { readonly: true });
    try {
      expect(db.prepare('SELECT hash FROM audit_events WHERE seq = 2').get()).toEqual({ hash: null });
    } finally {
      db.close();
    }
  });

  it('deleting the tail after an anchor fails verify at the first deleted seq', async () => {
    const { anchor } = json(await cli('audit', 'anchor')) as { anchor: { seq: number } };
    tamper([`DELETE FROM audit_events WHERE seq >= ${anchor.seq - 1}`]);
    const verify = await cli('audit', 'verify');
    expect(verify.code).toBe(1);
    expect(json(verify).error?.message).toContain(`seq ${anchor.seq - 1}:`);
  });

  it('deleting a row in the middle fails verify at the missing seq', async () => {
    tamper(['DELETE FROM audit_events WHERE seq = 3', 'UPDATE audit_events SET prev_hash = NULL, hash = NULL WHERE seq > 3']);
    await runBin(['jobs', 'run'], env);
    const verify = await cli('audit', 'verify');
    expect(verify.code).toBe(1);
    expect(json(verify).error?.message).toMatch(/^Audit trail fails at seq 3: missing row/);
  });

  it('another AUDIT_KEY cannot verify the trail (the key is what makes it tamper-evident)', async () => {
    env = { ...env, AUDIT_KEY: 'b2'.repeat(32) };
    const verify = await cli('audit', 'verify');
    expect(verify.code).toBe(1);
    expect(json(verify).error?.message).toMatch(/^Audit trail fails at seq 2: row content does not match its MAC/);
  });
});

describe('the CLI on remote D1', () => {
  it('refuses to write or seal without the deployment’s AUDIT_KEY and PSEUDONYM_KEY, naming them', async () => {
    const bare = { ...env, AUDIT_KEY: '', PSEUDONYM_KEY: '' };
    for (const args of [
      ['audit', 'anchor'],
      ['org', 'create', '--name', 'X', '--sector', 'education'],
      ['audit', 'verify'],
    ]) {
      const run = await runBin([...args, '--d1-remote', 'betrokken', '--json'], bare);
      expect(run.code).toBe(2);
      expect(JSON.parse(run.stdout).error.message).toMatch(/AUDIT_KEY and PSEUDONYM_KEY not set/);
    }
  });
});
