/** Reading an organisation's own registrations. Archived ones are visible to no one. */
import { isState } from '../db/constant.ts';
import { authorize } from '../auth/permissions.ts';
import { and, desc, eq, isNull, lte, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.ts';
import { actorOrganisation, type Ctx } from '../context.ts';
import { matchMembers, registrations } from '../db/schema.ts';
import { readPlan, readTemplate, runReadPlans, type ReadPlan } from '../db/template.ts';
import { Id } from '../identity/ids.ts';
import { audited, parseInput, ServiceError } from '../lib/errors.ts';
import { addDays, isoDate } from '../lib/dates.ts';
import { INFORM_WITHIN_DAYS } from './record-informed.ts';
import { findOwnRegistration, ownerScope, toView, viewColumns, type RegistrationView, type ViewRow } from './registration-dto.ts';
import { REGISTRATION_FILTERS, type RegistrationFilter } from '../vocabulary.ts';

/** `ending_soon`: active and ending within this many days. */
export const ENDING_SOON_DAYS = 60;

export const ListRegistrationsInput = z.strictObject({
  /** `not_informed`: active, nobody recorded as informed, registered over 14 days ago. */
  status: z.enum(REGISTRATION_FILTERS).default('active'),
  /** A number; coerced, because the API takes it from a query string. */
  limit: z.coerce.number<number>().int().min(1).max(100).default(50),
  /** Opaque: `nextCursor` of the page before. */
  cursor: z.string().max(200).optional(),
});

interface Cursor {
  at: number;
  id: string;
}

function encodeCursor(c: Cursor): string {
  return btoa(JSON.stringify(c)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

function decodeCursor(value: string): Cursor {
  try {
    const parsed = JSON.parse(atob(value.replace(/-/g, '+').replace(/_/g, '/'))) as Cursor;
    if (typeof parsed.at === 'number' && typeof parsed.id === 'string') return parsed;
  } catch {
    // fall through
  }
  throw new ServiceError('invalid_input', 'Ongeldige cursor.', { cursor: ['Ongeldige cursor.'] });
}

/** The actor's own registrations (ownerScope); only an organisation has any to see. */
function ownerOf(ctx: Ctx): { organisationId: string; professionalId: string | null } {
  const scope = ownerScope(ctx.actor);
  if (typeof scope === 'string' || !actorOrganisation(ctx.actor)) throw new ServiceError('forbidden', 'Alleen een organisatie kan haar registraties zien.');
  return scope;
}

type ListValues = {
  organisationId: string;
  professionalId: string;
  /** `ending_soon`: the last end date that counts. */
  endingBy: string;
  /** `not_informed`: registered before this instant (epoch ms). */
  informedBefore: number;
  /** The cursor's instant (epoch ms) and id. */
  cursorAt: number;
  cursorId: string;
  limit: number;
};

/**
 * The list's query, one per shape (whose, which filter, with or without a cursor), each
 * built once (src/db/template.ts): drizzle building the query had cost more than SQLite
 * running it (docs/benchmarks.md). Instants are compared as epoch milliseconds in raw SQL,
 * the way the column stores them.
 */
const listTemplates = new Map<string, ReturnType<typeof buildListTemplate>>();

function listTemplate(owner: 'professional' | 'organisation', status: RegistrationFilter, withCursor: boolean) {
  const key = `${owner}:${status}:${withCursor}`;
  let template = listTemplates.get(key);
  if (!template) {
    template = buildListTemplate(owner, status, withCursor);
    listTemplates.set(key, template);
  }
  return template;
}

function buildListTemplate(owner: 'professional' | 'organisation', status: RegistrationFilter, withCursor: boolean) {
  return readTemplate<ListValues, ViewRow>((db, value) =>
    db
      .select(viewColumns)
      .from(registrations)
      .leftJoin(matchMembers, and(eq(matchMembers.registrationId, registrations.id), isNull(matchMembers.leftAt)))
      .where(
        and(
          // ownerScope (registration-dto.ts): a professional sees their own, an API client its organisation's.
          eq(registrations.organisationId, value('organisationId')),
          owner === 'professional' ? eq(registrations.professionalId, value('professionalId')) : undefined,
          isState(registrations.status, 'active'),
          status === 'ending_soon' ? lte(registrations.endsOn, value('endingBy')) : undefined,
          status === 'not_informed' ? and(isNull(registrations.informedOn), sql`${registrations.registeredAt} < ${value('informedBefore')}`) : undefined,
          withCursor
            ? or(
                sql`${registrations.registeredAt} < ${value('cursorAt')}`,
                and(sql`${registrations.registeredAt} = ${value('cursorAt')}`, sql`${registrations.id} < ${value('cursorId')}`),
              )
            : undefined,
        ),
      )
      .orderBy(desc(registrations.registeredAt), desc(registrations.id))
      .limit(value('limit')),
  );
}

export async function listRegistrations(
  ctx: Ctx,
  input: z.input<typeof ListRegistrationsInput>,
): Promise<{ items: RegistrationView[]; nextCursor: string | null }> {
  const [list] = await runReadPlans(ctx.deps.db, [await planRegistrations(ctx, input)] as const);
  return list;
}

/** listRegistrations as a plan, for a page that reads it together with other lists (src/db/template.ts). */
export async function planRegistrations(
  ctx: Ctx,
  input: z.input<typeof ListRegistrationsInput>,
): Promise<ReadPlan<{ items: RegistrationView[]; nextCursor: string | null }>> {
  const query = parseInput(ListRegistrationsInput, input);
  await authorize(ctx, 'register', 'registration.list');
  const owner = ownerOf(ctx);
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const now = ctx.deps.clock.now();
  const template = listTemplate(owner.professionalId ? 'professional' : 'organisation', query.status, cursor !== null);
  const values = {
    organisationId: owner.organisationId,
    professionalId: owner.professionalId ?? '',
    endingBy: addDays(isoDate(now), ENDING_SOON_DAYS),
    informedBefore: now.getTime() - INFORM_WITHIN_DAYS * 86_400_000,
    cursorAt: cursor?.at ?? 0,
    cursorId: cursor?.id ?? '',
    limit: query.limit + 1,
  };
  return readPlan([[template, values]] as const, async ([rows]) => {
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    // Which registrations were shown, so "who viewed registration X" can be answered.
    await recordAudit(ctx, {
      action: 'registration.list',
      outcome: 'success',
      detail: { status: query.status, count: page.length, registrationIds: page.map((r) => r.id).join(',') },
    });
    return {
      items: page.map((r) => toView(r, r.matchId ?? null)),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.registeredAt.getTime(), id: last.id }) : null,
    };
  });
}

export const GetRegistrationInput = z.strictObject({ registrationId: Id });

export async function getRegistration(ctx: Ctx, input: z.input<typeof GetRegistrationInput>): Promise<RegistrationView> {
  const { registrationId: id } = parseInput(GetRegistrationInput, input);
  await authorize(ctx, 'register', 'registration.read');
  ownerOf(ctx);
  const view = await findOwnRegistration(ctx.deps.db, id, ctx.actor);
  // Another organisation's registration is "not found", never "forbidden": no oracle.
  await recordAudit(ctx, { action: 'registration.read', outcome: view ? 'success' : 'not_found', registrationId: id, matchId: view?.matchId ?? null });
  if (!view) throw audited(new ServiceError('not_found', 'Registratie niet gevonden.'));
  return view;
}
