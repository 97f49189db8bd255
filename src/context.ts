import type { Deps } from './deps.ts';

/** Who is acting. API clients act for their own organisation only. */
export type Actor =
  | { type: 'api_client'; id: string; organisationId: string }
  | { type: 'professional'; id: string; organisationId: string }
  | { type: 'operator'; id: string | null }
  | { type: 'system'; id: string };

/** What a verb gets: the actor, the runtime's ports, and request metadata for the audit. */
export interface Ctx {
  deps: Deps;
  actor: Actor;
  requestId: string | null;
  origin: string | null;
}

/**
 * Whether the actor may act on this professional's own account: a professional only on
 * their own; an operator (CLI) or the system (jobs, the login steps before a session
 * exists) on anyone's. Roles for the municipality's staff come with the console.
 */
export function actsFor(actor: Actor, professionalId: string): boolean {
  return actor.type === 'operator' || actor.type === 'system' || (actor.type === 'professional' && actor.id === professionalId);
}

export function actorOrganisation(actor: Actor): string | null {
  return actor.type === 'api_client' || actor.type === 'professional' ? actor.organisationId : null;
}
