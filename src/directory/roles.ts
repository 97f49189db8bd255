/**
 * A person's roles as stored (person_roles, one row each) and as the code uses them, and
 * the municipality's own row that stands for "no organisation" (ADR 0011).
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Db, Statement } from '../db/types.ts';
import { z } from 'zod';
import { organisations, personRoles, professionals } from '../db/schema.ts';
import { MUNICIPAL_ROLES, ORGANISATION_ROLES, ROLES, type Role } from '../vocabulary.ts';

/** The id of the municipality's own row (migration 0010): the home of its staff. */
export const MUNICIPALITY_ID = '00000000-0000-4000-8000-000000000000';

/** Whether the person (a row of `professionals` in the query) holds this role. */
export function holdsRole(role: Role): SQL<number> {
  return sql<number>`EXISTS (SELECT 1 FROM ${personRoles} WHERE ${personRoles.professionalId} = ${professionals.id} AND ${personRoles.role} = ${role})`;
}

/** The rows that give a person these roles (after a delete, when they replace the old ones). */
export function roleRows(db: Db, professionalId: string, roles: readonly Role[]): Statement[] {
  return roles.map((role) => db.insert(personRoles).values({ professionalId, role }));
}

/** The person's roles, comma-separated: a subquery to select beside `professionals`. */
export const rolesOfPerson = sql<
  string | null
>`(SELECT group_concat(${personRoles.role}) FROM ${personRoles} WHERE ${personRoles.professionalId} = ${professionals.id})`;

/** The organisation as the code sees it: null for the municipality's own staff. */
export const organisationOfPerson = sql<
  string | null
>`CASE WHEN ${professionals.organisationId} = ${MUNICIPALITY_ID} THEN NULL ELSE ${professionals.organisationId} END`;

/** Parses stored roles into ROLES order (so `actor_roles` in the audit reads the same every time). */
export function parseRoles(value: string | null): Role[] {
  const held = new Set((value ?? '').split(','));
  return ROLES.filter((role) => held.has(role));
}

export function isMunicipalRole(role: Role): boolean {
  return (MUNICIPAL_ROLES as readonly Role[]).includes(role);
}

/**
 * A set of roles: at least one, each once, and either within an organisation (professional,
 * organisation coordinator) or the municipality's (match monitor, admin, auditor), never both:
 * the municipality's staff have no organisation (docs/domain.md, "Roles").
 */
export const RolesInput = z
  .array(z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }), { error: 'required' })
  .min(1, 'choose at least one role')
  .transform((roles) => ROLES.filter((role) => roles.includes(role)))
  .refine((roles) => roles.every(isMunicipalRole) || roles.every((role) => (ORGANISATION_ROLES as readonly Role[]).includes(role)), {
    error: 'organisation roles (professional, organisation_coordinator) and municipal roles (match_monitor, municipal_admin, auditor) cannot be combined',
  })
  // Separation of duties: the auditor checks what the admins did, so no one is both.
  .refine((roles) => !(roles.includes('municipal_admin') && roles.includes('auditor')), {
    error: 'municipal_admin and auditor cannot be combined: the auditor checks what the admins do',
  });

/** Whether an organisation id names a real organisation (not the municipality's own row). */
export const isRealOrganisation = sql`${organisations.kind} = 'organisation'`;
