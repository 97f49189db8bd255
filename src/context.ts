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

export function actorOrganisation(actor: Actor): string | null {
  return actor.type === 'api_client' || actor.type === 'professional' ? actor.organisationId : null;
}
