-- Notifications (notifiche): one row per recipient, written in the transaction of the change
-- it tells (or by the clock-driven worker for what falls due), with the e-mail it calls for.

CREATE TABLE notifications (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    -- JSON object of ids, states, dates and a short name ("Mario R."): never a tax code or a surname.
    params TEXT NOT NULL,
    -- The record in the SPA, e.g. /cases/<id>.
    link TEXT NOT NULL,
    -- What a clock-driven notification is about (one per due date): raised once.
    dedupe_key TEXT UNIQUE,
    -- How it was to be e-mailed when it was made: immediate, daily_digest or off.
    email_mode TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_user_unread ON notifications (user_id, read_at, id);
CREATE INDEX notifications_digest ON notifications (email_mode, created_at);

-- Per person and kind; a kind without a row is e-mailed at once.
CREATE TABLE notification_preferences (
    user_id TEXT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- E-mails to send: one per immediate notification, one per person and day for the digest.
-- Claimed by one worker at a time (lock_token, locked_until), retried with backoff.
CREATE TABLE notification_emails (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    notification_id TEXT REFERENCES notifications(id),
    digest_day DATE,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    lock_token TEXT,
    -- Without personal data: the SMTP error class and code.
    last_error TEXT,
    sent_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, digest_day)
);
CREATE INDEX notification_emails_due ON notification_emails (status, next_attempt_at);
