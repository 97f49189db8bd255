import { sql } from 'drizzle-orm';
import type { Deps } from './deps.ts';

/** `/healthz`: the database answers a query. Throws when it does not (the route gives a 500). */
export async function checkHealth(deps: Pick<Deps, 'db'>): Promise<{ status: 'ok' }> {
  await deps.db.get<{ ok: number }>(sql`SELECT 1 AS ok`);
  return { status: 'ok' };
}
