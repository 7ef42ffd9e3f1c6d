//! Cross-cutting HTTP behaviour: security headers and `Cache-Control: no-store` on every
//! answer that may carry personal data, a deadline for request bodies, `Idempotency-Key`
//! replay on `POST`, and per-caller rate limits.

use actix_web::body::{to_bytes, BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse, ResponseError};
use sha2::{Digest, Sha256};
use sistema_lavoro_app::sessions;
use sistema_lavoro_domain::{Error, ErrorCode};
use sistema_lavoro_store::idempotency::{self, Answer, Claim};

use super::extract::MAX_BODY_BYTES;
use super::limits::{Quota, RateLimiter};
use super::problem::ApiError;
use super::state::AppState;

/// `HEAD` answers as `GET` would, headers only (RFC 9110 §9.3.2): the route runs as `GET` —
/// so the same authorization, read log and `ETag` — and the HTTP codec, which saw the request
/// as `HEAD`, sends the headers and `Content-Length` without the body.
pub async fn head_as_get<B: MessageBody + 'static>(
    mut req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}

/// The Content Security Policy of every answer: scripts, styles, fonts and calls only from
/// this origin (no inline script, no `eval`; inline styles are allowed, the docs UI sets
/// them), images also as `data:`, no plugins, and no page of ours inside another's frame.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; \
    connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'";

/// Browser features no page of ours uses.
pub const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), payment=(), \
    usb=(), interest-cohort=()";

/// On every answer (the API, the minutes and downloads, `/docs`, the SPA and its assets, and
/// the errors the outer layers raise): the security headers, and `Cache-Control: no-store`
/// unless the answer is one that may be kept — a [`crate::openapi::PUBLIC_CACHEABLE`] API
/// answer, or a file of the SPA (`spa` sets `immutable`/`no-cache`), both without personal
/// data. Anything else, whatever its type (JSON, Markdown, HTML, PDF, XLSX, a document), is
/// never stored by a browser or proxy.
pub async fn security_headers<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let api = req.path().starts_with("/api/") || req.path() == "/status";
    let public = crate::openapi::is_public_cacheable(req.path());
    let mut res = next.call(req).await?.map_into_boxed_body();
    // A handler's caching stands only where the content is public; an error is never kept.
    let chosen = res.headers().contains_key(header::CACHE_CONTROL)
        && (public || !api)
        && !res.status().is_client_error()
        && !res.status().is_server_error();
    let h = res.headers_mut();
    if !chosen {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            header::HeaderName::from_static("permissions-policy"),
            PERMISSIONS_POLICY,
        ),
        (
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ] {
        h.insert(name, HeaderValue::from_static(value));
    }
    Ok(res)
}

// ------------------------------------------------------------------ body deadline

/// A request body must arrive whole within `REQUEST_TIMEOUT_SECS` of its head, plus a second
/// per 64 KiB it announces (an upload on a slow line): a client trickling it (slow loris)
/// gets `408` and its connection is closed, instead of holding a connection for as long as
/// it likes.
pub async fn body_deadline<B: MessageBody + 'static>(
    mut req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let secs = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.config.request_timeout_secs)
        .unwrap_or(30);
    let length = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let has_body =
        req.headers().contains_key(header::TRANSFER_ENCODING) || length.is_some_and(|n| n > 0);
    if secs == 0 || !has_body {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let secs = secs.saturating_add(length.unwrap_or(0) / 65_536);
    let received = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let inner = req.take_payload();
    req.set_payload(Payload::Stream {
        payload: Box::pin(Watched {
            inner,
            received: received.clone(),
        }),
    });
    // The timer is raced here, beside the whole call, so it fires whatever the handler does
    // with the body meanwhile.
    let call = next.call(req);
    let sleep = actix_web::rt::time::sleep(std::time::Duration::from_secs(secs));
    futures_util::pin_mut!(call, sleep);
    match futures_util::future::select(call, sleep).await {
        futures_util::future::Either::Left((res, _)) => Ok(res?.map_into_boxed_body()),
        futures_util::future::Either::Right(((), call)) => {
            if received.load(std::sync::atomic::Ordering::SeqCst) {
                // The body is in: whatever the handler does now is not the client's delay.
                return Ok(call.await?.map_into_boxed_body());
            }
            // Raised as an error: the request was handed to the call just dropped (a copy kept
            // for an answer would break the router, which needs it alone).
            Err(ApiError(Error::RequestTimeout).into())
        }
    }
}

/// A payload that tells when it has been received whole.
struct Watched {
    inner: Payload,
    received: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl futures_util::Stream for Watched {
    type Item = Result<web::Bytes, actix_web::error::PayloadError>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let next = std::pin::Pin::new(&mut self.inner).poll_next(cx);
        if let std::task::Poll::Ready(None) = next {
            self.received
                .store(true, std::sync::atomic::Ordering::SeqCst);
        }
        next
    }
}

// ------------------------------------------------------------------ idempotency

/// `POST` with `Idempotency-Key`: the same key and body replays the first response; the same
/// key with another body is `422`; a duplicate while the first is running is `409`. Keys are
/// per caller and kept 24 hours.
///
/// The caller's grant is confirmed before anything is claimed or replayed (a token ended by
/// sign-out or a revoked account gets `401`). Only what a replay needs is kept, never a
/// successful answer's body: a replay of a success answers its status and `Location` with the
/// record as it is *now*, read through its own `GET` route (so with that route's authorization
/// and read log); a success that carried a secret shown once (a client's or a webhook's secret,
/// tokens), or that names no record to read, is answered `409 idempotency_replay_unavailable`.
/// Problems (`4xx`) are kept and replayed as they were.
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
        let e = Error::BadParameter(sistema_lavoro_domain::text!(
            "Idempotency-Key deve avere da 1 a 255 caratteri ASCII visibili",
            "Idempotency-Key must be 1 to 255 visible ASCII characters"
        ));
        return Ok(req.into_response(ApiError(e).error_response()));
    }
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    // The caller, from its token; without a valid token the handler answers 401 anyway.
    let granted = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .and_then(|t| state.keys.verify(t.trim()).ok())
        .and_then(super::extract::granted_by);
    let Some((actor, stamp, session)) = granted else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let caller = actor.id.clone();
    let lang = super::problem::lang_of(req.request());
    let (http_req, mut payload) = req.into_parts();
    // The handler's own limit applies to what it reads; here only the largest of all (an
    // upload's, for uploads). Only a hash of the body is kept, never the file.
    let max = if http_req.path() == "/api/v1/documents" {
        super::workflow::documents::UPLOAD_BODY_LIMIT
    } else {
        MAX_BODY_BYTES
    };
    let body = {
        use futures_util::StreamExt;
        let mut buf = web::BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk?;
            if buf.len() + chunk.len() > max {
                let e = ApiError(Error::PayloadTooLarge(
                    max.min(super::workflow::documents::MAX_DOCUMENT_BYTES.max(MAX_BODY_BYTES)),
                ));
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
        .public_in(lang, move |conn, now| {
            sessions::confirm_grant(conn, &actor, stamp.as_deref(), session.as_deref())?;
            idempotency::claim(conn, &c2, &k2, &hash, now.at)
        })
        .await;
    match claim {
        Err(e) => return Ok(ServiceResponse::new(http_req, e.error_response())),
        Ok(Claim::Replay(answer)) => {
            let req = ServiceRequest::from_parts(http_req, Payload::None);
            return replay(req, next, answer, lang).await;
        }
        Ok(Claim::Fresh) => {}
    }
    let path = http_req.path().to_string();
    let req = ServiceRequest::from_parts(http_req, Payload::from(body));
    let res = next.call(req).await?.map_into_boxed_body();
    let (req, res) = res.into_parts();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = to_bytes(res.into_body())
        .await
        .map_err(|_| ApiError(Error::Internal("response body".into())))?;
    let mut answer = kept_answer(status, &headers, &bytes, &path);
    // Only a path the server routes can be read again.
    answer.read = answer.read.filter(|p| req.resource_map().has_resource(p));
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

/// Locations whose `GET` is not the record a replay answers: a document's is its download
/// (the file, and a logged download), not the metadata the upload answered.
const NOT_READ_AGAIN: [&str; 1] = ["/api/v1/documents/"];

/// Fields of an answer that hold a secret shown only once, or a credential.
const SECRET_FIELDS: [&str; 4] = ["secret", "client_secret", "access_token", "refresh_token"];

/// What is kept of an answer for its replays: a problem whole; of a success, the status, the
/// `Location` and the record to read again — the created one, or the one an action
/// (`/api/v1/{records}/{id}/{action}`, answered with its versioned record) moved — unless it
/// held a secret.
fn kept_answer(
    status: StatusCode,
    headers: &header::HeaderMap,
    bytes: &[u8],
    path: &str,
) -> Answer {
    let text = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(String::from)
    };
    let location = text(header::LOCATION);
    let content_type = text(header::CONTENT_TYPE);
    if !status.is_success() {
        return Answer {
            status: status.as_u16(),
            body: Some(String::from_utf8_lossy(bytes).to_string()),
            location,
            content_type,
            read: None,
        };
    }
    let secret = serde_json::from_slice::<serde_json::Value>(bytes)
        .ok()
        .and_then(|v| v.as_object().cloned())
        .is_some_and(|o| SECRET_FIELDS.iter().any(|f| o.contains_key(*f)));
    let read = if secret {
        None
    } else if let Some(l) = location
        .as_deref()
        .filter(|l| l.starts_with("/api/v1/") && !NOT_READ_AGAIN.iter().any(|p| l.starts_with(p)))
    {
        Some(l.to_string())
    } else if headers.contains_key(header::ETAG) {
        // `/api/v1/{records}/{id}/{action}` → `/api/v1/{records}/{id}`.
        let parts: Vec<&str> = path.trim_start_matches("/api/v1/").split('/').collect();
        match parts.as_slice() {
            [records, id, _action] => Some(format!("/api/v1/{records}/{id}")),
            _ => None,
        }
    } else {
        None
    };
    Answer {
        status: status.as_u16(),
        body: None,
        location,
        content_type,
        read,
    }
}

/// Answers a replay: a problem as it was; a success with the record as it is now, read
/// through its `GET` route (whatever that answers when it is no longer a success — `404` for a
/// record gone or no longer visible); else `409 idempotency_replay_unavailable`.
async fn replay<B: MessageBody + 'static>(
    mut req: ServiceRequest,
    next: Next<B>,
    mut a: Answer,
    lang: sistema_lavoro_domain::i18n::Lang,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let status = StatusCode::from_u16(a.status).unwrap_or(StatusCode::OK);
    if let Some(body) = a.body.take() {
        let mut r = HttpResponse::build(status);
        if let Some(l) = a.location {
            r.insert_header((header::LOCATION, l));
        }
        r.insert_header((
            header::CONTENT_TYPE,
            a.content_type
                .unwrap_or_else(|| "application/problem+json".into()),
        ));
        r.insert_header(("Idempotency-Replayed", "true"));
        return Ok(req.into_response(r.body(body)));
    }
    let Some(read) = a
        .read
        .as_deref()
        .and_then(|p| p.parse::<actix_web::http::Uri>().ok())
    else {
        return Ok(unavailable(req, a, lang));
    };
    // The same caller reads the record through its own route.
    req.head_mut().method = Method::GET;
    req.head_mut().uri = read.clone();
    req.match_info_mut().get_mut().update(&read);
    for h in [
        header::CONTENT_TYPE,
        header::CONTENT_LENGTH,
        header::IF_MATCH,
        header::TRANSFER_ENCODING,
    ] {
        req.headers_mut().remove(h);
    }
    let res = next.call(req).await?.map_into_boxed_body();
    if res.status() == StatusCode::METHOD_NOT_ALLOWED {
        // A record without a read of its own.
        let (req, _) = res.into_parts();
        let unread = Answer {
            read: None,
            body: None,
            ..a
        };
        return Ok(unavailable(
            ServiceRequest::from_parts(req, Payload::None),
            unread,
            lang,
        ));
    }
    if !res.status().is_success() {
        return Ok(res);
    }
    let (req, res) = res.into_parts();
    let headers = res.headers().clone();
    let bytes = to_bytes(res.into_body())
        .await
        .map_err(|_| ApiError(Error::Internal("response body".into())))?;
    let mut out = HttpResponse::build(status);
    for (k, v) in headers.iter() {
        out.append_header((k.clone(), v.clone()));
    }
    if let Some(l) = a.location {
        out.insert_header((header::LOCATION, l));
    }
    out.insert_header(("Idempotency-Replayed", "true"));
    Ok(ServiceResponse::new(req, out.body(bytes)))
}

/// `409 idempotency_replay_unavailable`, with the `Location` of what the request created.
fn unavailable(
    req: ServiceRequest,
    a: Answer,
    lang: sistema_lavoro_domain::i18n::Lang,
) -> ServiceResponse<BoxBody> {
    let status_code = a.status;
    let e = Error::conflict(
        ErrorCode::IdempotencyReplayUnavailable,
        sistema_lavoro_domain::text!(
            "la richiesta con questa Idempotency-Key è già stata eseguita (stato \
             {status_code}); la sua risposta non viene conservata perché conteneva un segreto \
             mostrato una sola volta o dati personali: rileggere la risorsa (Location), o \
             generare un nuovo segreto",
            "the request with this Idempotency-Key already ran (status {status_code}); its \
             answer is not kept because it held a secret shown once or personal data: read the \
             resource again (Location), or make a new secret"
        ),
    );
    let mut res = ApiError::new(e, lang).error_response();
    if let Some(l) = a.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        res.headers_mut().insert(header::LOCATION, l);
    }
    res.headers_mut().insert(
        header::HeaderName::from_static("idempotency-replayed"),
        HeaderValue::from_static("true"),
    );
    req.into_response(res)
}

// ------------------------------------------------------------------ rate limits

/// Per-caller rate limit (a token bucket per user or client; per address when anonymous, and
/// for sign-in a bucket per address of its own). Every counted answer says where the caller stands
/// (`X-RateLimit-Limit`, `-Remaining`, `-Reset`, ModI); a `429` adds `Retry-After`. `/status`
/// and `/health` count against none.
pub async fn rate_limit<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let limiter = req.app_data::<web::Data<RateLimiter>>().cloned();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (Some(limiter), Some(state)) = (limiter, state) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let counted = limiter.enabled()
        && req.path().starts_with("/api/v1/")
        && !super::openapi::UNLIMITED_PATHS.contains(&req.path());
    if !counted {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let address = || super::limits::client_addr(req.request(), &state.config.trusted_proxies);
    // Sign-in has a bucket of its own per address: anonymous traffic (the public lists) from
    // the same proxy never uses up its users' sign-ins, nor the reverse.
    let who = if req.path() == "/api/v1/auth/login" {
        format!("signin:{}", address())
    } else {
        req.headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split_once(' ').map(|(_, t)| t.trim().to_string()))
            .and_then(|t| state.keys.verify(&t).ok())
            .map(|c| c.sub)
            .unwrap_or_else(|| format!("ip:{}", address()))
    };
    let mut res = match limiter.take(&who) {
        Err(q) => {
            let res =
                req.into_response(ApiError(Error::RateLimited(q.reset_secs)).error_response());
            with_quota(res, q)
        }
        Ok(q) => with_quota(next.call(req).await?.map_into_boxed_body(), q),
    };
    retry_after_on_unavailable(&mut res);
    Ok(res)
}

fn with_quota(mut res: ServiceResponse<BoxBody>, q: Quota) -> ServiceResponse<BoxBody> {
    let h = res.headers_mut();
    for (name, value) in [
        ("x-ratelimit-limit", q.limit.to_string()),
        ("x-ratelimit-remaining", q.remaining.to_string()),
        ("x-ratelimit-reset", q.reset_secs.to_string()),
    ] {
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(header::HeaderName::from_static(name), v);
        }
    }
    res
}

/// Seconds a client should wait after a `503` (the database or a service it needs was
/// unreachable).
pub const RETRY_AFTER_UNAVAILABLE_SECS: &str = "5";

/// Every `503` says when to retry.
fn retry_after_on_unavailable(res: &mut ServiceResponse<BoxBody>) {
    if res.status() == StatusCode::SERVICE_UNAVAILABLE
        && !res.headers().contains_key(header::RETRY_AFTER)
    {
        res.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from_static(RETRY_AFTER_UNAVAILABLE_SECS),
        );
    }
}

/// `Retry-After` on every `503`, also where no rate limit counts.
pub async fn retry_after<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let mut res = next.call(req).await?.map_into_boxed_body();
    retry_after_on_unavailable(&mut res);
    Ok(res)
}
