//! Cross-cutting HTTP behaviour in one place: ETags and `Link` headers on responses,
//! `Idempotency-Key` replay on `POST`, and per-caller rate limits.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use actix_web::body::{to_bytes, BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse, ResponseError};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::precondition::etag_of_body;
use super::problem::ApiError;
use super::AppState;
use crate::store::schema::idempotency_keys;
use crate::store::{now, DbConn};

fn is_json(res: &ServiceResponse<BoxBody>) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// Adds `ETag` (the resource's version, for `If-Match`) and `Cache-Control: no-store`
/// (personal data is never cached) to successful JSON responses, and turns a list's `next`
/// cursor into `Link: <…>; rel="next"`. No `304`s: a composite view (a case with its
/// measures) can change while its resource's version does not.
pub async fn conditional<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let is_get = req.method() == Method::GET;
    let path = req.path().to_string();
    let query = req.query_string().to_string();
    let res = next.call(req).await?.map_into_boxed_body();
    if !res.status().is_success()
        || !is_json(&res)
        || !path.starts_with("/api/v1/")
        || path == "/api/v1/openapi.json"
    {
        return Ok(res);
    }
    let (req, res) = res.into_parts();
    let status = res.status();
    let headers = res.headers().clone();
    let body = to_bytes(res.into_body())
        .await
        .map_err(|_| ApiError::Internal("response body".into()))?;
    let etag = etag_of_body(&body);
    let mut out = HttpResponse::build(status);
    for (k, v) in headers.iter() {
        out.append_header((k.clone(), v.clone()));
    }
    if let Some(tag) = etag {
        out.insert_header((header::ETAG, tag));
    }
    out.insert_header((header::CACHE_CONTROL, "no-store"));
    if is_get {
        if let Some(next) = next_cursor(&body) {
            let mut params: Vec<(String, String)> =
                serde_urlencoded::from_str(&query).unwrap_or_default();
            params.retain(|(k, _)| k != "after");
            params.push(("after".into(), next));
            let q = serde_urlencoded::to_string(&params).unwrap_or_default();
            if let Ok(v) = HeaderValue::from_str(&format!("<{path}?{q}>; rel=\"next\"")) {
                out.insert_header((header::LINK, v));
            }
        }
    }
    Ok(ServiceResponse::new(req, out.body(body)))
}

fn next_cursor(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    if v.get("items")?.is_array() {
        v.get("next")?.as_str().map(String::from)
    } else {
        None
    }
}

// ------------------------------------------------------------------ idempotency

/// `POST` with `Idempotency-Key`: the same key and body replays the first response; the same
/// key with another body is `422`; a duplicate while the first is running is `409`. Keys are
/// per caller and kept 24 hours.
pub async fn idempotency<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    // A key that is not visible ASCII is refused, never silently ignored.
    let key = req.headers().get("idempotency-key").map(|v| {
        v.to_str()
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|_| "\u{0}".into())
    });
    let (Some(key), true) = (key, req.method() == Method::POST) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    if key.is_empty() || key.len() > 255 || !key.chars().all(|c| c.is_ascii_graphic()) {
        let e = ApiError::BadParameter(
            "Idempotency-Key must be 1 to 255 visible ASCII characters".into(),
        );
        return Ok(req.into_response(e.error_response()));
    }
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    // The caller, from its token; without a valid token the handler answers 401 anyway.
    let caller = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .and_then(|t| state.keys.verify(t.trim()).ok())
        .map(|c| c.sub);
    let Some(caller) = caller else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let (http_req, mut payload) = req.into_parts();
    let body = {
        use futures_util::StreamExt;
        let mut buf = web::BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk?;
            let limit = super::extract::body_limit(http_req.path());
            if buf.len() + chunk.len() > limit {
                let e = ApiError::PayloadTooLarge(limit);
                return Ok(ServiceResponse::new(http_req, e.error_response()));
            }
            buf.extend_from_slice(&chunk);
        }
        buf.freeze()
    };
    let hash = hex::encode(Sha256::digest(
        [http_req.path().as_bytes(), b"\n", &body].concat(),
    ));
    let (c2, k2, h2) = (caller.clone(), key.clone(), hash.clone());
    let claim = state.db(move |conn| claim_key(conn, &c2, &k2, &h2)).await;
    match claim {
        Err(e) => return Ok(ServiceResponse::new(http_req, e.error_response())),
        Ok(Claim::Replay(st, b, l, ct)) => {
            return Ok(ServiceResponse::new(http_req, replay(st, b, l, ct)))
        }
        Ok(Claim::Fresh) => {}
    }
    let req = ServiceRequest::from_parts(http_req, Payload::from(body));
    let res = next.call(req).await?.map_into_boxed_body();
    let (req, res) = res.into_parts();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = to_bytes(res.into_body())
        .await
        .map_err(|_| ApiError::Internal("response body".into()))?;
    let location = headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let text = String::from_utf8_lossy(&bytes).to_string();
    let st = status.as_u16() as i32;
    // Server errors are not remembered: the client may retry them.
    let _ = state
        .db(move |conn| {
            if st >= 500 {
                diesel::delete(idempotency_keys::table.find((&caller, &key))).execute(conn)?;
            } else {
                diesel::update(idempotency_keys::table.find((&caller, &key)))
                    .set((
                        idempotency_keys::state.eq("done"),
                        idempotency_keys::response_status.eq(Some(st)),
                        idempotency_keys::response_body.eq(Some(text)),
                        idempotency_keys::response_location.eq(location),
                        idempotency_keys::response_content_type.eq(content_type),
                    ))
                    .execute(conn)?;
            }
            Ok(())
        })
        .await;
    let mut out = HttpResponse::build(status);
    for (k, v) in headers.iter() {
        out.append_header((k.clone(), v.clone()));
    }
    Ok(ServiceResponse::new(req, out.body(bytes)))
}

/// Seconds after which a claim still `running` is taken to be abandoned (its process died):
/// well beyond the longest request, which the HTTP server's own timeouts bound.
pub const ABANDONED_AFTER_SECS: i64 = 120;

enum Claim {
    Fresh,
    /// Status, body, `Location`, `Content-Type` of the first response.
    Replay(u16, String, Option<String>, Option<String>),
}

fn replay(status: u16, body: String, location: Option<String>, ct: Option<String>) -> HttpResponse {
    let mut r = HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::OK));
    if let Some(l) = location {
        r.insert_header((header::LOCATION, l));
    }
    r.insert_header((
        header::CONTENT_TYPE,
        ct.unwrap_or_else(|| "application/json".into()),
    ));
    r.insert_header(("Idempotency-Replayed", "true"));
    r.body(body)
}

fn claim_key(conn: &mut DbConn, caller: &str, key: &str, hash: &str) -> Result<Claim, ApiError> {
    let at = now();
    // Forget keys older than 24 hours.
    diesel::delete(
        idempotency_keys::table
            .filter(idempotency_keys::created_at.lt(at - chrono::Duration::hours(24))),
    )
    .execute(conn)?;
    let inserted = diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::caller.eq(caller),
            idempotency_keys::idem_key.eq(key),
            idempotency_keys::request_hash.eq(hash),
            idempotency_keys::state.eq("running"),
            idempotency_keys::created_at.eq(at),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => return Ok(Claim::Fresh),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => {}
        Err(e) => return Err(e.into()),
    }
    let (req_hash, state, status, body, location, ct): (
        String,
        String,
        Option<i32>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) = idempotency_keys::table
        .find((caller, key))
        .select((
            idempotency_keys::request_hash,
            idempotency_keys::state,
            idempotency_keys::response_status,
            idempotency_keys::response_body,
            idempotency_keys::response_location,
            idempotency_keys::response_content_type,
        ))
        .first(conn)?;
    if req_hash != hash {
        return Err(ApiError::IdempotencyMismatch(
            "this Idempotency-Key was used with another request body; use a new key".into(),
        ));
    }
    if state != "done" {
        // A claim older than any request can run was left by a process that died mid-request:
        // nothing was answered, so the retry takes the claim over and runs.
        let abandoned_before = at - chrono::Duration::seconds(ABANDONED_AFTER_SECS);
        let taken = diesel::update(
            idempotency_keys::table
                .find((caller, key))
                .filter(idempotency_keys::state.eq("running"))
                .filter(idempotency_keys::created_at.lt(abandoned_before)),
        )
        .set(idempotency_keys::created_at.eq(at))
        .execute(conn)?;
        if taken == 1 {
            return Ok(Claim::Fresh);
        }
        return Err(ApiError::conflict(
            "idempotency_in_progress",
            "a request with this Idempotency-Key is still being processed",
        ));
    }
    Ok(Claim::Replay(
        status.unwrap_or(200) as u16,
        body.unwrap_or_default(),
        location,
        ct,
    ))
}

// ------------------------------------------------------------------ rate limits

/// Token buckets per caller (user or client; the address when anonymous), per instance.
pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token; `Err(seconds)` to wait when the bucket is empty.
    pub fn take(&self, who: &str) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let cap = f64::from(self.per_minute);
        let rate = cap / 60.0;
        let mut map = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, (tokens, at)| *tokens < cap && at.elapsed().as_secs() < 120);
        }
        let entry = map.entry(who.to_string()).or_insert((cap, Instant::now()));
        let refill = entry.1.elapsed().as_secs_f64() * rate;
        entry.0 = (entry.0 + refill).min(cap);
        entry.1 = Instant::now();
        if entry.0 >= 1.0 {
            entry.0 -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - entry.0) / rate).ceil().max(1.0) as u64)
        }
    }
}

pub async fn rate_limit<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let limiter = req.app_data::<web::Data<RateLimiter>>().cloned();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    if let (Some(limiter), Some(state)) = (limiter, state) {
        if req.path().starts_with("/api/v1/") && req.path() != "/api/v1/health" {
            let who = req
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split_once(' ').map(|(_, t)| t.trim().to_string()))
                .and_then(|t| state.keys.verify(&t).ok())
                .map(|c| c.sub)
                .unwrap_or_else(|| {
                    format!(
                        "ip:{}",
                        req.peer_addr()
                            .map(|a| a.ip().to_string())
                            .unwrap_or_default()
                    )
                });
            if let Err(secs) = limiter.take(&who) {
                return Ok(req.into_response(ApiError::RateLimited(secs).error_response()));
            }
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// Failed sign-ins per e-mail and per address in a 15-minute window.
pub struct LoginThrottle {
    max: u32,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginThrottle {
    pub fn new(max: u32) -> LoginThrottle {
        LoginThrottle {
            max,
            failures: Mutex::new(HashMap::new()),
        }
    }

    const WINDOW_SECS: u64 = 15 * 60;

    /// `Err(seconds)` when any of `keys` has too many recent failures.
    pub fn check(&self, keys: &[String]) -> Result<(), u64> {
        if self.max == 0 {
            return Ok(());
        }
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let mut wait = 0;
        for k in keys {
            if let Some(list) = map.get_mut(k) {
                list.retain(|t| t.elapsed().as_secs() < Self::WINDOW_SECS);
                if list.len() as u32 >= self.max {
                    let oldest = list.first().map(|t| t.elapsed().as_secs()).unwrap_or(0);
                    wait = wait.max(Self::WINDOW_SECS.saturating_sub(oldest).max(1));
                }
            }
        }
        if wait > 0 {
            Err(wait)
        } else {
            Ok(())
        }
    }

    pub fn failed(&self, keys: &[String]) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for k in keys {
            map.entry(k.clone()).or_default().push(Instant::now());
        }
    }

    pub fn succeeded(&self, email_key: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(email_key);
    }
}
