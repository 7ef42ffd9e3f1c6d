-- The register of processing activities (art. 30) is generated from the product's catalogue;
-- what the DPO adapts per activity is kept here. The data-breach register (art. 33.5) is
-- the DPO's own.

CREATE TABLE processing_activity_notes (
    district_id TEXT NOT NULL REFERENCES districts(id),
    -- ProcessingActivityCode of the catalogue (domain/src/processing.rs).
    activity_code TEXT NOT NULL,
    notes TEXT,
    -- Replaces the catalogue's retention rule in the register.
    retention_override TEXT,
    -- Recipients the district adds to the catalogue's.
    recipients_extra TEXT,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (district_id, activity_code)
);

CREATE TABLE data_breaches (
    id TEXT PRIMARY KEY NOT NULL,
    district_id TEXT NOT NULL REFERENCES districts(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    discovered_at TIMESTAMP NOT NULL,
    -- JSON lists of BreachDataCategory and BreachSubjectCategory.
    data_categories TEXT NOT NULL,
    subject_categories TEXT NOT NULL,
    subjects_affected INTEGER NOT NULL,
    records_affected INTEGER NOT NULL,
    consequences TEXT NOT NULL,
    measures_taken TEXT NOT NULL,
    -- GaranteNotification: pending, notified, not_required.
    garante_notification TEXT NOT NULL,
    garante_notified_at TIMESTAMP,
    -- Why not notified, or why late.
    notification_reason TEXT,
    subjects_informed_at TIMESTAMP,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((garante_notification = 'notified') = (garante_notified_at IS NOT NULL))
);

CREATE INDEX data_breaches_district ON data_breaches (district_id, id);
