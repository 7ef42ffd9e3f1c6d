//! `/documents`: files attached to referrals and cases (curriculum, attestati), uploaded as
//! `multipart/form-data`, downloaded as the bytes they are.
//!
//! The body is read as it streams and refused (`413`) as soon as it passes the limit — a
//! `Content-Length` past it is refused before a byte is read —, so no upload is buffered
//! beyond [`UPLOAD_BODY_LIMIT`]. What the file is comes from its content
//! ([`sistema_lavoro_app::file_kind`]), never from its name or declared type.

use actix_web::http::{header, ConnectionType};
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse, Responder, ResponseError};
use sistema_lavoro_app::workflow::documents::{self as docs, DocumentOut, Target, Upload};
use sistema_lavoro_app::workflow::Page;
use sistema_lavoro_domain::ids::{CaseId, DocumentId, ReferralId};
use sistema_lavoro_domain::{text, Error, FieldError};
use utoipa::ToSchema;

pub use docs::MAX_DOCUMENT_BYTES;

use crate::extract::{
    AttachDocuments, Caller, Hidden, PageQuery, ReadCases, ReadDocuments, ReadReferrals,
};
use crate::params::{path_id, ValidQuery};
use crate::precondition::IdempotencyKey;
use crate::problem::{lang_of, ApiError};
use crate::respond::{CreatedAt, Listed};
use crate::AppState;

/// The largest upload body read: the file at its limit, plus the other parts and the
/// multipart framing.
pub const UPLOAD_BODY_LIMIT: usize = MAX_DOCUMENT_BYTES + 64 * 1024;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(upload)
        .service(download)
        .service(remove)
        .service(of_referral)
        .service(of_case);
}

/// A document to attach (`multipart/form-data`): the part `file` and exactly one of
/// `referral_id` and `case_id`.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct DocumentUpload {
    /// The file (at most 20 MiB): PDF, PNG, JPEG, TIFF, DOCX, XLSX, ODT or ODS, recognised
    /// by its content; documents with macros and legacy Office files (.doc, .xls) are refused
    /// (`415`). The part's file name is kept (sanitised), its declared type ignored.
    #[schema(value_type = String, format = Binary, max_length = 20971520)]
    pub file: Vec<u8>,
    /// The referral (segnalazione) to attach it to; exactly one of `referral_id` and `case_id`.
    #[schema(max_length = 64, nullable = false)]
    pub referral_id: Option<String>,
    /// The case (presa in carico) to attach it to; exactly one of `referral_id` and `case_id`.
    #[schema(max_length = 64, nullable = false)]
    pub case_id: Option<String>,
}

/// Attach a document to a referral or a case (multipart upload).
///
/// Stores the file in the database with its record, in one transaction with its audit row;
/// answers the metadata (`sha256` computed by the server) and `Location`. The referrer may
/// attach to its own referral while open, the coordinator to any referral or case it sees, the
/// agency operator to its case while open (clients: `referrals:write` or `cases:write`); a
/// record the caller may not see is `404`. The file is at most 20 MiB (`413` past it, the body
/// no longer read), and must be a PDF, PNG, JPEG, TIFF, DOCX, XLSX, ODT or ODS by its content
/// (`415` otherwise, naming the part `file`); an empty file is `422`.
#[utoipa::path(tag = "documents",
    request_body(content = DocumentUpload, content_type = "multipart/form-data",
        description = "The part `file` (at most 20 MiB = 20971520 bytes) and `referral_id` or `case_id`"),
    params(IdempotencyKey),
    responses((status = 201, body = DocumentOut),
        (status = 413, description = "The file is larger than 20 MiB (20971520 bytes)", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `multipart/form-data`, or the part `file` is not PDF, PNG, JPEG, TIFF, DOCX, XLSX, ODT or ODS by its content (macro-enabled and legacy Office files are refused)", body = crate::problem::Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("client_credentials" = ["referrals:write"]), ("client_credentials" = ["cases:write"])))]
#[post("/documents")]
pub async fn upload(
    state: web::Data<AppState>,
    caller: Caller<AttachDocuments>,
    req: HttpRequest,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let lang = lang_of(&req);
    let u = match read_upload(&req, &mut payload).await {
        Ok(u) => u,
        Err(e @ Error::PayloadTooLarge(_)) => return Ok(too_large(e, lang, payload).await),
        Err(e) => return Err(ApiError::new(e, lang)),
    };
    let d = state
        .run(caller, move |conn, cx| docs::upload(conn, cx, u))
        .await?;
    Ok(CreatedAt(format!("/api/v1/documents/{}", d.id), d).respond_to(&req))
}

/// The `413` of an upload, after which what is left of the body is not read: the unread
/// request payload is held by the answer's body until it is sent, so the server closes the
/// connection instead of draining the rest (which it would do for a dropped chunked body).
pub(crate) async fn too_large(
    e: Error,
    lang: sistema_lavoro_domain::i18n::Lang,
    payload: web::Payload,
) -> HttpResponse {
    let r = ApiError::new(e, lang).error_response();
    let (mut r, body) = r.into_parts();
    let bytes = actix_web::body::to_bytes(body).await.unwrap_or_default();
    r.head_mut().set_connection_type(ConnectionType::Close);
    r.set_body(HoldingPayload {
        bytes: Some(bytes),
        _payload: payload,
    })
    .map_into_boxed_body()
}

/// A response body that keeps the request's payload alive until it is written.
struct HoldingPayload {
    bytes: Option<web::Bytes>,
    _payload: web::Payload,
}

impl actix_web::body::MessageBody for HoldingPayload {
    type Error = std::convert::Infallible;

    fn size(&self) -> actix_web::body::BodySize {
        actix_web::body::BodySize::Sized(self.bytes.as_ref().map_or(0, |b| b.len() as u64))
    }

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<web::Bytes, Self::Error>>> {
        std::task::Poll::Ready(self.get_mut().bytes.take().map(Ok))
    }
}

/// Download a document: its bytes, as the kind recognised at upload. The download is logged.
///
/// Answers the file with its `Content-Type`, `Content-Disposition: attachment` (the kept file
/// name), `X-Content-Type-Options: nosniff` and `Cache-Control: no-store`. Who downloaded it
/// and when is recorded before the bytes leave. Whoever may read the referral or case it is
/// attached to may download it (clients: `referrals:read` or `cases:read`); others get `404`.
#[utoipa::path(tag = "documents", params(("id" = String, Path, description = "Document id")),
    responses((status = 200, description = "The file's bytes", body = String, content_type = "application/pdf")),
    security(("bearer" = []), ("client_credentials" = ["referrals:read"]), ("client_credentials" = ["cases:read"])))]
#[get("/documents/{id}")]
pub async fn download(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadDocuments>>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id::<DocumentId>("id", id.into_inner())?;
    let (d, bytes) = state
        .run(caller, move |conn, cx| docs::download(conn, cx, &id))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, d.media_type.clone()))
        .insert_header((header::CONTENT_DISPOSITION, disposition(&d.file_name)))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes))
}

/// Delete a document (its uploader or the coordinator); recorded in the audit trail.
///
/// Removes the document and its bytes; the audit trail keeps who deleted it and when, and the
/// download log stays. The uploader or the coordinator only (`403` for others who see it,
/// `404` for those who do not).
#[utoipa::path(tag = "documents", params(("id" = String, Path, description = "Document id")),
    responses((status = 204, description = "Deleted")),
    security(("bearer" = []), ("client_credentials" = ["referrals:write"]), ("client_credentials" = ["cases:write"])))]
#[delete("/documents/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: Caller<Hidden<AttachDocuments>>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id::<DocumentId>("id", id.into_inner())?;
    state
        .run(caller, move |conn, cx| docs::delete(conn, cx, &id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The documents attached to a referral, in upload order (metadata only).
///
/// Same callers and visibility as reading the referral (`404` otherwise); each document lists
/// `delete` in its `allowed_actions` for its uploader and the coordinator.
#[utoipa::path(tag = "documents", params(("id" = String, Path, description = "Referral id"), PageQuery),
    responses((status = 200, body = Page<DocumentOut>)),
    security(("bearer" = []), ("client_credentials" = ["referrals:read"])))]
#[get("/referrals/{id}/documents")]
pub async fn of_referral(
    state: web::Data<AppState>,
    caller: Caller<ReadReferrals>,
    id: web::Path<String>,
    pq: ValidQuery<PageQuery>,
) -> Result<Listed<DocumentOut>, ApiError> {
    let id = path_id::<ReferralId>("id", id.into_inner())?;
    let page = pq.request()?;
    Ok(Listed(
        state
            .run(caller, move |conn, cx| {
                docs::of_referral(conn, cx, &id, &page)
            })
            .await?,
    ))
}

/// The documents attached to a case, in upload order (metadata only).
///
/// Same callers and visibility as reading the case (`404` otherwise); each document lists
/// `delete` in its `allowed_actions` for its uploader and the coordinator.
#[utoipa::path(tag = "documents", params(("id" = String, Path, description = "Case id"), PageQuery),
    responses((status = 200, body = Page<DocumentOut>)),
    security(("bearer" = []), ("client_credentials" = ["cases:read"])))]
#[get("/cases/{id}/documents")]
pub async fn of_case(
    state: web::Data<AppState>,
    caller: Caller<ReadCases>,
    id: web::Path<String>,
    pq: ValidQuery<PageQuery>,
) -> Result<Listed<DocumentOut>, ApiError> {
    let id = path_id::<CaseId>("id", id.into_inner())?;
    let page = pq.request()?;
    Ok(Listed(
        state
            .run(caller, move |conn, cx| docs::of_case(conn, cx, &id, &page))
            .await?,
    ))
}

// ------------------------------------------------------------------ multipart

/// `attachment; filename="…"` with an ASCII fallback and the exact name as RFC 5987
/// `filename*` (UTF-8, percent-encoded): no quote, backslash or line break can reach the header.
pub(crate) fn disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' && c != '%' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

fn malformed(why: &str) -> Error {
    let why = why.to_string();
    Error::MalformedBody(text!(
        "corpo multipart/form-data non valido: {why}",
        "invalid multipart/form-data body: {why}"
    ))
}

fn boundary_of(req: &HttpRequest) -> Result<String, Error> {
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("none")
        .to_string();
    let mut parts = ct.split(';');
    let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    if media != "multipart/form-data" {
        return Err(Error::UnsupportedMediaType(text!(
            "{ct}; inviare Content-Type: multipart/form-data",
            "{ct}; send Content-Type: multipart/form-data"
        )));
    }
    parts
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.trim().trim_matches('"').to_string())
        .filter(|b| !b.is_empty() && b.len() <= 70)
        .ok_or_else(|| malformed("boundary mancante / missing boundary"))
}

/// Reads the body as it streams, stopping past [`UPLOAD_BODY_LIMIT`].
async fn read_limited(req: &HttpRequest, payload: &mut web::Payload) -> Result<Vec<u8>, Error> {
    use futures_util::StreamExt;
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > UPLOAD_BODY_LIMIT as u64) {
        return Err(Error::PayloadTooLarge(MAX_DOCUMENT_BYTES));
    }
    // Sized once from the declared length (bounded above), so growing never holds two copies.
    let mut body = Vec::with_capacity(declared.map_or(64 * 1024, |n| n as usize));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            Error::MalformedBody(text!(
                "impossibile leggere il corpo della richiesta: {e}",
                "cannot read the body: {e}"
            ))
        })?;
        if body.len() + chunk.len() > UPLOAD_BODY_LIMIT {
            return Err(Error::PayloadTooLarge(MAX_DOCUMENT_BYTES));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// One part of a `multipart/form-data` body.
struct Part<'a> {
    name: String,
    filename: Option<String>,
    data: &'a [u8],
    /// Where `data` lies in the body, so the file can be taken out of it without a copy.
    span: std::ops::Range<usize>,
}

/// The body cut down to the file's bytes, in place: the upload is held in memory once.
fn take_span(mut body: Vec<u8>, span: std::ops::Range<usize>) -> Vec<u8> {
    body.truncate(span.end);
    body.drain(..span.start);
    body
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let first = needle[0];
    let mut i = from;
    while i + needle.len() <= hay.len() {
        match hay[i..].iter().position(|&b| b == first) {
            None => return None,
            Some(p) => {
                let at = i + p;
                if hay.get(at..at + needle.len()) == Some(needle) {
                    return Some(at);
                }
                i = at + 1;
            }
        }
    }
    None
}

/// The value of `key=` in a `Content-Disposition` header (quoted or not).
fn param(header: &str, key: &str) -> Option<String> {
    let lower = header.to_ascii_lowercase();
    let needle = format!("{key}=");
    let mut from = 0;
    while let Some(p) = lower[from..].find(&needle) {
        let at = from + p;
        let before = lower[..at].trim_end();
        if before.ends_with(';') {
            let rest = &header[at + needle.len()..];
            return Some(if let Some(q) = rest.strip_prefix('"') {
                q.split('"').next().unwrap_or_default().to_string()
            } else {
                rest.split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_string()
            });
        }
        from = at + needle.len();
    }
    None
}

fn parts<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<Part<'a>>, Error> {
    let delim = format!("--{boundary}");
    let delim = delim.as_bytes();
    let mut at = find(body, delim, 0).ok_or_else(|| malformed("nessuna parte / no parts"))?;
    let mut out = Vec::new();
    loop {
        let after = at + delim.len();
        if body.get(after..after + 2) == Some(b"--") {
            return Ok(out);
        }
        let start = match body.get(after..after + 2) {
            Some(b"\r\n") => after + 2,
            _ => {
                return Err(malformed(
                    "delimitatore senza CRLF / delimiter without CRLF",
                ))
            }
        };
        let head_end = find(body, b"\r\n\r\n", start).ok_or_else(|| {
            malformed("intestazioni della parte incomplete / unterminated part headers")
        })?;
        let head = std::str::from_utf8(&body[start..head_end])
            .map_err(|_| malformed("intestazioni non UTF-8 / headers not UTF-8"))?;
        let disposition = head
            .split("\r\n")
            .find_map(|l| {
                l.split_once(':')
                    .filter(|(k, _)| k.trim().eq_ignore_ascii_case("content-disposition"))
                    .map(|(_, v)| v.trim().to_string())
            })
            .ok_or_else(|| {
                malformed("parte senza Content-Disposition / part without Content-Disposition")
            })?;
        let name = param(&disposition, "name")
            .ok_or_else(|| malformed("parte senza nome / part without a name"))?;
        let data_start = head_end + 4;
        let mut next_delim = Vec::with_capacity(delim.len() + 2);
        next_delim.extend_from_slice(b"\r\n");
        next_delim.extend_from_slice(delim);
        let end = find(body, &next_delim, data_start)
            .ok_or_else(|| malformed("parte non terminata / unterminated part"))?;
        out.push(Part {
            filename: param(&disposition, "filename"),
            name,
            data: &body[data_start..end],
            span: data_start..end,
        });
        at = end + 2;
    }
}

fn text_part(p: &Part, max: usize) -> Result<String, Error> {
    let v = std::str::from_utf8(p.data)
        .map_err(|_| {
            Error::Validation(vec![FieldError::new(
                p.name.clone(),
                "type",
                text!("deve essere testo UTF-8", "must be UTF-8 text"),
            )])
        })?
        .trim()
        .to_string();
    if let Some(e) = sistema_lavoro_domain::values::check_raw_text(&p.name, &p.name, &v) {
        return Err(Error::Validation(vec![e]));
    }
    if v.chars().count() > max {
        return Err(Error::Validation(vec![FieldError::new(
            p.name.clone(),
            "length",
            text!(
                "deve avere al massimo {max} caratteri",
                "must be at most {max} characters"
            ),
        )]));
    }
    Ok(v)
}

/// The upload, from the multipart body: every field error at once.
async fn read_upload(req: &HttpRequest, payload: &mut web::Payload) -> Result<Upload, Error> {
    let boundary = boundary_of(req)?;
    let body = read_limited(req, payload).await?;
    let mut file: Option<(String, std::ops::Range<usize>)> = None;
    let (mut referral, mut case) = (None, None);
    let mut errors = Vec::new();
    for p in parts(&body, &boundary)? {
        let twice = || {
            FieldError::new(
                p.name.clone(),
                "duplicate",
                text!("inviato più di una volta", "is sent more than once"),
            )
        };
        match p.name.as_str() {
            "file" if file.is_some() => errors.push(twice()),
            "file" => {
                file = Some((p.filename.clone().unwrap_or_default(), p.span.clone()));
            }
            "referral_id" | "case_id" => {
                let v = match text_part(&p, sistema_lavoro_domain::ids::MAX_LEN) {
                    Ok(v) => v,
                    Err(Error::Validation(mut e)) => {
                        errors.append(&mut e);
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                let slot = if p.name == "referral_id" {
                    &mut referral
                } else {
                    &mut case
                };
                if slot.is_some() {
                    errors.push(twice());
                } else if !v.is_empty() {
                    *slot = Some(v);
                }
            }
            other => errors.push(FieldError::new(
                other.to_string(),
                "unknown",
                text!("parte non prevista", "is not an expected part"),
            )),
        }
    }
    if file.is_none() {
        errors.push(FieldError::required("file"));
    }
    let target = match (referral, case) {
        (Some(r), None) => Some(Target::Referral(ReferralId::from(r))),
        (None, Some(c)) => Some(Target::Case(CaseId::from(c))),
        (None, None) => {
            errors.push(FieldError::new(
                "referral_id",
                "required",
                text!(
                    "indicare referral_id oppure case_id",
                    "give referral_id or case_id"
                ),
            ));
            None
        }
        (Some(_), Some(_)) => {
            errors.push(FieldError::new(
                "case_id",
                "exclusive",
                text!(
                    "indicare solo uno tra referral_id e case_id",
                    "give only one of referral_id and case_id"
                ),
            ));
            None
        }
    };
    match (file, target) {
        (Some((file_name, span)), Some(target)) if errors.is_empty() => Ok(Upload {
            target,
            file_name,
            bytes: take_span(body, span),
        }),
        _ => Err(Error::Validation(errors)),
    }
}

/// The part `file` alone, from a multipart body (a network's or an agreement's document: the
/// owner is in the path).
pub(crate) async fn read_file(
    req: &HttpRequest,
    payload: &mut web::Payload,
) -> Result<(String, Vec<u8>), Error> {
    let boundary = boundary_of(req)?;
    let body = read_limited(req, payload).await?;
    let mut file: Option<(String, std::ops::Range<usize>)> = None;
    let mut errors = Vec::new();
    for p in parts(&body, &boundary)? {
        match p.name.as_str() {
            "file" if file.is_some() => errors.push(FieldError::new(
                "file",
                "duplicate",
                text!("inviato più di una volta", "is sent more than once"),
            )),
            "file" => file = Some((p.filename.clone().unwrap_or_default(), p.span.clone())),
            other => errors.push(FieldError::new(
                other.to_string(),
                "unknown",
                text!("parte non prevista", "is not an expected part"),
            )),
        }
    }
    match file {
        Some((name, span)) if errors.is_empty() => Ok((name, take_span(body, span))),
        None => {
            errors.push(FieldError::required("file"));
            Err(Error::Validation(errors))
        }
        Some(_) => Err(Error::Validation(errors)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_cut_out_of_the_body_in_place_not_copied() {
        let body = b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4 bytes\r\n--B--\r\n".to_vec();
        let span = parts(&body, "B").unwrap_or_default()[0].span.clone();
        let at = body.as_ptr();
        let file = take_span(body, span);
        assert_eq!(file, b"%PDF-1.4 bytes");
        // The same allocation: the upload's bytes exist once in memory.
        assert_eq!(file.as_ptr(), at);
    }

    #[test]
    fn parts_are_split_on_the_boundary_and_names_read_from_the_disposition() {
        let body = b"preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"case_id\"\r\n\r\nc1\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a b.pdf\"\r\nContent-Type: text/plain\r\n\r\n%PDF-1\r\n--X\r\n--XyZ--\r\n";
        let p = parts(body, "XyZ").unwrap_or_default();
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].name.as_str(), p[0].data), ("case_id", &b"c1"[..]));
        assert_eq!(p[1].filename.as_deref(), Some("a b.pdf"));
        assert_eq!(p[1].data, b"%PDF-1\r\n--X");
        assert!(parts(
            b"--XyZ\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nno end",
            "XyZ"
        )
        .is_err());
    }

    #[test]
    fn the_file_name_cannot_break_out_of_the_header() {
        assert_eq!(
            disposition("cv \"x\"\\è.pdf"),
            "attachment; filename=\"cv _x___.pdf\"; filename*=UTF-8''cv%20%22x%22%5C%C3%A8.pdf"
        );
    }
}
