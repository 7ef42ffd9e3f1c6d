-- Exports of lists to CSV/XLSX (ModI non-blocking pattern): the job a caller started, its
-- progress and its file, which expires. The filters are kept with search texts masked.

CREATE TABLE exports (
    id TEXT PRIMARY KEY NOT NULL,
    district_id TEXT NOT NULL REFERENCES districts(id),
    -- The actor who asked (a user id, or client:<id>); only they read it.
    requested_by TEXT NOT NULL,
    -- ExportList: referrals, cases, activations, persons, thresholds, opportunities, …
    list TEXT NOT NULL,
    -- csv or xlsx.
    format TEXT NOT NULL,
    -- The list's filters as JSON (free-text searches replaced by "***").
    filters TEXT NOT NULL,
    -- queued, running, done, failed.
    state TEXT NOT NULL,
    rows_done BIGINT NOT NULL DEFAULT 0,
    error TEXT,
    file_name TEXT,
    bytes BIGINT,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    expires_at TIMESTAMP NOT NULL
);

CREATE INDEX exports_by_expiry ON exports (expires_at);
