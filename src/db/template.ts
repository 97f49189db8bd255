/**
 * Statements whose SQL drizzle builds once (issue 12, docs/benchmarks.md): on the hot path,
 * building SQL with drizzle for every statement cost more CPU than SQLite spent running it.
 * A template is written as an ordinary drizzle query with `sql.placeholder(name)` where the
 * values go; the first use builds its SQL and, per parameter, how to encode the value the
 * way drizzle would (a Date as epoch milliseconds, a boolean as 0/1, JSON as text). Each
 * later use only binds values.
 *
 * - `statementTemplate` gives a `Bound` write statement for an atomic unit; both runtimes'
 *   `atomic` run it (src/db/node.ts, src/db/d1.ts).
 * - `readTemplate` gives a read through drizzle's own prepared query (result mapping
 *   included), prepared once per database; `writeTemplate` the same for a write outside a
 *   unit.
 *
 * A column with a `$defaultFn` must get a placeholder in an insert template, or its default
 * would be computed once and reused; our schema has none (defaults are SQL).
 */
import { is, Param, Placeholder, sql, type SQLWrapper } from 'drizzle-orm';
import type { Db, Statement } from './types.ts';

/** A write statement with its SQL and driver values, ready for either runtime's `atomic`. */
export class Bound {
  constructor(
    readonly sql: string,
    readonly params: unknown[],
  ) {}

  /** The same shape as a drizzle query's, for code that inspects a unit's statements. */
  toSQL(): { sql: string; params: unknown[] } {
    return { sql: this.sql, params: this.params };
  }
}

interface Buildable {
  toSQL(): { sql: string; params: unknown[] };
}

type Fill<V> = (values: V) => unknown;

function compile<V extends Record<string, unknown>>(query: Buildable): { sql: string; fill: Fill<V>[] } {
  const { sql, params } = query.toSQL();
  const fill = params.map((param): Fill<V> => {
    if (is(param, Param) && is(param.value, Placeholder)) {
      const name = param.value.name;
      const encoder = param.encoder;
      return (values) => {
        const value = values[name];
        return value === null || value === undefined ? null : encoder.mapToDriverValue(value);
      };
    }
    if (is(param, Placeholder)) {
      const name = param.name;
      return (values) => values[name] ?? null;
    }
    return () => param;
  });
  return { sql, fill };
}

/** `{ name: sql.placeholder('name'), … }`: an insert template's values, one placeholder per column. */
export function placeholders<K extends string>(...names: K[]): Record<K, Placeholder<K>> {
  return Object.fromEntries(names.map((name) => [name, sql.placeholder(name)])) as Record<K, Placeholder<K>>;
}

/** A write statement built once; `(db, values)` binds a new one. */
export function statementTemplate<V extends Record<string, unknown>>(build: (db: Db) => Buildable): (db: Db, values: V) => Statement {
  let compiled: { sql: string; fill: Fill<V>[] } | undefined;
  return (db, values) => {
    compiled ??= compile<V>(build(db));
    return new Bound(
      compiled.sql,
      compiled.fill.map((f) => f(values)),
    ) as unknown as Statement;
  };
}

/** What a bound statement is, for the runtimes' `atomic`. */
export function isBound(statement: Statement | SQLWrapper): statement is Statement & Bound {
  return statement instanceof Bound;
}

interface PreparedRead<R> {
  all(values?: Record<string, unknown>): R[] | Promise<R[]>;
}

interface ReadQuery<R> {
  prepare(): PreparedRead<R>;
}

/** A read built once per database, and its batchable form for D1 (`readTogether`). */
export interface ReadTemplate<V, R> {
  (db: Db, values: V): Promise<R[]>;
  /** The same query with the values in it, as an item for D1's `batch`. */
  query(db: Db, values: V): ReadQuery<R>;
}

/**
 * A read prepared once per database with drizzle's `.prepare()`; `(db, values)` runs it.
 * `build(db, value)` writes the query with `value(name)` wherever a value goes: a
 * placeholder in the prepared form, the value itself in the batchable one. On D1 a batch
 * maps columns by name, so a query must not select two columns of the same name (alias
 * them with `.as()`).
 */
export function readTemplate<V extends Record<string, unknown>, R>(
  build: (db: Db, value: <K extends keyof V & string>(name: K) => V[K]) => ReadQuery<R>,
): ReadTemplate<V, R> {
  const placeholder = <K extends keyof V & string>(name: K) => sql.placeholder(name) as unknown as V[K];
  const prepared = preparedPerDatabase((db) => build(db, placeholder).prepare());
  const run = async (db: Db, values: V) => await prepared(db).all(values);
  return Object.assign(run, { query: (db: Db, values: V) => build(db, (name) => values[name]) });
}

interface PreparedWrite {
  run(values?: Record<string, unknown>): unknown;
}

/** A write outside a unit built once per database, and its batchable form for D1 (`readThenWrite`). */
export interface WriteTemplate<V> {
  (db: Db, values: V): Promise<void>;
  /** The same statement with the values in it, as an item for D1's `batch`. */
  query(db: Db, values: V): { prepare(): PreparedWrite };
}

/**
 * A write outside a unit (a session's touch) prepared once per database with drizzle's
 * `.prepare()`; `(db, values)` runs it. `build(db, value)` as for `readTemplate`.
 */
export function writeTemplate<V extends Record<string, unknown>>(
  build: (db: Db, value: <K extends keyof V & string>(name: K) => V[K]) => { prepare(): PreparedWrite },
): WriteTemplate<V> {
  const placeholder = <K extends keyof V & string>(name: K) => sql.placeholder(name) as unknown as V[K];
  const prepared = preparedPerDatabase((db) => build(db, placeholder).prepare());
  const run = async (db: Db, values: V) => {
    await prepared(db).run(values);
  };
  return Object.assign(run, { query: (db: Db, values: V) => build(db, (name) => values[name]) });
}

/** `prepare(db)` once per database, kept while the database is. */
function preparedPerDatabase<P extends object>(prepare: (db: Db) => P): (db: Db) => P {
  const prepared = new WeakMap<Db, P>();
  return (db) => {
    let query = prepared.get(db);
    if (!query) {
      query = prepare(db);
      prepared.set(db, query);
    }
    return query;
  };
}

/** D1's `batch`: several statements in one round trip, in order, as one transaction; undefined on better-sqlite3. */
function batchOf(db: Db): ((queries: unknown[]) => Promise<unknown[]>) | undefined {
  const remote = db as unknown as { batch?: (queries: unknown[]) => Promise<unknown[]> };
  return typeof remote.batch === 'function' ? remote.batch.bind(remote) : undefined;
}

type Reads = readonly (readonly [ReadTemplate<never, unknown>, unknown])[];
type Rows<T> = { [K in keyof T]: T[K] extends readonly [ReadTemplate<never, infer R>, unknown] ? R[] : never };

/**
 * Several reads in one round trip where the database is remote: one `batch` on D1 (issue 12:
 * a registration makes three round trips); one after another on better-sqlite3, where a
 * read costs microseconds and the prepared form is the fast one.
 */
export async function readTogether<T extends Reads>(db: Db, reads: T): Promise<Rows<T>> {
  // D1 refuses an empty batch; a plan may have no reads (the open advice of a non-professional).
  if (reads.length === 0) return [] as unknown as Rows<T>;
  const batch = batchOf(db);
  if (batch) {
    return (await batch(reads.map(([template, values]) => (template as unknown as ReadTemplate<unknown, unknown>).query(db, values)))) as Rows<T>;
  }
  const results: unknown[] = [];
  for (const [template, values] of reads) results.push(await (template as unknown as ReadTemplate<unknown, unknown>)(db, values));
  return results as Rows<T>;
}

/**
 * A read and a write after it in one round trip where the database is remote (one D1
 * `batch`: in order, in one transaction); one after the other on better-sqlite3. The write
 * runs whatever the read found, so it must carry the read's conditions in its own WHERE
 * (a session's touch: only a live session, src/auth/sessions.ts).
 */
export async function readThenWrite<V, R, W>(db: Db, read: readonly [ReadTemplate<V, R>, V], write: readonly [WriteTemplate<W>, W]): Promise<R[]> {
  const batch = batchOf(db);
  if (batch) {
    const [rows] = await batch([read[0].query(db, read[1]), write[0].query(db, write[1])]);
    return rows as R[];
  }
  const rows = await read[0](db, read[1]);
  await write[0](db, write[1]);
  return rows;
}

/**
 * A read verb split in two: the reads it needs and what it makes of their rows (the audit
 * event included). A page that shows several lists runs their plans together, so all their
 * reads go in one round trip on D1 (`runReadPlans`; the overview's count is asserted in
 * test/workers/d1-round-trips.test.ts).
 */
export interface ReadPlan<T> {
  readonly reads: Reads;
  finish(rows: readonly unknown[][]): Promise<T>;
}

export function readPlan<R extends Reads, T>(reads: R, finish: (rows: Rows<R>) => Promise<T> | T): ReadPlan<T> {
  return { reads, finish: async (rows) => await finish(rows as Rows<R>) };
}

type Results<P> = { -readonly [K in keyof P]: P[K] extends ReadPlan<infer T> ? T : never };

/** Every plan's reads together (`readTogether`), then each plan's `finish` in the order given. */
export async function runReadPlans<P extends readonly ReadPlan<unknown>[]>(db: Db, plans: P): Promise<Results<P>> {
  const rows = (await readTogether(
    db,
    plans.flatMap((plan) => plan.reads),
  )) as unknown[][];
  const results: unknown[] = [];
  let at = 0;
  for (const plan of plans) {
    results.push(await plan.finish(rows.slice(at, at + plan.reads.length)));
    at += plan.reads.length;
  }
  return results as Results<P>;
}
