ALTER TABLE `registrations` ADD `inform_whom` text DEFAULT 'youth' NOT NULL;--> statement-breakpoint
ALTER TABLE `registrations` ADD `informed_on` text;--> statement-breakpoint
ALTER TABLE `registrations` ADD `informed_how` text;