//! The route table: every `/api/v1` operation, registered once; the OpenAPI document is
//! collected from the same table the server serves.

use actix_web::App;
use utoipa::openapi::OpenApi;
use utoipa_actix_web::AppExt;

use super::{admin, audit, auth, exports, integration, notifications, openapi, system, workflow};

/// Every `/api/v1` operation. Registered once; the OpenAPI document is collected from it.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    system::routes(cfg);
    auth::routes(cfg);
    admin::routes(cfg);
    integration::routes(cfg);
    workflow::routes(cfg);
    notifications::routes(cfg);
    audit::routes(cfg);
    exports::routes(cfg);
}

/// The OpenAPI document, collected from the same route table the server uses.
pub fn openapi_document() -> OpenApi {
    let (_, doc) = App::new()
        .into_utoipa_app()
        .openapi(openapi::base())
        .service(utoipa_actix_web::scope("/api/v1").configure(routes))
        .split_for_parts();
    openapi::finish(doc)
}

/// The published document (served at `/api/v1/openapi.json`, committed as `openapi.yaml`):
/// what the route table collects, with what utoipa's types cannot hold (shared headers,
/// `info.x-summary`, server variables…) added by [`openapi::publish`].
pub fn openapi_value() -> serde_json::Value {
    openapi::publish(serde_json::to_value(openapi_document()).unwrap_or_default())
}

/// The document as YAML, as committed in `openapi.yaml`; dates and times in examples are
/// quoted, so a YAML 1.1 reader (PyYAML) reads the same strings the JSON has.
pub fn yaml() -> Result<String, String> {
    let text = yaml_serde::to_string(&openapi_value()).map_err(|e| e.to_string())?;
    Ok(openapi::quote_dates(&text))
}
