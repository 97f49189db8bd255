-- Registrations made before inform_whom existed got the column default. Recompute it from
-- what is kept: the month of the 23rd birthday (so the birth month) and the registration
-- date. Within the birth month the day is unknown, so the younger age is taken: the more
-- protective answer (law 7.1.5.1: under 12 the representative, 12-15 both, 16+ the youth).
UPDATE registrations SET inform_whom = CASE
  WHEN ((CAST(strftime('%Y', registered_at / 1000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', registered_at / 1000, 'unixepoch') AS INTEGER))
        - ((CAST(substr(age_limit_month, 1, 4) AS INTEGER) - 23) * 12 + CAST(substr(age_limit_month, 6, 2) AS INTEGER)) - 1) / 12 < 12 THEN 'representative'
  WHEN ((CAST(strftime('%Y', registered_at / 1000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', registered_at / 1000, 'unixepoch') AS INTEGER))
        - ((CAST(substr(age_limit_month, 1, 4) AS INTEGER) - 23) * 12 + CAST(substr(age_limit_month, 6, 2) AS INTEGER)) - 1) / 12 < 16 THEN 'both'
  ELSE 'youth'
END
WHERE informed_on IS NULL;
