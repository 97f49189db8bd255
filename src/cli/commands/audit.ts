/** The audit trail: verify the chain, anchor its head, search and export it. */
import { anchorAuditChain, sealAuditChain, verifyAuditChain } from '../../audit/chain.ts';
import { exportAuditCsv, filterProblems, searchAudit } from '../../audit/search.ts';
import type { Deps } from '../../deps.ts';
import { ServiceError } from '../../lib/errors.ts';
import { type Command, type CommandSet, type Options, UsageError } from '../command.ts';

/** The deployment's own sealing and anchoring intervals, as the jobs use them (ADR 0009). */
export function auditTiming(deps: Deps) {
  return { now: deps.clock.now(), graceMs: deps.config.AUDIT_SEAL_GRACE_SECONDS * 1000, anchorMs: deps.config.AUDIT_ANCHOR_SECONDS * 1000 };
}

/** The filter options as the verbs' input (the verbs validate them; so do we, before opening a database). */
function filterInput(o: Options, withLimit: boolean): Record<string, string | undefined> {
  const input: Record<string, string | undefined> = {
    from: o.from,
    to: o.to,
    actor: o.actor,
    organisation: o.org,
    role: o.role?.join(','),
    action: o.action,
    outcome: o.outcome,
    registration: o.registration,
    match: o.match,
    person: o.person,
    request: o.request,
    cursor: o.cursor,
    ...(withLimit ? { limit: o.limit } : {}),
  };
  for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
  const { errors } = filterProblems(input);
  if (errors) {
    // Messages per option; a refused value is never printed back.
    const named = Object.fromEntries(Object.entries(errors).map(([key, messages]) => [key === 'organisation' ? 'org' : key, messages]));
    throw new ServiceError('invalid_input', 'Invalid filter', named);
  }
  return input;
}

const FILTER_USAGE = '[--from YYYY-MM-DD] [--to YYYY-MM-DD] [--actor <id|name>] [--org <id>] [--role <role>] [--action <a.b>] [--outcome <o>]';
const FILTER_USAGE_2 = '[--registration <id>] [--match <id>] [--person <id>] [--request <id>] [--cursor <c>]';

const search: Command = (o) => {
  const input = filterInput(o, true);
  return async (ctx) => {
    const { events, next, filter } = await searchAudit(ctx, input);
    const lines = events.map(
      (e) => `${String(e.seq).padStart(8)}  ${e.at.toISOString()}  ${e.action.padEnd(28)} ${e.outcome.padEnd(9)} ${e.actorType}:${e.actorId ?? '-'}`,
    );
    const more = next ? `\nMore: add --cursor ${next}` : '';
    return {
      json: { events: events.map((e) => ({ ...e, at: e.at.toISOString() })), next, filter },
      text: `${events.length} event(s), newest first\n${lines.join('\n')}${more}`,
    };
  };
};

const exportCsv: Command = (o) => {
  if (!o.csv) throw new UsageError('audit export writes CSV: add --csv');
  const input = filterInput(o, false);
  return async (ctx) => {
    // The whole filter, page by page: the CLI writes the CSV to stdout as it is read, never all in memory.
    const { stream } = await exportAuditCsv(ctx, input, { maxRows: Number.POSITIVE_INFINITY });
    return { json: {}, text: '', stream };
  };
};

export const auditCommands: CommandSet = {
  usage: `  audit verify                                                   checks the keyed audit chain and its latest anchor
  audit anchor                                                   seals the audit chain and anchors its head now
  audit search ${FILTER_USAGE}
               ${FILTER_USAGE_2} [--limit 1-500]
                                                                 searches the trail, newest first, 50 a page (audited)
  audit export --csv [the same filters]                          the filter as CSV on stdout, streamed (audited)`,
  readOnly: ['audit verify'],
  commands: {
    'audit verify': () => async (ctx) => {
      const { db, auditKeys, auditAnchors } = ctx.deps;
      const started = performance.now();
      const result = await verifyAuditChain(db, auditKeys, { anchors: auditAnchors, ...auditTiming(ctx.deps) });
      const ms = Math.round(performance.now() - started);
      const head = result.head ? `head seq ${result.head.seq}` : 'nothing sealed yet';
      ctx.deps.log(result.ok ? 'info' : 'error', 'audit chain checked', {
        ok: result.ok,
        checked: result.checked,
        sealed: result.sealed,
        headSeq: result.head?.seq ?? null,
        anchorSeq: result.anchor?.seq ?? null,
        brokenAt: result.brokenAt,
        ms,
      });
      if (!result.ok)
        throw new ServiceError('conflict', `Audit trail fails at seq ${result.brokenAt}: ${result.reason} (checked ${result.checked} events in ${ms} ms)`);
      const anchored = result.anchor ? `; matches the anchor of ${result.anchor.at} (seq ${result.anchor.seq})` : '; no anchor yet';
      return {
        json: { ...result },
        text: `Audit trail intact (${result.checked} events, ${result.sealed} sealed, ${head}${anchored}); checked ${result.checked} events in ${ms} ms`,
      };
    },
    'audit anchor': () => async (ctx) => {
      const { db, atomic, auditKeys, auditAnchors, clock } = ctx.deps;
      const timing = auditTiming(ctx.deps);
      await sealAuditChain(db, atomic, auditKeys, timing);
      const anchor = await anchorAuditChain(db, auditKeys, auditAnchors, clock.now(), timing);
      if (!anchor) return { json: { anchor: null }, text: 'Nothing sealed yet: no anchor written.' };
      return { json: { anchor, where: auditAnchors.where }, text: `Anchored seq ${anchor.seq} at ${anchor.at} to ${auditAnchors.where}` };
    },
    'audit search': search,
    'audit export': exportCsv,
  },
};
