//! Documents attached to referrals and cases: the metadata and the bytes in one row; lists
//! and reads of metadata never load the bytes, only a download does.

use diesel::prelude::*;
use sistema_lavoro_domain::ids::{AgreementId, CaseId, DocumentId, NetworkId, ReferralId};

use super::schema::{document_downloads, documents};
use super::{new_id, Db, DbConn, Result};

/// A document as stored, bytes included (written once, at upload).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = documents)]
pub struct NewDocument {
    #[diesel(serialize_as = String)]
    pub id: DocumentId,
    pub referral_id: Option<String>,
    pub case_id: Option<String>,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub content: Vec<u8>,
    pub uploaded_by: String,
    pub uploaded_at: chrono::NaiveDateTime,
    pub network_id: Option<String>,
    pub agreement_id: Option<String>,
}

/// What is known of a document without its bytes.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = documents)]
pub struct DocumentMeta {
    #[diesel(deserialize_as = String)]
    pub id: DocumentId,
    pub referral_id: Option<String>,
    pub case_id: Option<String>,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: chrono::NaiveDateTime,
    pub network_id: Option<String>,
    pub agreement_id: Option<String>,
}

impl DocumentMeta {
    pub fn referral_id(&self) -> Option<ReferralId> {
        self.referral_id.clone().map(Into::into)
    }

    pub fn case_id(&self) -> Option<CaseId> {
        self.case_id.clone().map(Into::into)
    }
}

impl NewDocument {
    /// Stores it, the bytes bound by reference (never a copy of the file made here).
    pub fn insert(&self, conn: &mut DbConn) -> Result<()> {
        use documents::*;
        diesel::insert_into(table)
            .values((
                id.eq(self.id.as_str()),
                referral_id.eq(self.referral_id.as_deref()),
                case_id.eq(self.case_id.as_deref()),
                file_name.eq(&self.file_name),
                media_type.eq(&self.media_type),
                size_bytes.eq(self.size_bytes),
                sha256.eq(&self.sha256),
                content.eq(self.content.as_slice()),
                uploaded_by.eq(&self.uploaded_by),
                uploaded_at.eq(self.uploaded_at),
                network_id.eq(self.network_id.as_deref()),
                agreement_id.eq(self.agreement_id.as_deref()),
            ))
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn meta(&self) -> DocumentMeta {
        DocumentMeta {
            id: self.id.clone(),
            referral_id: self.referral_id.clone(),
            case_id: self.case_id.clone(),
            file_name: self.file_name.clone(),
            media_type: self.media_type.clone(),
            size_bytes: self.size_bytes,
            sha256: self.sha256.clone(),
            uploaded_by: self.uploaded_by.clone(),
            uploaded_at: self.uploaded_at,
            network_id: self.network_id.clone(),
            agreement_id: self.agreement_id.clone(),
        }
    }
}

/// Which record a list is of.
#[derive(Debug, Clone)]
pub enum Owner<'a> {
    Referral(&'a ReferralId),
    Case(&'a CaseId),
    /// A network's own files (agreements' texts included).
    Network(&'a NetworkId),
    /// An agreement's signed text.
    Agreement(&'a AgreementId),
}

pub fn find(conn: &mut DbConn, id: &DocumentId) -> Result<DocumentMeta> {
    documents::table
        .find(id.as_str())
        .select(DocumentMeta::as_select())
        .first(conn)
        .db()
}

/// The bytes of a document.
pub fn content(conn: &mut DbConn, id: &DocumentId) -> Result<Vec<u8>> {
    documents::table
        .find(id.as_str())
        .select(documents::content)
        .first(conn)
        .db()
}

/// A record's documents by id (upload order); the cursor is the last one's id.
pub fn of(
    conn: &mut DbConn,
    owner: Owner,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<DocumentMeta>> {
    let mut q = documents::table
        .order(documents::id)
        .select(DocumentMeta::as_select())
        .into_boxed();
    q = match owner {
        Owner::Referral(r) => q.filter(documents::referral_id.eq(r.as_str())),
        Owner::Case(c) => q.filter(documents::case_id.eq(c.as_str())),
        Owner::Network(n) => q.filter(documents::network_id.eq(n.as_str())),
        Owner::Agreement(a) => q.filter(documents::agreement_id.eq(a.as_str())),
    };
    if let Some(a) = after {
        q = q.filter(documents::id.gt(a));
    }
    q.limit(limit + 1).load(conn).db()
}

/// Whether the document belongs to the network (an approval act must be one of its files).
pub fn of_network(conn: &mut DbConn, id: &DocumentId, network_id: &NetworkId) -> Result<bool> {
    let n: i64 = documents::table
        .filter(documents::id.eq(id.as_str()))
        .filter(documents::network_id.eq(network_id.as_str()))
        .count()
        .get_result(conn)
        .db()?;
    Ok(n > 0)
}

pub fn delete(conn: &mut DbConn, id: &DocumentId) -> Result<bool> {
    diesel::delete(documents::table.find(id.as_str()))
        .execute(conn)
        .map(|n| n > 0)
        .db()
}

/// Logs one download (who, when, which).
pub fn record_download(
    conn: &mut DbConn,
    id: &DocumentId,
    user_id: &str,
    at: chrono::NaiveDateTime,
) -> Result<()> {
    diesel::insert_into(document_downloads::table)
        .values((
            document_downloads::id.eq(new_id::<String>()),
            document_downloads::document_id.eq(id.as_str()),
            document_downloads::user_id.eq(user_id),
            document_downloads::at.eq(at),
        ))
        .execute(conn)
        .db()?;
    let mut ctx = super::audit_log::current();
    ctx.actor_id = Some(user_id.to_string());
    super::audit_log::record_as(
        conn,
        &ctx,
        at,
        &[super::audit_log::NewEvent {
            action: "download",
            entity_type: Some("document".into()),
            entity_id: Some(id.to_string()),
            ..Default::default()
        }],
    )
}

/// One logged download.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = document_downloads)]
pub struct Download {
    pub document_id: String,
    pub user_id: String,
    pub at: chrono::NaiveDateTime,
}

/// The downloads of a document, oldest first.
pub fn downloads(conn: &mut DbConn, id: &DocumentId) -> Result<Vec<Download>> {
    document_downloads::table
        .filter(document_downloads::document_id.eq(id.as_str()))
        .order((document_downloads::at, document_downloads::id))
        .select(Download::as_select())
        .load(conn)
        .db()
}
