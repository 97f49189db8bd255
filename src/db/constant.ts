import { type Column, type SQL, sql } from 'drizzle-orm';

/**
 * `column = 'value'` with the value written into the SQL, for the fixed states the queries
 * ask for (`status = 'active'`). SQLite uses a partial index (`WHERE status = 'active'`)
 * only when it sees that constant; given a parameter instead, it compiles the statement
 * again at every run to look at the bound value, which cost more than the query itself
 * (ADR 0018). Only our own identifiers are accepted.
 */
export function isState<C extends Column>(column: C, value: C['_']['data'] & string): SQL {
  if (!/^[a-z_]+$/.test(value)) throw new Error(`not a state: ${value}`);
  return sql`${column} = ${sql.raw(`'${value}'`)}`;
}
