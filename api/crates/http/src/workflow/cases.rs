//! `/cases`: prese in carico, their diary, outcome checks and timeline.

use crate::params::{path_id, ValidQuery};
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
    /// Only open cases whose next follow-up (colloquio) is due on or before this day, overdue
    /// ones included (e.g. the end of this week).
    pub follow_up_due_by: Option<chrono::NaiveDate>,
    /// Only cases with an outcome check (verifica degli esiti) still to record, due on or
    /// before this day.
    pub check_due_by: Option<chrono::NaiveDate>,
}

impl CaseParams {
    pub const NAMES: &'static [&'static str] = &[
        "status",
        "agency_id",
        "person_id",
        "overdue",
        "follow_up_due_by",
        "check_due_by",
    ];

    pub fn query(self) -> CaseQuery {
        CaseQuery {
            status: self.status,
            agency_id: self.agency_id.map(Into::into),
            person_id: self.person_id.map(Into::into),
            overdue: self.overdue.unwrap_or(false),
            follow_up_due_by: self.follow_up_due_by,
            check_due_by: self.check_due_by,
        }
    }
}

/// Cases you may see, sorted by id.
///
/// Pages through the cases (prese in carico) of the caller's district, filtered by state,
/// agency, person, overdue or coming follow-up, or outcome check coming due. A coordinator (Ufficio di Piano) sees every case of the
/// district, an agency operator (or a client with `cases:read`) only its agency's; referrers
/// follow their cases through their referrals instead, other roles get `403`.
#[utoipa::path(tag = "cases", params(PageQuery, CaseParams),
    responses((status = 200, body = Page<CaseOut>)),
    security(("bearer" = []), ("client_credentials" = ["cases:read"])))]
#[get("/cases")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller<ReadCases>,
    pq: ValidQuery<PageQuery>,
    q: ValidQuery<CaseParams>,
) -> Result<Listed<CaseOut>, ApiError> {
    let page = pq.request()?;
    let q = q.into_inner().query();
    Ok(Listed(
        state
            .run(caller, move |conn, cx| wf::list(conn, cx, q, &page))
            .await?,
    ))
}

/// One case with its measures and outcome checks.
///
/// Reads one case (presa in carico) with its person, agency, measures (attivazioni), outcome
/// checks and `ETag`. Coordinators read the district's cases, agency operators and clients with
/// `cases:read` their agency's; any other case, and every other role, answers `404`. Every
/// read is logged as a read of the person's data (who, when) before the answer leaves.
#[utoipa::path(tag = "cases", params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = CaseDetail)),
    security(("bearer" = []), ("client_credentials" = ["cases:read"])))]
#[get("/cases/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadCases>>,
    id: web::Path<String>,
) -> Result<Tagged<CaseDetail>, ApiError> {
    let id = path_id::<CaseId>("id", id.into_inner())?;
    let (case, logged) = state
        .run(caller, move |conn, cx| wf::read_logged(conn, cx, &id))
        .await?;
    state.reads.record(logged).await?;
    Ok(Tagged(case))
}

/// The case's story: referral, decisions, take-charge, measures, diary, outcome checks.
///
/// The case's timeline, oldest first: the transitions of its referral (segnalazione), of the
/// case and of its activations (who, when, from, to, why), corrections of the person's data,
/// follow-ups (monitoraggio) and outcome checks. Same callers and visibility as reading the
/// case (`404` otherwise).
#[utoipa::path(tag = "cases", params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = Page<TimelineEntry>)),
    security(("bearer" = []), ("client_credentials" = ["cases:read"])))]
#[get("/cases/{id}/timeline")]
pub async fn timeline(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadCases>>,
    id: web::Path<String>,
) -> Result<web::Json<Page<TimelineEntry>>, ApiError> {
    let id = path_id::<CaseId>("id", id.into_inner())?;
    Ok(web::Json(Page::whole(
        state
            .run(caller, move |conn, cx| wf::timeline(conn, cx, &id))
            .await?,
    )))
}

/// Take charge: the first meeting was held and the individual plan signed (`assigned` → `in_charge`).
///
/// Records the first meeting date (not in the future, not before the assignment) and the plan
/// goals (patto di servizio), makes the caller the case manager, records the transition and
/// emits `case.status_changed` to the agency and the referrer. Agency operators of the case — not the coordinator, who supervises (`403`) — (clients with `cases:write`) on cases they see; `409` from any state but `assigned`.
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
    let id = path_id::<CaseId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::take_charge(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// Suspend an open case (reason required).
///
/// Moves an open case (`assigned`, `in_charge`, `active` or `monitoring`) to `suspended`,
/// remembering the state to resume to, records the transition with its reason and emits
/// `case.status_changed`. Agency operators of the case — not the coordinator, who supervises (`403`) — (clients with `cases:write`);
/// `409` when the case is already suspended or closed.
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
    let id = path_id::<CaseId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::suspend(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// Resume a suspended case, back to the state it was suspended from.
///
/// Records the transition with the optional reason and emits `case.status_changed` to the
/// agency and the referrer. Agency operators of the case — not the coordinator, who supervises (`403`) — (clients with `cases:write`) on
/// cases they see; `409` when the case is not suspended.
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
    let id = path_id::<CaseId>("id", id.into_inner())?;
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
///
/// Sets the outcome (esito; `hired` needs the job details, other outcomes take none), records
/// the transition and emits `case.status_changed` and `case.closed` to the agency and the
/// referrer. Agency operators of the case — not the coordinator, who supervises (`403`) — (clients with `cases:write`); `409
/// activations_open` while measures are open, `409` when already closed.
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
    let id = path_id::<CaseId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::close(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// The case diary, oldest first.
///
/// Lists the follow-up entries (monitoraggio / diario) of a case: kind, date, note and next due
/// date. Same callers and visibility as reading the case (`404` otherwise).
#[utoipa::path(tag = "cases", params(("id" = String, Path, description = "Case id"), PageQuery),
    responses((status = 200, body = Page<FollowUpOut>)),
    security(("bearer" = []), ("client_credentials" = ["cases:read"])))]
#[get("/cases/{id}/follow-ups")]
pub async fn list_follow_ups(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadCases>>,
    id: web::Path<String>,
    pq: ValidQuery<PageQuery>,
) -> Result<Listed<FollowUpOut>, ApiError> {
    let id = path_id::<CaseId>("id", id.into_inner())?;
    let page = pq.request()?;
    Ok(Listed(
        state
            .run(caller, move |conn, cx| wf::follow_ups(conn, cx, &id, &page))
            .await?,
    ))
}

/// Write in the diary; sets when the next follow-up is due.
///
/// Adds a follow-up entry (colloquio di monitoraggio, call, training started, …) dated today
/// or earlier and sets the case's next due date: the given one, or the entry's date plus the
/// configured overdue period. Agency operators of the case — not the coordinator, who supervises (`403`) — (clients with `cases:write`)
/// on open cases they see; `409` on a closed case.
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
    let id = path_id::<CaseId>("id", id.into_inner())?;
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
///
/// Lists the checks of how the outcome held (verifica degli esiti, stabilizzazione degli
/// inserimenti), created when the case is closed, with due date and result once recorded. Same
/// callers and visibility as reading the case (`404` otherwise).
#[utoipa::path(tag = "cases", params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = Page<OutcomeCheckOut>)),
    security(("bearer" = []), ("client_credentials" = ["cases:read"])))]
#[get("/cases/{id}/outcome-checks")]
pub async fn outcome_checks(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadCases>>,
    id: web::Path<String>,
) -> Result<web::Json<Page<OutcomeCheckOut>>, ApiError> {
    let id = path_id::<CaseId>("id", id.into_inner())?;
    Ok(web::Json(Page::whole(
        state
            .run(caller, move |conn, cx| wf::outcome_checks(conn, cx, &id))
            .await?,
    )))
}

/// Record an outcome check: is the person still employed (or in training)?
///
/// Records the result of a due check (verifica degli esiti) and marks it `done`. Agency operators of the case — not the coordinator, who supervises (`403`) — (clients with `cases:write`) on cases they see (`404` for a check of
/// another case); `409` when the check was already recorded.
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
    let (id, check) = (
        path_id::<CaseId>("id", id)?,
        path_id::<OutcomeCheckId>("check_id", check)?,
    );
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| {
                wf::record_check(conn, cx, &id, &check, body.0)
            })
            .await?,
    ))
}
