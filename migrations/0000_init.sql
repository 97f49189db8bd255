CREATE TABLE `api_clients` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_clients_token_hash_uq` ON `api_clients` (`token_hash`);--> statement-breakpoint
CREATE TABLE `archive_disclosures` (
	`registration_id` text NOT NULL,
	`organisation_id` text NOT NULL,
	`disclosed_at` integer NOT NULL,
	FOREIGN KEY (`registration_id`) REFERENCES `registrations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `archive_disclosures_uq` ON `archive_disclosures` (`registration_id`,`organisation_id`);--> statement-breakpoint
CREATE TABLE `atomic_guard` (
	`id` integer PRIMARY KEY NOT NULL,
	`ok` integer NOT NULL,
	CONSTRAINT "atomic_guard_ok_ck" CHECK(ok = 1)
);
--> statement-breakpoint
CREATE TABLE `audit_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`at` integer NOT NULL,
	`actor_type` text NOT NULL,
	`actor_id` text,
	`organisation_id` text,
	`action` text NOT NULL,
	`outcome` text NOT NULL,
	`registration_id` text,
	`match_id` text,
	`target_user_id` text,
	`request_id` text,
	`origin` text,
	`detail` text,
	`prev_hash` text,
	`hash` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audit_events_id_uq` ON `audit_events` (`id`);--> statement-breakpoint
CREATE INDEX `audit_events_unsealed_idx` ON `audit_events` (`seq`) WHERE hash IS NULL;--> statement-breakpoint
CREATE INDEX `audit_events_registration_idx` ON `audit_events` (`registration_id`);--> statement-breakpoint
CREATE INDEX `audit_events_match_idx` ON `audit_events` (`match_id`);--> statement-breakpoint
CREATE TABLE `match_members` (
	`id` text PRIMARY KEY NOT NULL,
	`match_id` text NOT NULL,
	`registration_id` text NOT NULL,
	`organisation_id` text NOT NULL,
	`professional_id` text NOT NULL,
	`joined_at` integer NOT NULL,
	`joined_seq` integer NOT NULL,
	`left_at` integer,
	FOREIGN KEY (`match_id`) REFERENCES `matches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`registration_id`) REFERENCES `registrations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`professional_id`) REFERENCES `professionals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `match_members_uq` ON `match_members` (`match_id`,`registration_id`);--> statement-breakpoint
CREATE INDEX `match_members_registration_idx` ON `match_members` (`registration_id`);--> statement-breakpoint
CREATE TABLE `matches` (
	`id` text PRIMARY KEY NOT NULL,
	`subject_pseudonym` blob,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`closed_at` integer,
	CONSTRAINT "matches_open_ck" CHECK((status = 'open') = (subject_pseudonym IS NOT NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `matches_open_subject_uq` ON `matches` (`subject_pseudonym`) WHERE status = 'open';--> statement-breakpoint
CREATE TABLE `organisations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`sector` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`idempotency_key` text NOT NULL,
	`template` text NOT NULL,
	`recipient_professional_id` text,
	`recipient_email` text NOT NULL,
	`payload` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_owner` text,
	`lease_until` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`recipient_professional_id`) REFERENCES `professionals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_idempotency_uq` ON `outbox` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`next_attempt_at`) WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX `outbox_done_idx` ON `outbox` (`created_at`) WHERE status <> 'pending';--> statement-breakpoint
CREATE TABLE `professionals` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`phone` text,
	`role` text DEFAULT 'professional' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `professionals_email_uq` ON `professionals` (`email`);--> statement-breakpoint
CREATE INDEX `professionals_org_idx` ON `professionals` (`organisation_id`);--> statement-breakpoint
CREATE TABLE `registrations` (
	`id` text PRIMARY KEY NOT NULL,
	`subject_pseudonym` blob NOT NULL,
	`key_id` text NOT NULL,
	`organisation_id` text NOT NULL,
	`professional_id` text NOT NULL,
	`reference` text,
	`status` text NOT NULL,
	`registered_at` integer NOT NULL,
	`ends_on` text NOT NULL,
	`ends_because` text NOT NULL,
	`age_limit_month` text NOT NULL,
	`ended_at` integer,
	`end_reason` text,
	`archive_until` text,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`professional_id`) REFERENCES `professionals`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "registrations_status_ck" CHECK((status = 'active') = (ended_at IS NULL))
);
--> statement-breakpoint
CREATE INDEX `registrations_subject_idx` ON `registrations` (`subject_pseudonym`,`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `registrations_active_professional_uq` ON `registrations` (`subject_pseudonym`,`professional_id`) WHERE status = 'active';--> statement-breakpoint
CREATE INDEX `registrations_org_idx` ON `registrations` (`organisation_id`,`status`,`registered_at`,`id`);--> statement-breakpoint
CREATE INDEX `registrations_due_idx` ON `registrations` (`ends_on`) WHERE status = 'active';--> statement-breakpoint
CREATE INDEX `registrations_archive_idx` ON `registrations` (`archive_until`) WHERE status = 'archived';