/**
 * Who actually receives a mail meant for a professional (docs/domain.md, "People and
 * organisations leave"): the professional while active; once deactivated, their
 * organisation's active coordinators instead (told that the registration has no active
 * contact and should be transferred in "Mijn organisatie"); nobody when the organisation
 * itself is deactivated (it no longer takes part). Decided when a mail is queued, and again
 * by the drainer when it is sent (src/jobs/drain-outbox.ts).
 */
import { and, eq, inArray } from 'drizzle-orm';
import { organisations, personRoles, professionals } from '../db/schema.ts';
import type { Db } from '../db/types.ts';
import type { Notification } from './outbox.ts';

export interface Recipient {
  professionalId: string;
  email: string;
  /** Receives it in place of a deactivated professional. */
  noActiveContact: boolean;
}

/** Intended professional id → who receives their mail (empty: nobody). */
export type Recipients = ReadonlyMap<string, readonly Recipient[]>;

export interface ProfessionalStatus {
  professionalId: string;
  email: string;
  organisationId: string;
  active: boolean;
  organisationActive: boolean;
}

/** The active coordinators of these organisations, by organisation. */
export async function activeCoordinators(db: Db, organisationIds: readonly string[]): Promise<Map<string, { professionalId: string; email: string }[]>> {
  const byOrganisation = new Map<string, { professionalId: string; email: string }[]>();
  if (organisationIds.length === 0) return byOrganisation;
  const rows = await db
    .select({ professionalId: professionals.id, email: professionals.email, organisationId: professionals.organisationId })
    .from(professionals)
    .innerJoin(personRoles, and(eq(personRoles.professionalId, professionals.id), eq(personRoles.role, 'organisation_coordinator')))
    .where(and(inArray(professionals.organisationId, [...new Set(organisationIds)]), eq(professionals.active, true)))
    .orderBy(professionals.id);
  for (const r of rows) {
    const list = byOrganisation.get(r.organisationId) ?? [];
    list.push({ professionalId: r.professionalId, email: r.email });
    byOrganisation.set(r.organisationId, list);
  }
  return byOrganisation;
}

/** Resolves the recipients of professionals whose status is already known (read with the subject's state). */
export async function resolveRecipients(db: Db, people: readonly ProfessionalStatus[]): Promise<Map<string, Recipient[]>> {
  const orphaned = people.filter((p) => !p.active && p.organisationActive);
  const coordinators = await activeCoordinators(
    db,
    orphaned.map((p) => p.organisationId),
  );
  const result = new Map<string, Recipient[]>();
  for (const p of people) {
    if (!p.organisationActive) result.set(p.professionalId, []);
    else if (p.active) result.set(p.professionalId, [{ professionalId: p.professionalId, email: p.email, noActiveContact: false }]);
    else
      result.set(
        p.professionalId,
        (coordinators.get(p.organisationId) ?? []).filter((c) => c.professionalId !== p.professionalId).map((c) => ({ ...c, noActiveContact: true })),
      );
  }
  return result;
}

/** Reads the status of these professionals, then resolves their recipients. */
export async function readRecipients(db: Db, professionalIds: readonly string[]): Promise<Map<string, Recipient[]>> {
  if (professionalIds.length === 0) return new Map();
  const people = await db
    .select({
      professionalId: professionals.id,
      email: professionals.email,
      organisationId: professionals.organisationId,
      active: professionals.active,
      organisationActive: organisations.active,
    })
    .from(professionals)
    .innerJoin(organisations, eq(organisations.id, professionals.organisationId))
    .where(inArray(professionals.id, [...new Set(professionalIds)]));
  return resolveRecipients(db, people);
}

/**
 * One notification per actual recipient of a mail meant for `professionalId`. The mail to
 * the professional keeps its key; a mail redirected to a coordinator gets the key plus
 * `:via:{coordinator id}`, so keys stay unique per recipient and a retried unit still
 * queues each one once.
 */
export function addressed(
  base: Omit<Notification, 'recipientProfessionalId' | 'recipientEmail'>,
  professionalId: string,
  recipients: Recipients,
): Notification[] {
  const list = recipients.get(professionalId);
  if (!list) throw new Error(`no recipient known for professional ${professionalId}`);
  return list.map((r) =>
    r.noActiveContact
      ? {
          ...base,
          idempotencyKey: `${base.idempotencyKey}:via:${r.professionalId}`,
          recipientProfessionalId: r.professionalId,
          recipientEmail: r.email,
          payload: { ...base.payload, noActiveContact: true },
        }
      : { ...base, recipientProfessionalId: r.professionalId, recipientEmail: r.email },
  );
}
