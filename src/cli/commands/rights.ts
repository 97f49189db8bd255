/**
 * The rights desk on the command line, reading only: the requests, one request, and a
 * request's audit trail (the auditor's way to a young person's trail). Opening a request
 * takes a BSN, which a command line would leave in the shell's history: that is the web
 * page's (/loket), never the CLI's. Every command is audited under the operator.
 */
import { z } from 'zod';
import { type RightsRequestSummary, getRightsRequest, listRightsRequests, RightsRequestIdInput } from '../../rights/requests.ts';
import { requestAuditTrail, RequestTrailInput } from '../../rights/trail.ts';
import { type CommandSet, verb } from '../command.ts';
import { optionNames } from './directory.ts';

function line(r: RightsRequestSummary): string {
  return `${r.id}  ${r.kind.padEnd(10)}  ${r.status.padEnd(17)}  ${r.reference}  received ${r.receivedOn}  deadline ${r.deadlineOn}${r.deadlineExtended ? ' (extended)' : ''}  ${r.items} registration(s)`;
}

export const rightsCommands: CommandSet = {
  usage: `  rights list                                                    requests to settle (by deadline) and the latest settled
  rights show --id <request id>                                  one request with its registrations, advice and decisions
  rights trail --id <request id>                                 the audit trail of a request and its registrations (newest first)
                                                                 (opening, deciding and approving requests: /loket, never the CLI)`,
  commands: {
    'rights list': verb(
      z.strictObject({}),
      () => ({}),
      async (ctx) => {
        const { pending, settled } = await listRightsRequests(ctx);
        const text = ['To settle:', ...pending.map(line), `${pending.length} request(s)`, '', 'Latest settled:', ...settled.map(line)].join('\n');
        return { json: { pending, settled }, text };
      },
    ),
    'rights show': optionNames(
      verb(
        RightsRequestIdInput,
        (o) => ({ requestId: o.id }),
        async (ctx, input) => {
          const request = await getRightsRequest(ctx, input);
          const items = request.items.map(
            (i) =>
              `  ${i.registrationId}  ${i.organisationName}  ${i.status ?? 'gone'}  advice ${i.advice ?? '-'}  decision ${i.decision ?? '-'}${i.executedAt ? '  executed' : ''}`,
          );
          const text = [
            `${request.id}  ${request.kind}  ${request.status}  ${request.reference}  received ${request.receivedOn}  deadline ${request.deadlineOn}`,
            ...items,
          ].join('\n');
          return { json: { ...request }, text };
        },
      ),
      { requestId: 'id' },
    ),
    'rights trail': optionNames(
      verb(
        RequestTrailInput,
        (o) => ({ requestId: o.id }),
        async (ctx, input) => {
          const trail = await requestAuditTrail(ctx, input);
          const text = [
            ...trail.events.map(
              (e) => `${e.seq}  ${e.at.toISOString()}  ${e.action}  ${e.outcome}  ${e.actorType}:${e.actorId ?? ''}  ${e.registrationId ?? ''}`,
            ),
            `${trail.events.length} event(s)${trail.truncated ? ' (more exist: search the trail by registration id)' : ''}`,
          ].join('\n');
          return { json: { ...trail }, text };
        },
      ),
      { requestId: 'id' },
    ),
  },
};
