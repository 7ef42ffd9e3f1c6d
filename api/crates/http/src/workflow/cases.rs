//! `/cases`: prese in carico, their diary, outcome checks and timeline.

use actix_web::{get, post, web};
use serde::Deserialize;
use sistema_lavoro_app::workflow::cases::{
    self as wf, CaseDetail, CaseOut, CaseQuery, CloseInput, FollowUpInput, FollowUpOut,
    OptionalReason, OutcomeCheckInput, OutcomeCheckOut, ReasonInput, TakeChargeInput,
    TimelineEntry,
};
use sistema_lavoro_app::workflow::Page;
use sistema_lavoro_domain::ids::{CaseId, OutcomeCheckId};
use sistema_lavoro_domain::states::CaseStatus;
use utoipa::IntoParams;

use crate::extract::{Caller, Hidden, OptionalJson, PageQuery, ReadCases, ValidJson, WorkCases};
use crate::precondition::{IdempotencyKey, IfMatch};
use crate::problem::{ApiError, Problem};
use crate::respond::{CreatedAt, Listed, Tagged};
use crate::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(read)
        .service(timeline)
        .service(take_charge)
        .service(suspend)
        .service(resume)
        .service(close)
        .service(list_follow_ups)
        .service(add_follow_up)
        .service(outcome_checks)
        .service(record_check);
}

/// Filters of the case list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseParams {
    pub status: Option<CaseStatus>,
    /// Coordinator only: one agency's cases (agency operators always see their own).
    pub agency_id: Option<String>,
    pub person_id: Option<String>,
    /// `true`: only open cases whose next follow-up is past due.
    pub overdue: Option<bool>,
}

/// Cases you may see, sorted by id.
#[utoipa::path(tag = "cases", params(PageQuery, CaseParams),
    responses((status = 200, body = Page<CaseOut>)),
    security(("bearer" = []), ("client_credentials" = ["cases:read"])))]
#[get("/cases")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller<ReadCases>,
    pq: web::Query<PageQuery>,
    q: web::Query<CaseParams>,
) -> Result<Listed<CaseOut>, ApiError> {
    let page = pq.request()?;
    let q = q.into_inner();
    let q = CaseQuery {
        status: q.status,
        agency_id: q.agency_id.map(Into::into),
        person_id: q.person_id.map(Into::into),
        overdue: q.overdue.unwrap_or(false),
    };
    Ok(Listed(
        state
            .run(caller, move |conn, cx| wf::list(conn, cx, q, &page))
            .await?,
    ))
}

/// One case with its measures and outcome checks.
#[utoipa::path(tag = "cases", params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = CaseDetail)),
    security(("bearer" = []), ("client_credentials" = ["cases:read"])))]
#[get("/cases/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadCases>>,
    id: web::Path<String>,
) -> Result<Tagged<CaseDetail>, ApiError> {
    let id = CaseId::from(id.into_inner());
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| wf::read(conn, cx, &id))
            .await?,
    ))
}

/// The case's story: referral, decisions, take-charge, measures, diary, outcome checks.
#[utoipa::path(tag = "cases", params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = Vec<TimelineEntry>)),
    security(("bearer" = []), ("client_credentials" = ["cases:read"])))]
#[get("/cases/{id}/timeline")]
pub async fn timeline(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadCases>>,
    id: web::Path<String>,
) -> Result<web::Json<Vec<TimelineEntry>>, ApiError> {
    let id = CaseId::from(id.into_inner());
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| wf::timeline(conn, cx, &id))
            .await?,
    ))
}

/// Take charge: the first meeting was held and the individual plan signed (`assigned` → `in_charge`).
#[utoipa::path(tag = "cases", request_body = TakeChargeInput,
    params(("id" = String, Path, description = "Case id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = CaseDetail)),
    security(("bearer" = []), ("client_credentials" = ["cases:write"])))]
#[post("/cases/{id}/take-charge")]
pub async fn take_charge(
    state: web::Data<AppState>,
    caller: Caller<WorkCases>,
    id: web::Path<String>,
    body: ValidJson<TakeChargeInput>,
    im: IfMatch,
) -> Result<Tagged<CaseDetail>, ApiError> {
    let id = CaseId::from(id.into_inner());
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::take_charge(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// Suspend an open case (reason required).
#[utoipa::path(tag = "cases", request_body = ReasonInput,
    params(("id" = String, Path, description = "Case id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = CaseDetail)),
    security(("bearer" = []), ("client_credentials" = ["cases:write"])))]
#[post("/cases/{id}/suspend")]
pub async fn suspend(
    state: web::Data<AppState>,
    caller: Caller<WorkCases>,
    id: web::Path<String>,
    body: ValidJson<ReasonInput>,
    im: IfMatch,
) -> Result<Tagged<CaseDetail>, ApiError> {
    let id = CaseId::from(id.into_inner());
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::suspend(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// Resume a suspended case, back to the state it was suspended from.
#[utoipa::path(tag = "cases", request_body(content = Option<OptionalReason>),
    params(("id" = String, Path, description = "Case id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = CaseDetail)),
    security(("bearer" = []), ("client_credentials" = ["cases:write"])))]
#[post("/cases/{id}/resume")]
pub async fn resume(
    state: web::Data<AppState>,
    caller: Caller<WorkCases>,
    id: web::Path<String>,
    body: OptionalJson<OptionalReason>,
    im: IfMatch,
) -> Result<Tagged<CaseDetail>, ApiError> {
    let id = CaseId::from(id.into_inner());
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::resume(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// Close the case with its outcome; outcome checks are scheduled at 3, 6 and 12 months.
/// Measures still proposed, approved or running must be settled first.
#[utoipa::path(tag = "cases", request_body = CloseInput,
    params(("id" = String, Path, description = "Case id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = CaseDetail)),
    security(("bearer" = []), ("client_credentials" = ["cases:write"])))]
#[post("/cases/{id}/close")]
pub async fn close(
    state: web::Data<AppState>,
    caller: Caller<WorkCases>,
    id: web::Path<String>,
    body: ValidJson<CloseInput>,
    im: IfMatch,
) -> Result<Tagged<CaseDetail>, ApiError> {
    let id = CaseId::from(id.into_inner());
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::close(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// The case diary, oldest first.
#[utoipa::path(tag = "cases", params(("id" = String, Path, description = "Case id"), PageQuery),
    responses((status = 200, body = Page<FollowUpOut>)),
    security(("bearer" = []), ("client_credentials" = ["cases:read"])))]
#[get("/cases/{id}/follow-ups")]
pub async fn list_follow_ups(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadCases>>,
    id: web::Path<String>,
    pq: web::Query<PageQuery>,
) -> Result<Listed<FollowUpOut>, ApiError> {
    let id = CaseId::from(id.into_inner());
    let page = pq.request()?;
    Ok(Listed(
        state
            .run(caller, move |conn, cx| wf::follow_ups(conn, cx, &id, &page))
            .await?,
    ))
}

/// Write in the diary; sets when the next follow-up is due.
#[utoipa::path(tag = "cases", request_body = FollowUpInput,
    params(("id" = String, Path, description = "Case id"), IdempotencyKey),
    responses((status = 201, body = FollowUpOut)),
    security(("bearer" = []), ("client_credentials" = ["cases:write"])))]
#[post("/cases/{id}/follow-ups")]
pub async fn add_follow_up(
    state: web::Data<AppState>,
    caller: Caller<WorkCases>,
    id: web::Path<String>,
    body: ValidJson<FollowUpInput>,
) -> Result<CreatedAt<FollowUpOut>, ApiError> {
    let id = CaseId::from(id.into_inner());
    let days = state.config.overdue_days;
    let f = state
        .run(caller, move |conn, cx| {
            wf::add_follow_up(conn, cx, &id, body.0, days)
        })
        .await?;
    Ok(CreatedAt(
        format!("/api/v1/cases/{}/follow-ups", f.case_id),
        f,
    ))
}

/// The case's outcome checks (3, 6 and 12 months after closing).
#[utoipa::path(tag = "cases", params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = Vec<OutcomeCheckOut>)),
    security(("bearer" = []), ("client_credentials" = ["cases:read"])))]
#[get("/cases/{id}/outcome-checks")]
pub async fn outcome_checks(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadCases>>,
    id: web::Path<String>,
) -> Result<web::Json<Vec<OutcomeCheckOut>>, ApiError> {
    let id = CaseId::from(id.into_inner());
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| wf::outcome_checks(conn, cx, &id))
            .await?,
    ))
}

/// Record an outcome check: is the person still employed (or in training)?
#[utoipa::path(tag = "cases", request_body = OutcomeCheckInput,
    params(("id" = String, Path, description = "Case id"), ("check_id" = String, Path, description = "Outcome check id"), IdempotencyKey),
    responses((status = 200, body = OutcomeCheckOut),
        (status = 409, description = "The check was already recorded", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("client_credentials" = ["cases:write"])))]
#[post("/cases/{id}/outcome-checks/{check_id}")]
pub async fn record_check(
    state: web::Data<AppState>,
    caller: Caller<WorkCases>,
    path: web::Path<(String, String)>,
    body: ValidJson<OutcomeCheckInput>,
) -> Result<web::Json<OutcomeCheckOut>, ApiError> {
    let (id, check) = path.into_inner();
    let (id, check) = (CaseId::from(id), OutcomeCheckId::from(check));
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| {
                wf::record_check(conn, cx, &id, &check, body.0)
            })
            .await?,
    ))
}
