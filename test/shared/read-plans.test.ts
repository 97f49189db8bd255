/**
 * Read plans (src/db/template.ts): several verbs' reads in one round trip on D1, one after
 * another on better-sqlite3. Each plan gets its own rows, in order; a plan without reads
 * (the open advice of someone who is not a professional) costs no statement, as D1 refuses
 * an empty batch.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisations } from '../../src/db/schema.ts';
import { readPlan, readTemplate, runReadPlans } from '../../src/db/template.ts';
import { createTestContext, type TestContext } from '../support/context.ts';

const nameOf = readTemplate<{ id: string }, { name: string }>((db, value) =>
  db
    .select({ name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, value('id'))),
);

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('read plans', () => {
  it("gives each plan its own reads' rows, in the order of the plans", async () => {
    const school = await t.organisation('education', 'Basisschool De Linde');
    const wijkteam = await t.organisation('district_team', 'Wijkteam Noord');
    const [one, none, two] = await runReadPlans(t.deps.db, [
      readPlan([[nameOf, { id: school.id }]] as const, ([rows]) => rows.map((r) => r.name)),
      readPlan([] as const, () => 'no reads'),
      readPlan(
        [
          [nameOf, { id: wijkteam.id }],
          [nameOf, { id: school.id }],
        ] as const,
        ([first, second]) => [...first, ...second].map((r) => r.name),
      ),
    ] as const);
    expect(one).toEqual(['Basisschool De Linde']);
    expect(none).toBe('no reads');
    expect(two).toEqual(['Wijkteam Noord', 'Basisschool De Linde']);
  });

  it('runs plans without any reads', async () => {
    const [value] = await runReadPlans(t.deps.db, [readPlan([] as const, () => 42)] as const);
    expect(value).toBe(42);
  });
});
