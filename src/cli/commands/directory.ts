/** Organisations and API clients (docs/operations.md, "The beheer console"). */
import { SetApiClientRateLimitInput, setApiClientRateLimit } from '../../auth/api-token.ts';
import { ListApiClientsInput, listApiClients, RevokeApiClientInput, revokeApiClient } from '../../directory/api-clients.ts';
import { DeactivateOrganisationInput, deactivateOrganisation } from '../../directory/deactivate-organisation.ts';
import { CreateApiClientInput, CreateOrganisationInput, createApiClient, createOrganisation } from '../../directory/directory.ts';
import {
  GetOrganisationInput,
  getOrganisation,
  ListOrganisationsInput,
  listOrganisations,
  UpdateOrganisationInput,
  updateOrganisation,
} from '../../directory/organisations.ts';
import { ServiceError } from '../../lib/errors.ts';
import { CHOOSABLE_END_REASONS, CONVENANT_STATUSES, SECTORS } from '../../vocabulary.ts';
import { type Command, type CommandSet, type Options, verb } from '../command.ts';

/**
 * The command with its input fields named as its options in error messages (`--id` where the
 * verb says organisationId): cli.ts names the option of each refused field.
 */
export function optionNames(command: Command, names: Record<string, string>): Command {
  const rename = (error: unknown) => {
    if (!(error instanceof ServiceError) || !error.fields) return error;
    const fields = Object.fromEntries(Object.entries(error.fields).map(([field, messages]) => [names[field] ?? field, messages]));
    const renamed = new ServiceError(error.code, error.message, fields);
    renamed.audited = error.audited;
    return renamed;
  };
  return (options) => {
    let run: ReturnType<Command>;
    try {
      run = command(options);
    } catch (error) {
      throw rename(error);
    }
    return async (ctx) => {
      try {
        return await run(ctx);
      } catch (error) {
        throw rename(error);
      }
    };
  };
}

/** `--active yes|no` as a boolean; anything else goes to the verb as given, which refuses it. */
function yesNo(value: string | undefined): boolean | string | undefined {
  return value === 'yes' ? true : value === 'no' ? false : value;
}

/** A number option; anything else goes to the verb as given, which refuses it. */
function numberOption(value: string | undefined): number | string | undefined {
  return value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : value;
}

const date = (value: Date | null) => (value ? value.toISOString() : null);

function editInput(o: Options) {
  return {
    organisationId: o.id,
    ...(o.name !== undefined ? { name: o.name } : {}),
    ...(o.sector !== undefined ? { sector: o.sector } : {}),
    ...(o['convenant-status'] !== undefined ? { convenantStatus: o['convenant-status'] } : {}),
    ...(o['convenant-date'] !== undefined ? { convenantSignedOn: o['convenant-date'] === 'none' ? null : o['convenant-date'] } : {}),
  };
}

const ORG_OPTIONS = {
  organisationId: 'id',
  convenantStatus: 'convenant-status',
  convenantSignedOn: 'convenant-date',
  pageSize: 'limit',
  apiClientId: 'id',
};

export const directoryCommands: CommandSet = {
  usage: `  org create --name <name> --sector <${SECTORS.join('|')}>
  org list [--search <part of the name>] [--sector <sector>] [--active yes|no] [--limit <n>]
                                                                 by name; never the municipality's own row
  org show --id <organisation id>                                details, counts and API clients
  org edit --id <organisation id> [--name <name>] [--sector <sector>]
           [--convenant-status <${CONVENANT_STATUSES.join('|')}>] [--convenant-date <YYYY-MM-DD|none>]
  org deactivate --id <organisation id> --reason <${CHOOSABLE_END_REASONS.join('|')}>
                                                                 at once; ending its active registrations waits for a
                                                                 second admin (resolved archives, unjustified deletes)
  api-client create --org <organisation id> --name <name> [--rate-limit <requests per minute>]
                                                                 prints the token once
  api-client list [--org <organisation id>]                      never a token
  api-client revoke --id <api client id>                         its token is refused from now on
  api-client set-limit --id <api client id> --rate-limit <requests per minute|default>
                                                                 this client's own API limit (default: API_LIMIT_PER_MINUTE)`,
  commands: {
    'org create': verb(
      CreateOrganisationInput,
      (o) => ({ name: o.name, sector: o.sector }),
      async (ctx, input) => {
        const { id } = await createOrganisation(ctx, input);
        return { json: { id }, text: `Organisation created: ${id}` };
      },
    ),
    'org list': optionNames(
      verb(
        ListOrganisationsInput,
        (o) => ({ search: o.search, sector: o.sector, active: yesNo(o.active), pageSize: numberOption(o.limit ?? '1000') }),
        async (ctx, input) => {
          const result = await listOrganisations(ctx, input);
          const items = result.items.map((o) => ({ ...o, createdAt: date(o.createdAt), deactivatedAt: date(o.deactivatedAt) }));
          const lines = result.items.map(
            (o) => `${o.id}  ${o.active ? 'active     ' : 'deactivated'}  ${o.sector.padEnd(16)}  ${o.convenantStatus.padEnd(7)}  ${o.name}`,
          );
          return {
            json: { items, total: result.total },
            text: [...lines, `${result.total} organisation(s)${result.total > items.length ? `, ${items.length} shown` : ''}`].join('\n'),
          };
        },
      ),
      ORG_OPTIONS,
    ),
    'org show': optionNames(
      verb(
        GetOrganisationInput,
        (o) => ({ organisationId: o.id }),
        async (ctx, input) => {
          const o = await getOrganisation(ctx, input);
          const json = {
            ...o,
            createdAt: date(o.createdAt),
            deactivatedAt: date(o.deactivatedAt),
            apiClients: o.apiClients.map((client) => ({ ...client, createdAt: date(client.createdAt) })),
          };
          const text = [
            `${o.name} (${o.id})`,
            `  sector:               ${o.sector}`,
            `  convenant:            ${o.convenantStatus}${o.convenantSignedOn ? `, signed on ${o.convenantSignedOn}` : ''}`,
            `  status:               ${o.active ? 'active' : `deactivated ${date(o.deactivatedAt) ?? ''}`}`,
            `  professionals:        ${o.activeProfessionals} active of ${o.professionals}`,
            `  active registrations: ${o.activeRegistrations}`,
            `  API clients:          ${o.apiClients.length === 0 ? 'none' : ''}`,
            ...o.apiClients.map((client) => `    ${client.id}  ${client.active ? 'active ' : 'revoked'}  ${client.name}`),
          ].join('\n');
          return { json, text };
        },
      ),
      ORG_OPTIONS,
    ),
    'org edit': optionNames(
      verb(UpdateOrganisationInput, editInput, async (ctx, input) => {
        const o = await updateOrganisation(ctx, input);
        return {
          json: { ...o, createdAt: date(o.createdAt), deactivatedAt: date(o.deactivatedAt) },
          text: `Organisation ${o.id}: ${o.name}, ${o.sector}, convenant ${o.convenantStatus}${o.convenantSignedOn ? ` (${o.convenantSignedOn})` : ''}`,
        };
      }),
      ORG_OPTIONS,
    ),
    'org deactivate': optionNames(
      verb(
        DeactivateOrganisationInput,
        (o) => ({ organisationId: o.id, reason: o.reason }),
        async (ctx, input) => {
          const { jobId, total } = await deactivateOrganisation(ctx, input);
          return {
            json: { id: input.organisationId, jobId, total },
            text: jobId
              ? `Organisation ${input.organisationId} deactivated. Ending its ${total} active registration(s) as ${input.reason} waits for a second admin's approval (job ${jobId}).`
              : `Organisation ${input.organisationId} deactivated. It had no active registrations.`,
          };
        },
      ),
      ORG_OPTIONS,
    ),
    'api-client create': verb(
      CreateApiClientInput,
      (o) => ({ organisationId: o.org, name: o.name, rateLimitPerMinute: o['rate-limit'] }),
      async (ctx, input) => {
        const { id, token } = await createApiClient(ctx, input);
        return {
          json: { id, token },
          text: `API client created: ${id}\nToken (shown only now; store it safely):\n${token}`,
        };
      },
    ),
    'api-client list': verb(
      ListApiClientsInput,
      (o) => ({ organisationId: o.org }),
      async (ctx, input) => {
        const clients = await listApiClients(ctx, input);
        return {
          json: { items: clients.map((client) => ({ ...client, createdAt: date(client.createdAt) })) },
          text: [
            ...clients.map(
              (client) =>
                `${client.id}  ${client.active ? 'active ' : 'revoked'}  ${String(client.rateLimitPerMinute ?? 'default').padEnd(7)}  ${client.organisationName}: ${client.name}`,
            ),
            `${clients.length} API client(s)`,
          ].join('\n'),
        };
      },
    ),
    'api-client revoke': optionNames(
      verb(
        RevokeApiClientInput,
        (o) => ({ apiClientId: o.id }),
        async (ctx, input) => {
          const { id, alreadyRevoked } = await revokeApiClient(ctx, input);
          return {
            json: { id, revoked: true, alreadyRevoked },
            text: alreadyRevoked ? `API client ${id} was already revoked.` : `API client ${id} revoked: its token is refused from now on.`,
          };
        },
      ),
      ORG_OPTIONS,
    ),
    'api-client set-limit': verb(
      SetApiClientRateLimitInput,
      (o) => ({ apiClientId: o.id, rateLimitPerMinute: o['rate-limit'] === 'default' ? null : o['rate-limit'] }),
      async (ctx, input) => {
        await setApiClientRateLimit(ctx, input);
        const limit = input.rateLimitPerMinute;
        return {
          json: { id: input.apiClientId, rateLimitPerMinute: limit },
          text: `API client ${input.apiClientId}: ${limit === null ? 'the default limit (API_LIMIT_PER_MINUTE)' : `${limit} requests per minute`}`,
        };
      },
    ),
  },
};
