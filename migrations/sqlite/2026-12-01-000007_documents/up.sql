-- Documents attached to a referral or a case (curriculum, attestati), kept in the database
-- with their record: one backup, one transaction with the audit row. The bytes are read only
-- by a download; lists read the metadata columns.
CREATE TABLE documents (
    id TEXT PRIMARY KEY NOT NULL,
    referral_id TEXT REFERENCES referrals(id),
    case_id TEXT REFERENCES cases(id),
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    CHECK ((referral_id IS NULL) <> (case_id IS NULL))
);
CREATE INDEX documents_referral ON documents (referral_id, id);
CREATE INDEX documents_case ON documents (case_id, id);

-- Every download of a document (who, when, which), written in the download's transaction
-- before the bytes leave. No foreign key: the log outlives a deleted document.
CREATE TABLE document_downloads (
    id TEXT PRIMARY KEY NOT NULL,
    document_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX document_downloads_document ON document_downloads (document_id, at);
