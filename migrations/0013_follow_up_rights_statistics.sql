CREATE TABLE `monitor_actions` (
	`id` text PRIMARY KEY NOT NULL,
	`match_id` text NOT NULL,
	`monitor_id` text NOT NULL,
	`kind` text NOT NULL,
	`on` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`match_id`) REFERENCES `matches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `monitor_actions_match_idx` ON `monitor_actions` (`match_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `municipality_settings` (
	`id` text PRIMARY KEY NOT NULL,
	`contact_days` integer,
	`coordinator_days` integer,
	`escalation_days` integer,
	`coordinator_sectors` text,
	`signal_only_sectors` text,
	`updated_at` integer,
	`updated_by` text
);
--> statement-breakpoint
CREATE TABLE `rights_request_items` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`registration_id` text NOT NULL,
	`organisation_id` text NOT NULL,
	`professional_id` text NOT NULL,
	`registration_status` text NOT NULL,
	`advice_due_on` text,
	`advice` text,
	`advice_at` integer,
	`advice_by` text,
	`decision` text,
	`decided_by` text,
	`executed_at` integer,
	FOREIGN KEY (`request_id`) REFERENCES `rights_requests`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rights_request_items_uq` ON `rights_request_items` (`request_id`,`registration_id`);--> statement-breakpoint
CREATE INDEX `rights_request_items_registration_idx` ON `rights_request_items` (`registration_id`);--> statement-breakpoint
CREATE INDEX `rights_request_items_professional_idx` ON `rights_request_items` (`professional_id`);--> statement-breakpoint
CREATE TABLE `rights_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`reference` text NOT NULL,
	`received_on` text NOT NULL,
	`deadline_on` text NOT NULL,
	`deadline_extended` integer DEFAULT false NOT NULL,
	`opened_by` text NOT NULL,
	`opened_at` integer NOT NULL,
	`decided_by` text,
	`decided_at` integer,
	`approved_by` text,
	`approved_at` integer,
	`closed_at` integer
);
--> statement-breakpoint
CREATE INDEX `rights_requests_status_idx` ON `rights_requests` (`status`,`opened_at`);--> statement-breakpoint
CREATE TABLE `statistics_counters` (
	`month` text NOT NULL,
	`sector` text NOT NULL,
	`metric` text NOT NULL,
	`bucket` integer DEFAULT 0 NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`month`, `sector`, `metric`, `bucket`)
);
--> statement-breakpoint
ALTER TABLE `match_members` ADD `contact_reminded_at` integer;--> statement-breakpoint
ALTER TABLE `match_members` ADD `coordinator_reminded_at` integer;--> statement-breakpoint
CREATE INDEX `match_members_contact_due_idx` ON `match_members` (`joined_at`) WHERE left_at IS NULL AND contact_on IS NULL AND contact_reminded_at IS NULL;--> statement-breakpoint
CREATE INDEX `match_members_coordinator_due_idx` ON `match_members` (`joined_at`) WHERE left_at IS NULL AND coordinator_reminded_at IS NULL;--> statement-breakpoint
ALTER TABLE `matches` ADD `proposed_registration_id` text;--> statement-breakpoint
ALTER TABLE `matches` ADD `proposed_at` integer;--> statement-breakpoint
ALTER TABLE `matches` ADD `proposed_by` text;--> statement-breakpoint
ALTER TABLE `matches` ADD `rules_proposed_at` integer;--> statement-breakpoint
ALTER TABLE `matches` ADD `founding_sectors` text;--> statement-breakpoint
ALTER TABLE `matches` ADD `escalated_at` integer;--> statement-breakpoint
ALTER TABLE `matches` ADD `monitor_done_at` integer;--> statement-breakpoint
ALTER TABLE `matches` ADD `contact_reached_on` text;--> statement-breakpoint
ALTER TABLE `matches` ADD `coordinator_first_on` text;--> statement-breakpoint
CREATE INDEX `matches_escalated_idx` ON `matches` (`escalated_at`) WHERE status = 'open';--> statement-breakpoint
CREATE INDEX `matches_escalation_due_idx` ON `matches` (`created_at`) WHERE status = 'open' AND escalated_at IS NULL;--> statement-breakpoint
ALTER TABLE `registrations` ADD `extended_at` integer;--> statement-breakpoint
ALTER TABLE `registrations` ADD `inform_reminded_at` integer;--> statement-breakpoint
ALTER TABLE `registrations` ADD `expiry_reminded_for` text;--> statement-breakpoint
CREATE INDEX `registrations_inform_reminder_idx` ON `registrations` (`registered_at`) WHERE status = 'active' AND informed_on IS NULL AND inform_reminded_at IS NULL;--> statement-breakpoint
-- Data minimisation (docs/domain.md): a registration capped by age ends on the last day of the
-- month before the 23rd birthday's month, so no stored end date reveals the birth day. Rows
-- written before that rule ended later (the day before the birthday, or a term end inside the
-- birthday month); move them earlier, never later.
UPDATE `registrations` SET `ends_on` = date(`age_limit_month`, '-1 day'), `ends_because` = 'age' WHERE `ends_on` > date(`age_limit_month`, '-1 day');--> statement-breakpoint
-- The own reference must be a case number (letters, digits, -_./, a digit, at most 40): a value
-- stored before that rule that is not one may hold a name or content, so it is removed.
UPDATE `registrations` SET `reference` = NULL WHERE `reference` IS NOT NULL AND (`reference` GLOB '*[^A-Za-z0-9._/-]*' OR `reference` NOT GLOB '*[0-9]*' OR length(`reference`) > 40);
