//! `/privacy/register` and `/privacy/breaches`: the register of processing activities
//! (GDPR art. 30) the DPO adapts, and the data-breach register (art. 33.5) the DPO keeps.

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use sistema_lavoro_app::workflow::privacy_registers::{
    self as wf, ActivityNotePatch, BreachInput, BreachOut, BreachPatch, ProcessingActivityOut,
    ProcessingRegisterOut,
};
use sistema_lavoro_app::workflow::Page;
use sistema_lavoro_domain::ids::DataBreachId;
use sistema_lavoro_domain::processing::ProcessingActivityCode;
use sistema_lavoro_domain::{text, Error};
use utoipa::IntoParams;

use crate::extract::{
    Caller, Hidden, KeepPrivacyRegisters, PageQuery, ReadPrivacyRegisters, ValidJson,
};
use crate::params::{path_id, ValidQuery};
use crate::precondition::{IdempotencyKey, RequireIfMatch};
use crate::problem::ApiError;
use crate::respond::{Created, Listed, Tagged};
use crate::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(register)
        .service(read_activity)
        .service(update_activity)
        .service(list_breaches)
        .service(create_breach)
        .service(read_breach)
        .service(update_breach);
}

/// How the register is wanted.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegisterParams {
    /// `json` (default) or `pdf` (also chosen by `Accept: application/pdf`).
    #[param(pattern = "^(json|pdf)$", max_length = 4)]
    pub format: Option<String>,
}

/// The register of processing activities (registro dei trattamenti, art. 30 GDPR).
///
/// Generated from the product's own catalogue of processing: per activity its purpose, legal
/// basis (art. 6, and art. 9/10 where special categories are processed), data categories with
/// the fields that hold them, data subjects, recipients, transfers (none), retention and
/// security measures, with the notes, retention and recipients the DPO adapted for the
/// district; the controller is the district, the DPO contacts are its `privacy_officer`
/// users. As JSON, or with `format=pdf` (or `Accept: application/pdf`) as an Italian PDF to
/// print. The DPO and the district's coordinator.
#[utoipa::path(tag = "privacy", operation_id = "privacy_register", params(RegisterParams),
    responses((status = 200, description = "The register", content(
        (ProcessingRegisterOut = "application/json"), (String = "application/pdf")))),
    security(("bearer" = [])))]
#[get("/privacy/register")]
pub async fn register(
    state: web::Data<AppState>,
    caller: Caller<ReadPrivacyRegisters>,
    q: ValidQuery<RegisterParams>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let accept_pdf = req
        .headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/pdf"));
    let as_pdf = match q.format.as_deref() {
        Some("pdf") => true,
        Some("json") => false,
        Some(_) => {
            return Err(Error::validation(
                "format",
                "unknown",
                text!("formato: json o pdf", "format: json or pdf"),
            )
            .into())
        }
        None => accept_pdf,
    };
    let r = state.run(caller, wf::register).await?;
    Ok(if as_pdf {
        HttpResponse::Ok()
            .content_type("application/pdf")
            .insert_header((
                "Content-Disposition",
                "attachment; filename=\"registro-trattamenti.pdf\"",
            ))
            .insert_header(("Cache-Control", "no-store"))
            .body(wf::register_pdf(&r))
    } else {
        HttpResponse::Ok()
            .insert_header(("Cache-Control", "no-store"))
            .json(r)
    })
}

fn activity_code(raw: String) -> Result<ProcessingActivityCode, Error> {
    let raw = path_id::<String>("code", raw)?;
    ProcessingActivityCode::parse(&raw).ok_or_else(Error::hidden)
}

/// One activity of the register, with its `ETag` (`"0"` while the DPO never adapted it).
///
/// The DPO and the district's coordinator; an unknown code answers `404`.
#[utoipa::path(tag = "privacy", operation_id = "privacy_activity_read",
    params(("code" = ProcessingActivityCode, Path, description = "Activity code")),
    responses((status = 200, body = ProcessingActivityOut)),
    security(("bearer" = [])))]
#[get("/privacy/register/activities/{code}")]
pub async fn read_activity(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadPrivacyRegisters>>,
    code: web::Path<String>,
) -> Result<Tagged<ProcessingActivityOut>, ApiError> {
    let code = activity_code(code.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| wf::activity(conn, cx, code))
            .await?,
    ))
}

/// The DPO adapts one activity of the register for the district.
///
/// JSON Merge Patch with `If-Match` (the activity's `ETag`; `"0"` before its first change):
/// `notes`, `retention_override` (replaces the catalogue's retention in the register) and
/// `recipients_extra`; `null` clears each. The generated register and its PDF include them.
/// The DPO only; the change is recorded in the audit log.
#[utoipa::path(tag = "privacy", operation_id = "privacy_activity_update", request_body = ActivityNotePatch,
    params(("code" = ProcessingActivityCode, Path, description = "Activity code"), RequireIfMatch),
    responses((status = 200, body = ProcessingActivityOut)),
    security(("bearer" = [])))]
#[patch("/privacy/register/activities/{code}")]
pub async fn update_activity(
    state: web::Data<AppState>,
    caller: Caller<KeepPrivacyRegisters>,
    code: web::Path<String>,
    body: ValidJson<ActivityNotePatch>,
    im: RequireIfMatch,
) -> Result<Tagged<ProcessingActivityOut>, ApiError> {
    let code = activity_code(code.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::update_activity(conn, cx, code, &im.0, body.0)
            })
            .await?,
    ))
}

/// The data-breach register (registro delle violazioni, art. 33.5 GDPR), in the order
/// recorded.
///
/// Each breach with its `notification_deadline` (discovered + 72 hours), `overdue` (still
/// pending past it, by the server's clock) and `notified_late`. The DPO and the district's
/// coordinator; the read is logged.
#[utoipa::path(tag = "privacy", operation_id = "breaches_list", params(PageQuery),
    responses((status = 200, body = Page<BreachOut>)),
    security(("bearer" = [])))]
#[get("/privacy/breaches")]
pub async fn list_breaches(
    state: web::Data<AppState>,
    caller: Caller<ReadPrivacyRegisters>,
    pq: ValidQuery<PageQuery>,
) -> Result<Listed<BreachOut>, ApiError> {
    let page = pq.request()?;
    Ok(Listed(
        state
            .run(caller, move |conn, cx| wf::list_breaches(conn, cx, &page))
            .await?,
    ))
}

/// Record a personal data breach.
///
/// What happened, when it happened and was discovered, the categories and approximate numbers
/// of data subjects and records, likely consequences, measures taken, the notification to the
/// Garante (`pending`, `notified` with `garante_notified_at`, or `not_required`) and whether
/// the data subjects were informed. `422` naming each field: times out of order or in the
/// future, a notification time without `notified`, and no `notification_reason` when the
/// Garante is not notified or was notified after the 72 hours. The DPO only.
#[utoipa::path(tag = "privacy", operation_id = "breaches_create", request_body = BreachInput, params(IdempotencyKey),
    responses((status = 201, body = BreachOut)),
    security(("bearer" = [])))]
#[post("/privacy/breaches")]
pub async fn create_breach(
    state: web::Data<AppState>,
    caller: Caller<KeepPrivacyRegisters>,
    body: ValidJson<BreachInput>,
) -> Result<Created<BreachOut>, ApiError> {
    let b = state
        .run(caller, move |conn, cx| wf::create_breach(conn, cx, body.0))
        .await?;
    Ok(Created(format!("/api/v1/privacy/breaches/{}", b.id), b))
}

/// One breach of the register.
///
/// The DPO and the district's coordinator; a breach of another district answers `404`. The
/// read is logged.
#[utoipa::path(tag = "privacy", operation_id = "breaches_read",
    params(("id" = String, Path, description = "Breach id")),
    responses((status = 200, body = BreachOut)),
    security(("bearer" = [])))]
#[get("/privacy/breaches/{id}")]
pub async fn read_breach(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadPrivacyRegisters>>,
    id: web::Path<String>,
) -> Result<Tagged<BreachOut>, ApiError> {
    let id = path_id::<DataBreachId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| wf::read_breach(conn, cx, &id))
            .await?,
    ))
}

/// Update a breach: its notification to the Garante, measures, numbers, ….
///
/// JSON Merge Patch with `If-Match`; the same rules as recording it, applied to the result.
/// The DPO only; the change is recorded in the audit log.
#[utoipa::path(tag = "privacy", operation_id = "breaches_update", request_body = BreachPatch,
    params(("id" = String, Path, description = "Breach id"), RequireIfMatch),
    responses((status = 200, body = BreachOut)),
    security(("bearer" = [])))]
#[patch("/privacy/breaches/{id}")]
pub async fn update_breach(
    state: web::Data<AppState>,
    caller: Caller<KeepPrivacyRegisters>,
    id: web::Path<String>,
    body: ValidJson<BreachPatch>,
    im: RequireIfMatch,
) -> Result<Tagged<BreachOut>, ApiError> {
    let id = path_id::<DataBreachId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::update_breach(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}
