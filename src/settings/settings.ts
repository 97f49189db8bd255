/**
 * The municipality's follow-up settings: the deadlines in working days and the coordination
 * rules (docs/operations.md, "Deadlines" and "Coordination rules"). Stored in one row the
 * municipal admin edits; a column left empty falls back to the environment's default (the
 * deadlines) or to DEFAULT_RULES below. Read by the match page, the follow-up job and the
 * statistics.
 */
import { eq } from 'drizzle-orm';
import { readTemplate } from '../db/template.ts';
import type { Db } from '../db/types.ts';
import { municipalitySettings } from '../db/schema.ts';
import type { Env } from '../env.ts';
import { SECTORS, type Sector } from '../vocabulary.ts';

export const SETTINGS_ID = 'municipality';

export interface FollowUpSettings {
  contactDays: number;
  coordinatorDays: number;
  escalationDays: number;
  /** Sectors in order of preference for coordination; sectors not listed come after, in SECTORS order. */
  coordinatorSectors: Sector[];
  /** Sectors that may signal but never coordinate. */
  signalOnlySectors: Sector[];
}

/** Care before school and police (docs/domain.md, "§7 Follow-up: contact and regie"): a common regional rule. */
export const DEFAULT_RULES: Pick<FollowUpSettings, 'coordinatorSectors' | 'signalOnlySectors'> = {
  coordinatorSectors: ['safe_home', 'youth_care', 'district_team', 'mental_health', 'youth_health', 'general_practice', 'justice', 'social_support'],
  signalOnlySectors: ['education', 'police'],
};

function sectors(value: unknown): Sector[] | null {
  return Array.isArray(value) ? value.filter((s): s is Sector => (SECTORS as readonly string[]).includes(s)) : null;
}

type SettingsDefaults = Pick<Env, 'CONTACT_DAYS' | 'COORDINATOR_DAYS' | 'ESCALATION_DAYS'>;

/** The settings row, if the admin saved one: a read to run beside others (`readTogether`, src/db/template.ts). */
export const settingsRows = readTemplate<Record<string, never>, typeof municipalitySettings.$inferSelect>((db) =>
  db.select().from(municipalitySettings).where(eq(municipalitySettings.id, SETTINGS_ID)),
);

export async function readSettings(db: Db, config: SettingsDefaults): Promise<FollowUpSettings> {
  return settingsFrom(await settingsRows(db, {}), config);
}

/** The settings from the rows of `settingsRows`, each empty column its default. */
export function settingsFrom(rows: readonly (typeof municipalitySettings.$inferSelect)[], config: SettingsDefaults): FollowUpSettings {
  const row = rows[0];
  return {
    contactDays: row?.contactDays ?? config.CONTACT_DAYS,
    coordinatorDays: row?.coordinatorDays ?? config.COORDINATOR_DAYS,
    escalationDays: row?.escalationDays ?? config.ESCALATION_DAYS,
    coordinatorSectors: sectors(row?.coordinatorSectors) ?? DEFAULT_RULES.coordinatorSectors,
    signalOnlySectors: sectors(row?.signalOnlySectors) ?? DEFAULT_RULES.signalOnlySectors,
  };
}

export function mayCoordinate(settings: Pick<FollowUpSettings, 'signalOnlySectors'>, sector: Sector): boolean {
  return !settings.signalOnlySectors.includes(sector);
}

/**
 * The member the rules suggest as coordinator: the first eligible sector in the order of
 * preference, then the earliest to join (joinedSeq, then registration id for a stable
 * choice). Null when no member may coordinate.
 */
export function suggestCoordinator<M extends { sector: Sector; joinedSeq: number; registrationId: string }>(
  settings: Pick<FollowUpSettings, 'coordinatorSectors' | 'signalOnlySectors'>,
  members: readonly M[],
): M | null {
  const rank = (s: Sector) => {
    const i = settings.coordinatorSectors.indexOf(s);
    return i >= 0 ? i : settings.coordinatorSectors.length + SECTORS.indexOf(s);
  };
  const eligible = members.filter((m) => mayCoordinate(settings, m.sector));
  eligible.sort((a, b) => rank(a.sector) - rank(b.sector) || a.joinedSeq - b.joinedSeq || a.registrationId.localeCompare(b.registrationId));
  return eligible[0] ?? null;
}
