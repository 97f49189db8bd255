-- The audit trail is append-only. The only update allowed is sealing a row once:
-- filling prev_hash and hash where they were NULL, nothing else changed.
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only');
END;
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
  OR NEW.detail IS NOT OLD.detail
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only');
END;
--> statement-breakpoint
-- A closed match is deleted with its last member row (members go when their registration
-- is deleted or its archive entry destroyed): nothing is left that points at the subject.
CREATE TRIGGER match_members_gc AFTER DELETE ON match_members
BEGIN
  DELETE FROM matches
  WHERE id = OLD.match_id AND status = 'closed'
    AND NOT EXISTS (SELECT 1 FROM match_members WHERE match_id = OLD.match_id);
END;
