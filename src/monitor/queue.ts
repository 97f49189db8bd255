/**
 * The match monitor's queue (law 7.1.3.2; docs/domain.md, "§7 Follow-up: contact and regie"): open matches
 * the follow-up job escalated (src/jobs/follow-up.ts), and one such match in detail. The
 * monitor sees only what the check needs: the match id, dates, the member organisations and
 * sectors, the professionals' contact details, contact dates, who coordinates and what was
 * done. Never a case number (`reference`), nothing about the subject. Every read is audited.
 */
import { isState } from '../db/constant.ts';
import { and, asc, desc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.ts';
import { authorize } from '../auth/permissions.ts';
import type { Ctx } from '../context.ts';
import { matches, matchMembers, monitorActions, organisations, personRoles, professionals, registrations } from '../db/schema.ts';
import { Id } from '../identity/ids.ts';
import { isoDate } from '../lib/dates.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { workingDaysBetween } from '../lib/working-days.ts';
import { mayCoordinate, readSettings, suggestCoordinator } from '../settings/settings.ts';
import type { MonitorAction, Sector } from '../vocabulary.ts';

export const MONITOR_FILTERS = ['open', 'all'] as const;
export type MonitorFilter = (typeof MONITOR_FILTERS)[number];

/** At most this many of the matches still to follow up (the most urgent), and of those followed up (the most recent). */
export const QUEUE_LIMIT = 100;

export const ListMonitorQueueInput = z.strictObject({
  filter: z.enum(MONITOR_FILTERS).default('open'),
  /** Smaller in tests; the page always asks for QUEUE_LIMIT. */
  limit: z.number().int().min(1).max(QUEUE_LIMIT).default(QUEUE_LIMIT),
});

export interface MonitorActionView {
  kind: MonitorAction;
  on: string;
  /** The monitor's name (null when the account is gone). */
  by: string | null;
  createdAt: Date;
}

export interface MonitorQueueItem {
  matchId: string;
  createdAt: Date;
  escalatedAt: Date;
  doneAt: Date | null;
  /** Working days from the match to today. */
  workingDaysOpen: number;
  organisations: { name: string; sector: Sector }[];
  /** Organisations that recorded contact, of all member organisations. */
  contactOrganisations: number;
  organisationCount: number;
  coordinator: boolean;
  proposed: boolean;
  lastAction: { kind: MonitorAction; on: string } | null;
}

export interface MonitorQueue {
  /** The most urgent matches still to follow up, oldest escalation first; with `all`, then the most recently followed up. */
  items: MonitorQueueItem[];
  /** How many are shown at most of each kind, and whether more exist than shown. */
  limit: number;
  moreOpen: boolean;
  moreDone: boolean;
  /** The setting that put them there, for the page's explanation. */
  escalationDays: number;
}

/** D1 binds at most 100 parameters a statement: id lists go in chunks. */
const CHUNK = 50;

function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/** Active members of these escalated open matches. */
async function escalatedMembers(ctx: Ctx, matchIds: readonly string[]) {
  const rows = [];
  for (const ids of chunks(matchIds)) rows.push(...(await escalatedMembersOf(ctx, ids)));
  return rows;
}

function escalatedMembersOf(ctx: Ctx, matchIds: string[]) {
  return ctx.deps.db
    .select({
      matchId: matchMembers.matchId,
      memberId: matchMembers.id,
      registrationId: matchMembers.registrationId,
      organisationId: matchMembers.organisationId,
      organisationName: organisations.name,
      organisationActive: organisations.active,
      sector: organisations.sector,
      professionalId: professionals.id,
      professionalName: professionals.name,
      email: professionals.email,
      phone: professionals.phone,
      professionalActive: professionals.active,
      joinedAt: matchMembers.joinedAt,
      joinedSeq: matchMembers.joinedSeq,
      contactOn: matchMembers.contactOn,
    })
    .from(matchMembers)
    .innerJoin(matches, eq(matches.id, matchMembers.matchId))
    .innerJoin(registrations, eq(registrations.id, matchMembers.registrationId))
    .innerJoin(organisations, eq(organisations.id, matchMembers.organisationId))
    .innerJoin(professionals, eq(professionals.id, matchMembers.professionalId))
    .where(
      and(
        isState(matches.status, 'open'),
        isNotNull(matches.escalatedAt),
        isNull(matchMembers.leftAt),
        isState(registrations.status, 'active'),
        inArray(matches.id, matchIds),
      ),
    )
    .orderBy(asc(matchMembers.joinedSeq), asc(registrations.registeredAt), asc(matchMembers.id));
}

function distinctOrganisations<M extends { organisationId: string; organisationName: string; sector: Sector }>(members: readonly M[]) {
  const byId = new Map<string, { name: string; sector: Sector }>();
  for (const m of members) if (!byId.has(m.organisationId)) byId.set(m.organisationId, { name: m.organisationName, sector: m.sector });
  return [...byId.values()];
}

function contactCount(members: readonly { organisationId: string; contactOn: string | null }[]): number {
  return new Set(members.filter((m) => m.contactOn !== null).map((m) => m.organisationId)).size;
}

/**
 * The queue: the `limit` most urgent escalated open matches not yet followed up (oldest
 * escalation first); with `all`, then the `limit` most recently followed up. Bounded, so the
 * page stays small however long the queue grows; `moreOpen`/`moreDone` say when more exist.
 */
export async function listMonitorQueue(ctx: Ctx, input: z.input<typeof ListMonitorQueueInput> = {}): Promise<MonitorQueue> {
  const { filter, limit } = parseInput(ListMonitorQueueInput, input);
  await authorize(ctx, 'match_monitoring', 'monitor.queue');
  const { db, clock } = ctx.deps;
  const columns = {
    id: matches.id,
    createdAt: matches.createdAt,
    escalatedAt: matches.escalatedAt,
    doneAt: matches.monitorDoneAt,
    coordinator: matches.coordinatorRegistrationId,
    proposed: matches.proposedRegistrationId,
  };
  const open = await db
    .select(columns)
    .from(matches)
    .where(and(isState(matches.status, 'open'), isNotNull(matches.escalatedAt), isNull(matches.monitorDoneAt)))
    .orderBy(asc(matches.escalatedAt), asc(matches.id))
    .limit(limit + 1);
  const done =
    filter === 'all'
      ? await db
          .select(columns)
          .from(matches)
          .where(and(isState(matches.status, 'open'), isNotNull(matches.escalatedAt), isNotNull(matches.monitorDoneAt)))
          .orderBy(desc(matches.monitorDoneAt), asc(matches.id))
          .limit(limit + 1)
      : [];
  const rows = [...open.slice(0, limit), ...done.slice(0, limit)];
  const ids = rows.map((r) => r.id);
  const members = await escalatedMembers(ctx, ids);
  const actions: { matchId: string; kind: MonitorAction; on: string; createdAt: Date; id: string }[] = [];
  for (const chunk of chunks(ids)) {
    actions.push(
      ...(await db
        .select({
          matchId: monitorActions.matchId,
          kind: monitorActions.kind,
          on: monitorActions.on,
          createdAt: monitorActions.createdAt,
          id: monitorActions.id,
        })
        .from(monitorActions)
        .where(inArray(monitorActions.matchId, chunk))),
    );
  }
  // Newest first, as one query ordered it before the chunks.
  actions.sort((a, b) => b.on.localeCompare(a.on) || b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id));
  const today = isoDate(clock.now());
  const items = rows.map((r): MonitorQueueItem => {
    const own = members.filter((m) => m.matchId === r.id);
    const orgs = distinctOrganisations(own);
    const last = actions.find((a) => a.matchId === r.id);
    return {
      matchId: r.id,
      createdAt: r.createdAt,
      escalatedAt: r.escalatedAt as Date,
      doneAt: r.doneAt,
      workingDaysOpen: workingDaysBetween(isoDate(r.createdAt), today),
      organisations: orgs,
      contactOrganisations: contactCount(own),
      organisationCount: orgs.length,
      coordinator: r.coordinator !== null,
      proposed: r.proposed !== null,
      lastAction: last ? { kind: last.kind, on: last.on } : null,
    };
  });
  await recordAudit(ctx, { action: 'monitor.queue', outcome: 'success', detail: { filter, count: items.length } });
  const { escalationDays } = await readSettings(db, ctx.deps.config);
  return { items, escalationDays, limit, moreOpen: open.length > limit, moreDone: done.length > limit };
}

export const GetMonitorMatchInput = z.strictObject({ matchId: Id });

export interface MonitorContact {
  name: string;
  email: string;
  phone: string | null;
}

export interface MonitorMemberView {
  /** The value the proposal form sends; not shown. */
  registrationId: string;
  organisationName: string;
  sector: Sector;
  /** The professional to call; null when deactivated ("geen actieve contactpersoon"). */
  contact: MonitorContact | null;
  /** When there is no active contact: the organisation's coordinators. */
  organisationContacts: MonitorContact[];
  joinedAt: Date;
  contactOn: string | null;
  coordinator: boolean;
  proposed: boolean;
  mayCoordinate: boolean;
}

export interface MonitorMatchView {
  matchId: string;
  createdAt: Date;
  escalatedAt: Date;
  doneAt: Date | null;
  workingDaysOpen: number;
  coordinatorSince: Date | null;
  proposal: { organisationName: string; byRules: boolean; at: Date } | null;
  /** The member the rules suggest (the default of the proposal form). */
  suggestedRegistrationId: string | null;
  members: MonitorMemberView[];
  contactOrganisations: number;
  organisationCount: number;
  actions: MonitorActionView[];
}

/** The escalated open match, or an audited 404 under `action`. */
export async function escalatedMatch(ctx: Ctx, matchId: string, action: string) {
  const [match] = await ctx.deps.db
    .select()
    .from(matches)
    .where(and(eq(matches.id, matchId), isState(matches.status, 'open'), isNotNull(matches.escalatedAt)));
  if (!match) {
    await recordAudit(ctx, { action, outcome: 'not_found', matchId });
    throw audited(new ServiceError('not_found', 'Deze match staat niet in de wachtrij voor matchopvolging.'));
  }
  return { ...match, escalatedAt: match.escalatedAt as Date };
}

/** One escalated match as the monitor needs it. */
export async function getMonitorMatch(ctx: Ctx, input: z.input<typeof GetMonitorMatchInput>): Promise<MonitorMatchView> {
  const { matchId } = parseInput(GetMonitorMatchInput, input);
  await authorize(ctx, 'match_monitoring', 'monitor.view');
  const { db, clock } = ctx.deps;
  const match = await escalatedMatch(ctx, matchId, 'monitor.view');
  const members = await escalatedMembers(ctx, [matchId]);
  const settings = await readSettings(db, ctx.deps.config);
  const orphaned = [...new Set(members.filter((m) => !m.professionalActive && m.organisationActive).map((m) => m.organisationId))];
  const coordinators =
    orphaned.length === 0
      ? []
      : await db
          .select({ organisationId: professionals.organisationId, name: professionals.name, email: professionals.email, phone: professionals.phone })
          .from(professionals)
          .innerJoin(personRoles, and(eq(personRoles.professionalId, professionals.id), eq(personRoles.role, 'organisation_coordinator')))
          .where(and(eq(professionals.active, true), inArray(professionals.organisationId, orphaned)))
          .orderBy(asc(professionals.name));
  const actions = await db
    .select({ kind: monitorActions.kind, on: monitorActions.on, by: professionals.name, createdAt: monitorActions.createdAt })
    .from(monitorActions)
    .leftJoin(professionals, eq(professionals.id, monitorActions.monitorId))
    .where(eq(monitorActions.matchId, matchId))
    .orderBy(desc(monitorActions.on), desc(monitorActions.createdAt), desc(monitorActions.id));
  const proposedMember = members.find((m) => m.registrationId === match.proposedRegistrationId);
  const suggested = suggestCoordinator(
    settings,
    members.filter((m) => m.professionalActive),
  );
  const orgs = distinctOrganisations(members);
  const view: MonitorMatchView = {
    matchId,
    createdAt: match.createdAt,
    escalatedAt: match.escalatedAt,
    doneAt: match.monitorDoneAt,
    workingDaysOpen: workingDaysBetween(isoDate(match.createdAt), isoDate(clock.now())),
    coordinatorSince: match.coordinatorSince,
    proposal:
      proposedMember && match.proposedAt
        ? { organisationName: proposedMember.organisationName, byRules: match.proposedBy === null, at: match.proposedAt }
        : null,
    suggestedRegistrationId: suggested?.registrationId ?? null,
    members: members.map((m) => ({
      registrationId: m.registrationId,
      organisationName: m.organisationName,
      sector: m.sector,
      contact: m.professionalActive ? { name: m.professionalName, email: m.email, phone: m.phone } : null,
      organisationContacts: m.professionalActive
        ? []
        : coordinators.filter((c) => c.organisationId === m.organisationId).map(({ name, email, phone }) => ({ name, email, phone })),
      joinedAt: m.joinedAt,
      contactOn: m.contactOn,
      coordinator: m.registrationId === match.coordinatorRegistrationId,
      proposed: m.registrationId === match.proposedRegistrationId,
      mayCoordinate: mayCoordinate(settings, m.sector),
    })),
    contactOrganisations: contactCount(members),
    organisationCount: orgs.length,
    actions,
  };
  await recordAudit(ctx, { action: 'monitor.view', outcome: 'success', matchId });
  return view;
}
