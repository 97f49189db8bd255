/** People: professionals and coordinators of organisations, and the municipality's staff. */
import { CreatePersonInput, createPerson } from '../../directory/directory.ts';
import { MUNICIPAL_ROLES } from '../../vocabulary.ts';
import { type CommandSet, roleList, verb } from '../command.ts';

export const peopleCommands: CommandSet = {
  usage: `  professional create --org <organisation id> --name <name> --email <email> [--phone <phone>] [--role professional,organisation_coordinator]
  user create --role <${MUNICIPAL_ROLES.join('|')}>[,…] --name <name> --email <email> [--phone <phone>]
                                                                 the municipality's staff (how the first admin is made)`,
  commands: {
    'professional create': verb(
      CreatePersonInput,
      (o) => ({ organisationId: o.org, name: o.name, email: o.email, phone: o.phone, roles: roleList(o.role) }),
      async (ctx, input) => {
        const { id } = await createPerson(ctx, input);
        return { json: { id }, text: `Professional created and invited: ${id}` };
      },
    ),
    'user create': verb(
      CreatePersonInput,
      (o) => ({ name: o.name, email: o.email, phone: o.phone, roles: roleList(o.role) ?? [] }),
      async (ctx, input) => {
        const { id } = await createPerson(ctx, input);
        return { json: { id }, text: `User created and invited: ${id}` };
      },
    ),
  },
};
