/** People: professionals and coordinators of organisations, and the municipality's staff. */
import { CreatePersonInput, createPerson } from '../../directory/directory.ts';
import {
  changeRoles,
  deactivatePerson,
  getPerson,
  ListPeopleInput,
  listPeople,
  type PersonView,
  PersonIdInput,
  reactivatePerson,
  reinvitePerson,
  resetSecondFactor,
  UpdatePersonInput,
  updatePerson,
} from '../../directory/people.ts';
import { RolesInput } from '../../directory/roles.ts';
import { MUNICIPAL_ROLES, ROLES } from '../../vocabulary.ts';
import { type CommandSet, type Options, roleList, UsageError, verb } from '../command.ts';

/** `--active yes|no`; anything else is passed on for the schema to refuse. */
function activeOption(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  return value === 'yes' ? true : value === 'no' ? false : value;
}

function limitOption(value: string | undefined): unknown {
  return value === undefined ? undefined : /^\d+$/.test(value) ? Number(value) : value;
}

/** A person as the CLI prints it (no secrets: no password or second-factor data, only whether they are set). */
function personJson(p: PersonView) {
  return {
    id: p.id,
    name: p.name,
    email: p.email,
    phone: p.phone,
    organisationId: p.organisationId,
    organisationName: p.organisationName,
    roles: p.roles,
    active: p.active,
    deactivatedAt: p.deactivatedAt?.toISOString() ?? null,
    lastLoginAt: p.lastLoginAt?.toISOString() ?? null,
    createdAt: p.createdAt.toISOString(),
    activated: p.activated,
    hasSecondFactor: p.hasSecondFactor,
    activeRegistrations: p.activeRegistrations,
  };
}

function personLine(p: PersonView): string {
  const status = p.active ? (p.activated ? 'active' : 'invited') : 'deactivated';
  return `${p.id}  ${p.name} <${p.email}>  ${p.organisationName ?? 'municipality'}  ${p.roles.join(',')}  ${status}  last login ${p.lastLoginAt?.toISOString() ?? 'never'}`;
}

/** `--org` or its long form `--organisation`; both, naming different organisations, is a mistake. */
function organisationOption(o: Options): string | undefined {
  if (o.org !== undefined && o.organisation !== undefined && o.org !== o.organisation) {
    throw new UsageError('--org and --organisation name different organisations: give one');
  }
  return o.org ?? o.organisation;
}

const EditInput = UpdatePersonInput.extend({ roles: RolesInput.optional() });
const byId = (o: Options) => ({ professionalId: o.id });

export const peopleCommands: CommandSet = {
  usage: `  professional create --org <organisation id> --name <name> --email <email> [--phone <phone>] [--role professional,organisation_coordinator]
  user create --role <${MUNICIPAL_ROLES.join('|')}>[,…] --name <name> --email <email> [--phone <phone>]
                                                                 the municipality's staff (how the first admin is made)
  professional list [--org|--organisation <organisation id>] [--role <${ROLES.join('|')}>] [--active yes|no] [--search <text>] [--cursor <c>] [--limit <n>]
                                                                 people by name (all organisations and the municipality's staff);
                                                                 never a client: no BSN, pseudonym or registration
  professional show --id <person id>
  professional edit --id <person id> [--name <name>] [--email <email>] [--phone <phone>] [--role <role>[,…]]
                                                                 --role replaces the roles
  professional deactivate --id <person id>                       no login, sessions end; registrations stay until transferred
  professional reactivate --id <person id>
  professional reset-2fa --id <person id>                        lost phone: enrols again at the next login (mailed)
  professional reinvite --id <person id>                         a new invitation link (only before activation)`,
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
    'professional list': verb(
      ListPeopleInput,
      (o) => ({
        organisationId: organisationOption(o),
        role: roleList(o.role)?.[0],
        active: activeOption(o.active),
        search: o.search,
        cursor: o.cursor,
        limit: limitOption(o.limit),
      }),
      async (ctx, input) => {
        const page = await listPeople(ctx, input);
        return {
          json: { items: page.items.map(personJson), total: page.total, nextCursor: page.nextCursor },
          text: [
            ...page.items.map(personLine),
            `${page.items.length} of ${page.total}${page.nextCursor ? `; next page: --cursor ${page.nextCursor}` : ''}`,
          ].join('\n'),
        };
      },
    ),
    'professional show': verb(PersonIdInput, byId, async (ctx, input) => {
      const person = await getPerson(ctx, input);
      return { json: personJson(person), text: personLine(person) };
    }),
    'professional edit': verb(
      EditInput,
      (o) => ({ professionalId: o.id, name: o.name, email: o.email, phone: o.phone, roles: roleList(o.role) }),
      async (ctx, { roles, ...details }) => {
        const { changed } = await updatePerson(ctx, details);
        if (roles) await changeRoles(ctx, { professionalId: details.professionalId, roles });
        const person = await getPerson(ctx, { professionalId: details.professionalId });
        return {
          json: { ...personJson(person), changed: [...changed, ...(roles ? ['roles'] : [])] },
          text: `Saved: ${personLine(person)}`,
        };
      },
    ),
    'professional deactivate': verb(PersonIdInput, byId, async (ctx, input) => {
      const { changed, activeRegistrations } = await deactivatePerson(ctx, input);
      return {
        json: { id: input.professionalId, active: false, changed, activeRegistrations },
        text: `${changed ? 'Deactivated' : 'Already deactivated'}: ${input.professionalId}; sessions ended.${
          activeRegistrations > 0 ? ` ${activeRegistrations} active registration(s) stay until transferred or ended.` : ''
        }`,
      };
    }),
    'professional reactivate': verb(PersonIdInput, byId, async (ctx, input) => {
      const { changed } = await reactivatePerson(ctx, input);
      return { json: { id: input.professionalId, active: true, changed }, text: `${changed ? 'Reactivated' : 'Already active'}: ${input.professionalId}` };
    }),
    'professional reset-2fa': verb(PersonIdInput, byId, async (ctx, input) => {
      await resetSecondFactor(ctx, input);
      return {
        json: { id: input.professionalId, secondFactorReset: true },
        text: `Second factor reset for ${input.professionalId}: sessions ended, mailed; they enrol again at the next login.`,
      };
    }),
    'professional reinvite': verb(PersonIdInput, byId, async (ctx, input) => {
      await reinvitePerson(ctx, input);
      return { json: { id: input.professionalId, invited: true }, text: `Invitation sent again to ${input.professionalId}; earlier links no longer work.` };
    }),
  },
};
