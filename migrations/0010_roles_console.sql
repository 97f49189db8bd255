CREATE TABLE `audit_checks` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`ok` integer NOT NULL,
	`checked` integer NOT NULL,
	`broken_at` integer,
	`reason` text,
	`head_seq` integer,
	`anchor_seq` integer,
	`anchor_at` text,
	`by_id` text,
	`acknowledged_by` text,
	`acknowledged_at` integer
);
--> statement-breakpoint
CREATE TABLE `bulk_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`organisation_id` text NOT NULL,
	`params` text NOT NULL,
	`requested_by` text NOT NULL,
	`requested_at` integer NOT NULL,
	`approved_by` text,
	`approved_at` integer,
	`total` integer NOT NULL,
	`processed` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `bulk_jobs_status_idx` ON `bulk_jobs` (`status`);--> statement-breakpoint
CREATE INDEX `bulk_jobs_org_idx` ON `bulk_jobs` (`organisation_id`);--> statement-breakpoint
CREATE TABLE `death_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`registration_id` text NOT NULL,
	`status` text NOT NULL,
	`reported_by` text NOT NULL,
	`reported_at` integer NOT NULL,
	`died_on` text,
	`proposed_by` text,
	`proposed_at` integer,
	`decided_by` text,
	`decided_at` integer,
	`deleted` integer
);
--> statement-breakpoint
CREATE INDEX `death_reports_status_idx` ON `death_reports` (`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `death_reports_open_uq` ON `death_reports` (`registration_id`) WHERE status IN ('reported', 'proposed');--> statement-breakpoint
CREATE TABLE `person_roles` (
	`professional_id` text NOT NULL,
	`role` text NOT NULL,
	PRIMARY KEY(`professional_id`, `role`),
	FOREIGN KEY (`professional_id`) REFERENCES `professionals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `person_roles_role_idx` ON `person_roles` (`role`);--> statement-breakpoint
ALTER TABLE `audit_events` ADD `actor_roles` text;--> statement-breakpoint
CREATE INDEX `audit_events_at_idx` ON `audit_events` (`at`);--> statement-breakpoint
CREATE INDEX `audit_events_actor_idx` ON `audit_events` (`actor_id`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_events_org_idx` ON `audit_events` (`organisation_id`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_events_action_idx` ON `audit_events` (`action`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_events_target_user_idx` ON `audit_events` (`target_user_id`);--> statement-breakpoint
ALTER TABLE `organisations` ADD `kind` text DEFAULT 'organisation' NOT NULL;--> statement-breakpoint
ALTER TABLE `organisations` ADD `convenant_signed_on` text;--> statement-breakpoint
ALTER TABLE `organisations` ADD `convenant_status` text DEFAULT 'signed' NOT NULL;--> statement-breakpoint
ALTER TABLE `organisations` ADD `deactivated_at` integer;--> statement-breakpoint
-- Names must be unique from now on: an older duplicate keeps its name with its id's start appended.
UPDATE `organisations` SET `name` = `name` || ' (' || substr(`id`, 1, 8) || ')' WHERE `id` NOT IN (SELECT min(`id`) FROM `organisations` GROUP BY lower(`name`));--> statement-breakpoint
CREATE UNIQUE INDEX `organisations_name_uq` ON `organisations` (lower("name"));--> statement-breakpoint
ALTER TABLE `professionals` ADD `last_login_at` integer;--> statement-breakpoint
ALTER TABLE `professionals` ADD `deactivated_at` integer;--> statement-breakpoint
-- Every person keeps the role they had, now as a row of their roles.
INSERT INTO `person_roles` (`professional_id`, `role`) SELECT `id`, `role` FROM `professionals`;--> statement-breakpoint
-- The municipality's own row: the organisation of staff who have none (ADR 0011).
INSERT INTO `organisations` (`id`, `name`, `sector`, `active`, `kind`, `convenant_status`) VALUES ('00000000-0000-4000-8000-000000000000', 'Gemeente (eigen medewerkers)', 'other', 1, 'municipality', 'signed');--> statement-breakpoint
-- Staff made before with a municipal role (and some organisation) now belong to none.
UPDATE `professionals` SET `organisation_id` = '00000000-0000-4000-8000-000000000000' WHERE `id` IN (SELECT `professional_id` FROM `person_roles` WHERE `role` IN ('match_monitor', 'municipal_admin', 'auditor'));
--> statement-breakpoint
-- The seal-only trigger now also keeps the new actor_roles column unchanged.
DROP TRIGGER IF EXISTS audit_events_seal_only;--> statement-breakpoint
CREATE TRIGGER audit_events_seal_only BEFORE UPDATE ON audit_events
WHEN OLD.hash IS NOT NULL
  OR NEW.hash IS NULL
  OR NEW.seq IS NOT OLD.seq OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at
  OR NEW.actor_type IS NOT OLD.actor_type OR NEW.actor_id IS NOT OLD.actor_id OR NEW.actor_roles IS NOT OLD.actor_roles
  OR NEW.organisation_id IS NOT OLD.organisation_id OR NEW.action IS NOT OLD.action
  OR NEW.outcome IS NOT OLD.outcome OR NEW.registration_id IS NOT OLD.registration_id
  OR NEW.match_id IS NOT OLD.match_id OR NEW.target_user_id IS NOT OLD.target_user_id
  OR NEW.request_id IS NOT OLD.request_id OR NEW.origin IS NOT OLD.origin
  OR NEW.detail IS NOT OLD.detail OR NEW.mac IS NOT OLD.mac OR NEW.key_id IS NOT OLD.key_id
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only');
END;
