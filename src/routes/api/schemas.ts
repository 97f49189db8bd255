/**
 * The API's zod schemas. Request schemas are the verbs' own input schemas (beside each verb)
 * with OpenAPI metadata on top, so the document, the API's validation and the verb agree
 * (docs/adr/0007-one-verb-shape.md); path ids are merged into the verb's input by the route.
 *
 * Every request and response body is a named schema (components.schemas, by `.openapi(name)`)
 * with an example; NAMED_SCHEMAS lists them, and test/shared/api-openapi.test.ts checks each
 * example against its schema and that the document has no anonymous or `allOf` body.
 */
import { z } from '@hono/zod-openapi';
import { Id } from '../../identity/ids.ts';
import { DeclineProposalInput, RecordContactInput, ReturnCoordinationInput, TakeCoordinationInput } from '../../matching/follow-up.ts';
import { END_REASON_ERROR, EndRegistrationInput } from '../../registry/end-registration.ts';
import { ExtendRegistrationInput } from '../../registry/extend-registration.ts';
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

/** Made-up ids and addresses for the examples. */
const EX = {
  registration: '0b9f6a52-3c1d-4e8a-9f2b-5d7c1e0a4b63',
  professional: '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
  match: 'c3d2e1f0-a9b8-4c7d-8e6f-5a4b3c2d1e0f',
  deathReport: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  email: 'a.jansen@school.example',
  otherEmail: 'm.yilmaz@wijkteam.example',
} as const;

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
}).openapi('RegistrationCreate', {
  example: { bsn: '123456782', birthDate: '2012-05-17', professionalEmail: EX.email, reference: 'DOS-2026-0042', criterionConfirmed: true },
});

/** Earlier involvement from the archive, as the examples show it. */
const EARLIER_EXAMPLE = {
  organisationName: 'Wijkteam Centrum',
  sector: 'district_team' as const,
  professionalName: 'Mehmet Yilmaz',
  email: EX.otherEmail,
  phone: '010-1234567',
  registeredAt: '2024-01-15T10:00:00.000Z',
  endedAt: '2025-02-01T09:00:00.000Z',
};

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
  .openapi('EarlierInvolvement', { example: EARLIER_EXAMPLE });

const RegistrationFields = z.object({
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
});

const registrationExample = {
  id: EX.registration,
  status: 'active',
  professionalId: EX.professional,
  reference: 'DOS-2026-0042',
  registeredAt: '2026-03-02T09:15:00.000Z',
  endsAt: '2028-03-01',
  matchId: EX.match,
  informWhom: 'both',
  informedOn: '2026-03-04',
  informedHow: 'in_person',
} satisfies z.input<typeof RegistrationFields>;

export const Registration = RegistrationFields.openapi('Registration', { example: registrationExample });

export const InformedBody = RecordInformedInput.omit({ registrationId: true }).openapi('RecordInformed', { example: { on: '2026-03-04', how: 'in_person' } });

// One flat object, not Registration extended: that became an `allOf` a viewer shows as "(any & object)".
export const RegistrationCreated = z
  .object({
    ...RegistrationFields.shape,
    earlierInvolvement: z.array(EarlierInvolvement).openapi({ description: 'Archived involvement of other organisations; shown this once.' }),
  })
  .openapi('RegistrationCreated', {
    example: {
      ...registrationExample,
      matchId: null,
      informedOn: null,
      informedHow: null,
      earlierInvolvement: [EARLIER_EXAMPLE],
    },
  });

export const RegistrationList = z
  .object({ items: z.array(Registration), nextCursor: z.string().nullable() })
  .openapi('RegistrationList', { example: { items: [registrationExample], nextCursor: null } });

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
  .openapi('EndRegistration', { example: { reason: 'resolved' } });

export const DeathReport = z
  .object({
    id: z.string(),
    registrationId: z.string(),
    status: z.enum(DEATH_REPORT_STATUSES),
    created: z.boolean().openapi({ description: 'False when an open report on this registration already existed.' }),
  })
  .openapi('DeathReport', { example: { id: EX.deathReport, registrationId: EX.registration, status: 'reported', created: true } });

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
  .openapi('EndResult', {
    example: {
      id: EX.registration,
      reason: 'resolved',
      outcome: 'archived',
      endedAt: '2026-06-30T14:00:00.000Z',
      matchId: EX.match,
      matchClosed: true,
      alsoEnded: 0,
    },
  });

const memberExamples = [
  {
    ownOrganisation: true,
    activeContact: true,
    professionalName: 'Anna Jansen',
    organisationName: 'Basisschool De Kastanje',
    sector: 'education',
    email: EX.email,
    phone: '010-7654321',
    since: '2026-03-02T09:15:00.000Z',
    leftAt: null,
    contactOn: '2026-03-05',
    coordinator: false,
    me: false,
    mayCoordinate: true,
    suggested: false,
    proposed: false,
  },
  {
    ownOrganisation: false,
    activeContact: true,
    professionalName: 'Mehmet Yilmaz',
    organisationName: 'Wijkteam Centrum',
    sector: 'district_team',
    email: EX.otherEmail,
    phone: '010-1234567',
    since: '2026-03-03T11:40:00.000Z',
    leftAt: null,
    contactOn: null,
    coordinator: true,
    me: false,
    mayCoordinate: true,
    suggested: true,
    proposed: false,
  },
] as const;

export const MatchMember = z
  .object({
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
  })
  .openapi('MatchMember', { example: memberExamples[0] });

export const Match = z
  .object({
    id: z.string(),
    status: z.enum(['open', 'closed']),
    createdAt: z.string(),
    closedAt: z.string().nullable(),
    coordinatorSince: z.string().nullable().openapi({ description: 'Since when the agreed coordinator coordinates; null while none is agreed.' }),
    members: z.array(MatchMember),
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
  .openapi('Match', {
    example: {
      id: EX.match,
      status: 'open',
      createdAt: '2026-03-03T11:40:00.000Z',
      closedAt: null,
      coordinatorSince: '2026-03-06T08:30:00.000Z',
      members: [...memberExamples],
      proposedAt: null,
      proposedBy: null,
      myReference: null,
    },
  });

export const CoordinatorBody = TakeCoordinationInput.omit({ matchId: true }).openapi('TakeCoordination', { example: { professionalEmail: EX.email } });

export const ContactBody = RecordContactInput.omit({ matchId: true }).openapi('RecordContact', { example: { professionalEmail: EX.email, on: '2026-03-05' } });

export const ReturnBody = ReturnCoordinationInput.omit({ matchId: true }).openapi('ReturnCoordination', { example: { professionalEmail: EX.otherEmail } });

export const DeclineBody = DeclineProposalInput.omit({ matchId: true }).openapi('DeclineProposal', { example: { professionalEmail: EX.email } });

/** The verb's own schema, without the path id. */
export const ExtendBody = ExtendRegistrationInput.omit({ registrationId: true })
  .extend({
    criterionConfirmed: fresh(ExtendRegistrationInput.shape.criterionConfirmed).openapi({
      description: 'The registering professional confirms again a reasonable suspicion of a serious risk (Jeugdwet 7.1.3.1). Required; not stored.',
      example: true,
    }),
  })
  .openapi('ExtendRegistration', { example: { professionalEmail: EX.email, criterionConfirmed: true } });

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
  .openapi('Problem', {
    example: {
      type: 'urn:betrokken:problem:invalid_input',
      title: 'Invalid input',
      status: 422,
      detail: 'De invoer is niet geldig.',
      code: 'invalid_input',
      errors: { birthDate: ['Geboortedatum als JJJJ-MM-DD.'] },
      requestId: '019a7c1e-5f3a-7b2c-9d4e-1f2a3b4c5d6e',
    },
  });

export const problemContent = { 'application/problem+json': { schema: Problem } };

/** Every v1 route: bearer token, and these problem responses. */
export const bearer = [{ bearer: [] }];
export const problems = {
  401: { description: 'Missing or invalid token', content: problemContent },
  403: { description: 'The professional is not of your organisation', content: problemContent },
  404: { description: 'Not found (also for other organisations’ records, and matches you are not a member of)', content: problemContent },
  422: { description: 'Invalid input, with field errors', content: problemContent },
};

/** Every named body schema, by its name in components.schemas: the document's test checks each example against it. */
export const NAMED_SCHEMAS: Record<string, z.ZodType> = {
  RegistrationCreate,
  RegistrationCreated,
  EarlierInvolvement,
  Registration,
  RegistrationList,
  RecordInformed: InformedBody,
  EndRegistration: EndBody,
  EndResult,
  DeathReport,
  ExtendRegistration: ExtendBody,
  Match,
  MatchMember,
  TakeCoordination: CoordinatorBody,
  RecordContact: ContactBody,
  ReturnCoordination: ReturnBody,
  DeclineProposal: DeclineBody,
  Problem,
};
