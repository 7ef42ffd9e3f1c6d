CREATE TABLE documents_old (
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
INSERT INTO documents_old SELECT id, referral_id, case_id, file_name, media_type, size_bytes,
       sha256, content, uploaded_by, uploaded_at FROM documents WHERE network_id IS NULL;
DROP TABLE documents;
ALTER TABLE documents_old RENAME TO documents;
CREATE INDEX documents_referral ON documents (referral_id, id);
CREATE INDEX documents_case ON documents (case_id, id);
DROP TABLE agreements;
DROP TABLE join_requests;
