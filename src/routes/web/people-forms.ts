/**
 * The people forms' schemas (Dutch messages beside the fields), the verbs' refusals in Dutch,
 * and the coordinator's own organisation: shared by people-pages.tsx and organisation.tsx.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { type FieldErrors, ServiceError } from '../../lib/errors.ts';
import { MUNICIPAL_ROLES, ROLES, type Role } from '../../vocabulary.ts';
import type { FormState, Values } from '../../views/components.tsx';
import type { AppEnv } from '../app-env.ts';
import { auditFailure } from '../http/audit-failure.ts';

const roleBoxes = Object.fromEntries(ROLES.map((role) => [`role-${role}`, z.literal('ja').optional()])) as Record<
  `role-${Role}`,
  z.ZodOptional<z.ZodLiteral<'ja'>>
>;
export const rolesFrom = (data: Record<string, unknown>): Role[] => ROLES.filter((role) => data[`role-${role}`] === 'ja');
const isMunicipal = (role: Role) => (MUNICIPAL_ROLES as readonly Role[]).includes(role);

function checkRoles(roles: Role[], issues: z.RefinementCtx) {
  if (roles.length === 0) issues.addIssue({ code: 'custom', path: ['roles'], message: 'Kies ten minste één rol.' });
  else if (!roles.every(isMunicipal) && roles.some(isMunicipal))
    issues.addIssue({ code: 'custom', path: ['roles'], message: 'Combineer geen rollen van een organisatie met rollen van de gemeente.' });
}

const Details = {
  name: z.string().trim().min(1, 'Vul de naam in.').max(200, 'Hoogstens 200 tekens.'),
  email: z.email({ error: 'Vul een geldig e-mailadres in.' }).max(254, 'Hoogstens 254 tekens.'),
  phone: z.string().trim().max(40, 'Hoogstens 40 tekens.').optional(),
};

export const NewForm = z.object({ ...Details, organisationId: z.string().max(64).optional(), ...roleBoxes }).superRefine((data, issues) => {
  const roles = rolesFrom(data);
  checkRoles(roles, issues);
  if (roles.length === 0) return;
  if (roles.every(isMunicipal) && data.organisationId)
    issues.addIssue({ code: 'custom', path: ['organisationId'], message: 'Medewerkers van de gemeente hebben geen organisatie: kies "Geen".' });
});

export const EditForm = z.object(Details);
export const RolesForm = z.object(roleBoxes).superRefine((data, issues) => checkRoles(rolesFrom(data), issues));

/** A verb's field errors in Dutch (the verbs speak English for the CLI's operator). */
function dutchFields(fields: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [key, messages] of Object.entries(fields)) {
    const message = messages[0] ?? '';
    if (key === 'email') out.email = [message === 'already in use' ? 'Dit e-mailadres is al in gebruik.' : 'Vul een geldig e-mailadres in.'];
    else if (key === 'roles')
      out.roles = [
        message.includes('your own')
          ? 'U kunt deze rol niet bij uzelf intrekken: daarna kunt u dit niet meer beheren.'
          : 'Deze rollen passen niet bij deze persoon.',
      ];
    else if (key === 'organisationId')
      out.organisationId = [
        message.includes('unknown')
          ? 'Deze organisatie bestaat niet of is gedeactiveerd.'
          : 'Kies de organisatie (of "Geen" voor medewerkers van de gemeente).',
      ];
    else out[key] = ['Controleer dit veld.'];
  }
  return out;
}

export type Attempt<T> = { ok: true; value: T } | { ok: false; state: FormState; status: 409 | 422 };

/** Runs a verb behind a form; a refusal with field errors comes back as the form to show again (audited once). */
export async function attempt<T>(c: Context<AppEnv>, values: Values, run: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (!(error instanceof ServiceError) || !error.fields || (error.code !== 'invalid_input' && error.code !== 'conflict')) throw error;
    if (!error.audited) await auditFailure(c, error.code);
    return { ok: false, state: { values, errors: dutchFields(error.fields) }, status: error.code === 'conflict' ? 409 : 422 };
  }
}

/** The coordinator's own organisation (a coordinator always has one; anything else is "not found"). */
export function ownOrganisation(c: Context<AppEnv>): string {
  const id = c.get('session').organisationId;
  if (!id) throw new ServiceError('not_found', 'Niet gevonden.');
  return id;
}
