/**
 * The password policy (src/auth/password-policy.ts) for one account: its e-mail address,
 * name and organisation, and the municipality's name, are the words an attacker tries
 * first, so they count as zxcvbn user inputs. Used by every verb that sets a password.
 */
import { eq } from 'drizzle-orm';
import type { Ctx } from '../context.ts';
import { organisations, professionals } from '../db/schema.ts';
import { passwordProblem } from './password-policy.ts';

export async function accountPasswordProblem(ctx: Ctx, professionalId: string, password: string): Promise<string | null> {
  const [account] = await ctx.deps.db
    .select({ email: professionals.email, name: professionals.name, organisation: organisations.name })
    .from(professionals)
    .leftJoin(organisations, eq(organisations.id, professionals.organisationId))
    .where(eq(professionals.id, professionalId));
  return passwordProblem(password, {
    email: account?.email,
    name: account?.name,
    organisation: account?.organisation ?? undefined,
    extra: [ctx.deps.config.MUNICIPALITY_NAME],
  });
}
