/** The audit trail: verify the chain, anchor its head. */
import { anchorAuditChain, sealAuditChain, verifyAuditChain } from '../../audit/chain.ts';
import type { Deps } from '../../deps.ts';
import { ServiceError } from '../../lib/errors.ts';
import type { CommandSet } from '../command.ts';

/** The deployment's own sealing and anchoring intervals, as the jobs use them (ADR 0009). */
export function auditTiming(deps: Deps) {
  return { now: deps.clock.now(), graceMs: deps.config.AUDIT_SEAL_GRACE_SECONDS * 1000, anchorMs: deps.config.AUDIT_ANCHOR_SECONDS * 1000 };
}

export const auditCommands: CommandSet = {
  usage: `  audit verify                                                   checks the keyed audit chain and its latest anchor
  audit anchor                                                   seals the audit chain and anchors its head now`,
  readOnly: ['audit verify'],
  commands: {
    'audit verify': () => async (ctx) => {
      const { db, auditKeys, auditAnchors } = ctx.deps;
      const result = await verifyAuditChain(db, auditKeys, { anchors: auditAnchors, ...auditTiming(ctx.deps) });
      if (!result.ok) throw new ServiceError('conflict', `Audit trail fails at seq ${result.brokenAt}: ${result.reason}`);
      const anchored = result.anchor ? `; matches the anchor of ${result.anchor.at} (seq ${result.anchor.seq})` : '; no anchor yet';
      return { json: { ...result }, text: `Audit trail intact (${result.checked} events, ${result.sealed} sealed${anchored})` };
    },
    'audit anchor': () => async (ctx) => {
      const { db, atomic, auditKeys, auditAnchors, clock } = ctx.deps;
      const timing = auditTiming(ctx.deps);
      await sealAuditChain(db, atomic, auditKeys, timing);
      const anchor = await anchorAuditChain(db, auditKeys, auditAnchors, clock.now(), timing);
      if (!anchor) return { json: { anchor: null }, text: 'Nothing sealed yet: no anchor written.' };
      return { json: { anchor, where: auditAnchors.where }, text: `Anchored seq ${anchor.seq} at ${anchor.at} to ${auditAnchors.where}` };
    },
  },
};
