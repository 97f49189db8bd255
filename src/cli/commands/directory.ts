/** Organisations and API clients (docs/operations.md, "The beheer console"). */
import { SetApiClientRateLimitInput, setApiClientRateLimit } from '../../auth/api-token.ts';
import { CreateApiClientInput, CreateOrganisationInput, createApiClient, createOrganisation } from '../../directory/directory.ts';
import { SECTORS } from '../../vocabulary.ts';
import { type CommandSet, verb } from '../command.ts';

export const directoryCommands: CommandSet = {
  usage: `  org create --name <name> --sector <${SECTORS.join('|')}>
  api-client create --org <organisation id> --name <name> [--rate-limit <requests per minute>]
                                                                 prints the token once
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
