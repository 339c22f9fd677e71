-- Account settings (issue 15): a person's list of sessions shows when each began, when it was last used
-- (to within auth/session.ts SESSION_LAST_USE_STEP_MS) and on what device (a short name from the User-Agent).
-- NULL on sessions made before this migration; milliseconds since 1970 like the other times.
ALTER TABLE sessions ADD COLUMN created_at bigint;
ALTER TABLE sessions ADD COLUMN last_used_at bigint;
ALTER TABLE sessions ADD COLUMN device text;
