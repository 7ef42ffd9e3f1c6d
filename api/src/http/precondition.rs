//! Optimistic concurrency: `ETag`s from `updated_at`, and the `If-Match` a write must carry.
//!
//! The handler hands the expected version of the resource it writes to `AppState::db_if`;
//! the loader of that resource calls [`check`] inside the write transaction, so a stale
//! `If-Match` can never slip between the read and the write.

use std::cell::RefCell;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

use super::problem::ApiError;

struct Expected {
    id: String,
    /// `None`: the operation requires `If-Match` and the caller sent none.
    etag: Option<String>,
    checked: bool,
}

thread_local! {
    static EXPECTED: RefCell<Option<Expected>> = const { RefCell::new(None) };
}

/// The strong ETag of a resource version.
pub fn etag_of(updated_at: chrono::NaiveDateTime) -> String {
    format!("\"{}\"", updated_at.and_utc().timestamp_micros())
}

/// The ETag of a JSON representation: its `updated_at` when it has one, else a body hash.
pub fn etag_of_body(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    if let Some(t) = v.get("updated_at").and_then(|t| t.as_str()) {
        let parsed = chrono::DateTime::parse_from_rfc3339(t).ok()?;
        return Some(etag_of(parsed.naive_utc()));
    }
    use sha2::Digest;
    Some(format!(
        "W/\"{}\"",
        &hex::encode(sha2::Sha256::digest(body))[..16]
    ))
}

/// Runs `f` expecting resource `id` at version `etag` (if given).
pub fn with_expected<T>(
    expect: Option<(String, Option<String>)>,
    f: impl FnOnce() -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let Some((id, etag)) = expect else {
        return f();
    };
    EXPECTED.with(|e| {
        *e.borrow_mut() = Some(Expected {
            id,
            etag,
            checked: false,
        })
    });
    let result = f();
    let checked = EXPECTED.with(|e| e.borrow_mut().take().is_some_and(|x| x.checked));
    match result {
        Ok(_) if !checked => Err(ApiError::Internal(
            "If-Match was not checked by this operation".into(),
        )),
        other => other,
    }
}

/// Called by loaders of writable resources: fails with `412` if the caller expected another
/// version of this resource.
pub fn check(id: &str, updated_at: chrono::NaiveDateTime) -> Result<(), ApiError> {
    EXPECTED.with(|e| {
        let mut e = e.borrow_mut();
        match e.as_mut() {
            Some(x) if x.id == id => {
                x.checked = true;
                let current = etag_of(updated_at);
                // Checked after visibility, so a missing header never reveals a hidden record.
                let Some(expected) = &x.etag else {
                    return Err(ApiError::PreconditionRequired);
                };
                let matches = expected
                    .split(',')
                    .map(str::trim)
                    .any(|t| t == "*" || t == current);
                if matches {
                    Ok(())
                } else {
                    Err(ApiError::PreconditionFailed(current))
                }
            }
            _ => Ok(()),
        }
    })
}

/// An optional `If-Match` (actions: their state machine already refuses stale moves).
#[derive(Debug, Clone)]
pub struct IfMatch(pub Option<String>);

impl IfMatch {
    pub fn on(self, id: &str) -> Option<(String, Option<String>)> {
        self.0.map(|e| (id.to_string(), Some(e)))
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let v = req
            .headers()
            .get(actix_web::http::header::IF_MATCH)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        std::future::ready(Ok(IfMatch(v)))
    }
}

/// A required `If-Match` (edits): `428` without it, once the resource is known visible.
#[derive(Debug, Clone)]
pub struct RequireIfMatch(pub Option<String>);

impl RequireIfMatch {
    pub fn on(self, id: &str) -> Option<(String, Option<String>)> {
        Some((id.to_string(), self.0))
    }
}

impl FromRequest for RequireIfMatch {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;
    fn from_request(req: &HttpRequest, p: &mut Payload) -> Self::Future {
        std::future::ready(
            IfMatch::from_request(req, p)
                .into_inner()
                .map(|i| RequireIfMatch(i.0)),
        )
    }
}
