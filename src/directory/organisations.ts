/**
 * The beheer console's organisations (municipal admin): list with search and filters,
 * detail with counts and API clients, edit (name, sector, convenant). Creating is
 * `createOrganisation` (directory.ts); deactivating is deactivate-organisation.ts.
 * The municipality's own row is never listed, read or edited here (ADR 0011). Every read
 * and change is audited.
 */
import { isState } from '../db/constant.ts';
import { and, asc, count, desc, eq, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditStatement, recordAudit } from '../audit/audit.ts';
import { authorize } from '../auth/permissions.ts';
import type { Ctx } from '../context.ts';
import { apiClients, organisations, professionals, registrations } from '../db/schema.ts';
import { Id } from '../identity/ids.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { CONVENANT_STATUSES, type ConvenantStatus, SECTORS, type Sector } from '../vocabulary.ts';
import { refuseTakenName } from './directory.ts';
import { isRealOrganisation } from './roles.ts';

export const ORGANISATIONS_PAGE_SIZE = 25;

// Messages in English: the operator reads them (the CLI prints them per option); the pages word their own.
const SectorField = z.enum(SECTORS, { error: `must be one of ${SECTORS.join(', ')}` });

export const ListOrganisationsInput = z.strictObject({
  /** Part of the name, case-insensitive. */
  search: z.string().trim().max(100, 'at most 100 characters').optional(),
  sector: SectorField.optional(),
  active: z.boolean().optional(),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(1000).default(ORGANISATIONS_PAGE_SIZE),
});

export interface OrganisationSummary {
  id: string;
  name: string;
  sector: Sector;
  active: boolean;
  convenantStatus: ConvenantStatus;
  convenantSignedOn: string | null;
  createdAt: Date;
  deactivatedAt: Date | null;
}

export interface OrganisationPage {
  items: OrganisationSummary[];
  total: number;
  page: number;
  pageCount: number;
}

const summary = {
  id: organisations.id,
  name: organisations.name,
  sector: organisations.sector,
  active: organisations.active,
  convenantStatus: organisations.convenantStatus,
  convenantSignedOn: organisations.convenantSignedOn,
  createdAt: organisations.createdAt,
  deactivatedAt: organisations.deactivatedAt,
};

/** Organisations by name, a page at a time; never the municipality's own row. */
export async function listOrganisations(ctx: Ctx, input: z.input<typeof ListOrganisationsInput> = {}): Promise<OrganisationPage> {
  const { search, sector, active, page, pageSize } = parseInput(ListOrganisationsInput, input);
  await authorize(ctx, 'beheer', 'organisation.list');
  const filters: (SQL | undefined)[] = [
    isRealOrganisation,
    search ? sql`instr(lower(${organisations.name}), lower(${search})) > 0` : undefined,
    sector ? eq(organisations.sector, sector) : undefined,
    active === undefined ? undefined : eq(organisations.active, active),
  ];
  const where = and(...filters);
  const [{ total } = { total: 0 }] = await ctx.deps.db.select({ total: count() }).from(organisations).where(where);
  const items = await ctx.deps.db
    .select(summary)
    .from(organisations)
    .where(where)
    .orderBy(asc(sql`lower(${organisations.name})`), asc(organisations.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  // The filter as facts (no free text in the trail): whether a name was searched, not what.
  await recordAudit(ctx, {
    action: 'organisation.list',
    outcome: 'success',
    detail: { searched: !!search, sector: sector ?? null, active: active ?? null, page, count: items.length },
  });
  return { items, total, page, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

export const GetOrganisationInput = z.strictObject({ organisationId: Id });

export interface OrganisationDetail extends OrganisationSummary {
  professionals: number;
  activeProfessionals: number;
  activeRegistrations: number;
  apiClients: { id: string; name: string; active: boolean; createdAt: Date; rateLimitPerMinute: number | null }[];
}

async function findOrganisation(ctx: Ctx, organisationId: string, action: string) {
  const [organisation] = await ctx.deps.db
    .select(summary)
    .from(organisations)
    .where(and(eq(organisations.id, organisationId), isRealOrganisation))
    .limit(1);
  if (!organisation) {
    await recordAudit(ctx, { action, outcome: 'not_found', detail: { organisationId } });
    throw audited(new ServiceError('not_found', 'Organisation not found.'));
  }
  return organisation;
}

/** One organisation with its numbers and API clients (never a token or its hash). */
export async function getOrganisation(ctx: Ctx, input: z.input<typeof GetOrganisationInput>): Promise<OrganisationDetail> {
  const { organisationId } = parseInput(GetOrganisationInput, input);
  await authorize(ctx, 'beheer', 'organisation.read');
  const organisation = await findOrganisation(ctx, organisationId, 'organisation.read');
  const { db } = ctx.deps;
  const [people] = await db
    .select({ all: count(), active: sql<number>`coalesce(sum(${professionals.active}), 0)` })
    .from(professionals)
    .where(eq(professionals.organisationId, organisationId));
  const [active] = await db
    .select({ n: count() })
    .from(registrations)
    .where(and(eq(registrations.organisationId, organisationId), isState(registrations.status, 'active')));
  const clients = await db
    .select({
      id: apiClients.id,
      name: apiClients.name,
      active: apiClients.active,
      createdAt: apiClients.createdAt,
      rateLimitPerMinute: apiClients.rateLimitPerMinute,
    })
    .from(apiClients)
    .where(eq(apiClients.organisationId, organisationId))
    .orderBy(desc(apiClients.createdAt), asc(apiClients.id));
  await recordAudit(ctx, { action: 'organisation.read', outcome: 'success', detail: { organisationId } });
  return {
    ...organisation,
    professionals: people?.all ?? 0,
    activeProfessionals: Number(people?.active ?? 0),
    activeRegistrations: active?.n ?? 0,
    apiClients: clients,
  };
}

/** A calendar date, YYYY-MM-DD, that exists. */
export const CalendarDate = z.iso.date('must be a date (YYYY-MM-DD)');

export const UpdateOrganisationInput = z.strictObject({
  organisationId: Id,
  name: z.string().trim().min(1, 'required').max(200, 'at most 200 characters').optional(),
  sector: SectorField.optional(),
  /** The day the convenant was signed; null clears it. */
  convenantSignedOn: CalendarDate.nullable().optional(),
  convenantStatus: z.enum(CONVENANT_STATUSES, { error: `must be one of ${CONVENANT_STATUSES.join(', ')}` }).optional(),
});

/**
 * Changes what is given; the same name rule as creating (case-insensitive, refused beside the
 * field). The audit row names the changed fields, not their values.
 */
export async function updateOrganisation(ctx: Ctx, input: z.input<typeof UpdateOrganisationInput>): Promise<OrganisationSummary> {
  const { organisationId, ...changes } = parseInput(UpdateOrganisationInput, input);
  await authorize(ctx, 'beheer', 'organisation.update');
  const current = await findOrganisation(ctx, organisationId, 'organisation.update');
  if (changes.name !== undefined && changes.name !== current.name) await refuseTakenName(ctx, changes.name, organisationId, 'organisation.update');
  const set: Partial<typeof organisations.$inferInsert> = {};
  if (changes.name !== undefined && changes.name !== current.name) set.name = changes.name;
  if (changes.sector !== undefined && changes.sector !== current.sector) set.sector = changes.sector;
  if (changes.convenantSignedOn !== undefined && changes.convenantSignedOn !== current.convenantSignedOn) set.convenantSignedOn = changes.convenantSignedOn;
  if (changes.convenantStatus !== undefined && changes.convenantStatus !== current.convenantStatus) set.convenantStatus = changes.convenantStatus;
  const fields = Object.keys(set);
  if (fields.length === 0) {
    await recordAudit(ctx, { action: 'organisation.update', outcome: 'success', detail: { organisationId, fields: '' } });
    return current;
  }
  try {
    await ctx.deps.atomic([
      ctx.deps.db.update(organisations).set(set).where(eq(organisations.id, organisationId)),
      auditStatement(ctx, { action: 'organisation.update', outcome: 'success', detail: { organisationId, fields: fields.join(',') } }),
    ]);
  } catch (error) {
    // Two admins giving two organisations one name at the same moment: the unique index decides.
    if (set.name && error instanceof Error && /UNIQUE/i.test(`${error.message} ${(error as { cause?: Error }).cause?.message ?? ''}`))
      throw new ServiceError('conflict', 'An organisation with this name already exists.', { name: ['already in use'] });
    throw error;
  }
  return { ...current, ...set } as OrganisationSummary;
}
