//! Service health.

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Serialize;
use sistema_lavoro_domain::i18n::Lang;
use sistema_lavoro_domain::ErrorCode;
use utoipa::ToSchema;

use super::extract::lang_of;
use super::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(status).service(health);
}

/// State of one dependency.
#[derive(Debug, Serialize, ToSchema)]
pub struct DatabaseHealth {
    /// `sqlite` or `postgres`.
    #[schema(example = "sqlite")]
    pub backend: String,
    /// `ok` or `unavailable`.
    #[schema(example = "ok")]
    pub status: String,
}

/// Health of the service and its database.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` (a database that cannot be reached is a `503` problem instead).
    #[schema(example = "ok")]
    pub status: String,
    /// Version of the running server.
    #[schema(example = "0.1.0")]
    pub version: String,
    /// The database the service uses, and whether it answers.
    pub database: DatabaseHealth,
}

/// The service's state as RFC 9457 problem details (what ModI asks of `/status`): `200`
/// "OK" when it can serve, `503` with `code: unavailable` and `Retry-After` when its
/// database is unreachable.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"type": "about:blank", "title": "OK", "status": 200,
    "detail": "Il servizio è attivo.", "version": "0.1.0",
    "database": {"backend": "sqlite", "status": "ok"}}))]
pub struct ServiceStatus {
    /// `about:blank` when healthy, `urn:sistema-lavoro:problem:unavailable` otherwise.
    #[serde(rename = "type")]
    #[schema(max_length = 100)]
    pub type_: String,
    /// `OK`, or `Service unavailable` (`Servizio non disponibile`).
    #[schema(max_length = 100)]
    pub title: String,
    /// The HTTP status: `200` or `503`.
    #[schema(minimum = 200, maximum = 503, format = Int32)]
    pub status: u16,
    /// What is up or down, in the caller's language.
    #[schema(max_length = 500)]
    pub detail: String,
    /// `unavailable` when the status is `503`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<ErrorCode>,
    /// Version of the running server (semver).
    #[schema(example = "0.1.0", max_length = 50)]
    pub version: String,
    /// The database the service uses, and whether it answers.
    pub database: DatabaseHealth,
}

async fn database_ok(state: &AppState) -> bool {
    state
        .public(|conn, _| sistema_lavoro_store::ping(conn))
        .await
        .is_ok()
}

fn database(state: &AppState, ok: bool) -> DatabaseHealth {
    DatabaseHealth {
        backend: state.backend.name().into(),
        status: if ok { "ok" } else { "unavailable" }.into(),
    }
}

/// The `503` both `/status` and `/health` answer when the database is unreachable.
fn unavailable(state: &AppState, lang: Lang) -> HttpResponse {
    let (title, detail) = match lang {
        Lang::It => (
            "Servizio non disponibile",
            "Il database non è raggiungibile: riprovare tra qualche secondo.",
        ),
        Lang::En => (
            "Service unavailable",
            "The database is unreachable: retry in a few seconds.",
        ),
    };
    HttpResponse::ServiceUnavailable()
        .content_type(PROBLEM_JSON)
        .insert_header((
            header::RETRY_AFTER,
            super::middleware::RETRY_AFTER_UNAVAILABLE_SECS,
        ))
        .json(ServiceStatus {
            type_: format!("urn:sistema-lavoro:problem:{}", ErrorCode::Unavailable),
            title: title.into(),
            status: 503,
            detail: detail.into(),
            code: Some(ErrorCode::Unavailable),
            version: env!("CARGO_PKG_VERSION").into(),
            database: database(state, false),
        })
}

const PROBLEM_JSON: &str = "application/problem+json";

/// Is the service up? The interoperability status probe (ModI): problem details with
/// `status: 200` and title `OK` when it can serve.
///
/// `503` with `Retry-After` when the database is unreachable. Counts against no rate limit
/// and needs no token, so a monitor or the PDND catalogue can ask it as often as it likes.
#[utoipa::path(tag = "system",
    responses((status = 200, description = "The service is up", body = ServiceStatus,
            content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable: retry after `Retry-After` seconds",
            body = ServiceStatus, content_type = "application/problem+json",
            headers(("Retry-After" = u32, description = "Seconds to wait before asking again")))),
    security(()))]
#[get("/status")]
pub async fn status(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    status_answer(state, req).await
}

/// The answer of `/status` (also served at the root, outside `/api/v1`).
pub async fn status_answer(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let lang = lang_of(&req);
    if !database_ok(&state).await {
        return unavailable(&state, lang);
    }
    let detail = match lang {
        Lang::It => "Il servizio è attivo.",
        Lang::En => "The service is up.",
    };
    HttpResponse::Ok()
        .content_type(PROBLEM_JSON)
        .json(ServiceStatus {
            type_: "about:blank".into(),
            title: "OK".into(),
            status: 200,
            detail: detail.into(),
            code: None,
            version: env!("CARGO_PKG_VERSION").into(),
            database: database(&state, true),
        })
}

/// Is the service up, and can it reach its database?
///
/// The same probe as `/status` in the shape monitors already read: `200` with `Health`;
/// `503` (problem details, with `Retry-After`) when the database is unreachable.
#[utoipa::path(tag = "system",
    responses((status = 200, description = "Healthy", body = Health),
        (status = 503, description = "The database is unreachable: retry after `Retry-After` seconds",
            body = ServiceStatus, content_type = "application/problem+json",
            headers(("Retry-After" = u32, description = "Seconds to wait before asking again")))),
    security(()))]
#[get("/health")]
pub async fn health(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    if !database_ok(&state).await {
        return unavailable(&state, lang_of(&req));
    }
    HttpResponse::Ok().json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        database: database(&state, true),
    })
}
