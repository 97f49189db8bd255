/**
 * Statements compiled once (src/db/node.ts, `stablePlans`; docs/benchmarks.md): SQLite
 * compiles a statement again at every run when a bound value could change its plan (a
 * LIMIT, a value compared with a column in a join). The Node driver rewrites such
 * parameters so that they cannot, except where a partial index needs to see the value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stablePlans } from '../../src/db/node.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, memoryMailer, type TestContext } from '../support/context.ts';
import { loggedInProfessional } from '../support/web-client.ts';

/** A parameter whose value the planner looks at: compared with something, or a LIMIT/OFFSET. */
const PLANNED_PARAMETER = /(?:=|<>|!=|<=|>=|<|>|\bis) \?|\b(?:limit|offset) \?/i;

describe('stablePlans', () => {
  const partial = new Set(['status']);

  it('gives a compared parameter a unary plus and a LIMIT or OFFSET a cast, leaving the rest as it was', () => {
    expect(stablePlans('select "a"."id" from "a" where ("a"."email" = ? and "a"."n" >= ? and (? IS NULL OR "a"."id" <> ?)) limit ? offset ?', partial)).toBe(
      'select "a"."id" from "a" where ("a"."email" = +? and "a"."n" >= +? and (? IS NULL OR "a"."id" <> +?)) limit CAST(? AS INTEGER) offset CAST(? AS INTEGER)',
    );
    expect(stablePlans(`insert into "g" ("id", "ok") values (?, ((SELECT count(*) FROM r WHERE r.subject = ?)) IS ?)`, partial)).toBe(
      `insert into "g" ("id", "ok") values (?, ((SELECT count(*) FROM r WHERE r.subject = +?)) IS +?)`,
    );
    expect(stablePlans('update "c" set "count" = "c"."count" + ? where "c"."id" in (?, ?)', partial)).toBe(
      'update "c" set "count" = "c"."count" + ? where "c"."id" in (?, ?)',
    );
  });

  it('leaves a parameter compared with a column that a partial index names, so that SQLite can still use that index', () => {
    expect(stablePlans('select "id" from "registrations" where ("registrations"."status" = ? and "registrations"."ends_on" < ?)', partial)).toBe(
      'select "id" from "registrations" where ("registrations"."status" = ? and "registrations"."ends_on" < +?)',
    );
  });
});

describe('on a migrated database', () => {
  let t: TestContext;
  const mailer = memoryMailer();
  beforeAll(async () => {
    t = await createTestContext({ mailer });
  });
  afterAll(() => t.close());

  const plan = (source: string, ...values: unknown[]) =>
    (t.deps.database.sqlite.prepare(`EXPLAIN QUERY PLAN ${source}`).all(...values) as { detail: string }[]).map((r) => r.detail).join('; ');

  it('still uses the indexes: a rewritten parameter keeps its index, a partial index is still chosen for its constant', () => {
    expect(plan('select "id" from "registrations" where "registrations"."subject_pseudonym" = ? limit ?', Buffer.alloc(32), 1)).toContain(
      'USING INDEX registrations_subject_idx (subject_pseudonym=?)',
    );
    // The expiry job's question: only the partial index on active registrations answers it without a scan.
    expect(plan('select "id" from "registrations" where ("registrations"."status" = ? and "registrations"."ends_on" < ?)', 'active', '2026-12-01')).toContain(
      'USING INDEX registrations_due_idx',
    );
  });

  /** The SQL of every statement prepared while `run` runs, as SQLite got it. */
  async function prepared(run: () => Promise<void>): Promise<string[]> {
    const { sqlite } = t.deps.database;
    const seen = new Set<string>();
    const prepare = sqlite.prepare;
    sqlite.prepare = ((source: string) => {
      const statement = prepare(source);
      seen.add(statement.source);
      return statement;
    }) as typeof sqlite.prepare;
    try {
      await run();
    } finally {
      sqlite.prepare = prepare;
    }
    return [...seen];
  }

  it('registering, with and without a match, prepares no statement whose plan depends on a bound value', async () => {
    const seen = await prepared(async () => {
      const school = await t.organisation('education');
      const wijkteam = await t.organisation('district_team');
      const teacher = await school.professional();
      const worker = await wijkteam.professional();
      const bsn = randomBsn();
      expect((await t.register(school, teacher.email, { bsn })).status).toBe(201);
      expect((await t.register(wijkteam, worker.email, { bsn })).body.matchId).toEqual(expect.any(String));
    });
    const planned = seen.filter((source) => PLANNED_PARAMETER.test(source));
    // Only a partial index's column keeps its bare parameter (the mail drainer's outbox status)…
    expect(planned.filter((source) => !/"status" = \?/.test(source))).toEqual([]);
    // …and none of the registration's own statements has one.
    const registration = /from "(registrations|matches|professionals|api_clients)"|into "(registrations|matches|match_members|audit_events|atomic_guard)"/;
    expect(planned.filter((source) => registration.test(source))).toEqual([]);
    expect(seen.length).toBeGreaterThan(10);
  });

  it("the professional's overview and registration list read with plans that do not depend on bound values", async () => {
    const school = await t.organisation('education');
    const wijkteam = await t.organisation('district_team');
    const { client, professional } = await loggedInProfessional(t, school, mailer);
    const worker = await wijkteam.professional();
    const bsn = randomBsn();
    await t.register(school, professional.email, { bsn });
    await t.register(wijkteam, worker.email, { bsn });
    await t.register(school, professional.email);
    const seen = await prepared(async () => {
      for (const path of ['/', '/registrations']) expect((await client.get(path)).status).toBe(200);
    });
    expect(seen.filter((source) => /^select/.test(source)).length).toBeGreaterThan(3);
    expect(seen.filter((source) => PLANNED_PARAMETER.test(source))).toEqual([]);
  });
});
