//! Integration over HTTP: client credentials, integration clients, webhooks and deliveries.

use crate::params::{path_id, ValidQuery};
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use sistema_lavoro_app::integration::clients::{
    self, ClientInput, ClientOut, ClientToken, ClientWithSecret, TokenRequest,
};
use sistema_lavoro_app::integration::events::WebhookEvent;
use sistema_lavoro_app::integration::webhooks::{
    self, DeliveryOut, SubscriptionInput, SubscriptionOut, SubscriptionWithSecret,
};
use sistema_lavoro_app::workflow::Page;
use sistema_lavoro_domain::events::EventType;
use sistema_lavoro_domain::ids::{ClientId, DeliveryId, OrganizationId, WebhookId};
use sistema_lavoro_domain::{Error, ErrorCode};
use utoipa::IntoParams;

use super::extract::{AdminOnly, Body, Caller, ManageWebhooks, PageQuery, ValidJson};
use super::precondition::{IdempotencyKey, IfMatch};
use super::problem::ApiError;
use super::respond::{CreatedAt, Listed, Tagged};
use super::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(token)
        .service(list_clients)
        .service(create_client)
        .service(get_client)
        .service(rotate_client)
        .service(revoke_client)
        .service(list_webhooks)
        .service(create_webhook)
        .service(get_webhook)
        .service(delete_webhook)
        .service(list_deliveries)
        .service(redeliver)
        .service(event_schema);
}

fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    use base64_decode as b64;
    let h = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, value) = h.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = b64(value.trim())?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

/// Minimal standard base64 decoding for HTTP Basic credentials.
fn base64_decode(s: &str) -> Option<String> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut nbits = 0;
    let mut out = Vec::new();
    for c in s.bytes().filter(|c| *c != b'=') {
        let v = alphabet.iter().position(|a| *a == c)? as u32;
        bits = (bits << 6) | v;
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Get an access token with the OAuth2 client-credentials grant. The token acts with the
/// client's organization's visibility, limited to its scopes; it expires like a user's.
///
/// Send `grant_type=client_credentials` with `client_id`/`client_secret` in the form or as HTTP
/// Basic, and optionally `scope` (a subset of the granted ones, else all; `422` for one not
/// granted). The token acts as its organization's kind: an accredited agency's client as an
/// agency operator, the Ufficio di Piano's as a coordinator, any other's as a referrer.
#[utoipa::path(tag = "auth",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, body = ClientToken),
        (status = 401, description = "Unknown client, wrong secret or revoked client", body = super::problem::Problem, content_type = "application/problem+json")),
    security(()))]
#[post("/auth/token")]
pub async fn token(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<web::Json<ClientToken>, ApiError> {
    let limit = <TokenRequest as Body>::LIMIT;
    if body.len() > limit {
        return Err(Error::PayloadTooLarge(limit).into());
    }
    let ct = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let malformed = |e: String| {
        Error::MalformedBody(sistema_lavoro_domain::text!(
            "il corpo non è una richiesta di token valida: {e}",
            "the body is not a valid token request: {e}"
        ))
    };
    let parsed: TokenRequest = if ct.starts_with("application/json") {
        serde_json::from_slice(&body).map_err(|e| malformed(e.to_string()))?
    } else if ct.starts_with("application/x-www-form-urlencoded") {
        serde_urlencoded::from_bytes(&body).map_err(|e| malformed(e.to_string()))?
    } else {
        return Err(Error::UnsupportedMediaType(sistema_lavoro_domain::text!(
            "{ct}; inviare application/x-www-form-urlencoded",
            "{ct}; send application/x-www-form-urlencoded"
        ))
        .into());
    };
    validator::Validate::validate(&parsed)
        .map_err(|e| Error::Validation(super::problem::flatten_validation(&e)))?;
    if parsed.grant_type != "client_credentials" {
        return Err(Error::validation(
            "grant_type",
            "unsupported_grant_type",
            sistema_lavoro_domain::text!(
                "è supportato solo client_credentials",
                "only client_credentials is supported"
            ),
        )
        .into());
    }
    let (id, secret) = match (
        basic_credentials(&req),
        parsed.client_id,
        parsed.client_secret,
    ) {
        (Some(pair), _, _) => pair,
        (None, Some(id), Some(secret)) => (id, secret),
        _ => {
            return Err(Error::unauthenticated(
                ErrorCode::InvalidClient,
                sistema_lavoro_domain::text!(
                    "indicare client_id e client_secret, oppure credenziali HTTP Basic",
                    "give client_id and client_secret, or HTTP Basic credentials"
                ),
            )
            .into())
        }
    };
    let st = state.clone();
    let scope = parsed.scope;
    Ok(web::Json(
        state
            .public(move |conn, now| {
                clients::token(conn, now, &st.keys, &id, &secret, scope.as_deref())
            })
            .await?,
    ))
}

/// Filter of integration clients.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClientQuery {
    pub organization_id: Option<String>,
}

/// Integration clients (admin).
///
/// Pages through the machine-to-machine clients, optionally of one organization (ente), with
/// their scopes, active flag and last use; secrets are never shown. Administrator only.
#[utoipa::path(tag = "integration", params(ClientQuery, PageQuery),
    responses((status = 200, body = Page<ClientOut>)), security(("bearer" = [])))]
#[get("/integration-clients")]
pub async fn list_clients(
    state: web::Data<AppState>,
    caller: Caller<AdminOnly>,
    q: ValidQuery<ClientQuery>,
    pq: ValidQuery<PageQuery>,
) -> Result<Listed<ClientOut>, ApiError> {
    let org = q.into_inner().organization_id;
    let page = pq.request()?;
    Ok(Listed(
        state
            .run(caller, move |conn, cx| {
                clients::list(conn, cx, org.map(OrganizationId::from).as_ref(), &page)
            })
            .await?,
    ))
}

/// Create a client for one organization (admin). The secret is in this response only.
///
/// Registers an integration client acting for one organization (ente) with the given scopes
/// and returns its public `client_id` and its secret, of which only a hash is kept.
/// Administrator only; `422` when the organization does not exist.
#[utoipa::path(tag = "integration", request_body = ClientInput, params(IdempotencyKey),
    responses((status = 201, body = ClientWithSecret)), security(("bearer" = [])))]
#[post("/integration-clients")]
pub async fn create_client(
    state: web::Data<AppState>,
    caller: Caller<AdminOnly>,
    body: ValidJson<ClientInput>,
) -> Result<CreatedAt<ClientWithSecret>, ApiError> {
    let c = state
        .run(caller, move |conn, cx| clients::create(conn, cx, body.0))
        .await?;
    Ok(CreatedAt(
        format!("/api/v1/integration-clients/{}", c.client.id),
        c,
    ))
}

/// One integration client (admin).
///
/// Reads one integration client with its `ETag` and the actions still possible on it
/// (`rotate_secret`, `revoke`); the secret is never shown. Administrator only; `404` for an
/// unknown id.
#[utoipa::path(tag = "integration", params(("id" = String, Path, description = "Client id")),
    responses((status = 200, body = ClientOut)), security(("bearer" = [])))]
#[get("/integration-clients/{id}")]
pub async fn get_client(
    state: web::Data<AppState>,
    caller: Caller<AdminOnly>,
    id: web::Path<String>,
) -> Result<Tagged<ClientOut>, ApiError> {
    let id = path_id::<ClientId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| clients::get(conn, cx, &id))
            .await?,
    ))
}

/// Replace the client's secret (admin); the old one stops working. The new secret is in
/// this response only.
///
/// Administrator only. Tokens issued with the old secret stop at their next request
/// (`401 token_revoked`); a revoked client cannot be rotated (`409`). An optional `If-Match`
/// guards against a concurrent change (`412`).
#[utoipa::path(tag = "integration", params(("id" = String, Path, description = "Client id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = ClientWithSecret)), security(("bearer" = [])))]
#[post("/integration-clients/{id}/rotate-secret")]
pub async fn rotate_client(
    state: web::Data<AppState>,
    caller: Caller<AdminOnly>,
    id: web::Path<String>,
    im: IfMatch,
) -> Result<web::Json<ClientWithSecret>, ApiError> {
    let id = path_id::<ClientId>("id", id.into_inner())?;
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| {
                clients::rotate(conn, cx, &id, &im.0)
            })
            .await?,
    ))
}

/// Revoke the client (admin): no new tokens, and the tokens already issued stop at their next
/// request (`401 token_revoked`). Revoking a revoked client is `409`.
///
/// Administrator only; the client stays listed with `active: false` and cannot be
/// re-enabled: create a new one instead. An optional `If-Match` guards against a concurrent
/// change (`412`).
#[utoipa::path(tag = "integration", params(("id" = String, Path, description = "Client id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = ClientOut)), security(("bearer" = [])))]
#[post("/integration-clients/{id}/revoke")]
pub async fn revoke_client(
    state: web::Data<AppState>,
    caller: Caller<AdminOnly>,
    id: web::Path<String>,
    im: IfMatch,
) -> Result<Tagged<ClientOut>, ApiError> {
    let id = path_id::<ClientId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                clients::revoke(conn, cx, &id, &im.0)
            })
            .await?,
    ))
}

/// Filter of webhook subscriptions.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WebhookQuery {
    /// Admin only.
    pub organization_id: Option<String>,
}

/// Your organization's webhook subscriptions (admins: any organization's).
///
/// Pages through the subscriptions, active and stopped, of the caller's organization (ente).
/// Callable by the administrator (optionally filtering by `organization_id`), a coordinator,
/// or an integration client with the `webhooks:manage` scope; other roles get `403`.
#[utoipa::path(tag = "webhooks", params(WebhookQuery, PageQuery),
    responses((status = 200, body = Page<SubscriptionOut>)),
    security(("bearer" = []), ("client_credentials" = ["webhooks:manage"])))]
#[get("/webhooks")]
pub async fn list_webhooks(
    state: web::Data<AppState>,
    caller: Caller<ManageWebhooks>,
    q: ValidQuery<WebhookQuery>,
    pq: ValidQuery<PageQuery>,
) -> Result<Listed<SubscriptionOut>, ApiError> {
    let org = q.into_inner().organization_id;
    let page = pq.request()?;
    Ok(Listed(
        state
            .run(caller, move |conn, cx| {
                webhooks::list(conn, cx, org.map(OrganizationId::from).as_ref(), &page)
            })
            .await?,
    ))
}

/// Subscribe to events. Each request is a `POST` of a `WebhookEvent` with
/// `X-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, `X-Event-Id`,
/// `X-Event-Type`; answer `2xx` within 10 s, or it is retried with exponential backoff.
///
/// Creates an active subscription of the caller's organization (the administrator names the
/// `organization_id`) to the chosen event types and returns its signing secret, shown only
/// here. The URL must be `https` to a public address, unless its host is one the administrator
/// allowed (`422` otherwise). Callable by the administrator, a coordinator, or a client with
/// `webhooks:manage`.
#[utoipa::path(tag = "webhooks", request_body = SubscriptionInput, params(IdempotencyKey),
    responses((status = 201, body = SubscriptionWithSecret)),
    security(("bearer" = []), ("client_credentials" = ["webhooks:manage"])))]
#[post("/webhooks")]
pub async fn create_webhook(
    state: web::Data<AppState>,
    caller: Caller<ManageWebhooks>,
    body: ValidJson<SubscriptionInput>,
) -> Result<CreatedAt<SubscriptionWithSecret>, ApiError> {
    let hosts = state.config.webhook_allowed_hosts.clone();
    let sealer = state.sealer.clone();
    let s = state
        .run(caller, move |conn, cx| {
            webhooks::create(conn, cx, body.0, &hosts, &sealer)
        })
        .await?;
    Ok(CreatedAt(
        format!("/api/v1/webhooks/{}", s.subscription.id),
        s,
    ))
}

/// One subscription.
///
/// Reads one webhook subscription (without its secret) with its `ETag`. Callable by the
/// administrator, a coordinator, or a client with `webhooks:manage`; another organization's
/// subscription answers `404`.
#[utoipa::path(tag = "webhooks", params(("id" = String, Path, description = "Subscription id")),
    responses((status = 200, body = SubscriptionOut)),
    security(("bearer" = []), ("client_credentials" = ["webhooks:manage"])))]
#[get("/webhooks/{id}")]
pub async fn get_webhook(
    state: web::Data<AppState>,
    caller: Caller<ManageWebhooks>,
    id: web::Path<String>,
) -> Result<Tagged<SubscriptionOut>, ApiError> {
    let id = path_id::<WebhookId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| webhooks::get(conn, cx, &id))
            .await?,
    ))
}

/// Stop a subscription: it stays listed as inactive (`active: false`) with its delivery log;
/// pending deliveries are dropped. Stopping a stopped one changes nothing.
///
/// Callable by the administrator, a coordinator, or a client with `webhooks:manage`, for
/// subscriptions of its own organization (others answer `404`). An optional `If-Match` guards
/// against a concurrent change (`412`).
#[utoipa::path(tag = "webhooks", params(("id" = String, Path, description = "Subscription id"), IfMatch),
    responses((status = 204, description = "Stopped (kept, inactive, with its log)")),
    security(("bearer" = []), ("client_credentials" = ["webhooks:manage"])))]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook(
    state: web::Data<AppState>,
    caller: Caller<ManageWebhooks>,
    id: web::Path<String>,
    im: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = path_id::<WebhookId>("id", id.into_inner())?;
    state
        .run(caller, move |conn, cx| {
            webhooks::deactivate(conn, cx, &id, &im.0)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The delivery log of a subscription, oldest first.
///
/// Pages through the deliveries of a subscription: event, status (pending, delivered,
/// failed), attempts and last answer, to diagnose a receiver. Same callers and visibility as
/// reading the subscription (`404` for another organization's).
#[utoipa::path(tag = "webhooks", params(("id" = String, Path, description = "Subscription id"), PageQuery),
    responses((status = 200, body = Page<DeliveryOut>)),
    security(("bearer" = []), ("client_credentials" = ["webhooks:manage"])))]
#[get("/webhooks/{id}/deliveries")]
pub async fn list_deliveries(
    state: web::Data<AppState>,
    caller: Caller<ManageWebhooks>,
    id: web::Path<String>,
    pq: ValidQuery<PageQuery>,
) -> Result<Listed<DeliveryOut>, ApiError> {
    let id = path_id::<WebhookId>("id", id.into_inner())?;
    let page = pq.request()?;
    Ok(Listed(
        state
            .run(caller, move |conn, cx| {
                webhooks::deliveries(conn, cx, &id, &page)
            })
            .await?,
    ))
}

/// Send a delivered or failed event again.
///
/// Puts the delivery back to `pending`, so the worker sends it again (e.g. after fixing the
/// receiver). Same callers and visibility as the subscription; `409` when the delivery is still
/// pending or the subscription was stopped.
#[utoipa::path(tag = "webhooks", params(("id" = String, Path, description = "Delivery id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = DeliveryOut)),
    security(("bearer" = []), ("client_credentials" = ["webhooks:manage"])))]
#[post("/webhook-deliveries/{id}/redeliver")]
pub async fn redeliver(
    state: web::Data<AppState>,
    caller: Caller<ManageWebhooks>,
    id: web::Path<String>,
    im: IfMatch,
) -> Result<web::Json<DeliveryOut>, ApiError> {
    let id = path_id::<DeliveryId>("id", id.into_inner())?;
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| {
                webhooks::redeliver(conn, cx, &id, &im.0)
            })
            .await?,
    ))
}

/// The payload every webhook request carries (documentation of the event format).
///
/// Returns a sample `WebhookEvent` (a `referral.decided` event) with made-up ids, so a
/// receiver can be built and tested against the real shape. Needs no token and reads no data.
#[utoipa::path(tag = "webhooks", responses((status = 200, body = WebhookEvent)), security(()))]
#[get("/webhooks-event-example")]
pub async fn event_schema(state: web::Data<AppState>) -> web::Json<WebhookEvent> {
    web::Json(WebhookEvent {
        id: "01a20000-0000-7000-8000-000000000000".into(),
        event_type: EventType::ReferralDecided,
        occurred_at: state.clock.read().utc(),
        district_id: "01a20000-0000-7000-8000-000000000001".into(),
        data: serde_json::json!({"referral_id": "01a20000-0000-7000-8000-000000000002", "status": "accepted", "decision": "accept", "case_id": "01a20000-0000-7000-8000-000000000003"}),
    })
}
