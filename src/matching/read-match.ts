/**
 * A match as its members see it: the other registrants' contact details, nothing else;
 * and what the municipality's coordination rules say (who may coordinate, whom they
 * suggest) and any pending proposal of a coordinator (src/settings/settings.ts).
 * Members are the match's registrations that are still active; `leftAt` is set when the
 * match itself closed (the remaining members can still see each other).
 */
import { isState } from '../db/constant.ts';
import { authorize } from '../auth/permissions.ts';
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement } from '../audit/audit.ts';
import { actorOrganisation, type Ctx } from '../context.ts';
import { matches, matchMembers, organisations, professionals, registrations } from '../db/schema.ts';
import { readTemplate, readTogether } from '../db/template.ts';
import { Id } from '../identity/ids.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { mayCoordinate, settingsFrom, settingsRows, suggestCoordinator } from '../settings/settings.ts';
import type { Sector } from '../vocabulary.ts';

export interface MatchMemberView {
  /** Whether this member belongs to the reader's own organisation. */
  ownOrganisation: boolean;
  /**
   * False when the registering professional is deactivated: they are no contact any more
   * (name, email and phone are null) until their organisation transfers the registration.
   */
  activeContact: boolean;
  professionalName: string | null;
  organisationName: string;
  sector: Sector;
  email: string | null;
  phone: string | null;
  since: string;
  leftAt: string | null;
  /** "Contact opgenomen" on this day. */
  contactOn: string | null;
  /** This member coordinates (regie). */
  coordinator: boolean;
  /** This member is the reading professional (web pages act for one person). */
  me: boolean;
  /** The municipality's coordination rules let this member's sector coordinate. */
  mayCoordinate: boolean;
  /** The rules suggest this member as coordinator (at most one member; none while no one may). */
  suggested: boolean;
  /** This member is proposed as coordinator and is asked to confirm or decline. */
  proposed: boolean;
}

export interface MatchView {
  id: string;
  status: 'open' | 'closed';
  createdAt: string;
  closedAt: string | null;
  /** Since when the coordinator coordinates, if one was agreed. */
  coordinatorSince: string | null;
  /** A coordinator was proposed (see the member with `proposed`): when, and by whom. */
  proposedAt: string | null;
  proposedBy: 'rules' | 'match_monitor' | null;
  members: MatchMemberView[];
  /**
   * The reading professional's own reference (eigen kenmerk, a case number) on their
   * registration in this match, so they recognise their client; null when they gave none,
   * and always null for an API client. Never another member's reference.
   */
  myReference: string | null;
}

export const ReadMatchInput = z.strictObject({ matchId: Id });

/** The match itself: built once (src/db/template.ts). */
const matchById = readTemplate<{ matchId: string }, typeof matches.$inferSelect>((db, value) =>
  db
    .select()
    .from(matches)
    .where(eq(matches.id, value('matchId')))
    .limit(1),
);

/** Its members, with their professional, organisation and own reference: built once. */
const memberRows = readTemplate<
  { matchId: string },
  {
    organisationId: string;
    professionalName: string;
    organisationName: string;
    sector: Sector;
    email: string;
    phone: string | null;
    joinedAt: Date;
    joinedSeq: number;
    leftAt: Date | null;
    contactOn: string | null;
    registrationId: string;
    reference: string | null;
    professionalId: string;
    professionalActive: boolean;
  }
>((db, value) =>
  db
    .select({
      organisationId: matchMembers.organisationId,
      professionalName: professionals.name,
      // Aliased: a D1 batch maps columns by name, and both tables call theirs `name`.
      organisationName: sql<string>`${organisations.name}`.as('organisation_name'),
      sector: organisations.sector,
      email: professionals.email,
      phone: professionals.phone,
      joinedAt: matchMembers.joinedAt,
      joinedSeq: matchMembers.joinedSeq,
      leftAt: matchMembers.leftAt,
      contactOn: matchMembers.contactOn,
      registrationId: matchMembers.registrationId,
      reference: registrations.reference,
      professionalId: matchMembers.professionalId,
      professionalActive: professionals.active,
    })
    .from(matchMembers)
    .innerJoin(professionals, eq(professionals.id, matchMembers.professionalId))
    .innerJoin(organisations, eq(organisations.id, matchMembers.organisationId))
    .innerJoin(registrations, eq(registrations.id, matchMembers.registrationId))
    // Only members whose registration is still active: an ended registration is archived
    // (visible to no one) or deleted, so its registrant drops out of the page — and its
    // organisation loses access unless it has another active member in the match.
    // A deactivated organisation takes no part in matching: its members are not shown.
    .where(and(eq(matchMembers.matchId, value('matchId')), isState(registrations.status, 'active'), eq(organisations.active, true)))
    .orderBy(asc(matchMembers.joinedSeq), asc(registrations.registeredAt), asc(registrations.id)),
);

export async function readMatch(ctx: Ctx, input: z.input<typeof ReadMatchInput>): Promise<MatchView> {
  const { matchId } = parseInput(ReadMatchInput, input);
  await authorize(ctx, 'matches', 'match.read');
  const { db } = ctx.deps;
  const organisationId = actorOrganisation(ctx.actor);
  // The match, its members and the coordination rules in one round trip on D1.
  const [[match], rows, settings] = await readTogether(db, [
    [matchById, { matchId }],
    [memberRows, { matchId }],
    [settingsRows, {}],
  ] as const);
  // An API client acts for its organisation; in the browser a professional acts for
  // themselves and sees only matches they are a member of (docs/domain.md, "Matching"): a
  // colleague of the same organisation is not involved with this young person.
  const isMember =
    organisationId !== null &&
    (ctx.actor.type === 'professional' ? rows.some((r) => r.professionalId === ctx.actor.id) : rows.some((r) => r.organisationId === organisationId));
  // Non-members get "not found" (no existence oracle); the attempt is audited as such.
  const seenByMe = isMember && ctx.actor.type === 'professional';
  await ctx.deps.atomic([
    auditStatement(ctx, { action: 'match.read', outcome: isMember ? 'success' : 'not_found', matchId }),
    // The dashboard's "new" badge goes once the professional has seen the match as it is now.
    ...(seenByMe
      ? [
          db
            .update(matchMembers)
            .set({ seenAt: ctx.deps.clock.now() })
            .where(and(eq(matchMembers.matchId, matchId), eq(matchMembers.professionalId, ctx.actor.id!))),
        ]
      : []),
  ]);
  if (!match || !isMember) throw audited(new ServiceError('not_found', 'Match niet gevonden.'));
  const rules = settingsFrom(settings, ctx.deps.config);
  // Only a member who can be reached can be suggested.
  const suggested = suggestCoordinator(
    rules,
    rows.filter((r) => r.professionalActive),
  );
  const proposed = rows.some((r) => r.registrationId === match.proposedRegistrationId) ? match.proposedRegistrationId : null;
  const mine = ctx.actor.type === 'professional' ? rows.filter((r) => r.professionalId === ctx.actor.id) : [];
  return {
    id: match.id,
    status: match.status,
    createdAt: match.createdAt.toISOString(),
    closedAt: match.closedAt?.toISOString() ?? null,
    coordinatorSince: match.coordinatorRegistrationId ? (match.coordinatorSince?.toISOString() ?? null) : null,
    proposedAt: proposed ? (match.proposedAt?.toISOString() ?? null) : null,
    proposedBy: proposed ? (match.proposedBy ? 'match_monitor' : 'rules') : null,
    myReference: mine.find((r) => r.reference !== null)?.reference ?? null,
    members: rows.map((r) => ({
      ownOrganisation: r.organisationId === organisationId,
      activeContact: r.professionalActive,
      professionalName: r.professionalActive ? r.professionalName : null,
      organisationName: r.organisationName,
      sector: r.sector,
      email: r.professionalActive ? r.email : null,
      phone: r.professionalActive ? r.phone : null,
      since: r.joinedAt.toISOString(),
      leftAt: r.leftAt?.toISOString() ?? null,
      contactOn: r.contactOn,
      coordinator: r.registrationId === match.coordinatorRegistrationId,
      me: ctx.actor.type === 'professional' && r.professionalId === ctx.actor.id,
      mayCoordinate: mayCoordinate(rules, r.sector),
      suggested: r.registrationId === suggested?.registrationId,
      proposed: r.registrationId === proposed,
    })),
  };
}
