/**
 * The closed vocabularies of the domain: sectors, roles, end reasons, informing, mail
 * templates. Schema, verbs, routes and views all import them from here, so a word is
 * defined once and no page or route has to reach into the database layer for it.
 * What each word means in Dutch and in law: docs/domain.md.
 */
export const SECTORS = [
  'youth_care',
  'safe_home', // Veilig Thuis
  'district_team', // wijkteam
  'youth_health', // jeugdgezondheidszorg
  'mental_health', // GGZ
  'general_practice',
  'hospital',
  'education',
  'police',
  'justice', // Halt, Raad voor de Kinderbescherming
  'social_support', // Wmo
  'debt_counselling',
  'other',
] as const;
export type Sector = (typeof SECTORS)[number];

export const ROLES = ['professional', 'organisation_coordinator', 'match_monitor', 'municipal_admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Closed set of end reasons (docs/domain.md, "Lifetime of a registration"). */
export const END_REASONS = ['resolved', 'expired', 'unjustified', 'turned_23', 'deceased', 'erasure'] as const;
export type EndReason = (typeof END_REASONS)[number];
/** What a professional may choose when ending; `expired` is set by the expiry job only. */
export const CHOOSABLE_END_REASONS = ['resolved', 'unjustified', 'turned_23', 'deceased', 'erasure'] as const satisfies readonly EndReason[];

/** Who must be told of a registration (law 7.1.5.1), by age at registration. */
export const INFORM_WHOM = ['representative', 'both', 'youth'] as const;
export type InformWhom = (typeof INFORM_WHOM)[number];
/** How they were told: a closed set, never free text. */
export const INFORM_HOW = ['in_person', 'phone', 'letter', 'email', 'digital_message'] as const;
export type InformHow = (typeof INFORM_HOW)[number];
/** Which of their registrations a professional or API client lists. */
export const REGISTRATION_FILTERS = ['active', 'ending_soon', 'not_informed'] as const;
export type RegistrationFilter = (typeof REGISTRATION_FILTERS)[number];

/** Reasons after which the registration is archived; all others delete it for real. */
export const ARCHIVING_REASONS: readonly EndReason[] = ['resolved', 'expired'];

/** The mails Betrokken sends (templates in src/notify/templates.ts). */
export type TemplateName =
  | 'invitation'
  | 'password_reset'
  | 'match_created'
  | 'match_joined'
  | 'match_member_added'
  | 'match_member_left'
  | 'match_closed'
  | 'coordinator_chosen'
  | 'registration_ended';

/** What a template needs: ids, and for account mails the single-use token (scrubbed once sent). */
export interface MailData {
  matchId?: string | null;
  registrationId?: string;
  token?: string;
}
