-- Failed sign-ins, counted in the database so every instance sees the same numbers. One row
-- per key: `account:<e-mail>`, `pair:<e-mail>|<address>` or `address:<address>` (the real
-- client address, from a trusted proxy's X-Forwarded-For). A window starts at its first
-- failure and lasts 15 minutes; rows of old windows are deleted as new failures arrive.
CREATE TABLE signin_throttle (
    throttle_key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    window_started_at TIMESTAMP NOT NULL,
    last_failure_at TIMESTAMP NOT NULL
);
CREATE INDEX signin_throttle_last_failure ON signin_throttle (last_failure_at);
