//! Service health.

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(health);
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
    /// `ok` when everything works, `degraded` otherwise.
    #[schema(example = "ok")]
    pub status: String,
    /// Version of the running server.
    #[schema(example = "0.1.0")]
    pub version: String,
    pub database: DatabaseHealth,
}

/// Is the service up, and can it reach its database? `503` when it cannot.
#[utoipa::path(tag = "system",
    responses((status = 200, description = "Healthy", body = Health),
        (status = 503, description = "The database is unreachable", body = Health)),
    security(()))]
#[get("/health")]
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let db_ok = state
        .public(|conn, _| sistema_lavoro_store::ping(conn))
        .await
        .is_ok();
    let body = Health {
        status: if db_ok { "ok" } else { "degraded" }.into(),
        version: env!("CARGO_PKG_VERSION").into(),
        database: DatabaseHealth {
            backend: state.backend.name().into(),
            status: if db_ok { "ok" } else { "unavailable" }.into(),
        },
    };
    if db_ok {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}
