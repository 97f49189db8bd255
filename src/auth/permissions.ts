/**
 * Who may do what, decided: `can` reads the one table of permissions (`PERMISSIONS` in
 * src/vocabulary.ts; docs/domain.md, "Accounts, roles and access"). Routes declare the permission they need
 * beside their paths (src/routes/http/access.ts enforces it before any handler runs); verbs
 * check it again as their first step with `authorize`, so a verb called from elsewhere (the
 * CLI, a job, a future route) cannot skip it. A refusal is audited.
 */
import { recordAudit } from '../audit/audit.ts';
import type { Actor, Ctx } from '../context.ts';
import { audited, ServiceError } from '../lib/errors.ts';
import { type Permission, rolesAllow } from '../vocabulary.ts';

export type { Permission };

/** What an API client may do: it acts for its organisation's professionals, nothing else. */
const API_CLIENT_PERMISSIONS: readonly Permission[] = ['register', 'matches'];

export function can(actor: Actor, permission: Permission): boolean {
  switch (actor.type) {
    case 'operator':
    case 'system':
      // The CLI's operator has shell access to the database and keys; the jobs are ours.
      // Both are audited under their own names. But the second pair of eyes must be a
      // municipal admin logged in with the second factor: an operator's name is free text,
      // so one person could otherwise approve their own request under two names.
      return permission !== 'four_eyes';
    case 'api_client':
      return API_CLIENT_PERMISSIONS.includes(permission);
    case 'professional':
      return rolesAllow(actor.roles, permission);
  }
}

/**
 * A verb's role check, as its first step: refuses (audited, with the action the verb would
 * have recorded) unless the actor holds the permission.
 */
export async function authorize(ctx: Ctx, permission: Permission, action: string): Promise<void> {
  if (can(ctx.actor, permission)) return;
  await recordAudit(ctx, { action, outcome: 'denied', detail: { permission } });
  throw audited(new ServiceError('forbidden', 'U hebt geen toegang tot deze functie.'));
}
