import type { Statement } from './db/types.ts';
import type { Deps } from './deps.ts';
import type { Role } from './vocabulary.ts';

/**
 * Who is acting. API clients act for their own organisation only. A `professional` is any
 * person with an account (the table is `professionals`), whatever their roles; the
 * municipality's staff have no organisation (null). The CLI's operator is always named
 * (`--operator` or BETROKKEN_OPERATOR), so no audit row has a nameless actor.
 */
export type Actor =
  | { type: 'api_client'; id: string; organisationId: string }
  | { type: 'professional'; id: string; organisationId: string | null; roles: readonly Role[] }
  | { type: 'operator'; id: string }
  | { type: 'system'; id: string };

/** What a verb gets: the actor, the runtime's ports, and request metadata for the audit. */
export interface Ctx {
  deps: Deps;
  actor: Actor;
  requestId: string | null;
  origin: string | null;
  /** The request's read events, written together when it ends (src/audit/audit.ts `recordAudit`). */
  reads?: ReadAudits;
}

/** Audit events a request collected; `open` until the request's end writes them (src/app.ts). */
export interface ReadAudits {
  open: boolean;
  statements: Statement[];
}

/**
 * Whether the actor may act on this professional's own account: a person only on their
 * own; an operator (CLI) or the system (jobs, the login steps before a session exists) on
 * anyone's. What admins and coordinators may do to others' accounts is checked by
 * src/directory with the permissions of src/auth/permissions.ts.
 */
export function actsFor(actor: Actor, professionalId: string): boolean {
  return actor.type === 'operator' || actor.type === 'system' || (actor.type === 'professional' && actor.id === professionalId);
}

export function actorOrganisation(actor: Actor): string | null {
  return actor.type === 'api_client' || actor.type === 'professional' ? actor.organisationId : null;
}
