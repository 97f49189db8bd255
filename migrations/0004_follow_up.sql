ALTER TABLE `match_members` ADD `contact_on` text;--> statement-breakpoint
ALTER TABLE `matches` ADD `coordinator_registration_id` text;--> statement-breakpoint
ALTER TABLE `matches` ADD `coordinator_since` integer;