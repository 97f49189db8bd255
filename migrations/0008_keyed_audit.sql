ALTER TABLE `audit_events` ADD `mac` text;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `key_id` text;--> statement-breakpoint
-- Hand-added (ADR 0009). Redact BSN-shaped ids already stored in audit rows: a value of
-- 8 or 9 digits (spaces, dots or dashes allowed between them) that passes the elfproef is
-- replaced by 'redacted'. The seal-only trigger refuses any update of a sealed row, so it
-- is dropped around the redaction and recreated, now also guarding `mac` and `key_id`.
DROP TRIGGER IF EXISTS audit_events_seal_only;
--> statement-breakpoint
UPDATE audit_events SET registration_id = 'redacted' WHERE seq IN (
  SELECT seq FROM (SELECT seq, s, substr('0' || s, -9) AS p FROM (SELECT seq, replace(replace(replace(registration_id, ' ', ''), '.', ''), '-', '') AS s FROM audit_events WHERE registration_id IS NOT NULL))
  WHERE length(s) IN (8, 9) AND s NOT GLOB '*[^0-9]*'
    AND (9 * substr(p, 1, 1) + 8 * substr(p, 2, 1) + 7 * substr(p, 3, 1) + 6 * substr(p, 4, 1) + 5 * substr(p, 5, 1) + 4 * substr(p, 6, 1) + 3 * substr(p, 7, 1) + 2 * substr(p, 8, 1) - substr(p, 9, 1)) % 11 = 0
);
--> statement-breakpoint
UPDATE audit_events SET match_id = 'redacted' WHERE seq IN (
  SELECT seq FROM (SELECT seq, s, substr('0' || s, -9) AS p FROM (SELECT seq, replace(replace(replace(match_id, ' ', ''), '.', ''), '-', '') AS s FROM audit_events WHERE match_id IS NOT NULL))
  WHERE length(s) IN (8, 9) AND s NOT GLOB '*[^0-9]*'
    AND (9 * substr(p, 1, 1) + 8 * substr(p, 2, 1) + 7 * substr(p, 3, 1) + 6 * substr(p, 4, 1) + 5 * substr(p, 5, 1) + 4 * substr(p, 6, 1) + 3 * substr(p, 7, 1) + 2 * substr(p, 8, 1) - substr(p, 9, 1)) % 11 = 0
);
--> statement-breakpoint
UPDATE audit_events SET target_user_id = 'redacted' WHERE seq IN (
  SELECT seq FROM (SELECT seq, s, substr('0' || s, -9) AS p FROM (SELECT seq, replace(replace(replace(target_user_id, ' ', ''), '.', ''), '-', '') AS s FROM audit_events WHERE target_user_id IS NOT NULL))
  WHERE length(s) IN (8, 9) AND s NOT GLOB '*[^0-9]*'
    AND (9 * substr(p, 1, 1) + 8 * substr(p, 2, 1) + 7 * substr(p, 3, 1) + 6 * substr(p, 4, 1) + 5 * substr(p, 5, 1) + 4 * substr(p, 6, 1) + 3 * substr(p, 7, 1) + 2 * substr(p, 8, 1) - substr(p, 9, 1)) % 11 = 0
);
--> statement-breakpoint
-- The redaction is itself recorded: the last row of the unkeyed legacy prefix (no `mac`).
INSERT INTO audit_events (id, at, actor_type, actor_id, action, outcome, detail)
SELECT 'migration-0008-audit-redact', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), 'system', 'migration-0008',
  'audit.redact', 'success',
  json_object('redactedRows', (SELECT count(*) FROM audit_events WHERE 'redacted' IN (registration_id, match_id, target_user_id)));
--> statement-breakpoint
CREATE TRIGGER audit_events_seal_only BEFORE UPDATE ON audit_events
WHEN OLD.hash IS NOT NULL
  OR NEW.hash IS NULL
  OR NEW.seq IS NOT OLD.seq OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at
  OR NEW.actor_type IS NOT OLD.actor_type OR NEW.actor_id IS NOT OLD.actor_id
  OR NEW.organisation_id IS NOT OLD.organisation_id OR NEW.action IS NOT OLD.action
  OR NEW.outcome IS NOT OLD.outcome OR NEW.registration_id IS NOT OLD.registration_id
  OR NEW.match_id IS NOT OLD.match_id OR NEW.target_user_id IS NOT OLD.target_user_id
  OR NEW.request_id IS NOT OLD.request_id OR NEW.origin IS NOT OLD.origin
  OR NEW.detail IS NOT OLD.detail OR NEW.mac IS NOT OLD.mac OR NEW.key_id IS NOT OLD.key_id
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only');
END;
