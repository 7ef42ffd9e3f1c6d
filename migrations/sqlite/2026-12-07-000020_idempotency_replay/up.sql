-- A key's answer no longer keeps a successful response's body (it held secrets, tokens and
-- personal data for 24 hours): only what a replay needs — the status, the Location, and the
-- path to read the resource again. Problems (4xx) keep theirs.
ALTER TABLE idempotency_keys ADD COLUMN replay_read TEXT;
UPDATE idempotency_keys SET replay_read = response_location, response_body = NULL
    WHERE response_status IS NOT NULL AND response_status < 400;
