/**
 * The API's zod schemas. Request schemas are the verbs' own input schemas (beside each verb)
 * with OpenAPI metadata on top, so the document, the API's validation and the verb agree
 * (docs/adr/0007-one-verb-shape.md); path ids are merged into the verb's input by the route.
 */
import { z } from '@hono/zod-openapi';
import { Id } from '../../identity/ids.ts';
import { RecordContactInput, TakeCoordinationInput } from '../../matching/follow-up.ts';
import { END_REASON_ERROR, EndRegistrationInput } from '../../registry/end-registration.ts';
import { ListRegistrationsInput } from '../../registry/read-registrations.ts';
import { RecordInformedInput } from '../../registry/record-informed.ts';
import { CRITERION_ERROR, RegisterInvolvementInput } from '../../registry/register-involvement.ts';
import { CHOOSABLE_END_REASONS, DEATH_REPORT_STATUSES, END_REASONS, INFORM_HOW, INFORM_WHOM, SECTORS } from '../../vocabulary.ts';

/**
 * A domain schema, ready for `.openapi()`. `@hono/zod-openapi` adds that method to zod's
 * prototype when it loads, and zod 4 copies prototype methods onto a schema when the schema
 * is made: one the domain made earlier (a test or entry may import a verb first) lacks it,
 * a clone made now has it. (Schemas derived here, by `.omit` or `.extend`, are made now.)
 */
const fresh = <T extends z.ZodType>(schema: T): T => schema.clone();

const register = RegisterInvolvementInput.shape;

// `.safeExtend`: the input schema has a refinement (checkReference), which `.extend` refuses.
export const RegistrationCreate = RegisterInvolvementInput.safeExtend({
  bsn: fresh(register.bsn).openapi({
    type: 'string',
    description:
      'Burgerservicenummer: 9 digits (8 gets a leading 0), passing the elfproef; spaces and dots between them are ignored. Pseudonymised at once, never stored.',
    example: '123456782',
  }),
  birthDate: fresh(register.birthDate).openapi({ description: 'Checks the age and computes the end date; not stored.', example: '2012-05-17' }),
  professionalEmail: fresh(register.professionalEmail).openapi({ example: 'a.jansen@school.example' }),
  reference: fresh(register.reference).openapi({
    description:
      'Your own case number: letters, digits and - _ . / only, at least one digit, no spaces, at most 40 characters. Never names, content, a BSN or a birth date.',
    example: 'DOS-2026-0042',
  }),
  // The web form asks the same (docs/domain.md, "Who may register"); only checked, never stored.
  criterionConfirmed: z.literal(true, { error: CRITERION_ERROR }).openapi({
    description:
      'The professional confirms a reasonable suspicion that the young person faces a serious risk to growing up safely (Jeugdwet 7.1.3.1). Required; not stored.',
    example: true,
  }),
}).openapi('RegistrationCreate');

export const EarlierInvolvement = z
  .object({
    organisationName: z.string(),
    sector: z.enum(SECTORS),
    professionalName: z.string(),
    email: z.string(),
    phone: z.string().nullable(),
    registeredAt: z.string(),
    endedAt: z.string().nullable(),
  })
  .openapi('EarlierInvolvement');

export const Registration = z
  .object({
    id: z.string(),
    status: z.enum(['active', 'archived']),
    professionalId: z.string(),
    reference: z.string().nullable(),
    registeredAt: z.string().openapi({ format: 'date-time' }),
    endsAt: z.string().openapi({ format: 'date', description: 'Last day the registration is active.' }),
    matchId: z.string().nullable(),
    informWhom: z
      .enum(INFORM_WHOM)
      .openapi({ description: 'Who must be informed (law 7.1.5.1): representative (under 12), both (12–15), youth (16+), by age at registration.' }),
    informedOn: z.string().nullable().openapi({ format: 'date' }),
    informedHow: z.enum(INFORM_HOW).nullable(),
  })
  .openapi('Registration');

export const InformedBody = RecordInformedInput.omit({ registrationId: true }).openapi('RecordInformed');

export const RegistrationCreated = Registration.extend({
  earlierInvolvement: z.array(EarlierInvolvement).openapi({ description: 'Archived involvement of other organisations; shown this once.' }),
}).openapi('RegistrationCreated');

export const RegistrationList = z.object({ items: z.array(Registration), nextCursor: z.string().nullable() }).openapi('RegistrationList');

export const ListQuery = ListRegistrationsInput.extend({
  status: fresh(ListRegistrationsInput.shape.status).openapi({
    description:
      'active; ending_soon (within 60 days); not_informed (nobody recorded as informed 14 days after registering). Archived registrations are visible to no one (law 7.1.4.6).',
  }),
});

export const EndBody = EndRegistrationInput.omit({ registrationId: true })
  .extend({
    reason: z.enum(CHOOSABLE_END_REASONS, { error: END_REASON_ERROR }).openapi({
      description:
        'resolved (archived 5 years) or unjustified (deleted). Nothing else is yours to choose: expired and turned_23 are the expiry job’s, erasure the rights desk’s, and a death is reported (POST /registrations/{id}/death-report) and confirmed by the municipality.',
    }),
  })
  .openapi('EndRegistration');

export const DeathReport = z
  .object({
    id: z.string(),
    registrationId: z.string(),
    status: z.enum(DEATH_REPORT_STATUSES),
    created: z.boolean().openapi({ description: 'False when an open report on this registration already existed.' }),
  })
  .openapi('DeathReport');

export const EndResult = z
  .object({
    id: z.string(),
    reason: z.enum(END_REASONS),
    outcome: z.enum(['archived', 'deleted']),
    endedAt: z.string(),
    matchId: z.string().nullable(),
    matchClosed: z.boolean(),
    alsoEnded: z.number().int().openapi({ description: 'Other organisations’ registrations that ended with this one (turned_23, deceased).' }),
  })
  .openapi('EndResult');

export const Match = z
  .object({
    id: z.string(),
    status: z.enum(['open', 'closed']),
    createdAt: z.string(),
    closedAt: z.string().nullable(),
    coordinatorSince: z.string().nullable().openapi({ description: 'Since when the agreed coordinator coordinates; null while none is agreed.' }),
    members: z.array(
      z.object({
        ownOrganisation: z.boolean(),
        activeContact: z.boolean().openapi({
          description:
            'False when the registering professional is deactivated: no contact is given (name, email, phone null); their organisation is to transfer the registration.',
        }),
        professionalName: z.string().nullable(),
        organisationName: z.string(),
        sector: z.enum(SECTORS),
        email: z.string().nullable(),
        phone: z.string().nullable(),
        since: z.string(),
        leftAt: z.string().nullable(),
        contactOn: z.string().nullable().openapi({ format: 'date', description: '"Contact opgenomen" on this day.' }),
        coordinator: z.boolean().openapi({ description: 'This member coordinates (regie).' }),
        me: z.boolean().openapi({ description: 'This member is the reading professional (always false for an API client).' }),
        mayCoordinate: z.boolean().openapi({ description: 'The coordination rules let this member’s sector coordinate (some sectors may only signal).' }),
        suggested: z.boolean().openapi({ description: 'The coordination rules suggest this member as coordinator (at most one member).' }),
        proposed: z.boolean().openapi({ description: 'This member is proposed as coordinator: they confirm by taking coordination, or decline.' }),
      }),
    ),
    proposedAt: z.string().nullable().openapi({ description: 'When a coordinator was proposed to the members; null while none is.' }),
    proposedBy: z
      .enum(['rules', 'match_monitor'])
      .nullable()
      .openapi({ description: 'Proposed by the rules (no coordinator agreed in time) or by the match monitor.' }),
    myReference: z
      .string()
      .nullable()
      .openapi({ description: 'The reading professional’s own reference (eigen kenmerk) on their registration in this match; always null for an API client.' }),
  })
  .openapi('Match');

export const CoordinatorBody = TakeCoordinationInput.omit({ matchId: true }).openapi('TakeCoordination');

export const ContactBody = RecordContactInput.omit({ matchId: true }).openapi('RecordContact');

export const IdParam = z.object({ id: fresh(Id).openapi({ param: { name: 'id', in: 'path' } }) });

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string(),
    code: z.string(),
    errors: z.record(z.string(), z.array(z.string())).optional(),
    requestId: z.string().nullable(),
  })
  .openapi('Problem');

export const problemContent = { 'application/problem+json': { schema: Problem } };

/** Every v1 route: bearer token, and these problem responses. */
export const bearer = [{ bearer: [] }];
export const problems = {
  401: { description: 'Missing or invalid token', content: problemContent },
  403: { description: 'The professional is not of your organisation', content: problemContent },
  404: { description: 'Not found (also for other organisations’ records, and matches you are not a member of)', content: problemContent },
  422: { description: 'Invalid input, with field errors', content: problemContent },
};
