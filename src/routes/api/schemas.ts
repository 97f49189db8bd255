/** The API's zod schemas: they validate requests and generate the OpenAPI document. */
import { z } from '@hono/zod-openapi';
import { BSN_MESSAGES, validateBsn } from '../../identity/bsn.ts';
import { checkReference, ReferenceField } from '../inputs.ts';
import { CHOOSABLE_END_REASONS, END_REASONS, INFORM_HOW, INFORM_WHOM, SECTORS } from '../../vocabulary.ts';

export const Bsn = z
  .string({ error: 'BSN is verplicht.' })
  .transform((value, ctx) => {
    const result = validateBsn(value);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: BSN_MESSAGES[result.error], params: { code: result.error } });
      return z.NEVER;
    }
    return result.bsn;
  })
  .openapi({
    type: 'string',
    description: 'Burgerservicenummer: 9 digits (8 gets a leading 0), passing the elfproef. Pseudonymised at once, never stored.',
    example: '123456782',
  });

export const RegistrationCreate = z
  .strictObject({
    bsn: Bsn,
    birthDate: z.iso
      .date({ error: 'Geboortedatum als JJJJ-MM-DD.' })
      .openapi({ description: 'Checks the age and computes the end date; not stored.', example: '2012-05-17' }),
    professionalEmail: z.email({ error: 'Een geldig e-mailadres van de professional.' }).max(254).openapi({ example: 'a.jansen@school.example' }),
    reference: ReferenceField.nullish().openapi({
      description: 'Your own case number. Never names, content, a BSN or a birth date.',
      example: 'DOS-2026-0042',
    }),
  })
  .superRefine(checkReference)
  .openapi('RegistrationCreate');

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

export const InformedBody = z
  .strictObject({
    on: z.iso.date({ error: 'Datum als JJJJ-MM-DD.' }),
    how: z.enum(INFORM_HOW, { error: `Een van: ${INFORM_HOW.join(', ')}.` }),
  })
  .openapi('RecordInformed');

export const RegistrationCreated = Registration.extend({
  earlierInvolvement: z.array(EarlierInvolvement).openapi({ description: 'Archived involvement of other organisations; shown this once.' }),
}).openapi('RegistrationCreated');

export const RegistrationList = z.object({ items: z.array(Registration), nextCursor: z.string().nullable() }).openapi('RegistrationList');

export const ListQuery = z.strictObject({
  status: z.enum(['active', 'ending_soon', 'not_informed']).default('active').openapi({
    description:
      'active; ending_soon (within 60 days); not_informed (nobody recorded as informed 14 days after registering). Archived registrations are visible to no one (law 7.1.4.6).',
  }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});

export const EndBody = z.strictObject({ reason: z.enum(CHOOSABLE_END_REASONS) }).openapi('EndRegistration');

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
        professionalName: z.string(),
        organisationName: z.string(),
        sector: z.enum(SECTORS),
        email: z.string(),
        phone: z.string().nullable(),
        since: z.string(),
        leftAt: z.string().nullable(),
        contactOn: z.string().nullable().openapi({ format: 'date', description: '"Contact opgenomen" on this day.' }),
        coordinator: z.boolean().openapi({ description: 'This member coordinates (regie).' }),
        me: z.boolean().openapi({ description: 'This member is the reading professional (always false for an API client).' }),
      }),
    ),
  })
  .openapi('Match');

export const CoordinatorBody = z
  .strictObject({ professionalEmail: z.email({ error: 'Een geldig e-mailadres van de professional.' }).max(254) })
  .openapi('TakeCoordination');

export const ContactBody = z
  .strictObject({
    professionalEmail: z.email({ error: 'Een geldig e-mailadres van de professional.' }).max(254),
    on: z.iso.date({ error: 'Datum als JJJJ-MM-DD.' }),
  })
  .openapi('RecordContact');

export const IdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

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
