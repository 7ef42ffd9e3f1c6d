//! Documents attached to a referral or a case (curriculum, attestati): uploaded by those who
//! work on the record, listed and downloaded by whoever may read it, removed by the uploader
//! or the coordinator. The bytes live in the database with their record; the upload and its
//! audit row are one transaction, and every download is logged (who, when, which) in the
//! transaction that reads the bytes, before they leave.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::ids::{AgreementId, CaseId, DocumentId, NetworkId, ReferralId, UserId};
use sistema_lavoro_domain::policy::{self, ReferralFacts};
use sistema_lavoro_domain::{text, Error, Expected, FieldError, Scope};
use sistema_lavoro_store::agreements::Agreement;
use sistema_lavoro_store::audit::{self, Transition};
use sistema_lavoro_store::cases::Case;
use sistema_lavoro_store::documents::{self as store, DocumentMeta, NewDocument, Owner};
use sistema_lavoro_store::referrals::Referral;
use sistema_lavoro_store::users::User;
use sistema_lavoro_store::{new_id, utc, write_tx, DbConn};
use utoipa::ToSchema;

use super::{case_state, networks, referrals, Page, PageRequest};
use crate::file_kind::{self, FileKind, Refusal};
use crate::Ctx;

/// Largest document accepted: 20 MiB.
pub const MAX_DOCUMENT_BYTES: usize = 20 * 1024 * 1024;

/// The record a document belongs to.
#[derive(Debug, Clone)]
pub enum Target {
    Referral(ReferralId),
    Case(CaseId),
    /// A network's own file (statute, report): those who manage the network attach it.
    Network(NetworkId),
    /// An agreement's signed text (filed with its network too), while draft or signed.
    Agreement(AgreementId),
}

/// A file to attach, as received.
#[derive(Debug, Clone)]
pub struct Upload {
    pub target: Target,
    /// The name the sender gave it (sanitised before it is kept).
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// A document's metadata (never its bytes: `GET /documents/{id}` downloads them).
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct DocumentOut {
    /// Identifier of the document (allegato), a UUID.
    pub id: String,
    /// The referral (segnalazione) it is attached to; absent when attached to a case.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub referral_id: Option<String>,
    /// The case (presa in carico) it is attached to; absent when attached to a referral.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub case_id: Option<String>,
    /// The network (rete) it is filed with; absent for a referral's or a case's.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub network_id: Option<String>,
    /// The agreement whose signed text it is; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub agreement_id: Option<String>,
    /// Nome del file, as sent (last path segment, without control characters), ending with
    /// an extension of its kind.
    #[schema(max_length = 200)]
    pub file_name: String,
    /// The media type recognised from the content (never the declared one): `application/pdf`,
    /// `image/png`, `image/jpeg`, `image/tiff`, DOCX, XLSX, ODT or ODS.
    #[schema(max_length = 100)]
    pub media_type: String,
    /// Size in bytes (at most 20 MiB).
    #[schema(minimum = 1, maximum = 20971520)]
    pub size_bytes: i64,
    /// SHA-256 of the content, computed by the server (64 lowercase hexadecimal digits).
    #[schema(min_length = 64, max_length = 64, pattern = "^[0-9a-f]{64}$")]
    pub sha256: String,
    /// Who uploaded it: a user id, or `client:<id>` for an integration client.
    #[schema(max_length = 64)]
    pub uploaded_by: String,
    /// The uploader's name, when a person uploaded it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_length = 200)]
    pub uploaded_by_name: Option<String>,
    /// When it was uploaded (RFC 3339, UTC).
    pub uploaded_at: chrono::DateTime<chrono::Utc>,
    /// What you may do with it now (`delete`).
    pub allowed_actions: Vec<Action>,
    /// What your role could do but cannot now, and why (always empty today).
    pub blocked_actions: Vec<BlockedAction>,
}

fn out(conn: &mut DbConn, cx: &Ctx, d: DocumentMeta) -> DocumentOut {
    let name = User::find(conn, &UserId::from(d.uploaded_by.as_str()))
        .ok()
        .map(|u| u.full_name);
    let (allowed_actions, blocked_actions) =
        cx.render(policy::document_actions(cx.actor, &d.uploaded_by));
    DocumentOut {
        id: d.id.into(),
        referral_id: d.referral_id,
        case_id: d.case_id,
        network_id: d.network_id,
        agreement_id: d.agreement_id,
        file_name: d.file_name,
        media_type: d.media_type,
        size_bytes: d.size_bytes,
        sha256: d.sha256,
        uploaded_by: d.uploaded_by,
        uploaded_by_name: name,
        uploaded_at: utc(d.uploaded_at),
        allowed_actions,
        blocked_actions,
    }
}

/// What the file is, or why it is refused (`415`, naming the part `file`).
pub fn check(bytes: &[u8]) -> Result<FileKind, Error> {
    if bytes.is_empty() {
        return Err(Error::Validation(vec![FieldError::new(
            "file",
            "empty",
            text!("il file è vuoto", "the file is empty"),
        )]));
    }
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(Error::PayloadTooLarge(MAX_DOCUMENT_BYTES));
    }
    file_kind::recognise(bytes).map_err(|why| {
        let accepted = "PDF, PNG, JPEG, TIFF, DOCX, XLSX, ODT, ODS";
        Error::UnsupportedMediaType(match why {
            Refusal::Macros => text!(
                "file: i documenti con macro non sono accettati; formati ammessi: {accepted}",
                "file: documents with macros are not accepted; accepted formats: {accepted}"
            ),
            Refusal::LegacyOffice => text!(
                "file: i vecchi formati Office (.doc, .xls) non sono accettati; salvarlo come DOCX, XLSX o PDF",
                "file: legacy Office files (.doc, .xls) are not accepted; save it as DOCX, XLSX or PDF"
            ),
            Refusal::OtherArchive | Refusal::Unknown => text!(
                "file: il contenuto non è di un formato ammesso ({accepted})",
                "file: the content is not of an accepted format ({accepted})"
            ),
        })
    })
}

/// Attaches a document as its own transaction (`POST /documents`).
pub fn upload(conn: &mut DbConn, cx: &Ctx, u: Upload) -> Result<DocumentOut, Error> {
    let kind = check(&u.bytes)?;
    write_tx(conn, |conn| attach_checked(conn, cx, u, kind))
}

/// Attaches a document **inside the caller's transaction** — for use cases that produce a
/// document with another change (e.g. a signed agreement with a case's take-charge): call it
/// within their `write_tx`. The same rules as an upload apply (the caller must see the record
/// and may work on it; kinds and size as [`check`]).
pub fn attach(conn: &mut DbConn, cx: &Ctx, u: Upload) -> Result<DocumentOut, Error> {
    let kind = check(&u.bytes)?;
    attach_checked(conn, cx, u, kind)
}

fn attach_checked(
    conn: &mut DbConn,
    cx: &Ctx,
    u: Upload,
    kind: FileKind,
) -> Result<DocumentOut, Error> {
    let (mut network_id, mut agreement_id) = (None, None);
    let (referral_id, case_id) = match &u.target {
        Target::Referral(id) => {
            let r = referrals::visible(conn, cx, id, &Expected::Any)?;
            policy::may_attach_to_referral(
                cx.actor,
                &ReferralFacts {
                    district_id: &r.district_id,
                    organization_id: &r.organization_id,
                    status: r.status,
                },
            )?;
            (Some(r.id.into_inner()), None)
        }
        Target::Case(id) => {
            let c = case_state::visible(conn, cx, id, &Expected::Any)?;
            policy::may_attach_to_case(cx.actor, c.status)?;
            (None, Some(c.id.into_inner()))
        }
        Target::Network(id) => {
            let (n, view) = networks::visible(conn, cx, id, &Expected::Any)?;
            policy::may_manage_network(view)?;
            n.status.edit()?;
            network_id = Some(n.id.into_inner());
            (None, None)
        }
        Target::Agreement(id) => {
            let a = Agreement::find(conn, id).map_err(|_| Error::hidden())?;
            let (_, view) = networks::visible(conn, cx, &a.network_id, &Expected::Any)?;
            if !policy::may_read_network_documents(view) {
                return Err(Error::hidden());
            }
            policy::may_manage_network(view)?;
            a.status.on(a.valid_until, cx.now.today).attach()?;
            network_id = Some(a.network_id.into_inner());
            agreement_id = Some(a.id.into_inner());
            (None, None)
        }
    };
    let sha256 = hex::encode(Sha256::digest(&u.bytes));
    let doc = NewDocument {
        id: new_id(),
        file_name: file_kind::safe_file_name(&u.file_name, kind),
        media_type: kind.media_type().into(),
        size_bytes: i64::try_from(u.bytes.len()).unwrap_or(i64::MAX),
        content: u.bytes,
        uploaded_by: cx.actor.id.clone(),
        uploaded_at: cx.now.at,
        referral_id,
        case_id,
        network_id,
        agreement_id,
        sha256,
    };
    doc.insert(conn)?;
    let meta = doc.meta();
    let owner = owner_note(&meta);
    let note = format!("{owner}; sha256 {}", meta.sha256);
    audit::record(
        conn,
        Transition {
            entity_type: "document",
            entity_id: meta.id.as_str(),
            action: "upload",
            from: None,
            to: "stored",
            reason: Some(&note),
            actor_id: Some(&cx.actor.id),
            at: cx.now.at,
        },
    )?;
    Ok(out(conn, cx, meta))
}

fn owner_note(d: &DocumentMeta) -> String {
    match (&d.referral_id, &d.case_id, &d.network_id, &d.agreement_id) {
        (Some(r), ..) => format!("referral {r}"),
        (_, Some(c), ..) => format!("case {c}"),
        (_, _, _, Some(a)) => format!("agreement {a}"),
        (_, _, Some(n), _) => format!("network {n}"),
        _ => String::new(),
    }
}

/// Whether the caller may read the referral's documents (else `404`).
fn readable_referral(conn: &mut DbConn, cx: &Ctx, id: &ReferralId) -> Result<Referral, Error> {
    let r = referrals::visible(conn, cx, id, &Expected::Any)?;
    if !policy::may_read_documents(cx.actor, Scope::ReferralsRead) {
        return Err(Error::hidden());
    }
    Ok(r)
}

/// Whether the caller may read the case's documents (else `404`).
fn readable_case(conn: &mut DbConn, cx: &Ctx, id: &CaseId) -> Result<Case, Error> {
    let c = case_state::visible(conn, cx, id, &Expected::Any)?;
    if !policy::may_read_documents(cx.actor, Scope::CasesRead) {
        return Err(Error::hidden());
    }
    Ok(c)
}

/// Whether the caller may read the network's documents (its members' users, those who
/// manage it; else `404`).
fn readable_network(conn: &mut DbConn, cx: &Ctx, id: &NetworkId) -> Result<NetworkId, Error> {
    let (n, view) = networks::visible(conn, cx, id, &Expected::Any)?;
    if !policy::may_read_network_documents(view) {
        return Err(Error::hidden());
    }
    Ok(n.id)
}

/// The documents of a network (its own files and its agreements' texts), in upload order.
pub fn of_network(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &NetworkId,
    page: &PageRequest,
) -> Result<Page<DocumentOut>, Error> {
    let n = readable_network(conn, cx, id)?;
    let rows = store::of(conn, Owner::Network(&n), page.after(), page.limit)?;
    page_of(conn, cx, rows, page)
}

/// The documents of an agreement (its signed text), in upload order.
pub fn of_agreement(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &AgreementId,
    page: &PageRequest,
) -> Result<Page<DocumentOut>, Error> {
    let a = Agreement::find(conn, id).map_err(|_| Error::hidden())?;
    readable_network(conn, cx, &a.network_id)?;
    let rows = store::of(conn, Owner::Agreement(&a.id), page.after(), page.limit)?;
    page_of(conn, cx, rows, page)
}

/// A document whose record the caller may read (else `404`).
fn readable(conn: &mut DbConn, cx: &Ctx, id: &DocumentId) -> Result<DocumentMeta, Error> {
    let d = store::find(conn, id).map_err(|_| Error::hidden())?;
    match (d.referral_id(), d.case_id()) {
        (Some(r), _) => readable_referral(conn, cx, &r).map(drop)?,
        (_, Some(c)) => readable_case(conn, cx, &c).map(drop)?,
        _ => match &d.network_id {
            Some(n) => readable_network(conn, cx, &NetworkId::from(n.as_str())).map(drop)?,
            None => return Err(Error::hidden()),
        },
    }
    Ok(d)
}

/// The documents of a referral, in upload order (metadata only).
pub fn of_referral(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ReferralId,
    page: &PageRequest,
) -> Result<Page<DocumentOut>, Error> {
    let r = readable_referral(conn, cx, id)?;
    let rows = store::of(conn, Owner::Referral(&r.id), page.after(), page.limit)?;
    page_of(conn, cx, rows, page)
}

/// The documents of a case, in upload order (metadata only).
pub fn of_case(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CaseId,
    page: &PageRequest,
) -> Result<Page<DocumentOut>, Error> {
    let c = readable_case(conn, cx, id)?;
    let rows = store::of(conn, Owner::Case(&c.id), page.after(), page.limit)?;
    page_of(conn, cx, rows, page)
}

fn page_of(
    conn: &mut DbConn,
    cx: &Ctx,
    rows: Vec<DocumentMeta>,
    page: &PageRequest,
) -> Result<Page<DocumentOut>, Error> {
    Page::of(
        rows,
        page.limit,
        |d| d.id.clone().into(),
        |d| Ok(out(conn, cx, d)),
    )
}

/// A document's metadata and bytes; the download is logged (who, when, which) in the same
/// transaction, so no download that was answered goes unrecorded.
pub fn download(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &DocumentId,
) -> Result<(DocumentOut, Vec<u8>), Error> {
    write_tx(conn, |conn| {
        let d = readable(conn, cx, id)?;
        let bytes = store::content(conn, &d.id)?;
        store::record_download(conn, &d.id, &cx.actor.id, cx.now.at)?;
        Ok((out(conn, cx, d), bytes))
    })
}

/// Removes a document (the uploader or the coordinator), recording who and when.
pub fn delete(conn: &mut DbConn, cx: &Ctx, id: &DocumentId) -> Result<(), Error> {
    write_tx(conn, |conn| {
        let d = readable(conn, cx, id)?;
        policy::may_delete_document(cx.actor, &d.uploaded_by)?;
        if !store::delete(conn, &d.id)? {
            return Err(Error::hidden());
        }
        let note = format!("{}; {}", owner_note(&d), d.file_name);
        audit::record(
            conn,
            Transition {
                entity_type: "document",
                entity_id: d.id.as_str(),
                action: "delete",
                from: Some("stored"),
                to: "deleted",
                reason: Some(&note),
                actor_id: Some(&cx.actor.id),
                at: cx.now.at,
            },
        )
    })
}
