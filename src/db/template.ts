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
 *   included), prepared once per database.
 *
 * A column with a `$defaultFn` must get a placeholder in an insert template, or its default
 * would be computed once and reused; our schema has none (defaults are SQL).
 */
import { is, Param, Placeholder, type SQLWrapper } from 'drizzle-orm';
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

/**
 * A read prepared once per database with drizzle's `.prepare()`; `(db, values)` runs it.
 * `build` must end in `.prepare()`.
 */
export function readTemplate<V extends Record<string, unknown>, R>(build: (db: Db) => PreparedRead<R>): (db: Db, values: V) => Promise<R[]> {
  const prepared = new WeakMap<Db, PreparedRead<R>>();
  return async (db, values) => {
    let query = prepared.get(db);
    if (!query) {
      query = build(db);
      prepared.set(db, query);
    }
    return await query.all(values);
  };
}
