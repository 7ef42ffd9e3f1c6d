//! `/cases`: prese in carico, their diary, outcome checks and timeline.

use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{created, page};
use crate::domain::states::CaseStatus;
use crate::domain::Role;
use crate::http::extract::{AuthUser, OptionalJson, Page, PageQuery, ValidJson};
use crate::http::problem::ApiError;
use crate::http::AppState;
use crate::store::cases::{Case, CaseFilter};
use crate::store::follow_ups::FollowUp;
use crate::workflow::cases::{
    self as wf, CaseDetail, CaseOut, CloseInput, FollowUpInput, FollowUpOut, OptionalReason,
    OutcomeCheckInput, OutcomeCheckOut, ReasonInput, TakeChargeInput, TimelineEntry,
};
use crate::workflow::today;

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
pub struct CaseQuery {
    pub status: Option<CaseStatus>,
    /// Coordinator only: one agency's cases (agency operators always see their own).
    pub agency_id: Option<String>,
    pub person_id: Option<String>,
    /// `true`: only open cases whose next follow-up is past due.
    pub overdue: Option<bool>,
}

/// Cases you may see, sorted by id.
#[utoipa::path(tag = "cases", params(PageQuery, CaseQuery), responses((status = 200, body = Page<CaseOut>)))]
#[get("/cases")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    pq: web::Query<PageQuery>,
    q: web::Query<CaseQuery>,
) -> Result<web::Json<Page<CaseOut>>, ApiError> {
    let limit = pq.limit()?;
    let after = pq.after.clone();
    let q = q.into_inner();
    let agency_id = match user.role {
        Role::Coordinator => q.agency_id.clone(),
        Role::AgencyOperator => Some(user.organization()?.to_string()),
        _ => {
            return Err(ApiError::Forbidden(format!(
                "the {} role does not see cases",
                user.role
            )))
        }
    };
    let filter = CaseFilter {
        agency_id,
        statuses: q
            .status
            .map(|s| vec![s.as_str().to_string()])
            .unwrap_or_default(),
        person_id: q.person_id.clone(),
        overdue_before: q.overdue.filter(|o| *o).map(|_| today()),
    };
    let page = state
        .db(move |conn| {
            let rows = Case::list(conn, user.district()?, &filter, after.as_deref(), limit)?;
            let related = crate::workflow::Related::for_cases(conn, &rows)?;
            page(rows, limit, |c| c.id.clone(), |c| wf::out_with(&related, c))
        })
        .await?;
    Ok(web::Json(page))
}

/// One case with its measures and outcome checks.
#[utoipa::path(tag = "cases", params(("id" = String, Path, description = "Case id")), responses((status = 200, body = CaseDetail)))]
#[get("/cases/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<CaseDetail>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db(move |conn| {
                let c = wf::visible(conn, &user, &id)?;
                wf::detail(conn, c)
            })
            .await?,
    ))
}

/// The case's story: referral, decisions, take-charge, measures, diary, outcome checks.
#[utoipa::path(tag = "cases", params(("id" = String, Path, description = "Case id")), responses((status = 200, body = Vec<TimelineEntry>)))]
#[get("/cases/{id}/timeline")]
pub async fn timeline(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<Vec<TimelineEntry>>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state.db(move |conn| wf::timeline(conn, &user, &id)).await?,
    ))
}

/// Take charge: the first meeting was held and the individual plan signed (`assigned` → `in_charge`).
#[utoipa::path(tag = "cases", request_body = TakeChargeInput, params(("id" = String, Path, description = "Case id")), responses((status = 200, body = CaseDetail)))]
#[post("/cases/{id}/take-charge")]
pub async fn take_charge(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: ValidJson<TakeChargeInput>,
    im: crate::http::precondition::IfMatch,
) -> Result<web::Json<CaseDetail>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db_if(im.on(&id), move |conn| {
                wf::take_charge(conn, &user, &id, body.0)
            })
            .await?,
    ))
}

/// Suspend an open case (reason required).
#[utoipa::path(tag = "cases", request_body = ReasonInput, params(("id" = String, Path, description = "Case id")), responses((status = 200, body = CaseDetail)))]
#[post("/cases/{id}/suspend")]
pub async fn suspend(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: ValidJson<ReasonInput>,
    im: crate::http::precondition::IfMatch,
) -> Result<web::Json<CaseDetail>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db_if(im.on(&id), move |conn| {
                wf::suspend(conn, &user, &id, body.0)
            })
            .await?,
    ))
}

/// Resume a suspended case, back to the state it was suspended from.
#[utoipa::path(tag = "cases", request_body(content = Option<OptionalReason>), params(("id" = String, Path, description = "Case id")), responses((status = 200, body = CaseDetail)))]
#[post("/cases/{id}/resume")]
pub async fn resume(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: OptionalJson<OptionalReason>,
    im: crate::http::precondition::IfMatch,
) -> Result<web::Json<CaseDetail>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db_if(im.on(&id), move |conn| wf::resume(conn, &user, &id, body.0))
            .await?,
    ))
}

/// Close the case with its outcome; outcome checks are scheduled at 3, 6 and 12 months.
/// Measures still proposed, approved or running must be settled first.
#[utoipa::path(tag = "cases", request_body = CloseInput, params(("id" = String, Path, description = "Case id")), responses((status = 200, body = CaseDetail)))]
#[post("/cases/{id}/close")]
pub async fn close(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: ValidJson<CloseInput>,
    im: crate::http::precondition::IfMatch,
) -> Result<web::Json<CaseDetail>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db_if(im.on(&id), move |conn| wf::close(conn, &user, &id, body.0))
            .await?,
    ))
}

/// The case diary, oldest first.
#[utoipa::path(tag = "cases", params(("id" = String, Path, description = "Case id"), PageQuery), responses((status = 200, body = Page<FollowUpOut>)))]
#[get("/cases/{id}/follow-ups")]
pub async fn list_follow_ups(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    pq: web::Query<PageQuery>,
) -> Result<web::Json<Page<FollowUpOut>>, ApiError> {
    let id = id.into_inner();
    let limit = pq.limit()?;
    let after = pq.after.clone();
    let page = state
        .db(move |conn| {
            let c = wf::visible(conn, &user, &id)?;
            let rows = FollowUp::of_case(conn, &c.id, after.as_deref(), limit)?;
            page(rows, limit, |f| f.id.clone(), wf::follow_up_out)
        })
        .await?;
    Ok(web::Json(page))
}

/// Write in the diary; sets when the next follow-up is due.
#[utoipa::path(tag = "cases", request_body = FollowUpInput, params(("id" = String, Path, description = "Case id")), responses((status = 201, body = FollowUpOut)))]
#[post("/cases/{id}/follow-ups")]
pub async fn add_follow_up(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: ValidJson<FollowUpInput>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let days = state.config.overdue_days;
    let f = state
        .db(move |conn| wf::add_follow_up(conn, &user, &id, body.0, days))
        .await?;
    Ok(created(
        format!("/api/v1/cases/{}/follow-ups", f.case_id),
        f,
    ))
}

/// The case's outcome checks (3, 6 and 12 months after closing).
#[utoipa::path(tag = "cases", params(("id" = String, Path, description = "Case id")), responses((status = 200, body = Vec<OutcomeCheckOut>)))]
#[get("/cases/{id}/outcome-checks")]
pub async fn outcome_checks(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<Vec<OutcomeCheckOut>>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db(move |conn| wf::outcome_checks(conn, &user, &id))
            .await?,
    ))
}

/// Record an outcome check: is the person still employed (or in training)?
#[utoipa::path(tag = "cases", request_body = OutcomeCheckInput,
    params(("id" = String, Path, description = "Case id"), ("check_id" = String, Path, description = "Outcome check id")),
    responses((status = 200, body = OutcomeCheckOut)))]
#[post("/cases/{id}/outcome-checks/{check_id}")]
pub async fn record_check(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(String, String)>,
    body: ValidJson<OutcomeCheckInput>,
) -> Result<web::Json<OutcomeCheckOut>, ApiError> {
    let (id, check) = path.into_inner();
    Ok(web::Json(
        state
            .db(move |conn| wf::record_check(conn, &user, &id, &check, body.0))
            .await?,
    ))
}
