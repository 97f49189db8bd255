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
/** Roles held within an organisation; the others are the municipality's own staff (no organisation). */
export const ORGANISATION_ROLES = ['professional', 'organisation_coordinator'] as const satisfies readonly Role[];
export const MUNICIPAL_ROLES = ['match_monitor', 'municipal_admin', 'auditor'] as const satisfies readonly Role[];

/**
 * Who may do what (docs/domain.md, "Roles and what each may see"): each permission and the
 * roles that hold it. Checked by src/auth/permissions.ts (verbs) and src/routes/http/access.ts
 * (routes); the pages read it to show only the menu a person may use.
 */
export const PERMISSIONS = {
  /** Register involvement; see, inform and end one's own registrations; report a death. */
  register: ['professional'],
  /** See the matches one is a member of; record contact and coordination. */
  matches: ['professional'],
  /** The own organisation's professionals: invite, edit, deactivate, reset the second factor. */
  organisation_people: ['organisation_coordinator'],
  /** The own organisation's registrations (no subject data) and transferring them. */
  organisation_registrations: ['organisation_coordinator'],
  /** Organisations, convenants, deactivation; people of every organisation and the municipality's staff. */
  beheer: ['municipal_admin'],
  /** Confirming a death and approving mass endings: the second admin of four eyes. */
  four_eyes: ['municipal_admin'],
  /** The match monitor's queue: escalated matches, what was done, proposing a coordinator (no subject data). */
  match_monitoring: ['match_monitor'],
  /** The subject's rights desk: access, correction, erasure and objection requests. */
  rights_desk: ['municipal_admin'],
  /** Anonymous statistics (small counts suppressed). */
  statistics: ['municipal_admin'],
  /** The audit trail itself: search, detail, export. */
  audit_trail: ['auditor'],
  /** Whether the audit chain verifies (not its content). */
  audit_status: ['auditor', 'municipal_admin'],
  /** One's own account: password, second factor, sessions. Every role. */
  account: ROLES,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Whether any of these roles holds the permission. */
export function rolesAllow(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((role) => (PERMISSIONS[permission] as readonly Role[]).includes(role));
}

/** `municipality`: the one row that stands for "no organisation" (ADR 0011). */
export const ORGANISATION_KINDS = ['organisation', 'municipality'] as const;
export const CONVENANT_STATUSES = ['pending', 'signed', 'ended'] as const;
export type ConvenantStatus = (typeof CONVENANT_STATUSES)[number];

/** Work on many registrations at once, in slices (src/jobs/bulk.ts). */
export const BULK_JOB_KINDS = ['end_organisation', 'transfer'] as const;
export type BulkJobKind = (typeof BULK_JOB_KINDS)[number];
export const BULK_JOB_STATUSES = ['awaiting_approval', 'queued', 'done', 'rejected'] as const;
/** A death report: reported by a professional, proposed by one admin, confirmed or rejected by another. */
export const DEATH_REPORT_STATUSES = ['reported', 'proposed', 'confirmed', 'rejected'] as const;

/** What the match monitor records having done (docs/domain.md): a kind and a day, no free text. */
export const MONITOR_ACTIONS = ['called', 'mailed', 'members_agreed', 'followed_up'] as const;
export type MonitorAction = (typeof MONITOR_ACTIONS)[number];

/** Requests at the rights desk (AVG arts. 15–21). */
export const RIGHTS_REQUEST_KINDS = ['access', 'correction', 'erasure', 'objection'] as const;
export type RightsRequestKind = (typeof RIGHTS_REQUEST_KINDS)[number];
/** access: answered at once; the others: open (advice, decisions) → awaiting_approval (a grant needs a second admin) → done. */
export const RIGHTS_REQUEST_STATUSES = ['answered', 'open', 'awaiting_approval', 'done'] as const;
export type RightsRequestStatus = (typeof RIGHTS_REQUEST_STATUSES)[number];
/** A professional's advice and the admin's decision on one registration. */
export const RIGHTS_DECISIONS = ['grant', 'refuse'] as const;
export type RightsDecision = (typeof RIGHTS_DECISIONS)[number];

/** Closed set of end reasons (docs/domain.md, "Lifetime of a registration"). */
export const END_REASONS = ['resolved', 'expired', 'unjustified', 'turned_23', 'deceased', 'erasure'] as const;
export type EndReason = (typeof END_REASONS)[number];
/**
 * What a professional may choose when ending (docs/domain.md, "Who ends a registration"):
 * `expired` and `turned_23` are the expiry job's, `erasure` the rights desk's, and
 * `deceased` is reported by a professional and confirmed by two municipal admins.
 */
export const CHOOSABLE_END_REASONS = ['resolved', 'unjustified'] as const satisfies readonly EndReason[];

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
  | 'second_factor_reset'
  | 'email_changed'
  | 'match_created'
  | 'match_joined'
  | 'match_member_added'
  | 'match_member_left'
  | 'match_closed'
  | 'coordinator_chosen'
  | 'registration_ended'
  | 'match_contact_changed'
  // Follow-up (src/jobs/follow-up.ts, src/matching/follow-up.ts).
  | 'contact_reminder'
  | 'coordinator_reminder'
  | 'coordinator_proposed'
  | 'coordination_returned'
  | 'inform_reminder'
  | 'expiry_reminder'
  // The rights desk asks the registering professional for advice.
  | 'advice_requested';

/** What a template needs: ids, and for account mails the single-use token (scrubbed once sent). */
export interface MailData {
  matchId?: string | null;
  registrationId?: string;
  token?: string;
  /** Sent to an organisation coordinator in place of a deactivated professional (src/notify/recipients.ts). */
  noActiveContact?: boolean;
  /** advice_requested: the request item the professional advises on. */
  adviceItemId?: string;
  /** advice_requested: the date the advice is due (YYYY-MM-DD; a date, not subject data). */
  adviceDueOn?: string;
  /** expiry_reminder: the registration ends because the subject turns 23, so it cannot be extended. */
  endsByAge?: boolean;
}
