//! Cross-cutting HTTP behaviour: `Cache-Control: no-store` on every API answer (personal
//! data is never cached), `Idempotency-Key` replay on `POST`, and per-caller rate limits.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use actix_web::body::{to_bytes, BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse, ResponseError};
use sha2::{Digest, Sha256};
use sistema_lavoro_domain::Error;
use sistema_lavoro_store::idempotency::{self, Answer, Claim};

use super::extract::MAX_BODY_BYTES;
use super::problem::ApiError;
use super::AppState;

/// `Cache-Control: no-store` on every `/api/v1` answer.
pub async fn no_store<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let api = req.path().starts_with("/api/v1/");
    let mut res = next.call(req).await?.map_into_boxed_body();
    if api {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(res)
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
        let e =
            Error::BadParameter("Idempotency-Key must be 1 to 255 visible ASCII characters".into());
        return Ok(req.into_response(ApiError(e).error_response()));
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
    // The handler's own limit applies to what it reads; here only the largest of all.
    let body = {
        use futures_util::StreamExt;
        let mut buf = web::BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk?;
            if buf.len() + chunk.len() > MAX_BODY_BYTES {
                let e = ApiError(Error::PayloadTooLarge(MAX_BODY_BYTES));
                return Ok(ServiceResponse::new(http_req, e.error_response()));
            }
            buf.extend_from_slice(&chunk);
        }
        buf.freeze()
    };
    let hash = hex::encode(Sha256::digest(
        [http_req.path().as_bytes(), b"\n", &body].concat(),
    ));
    let (c2, k2) = (caller.clone(), key.clone());
    let claim = state
        .public(move |conn, now| idempotency::claim(conn, &c2, &k2, &hash, now.at))
        .await;
    match claim {
        Err(e) => return Ok(ServiceResponse::new(http_req, e.error_response())),
        Ok(Claim::Replay(answer)) => return Ok(ServiceResponse::new(http_req, replay(answer))),
        Ok(Claim::Fresh) => {}
    }
    let req = ServiceRequest::from_parts(http_req, Payload::from(body));
    let res = next.call(req).await?.map_into_boxed_body();
    let (req, res) = res.into_parts();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = to_bytes(res.into_body())
        .await
        .map_err(|_| ApiError(Error::Internal("response body".into())))?;
    let text = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(String::from)
    };
    let answer = Answer {
        status: status.as_u16(),
        body: String::from_utf8_lossy(&bytes).to_string(),
        location: text(header::LOCATION),
        content_type: text(header::CONTENT_TYPE),
    };
    // Server errors are not remembered: the client may retry them.
    let _ = state
        .public(move |conn, _| {
            if answer.status >= 500 {
                idempotency::forget(conn, &caller, &key)
            } else {
                idempotency::complete(conn, &caller, &key, &answer)
            }
        })
        .await;
    let mut out = HttpResponse::build(status);
    for (k, v) in headers.iter() {
        out.append_header((k.clone(), v.clone()));
    }
    Ok(ServiceResponse::new(req, out.body(bytes)))
}

fn replay(a: Answer) -> HttpResponse {
    let mut r = HttpResponse::build(StatusCode::from_u16(a.status).unwrap_or(StatusCode::OK));
    if let Some(l) = a.location {
        r.insert_header((header::LOCATION, l));
    }
    r.insert_header((
        header::CONTENT_TYPE,
        a.content_type.unwrap_or_else(|| "application/json".into()),
    ));
    r.insert_header(("Idempotency-Replayed", "true"));
    r.body(a.body)
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
                return Ok(req.into_response(ApiError(Error::RateLimited(secs)).error_response()));
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
