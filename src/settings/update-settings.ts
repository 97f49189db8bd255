/**
 * The municipal admin reads and changes the follow-up settings (docs/operations.md,
 * "Deadlines" and "Coordination rules"): the deadlines in working days and the coordination
 * rules. One row (SETTINGS_ID) is upserted; "Standaardwaarden herstellen" empties its
 * columns so the environment's defaults and DEFAULT_RULES apply again. Reading and every
 * change are audited, the change with the changed fields (numbers and sector codes only).
 */
import { z } from 'zod';
import { recordAudit, auditStatement } from '../audit/audit.ts';
import { authorize } from '../auth/permissions.ts';
import type { Ctx } from '../context.ts';
import { municipalitySettings } from '../db/schema.ts';
import { parseInput } from '../lib/errors.ts';
import { SECTORS, type Sector } from '../vocabulary.ts';
import { DEFAULT_RULES, readSettings, SETTINGS_ID, type FollowUpSettings } from './settings.ts';

export interface SettingsView {
  current: FollowUpSettings;
  /** What applies when the admin sets nothing: the environment's deadlines and the default rules. */
  defaults: FollowUpSettings;
}

function defaultsOf(ctx: Ctx): FollowUpSettings {
  const { config } = ctx.deps;
  return { contactDays: config.CONTACT_DAYS, coordinatorDays: config.COORDINATOR_DAYS, escalationDays: config.ESCALATION_DAYS, ...DEFAULT_RULES };
}

export async function viewSettings(ctx: Ctx): Promise<SettingsView> {
  await authorize(ctx, 'beheer', 'settings.view');
  const current = await readSettings(ctx.deps.db, ctx.deps.config);
  await recordAudit(ctx, { action: 'settings.view', outcome: 'success' });
  return { current, defaults: defaultsOf(ctx) };
}

const days = (max: number) =>
  z
    .number({ error: 'Vul een heel aantal werkdagen in.' })
    .int('Vul een heel aantal werkdagen in.')
    .min(1, 'Minstens 1 werkdag.')
    .max(max, `Hoogstens ${max} werkdagen.`);

const SectorList = (what: string) =>
  z
    .array(z.enum(SECTORS, { error: 'Onbekende sector.' }))
    .max(SECTORS.length)
    .refine((list) => new Set(list).size === list.length, `Elke sector komt één keer voor in ${what}.`);

export const UpdateSettingsInput = z
  .strictObject({
    contactDays: days(60),
    coordinatorDays: days(60),
    escalationDays: days(90),
    /** Sectors in order of preference for coordination; the others follow in the usual order. */
    coordinatorSectors: SectorList('de volgorde'),
    /** Sectors that may signal but not coordinate. */
    signalOnlySectors: SectorList('de lijst'),
  })
  .superRefine((s, issues) => {
    if (s.coordinatorDays < s.contactDays) {
      issues.addIssue({ code: 'custom', path: ['coordinatorDays'], message: 'De termijn voor de regie is minstens zo lang als die voor het contact.' });
    }
    if (s.escalationDays < s.coordinatorDays) {
      issues.addIssue({ code: 'custom', path: ['escalationDays'], message: 'De termijn voor de matchmonitor is minstens zo lang als die voor de regie.' });
    }
    if (new Set(s.signalOnlySectors).size === SECTORS.length) {
      issues.addIssue({ code: 'custom', path: ['signalOnlySectors'], message: 'Minstens één sector moet de regie mogen voeren.' });
    }
  });

const FIELDS = ['contactDays', 'coordinatorDays', 'escalationDays', 'coordinatorSectors', 'signalOnlySectors'] as const;

/** The changed fields for the audit detail: numbers, and sector codes comma-separated. */
function changedFields(before: FollowUpSettings, after: FollowUpSettings): Record<string, number | string> {
  const changed: Record<string, number | string> = {};
  for (const field of FIELDS) {
    const value: number | readonly Sector[] = after[field];
    if (JSON.stringify(before[field]) !== JSON.stringify(value)) changed[field] = typeof value === 'number' ? value : value.join(',');
  }
  return changed;
}

export async function updateSettings(ctx: Ctx, input: z.input<typeof UpdateSettingsInput>): Promise<FollowUpSettings> {
  const values = parseInput(UpdateSettingsInput, input);
  await authorize(ctx, 'beheer', 'settings.update');
  const { db, clock, config, atomic } = ctx.deps;
  const before = await readSettings(db, config);
  const row = { ...values, updatedAt: clock.now(), updatedBy: ctx.actor.id };
  await atomic([
    db
      .insert(municipalitySettings)
      .values({ id: SETTINGS_ID, ...row })
      .onConflictDoUpdate({ target: municipalitySettings.id, set: row }),
    auditStatement(ctx, { action: 'settings.update', outcome: 'success', detail: changedFields(before, values) }),
  ]);
  return values;
}

export const ResetSettingsInput = z.strictObject({});

/** "Standaardwaarden herstellen": every column empty, so the defaults apply again. */
export async function resetSettings(ctx: Ctx, input: z.input<typeof ResetSettingsInput> = {}): Promise<FollowUpSettings> {
  parseInput(ResetSettingsInput, input);
  await authorize(ctx, 'beheer', 'settings.update');
  const { db, clock, config, atomic } = ctx.deps;
  const before = await readSettings(db, config);
  const row = {
    contactDays: null,
    coordinatorDays: null,
    escalationDays: null,
    coordinatorSectors: null,
    signalOnlySectors: null,
    updatedAt: clock.now(),
    updatedBy: ctx.actor.id,
  };
  const defaults = defaultsOf(ctx);
  await atomic([
    db
      .insert(municipalitySettings)
      .values({ id: SETTINGS_ID, ...row })
      .onConflictDoUpdate({ target: municipalitySettings.id, set: row }),
    auditStatement(ctx, { action: 'settings.update', outcome: 'success', detail: { reset: true, ...changedFields(before, defaults) } }),
  ]);
  return defaults;
}
