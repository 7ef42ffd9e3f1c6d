//! `/plans`: the district's integrated local plan, its axes and its actions.

use crate::params::{path_id, ValidQuery};
use actix_web::http::header;
use actix_web::{get, patch, post, web, HttpResponse};
use serde::Deserialize;
use sistema_lavoro_app::workflow::cases::OptionalReason;
use sistema_lavoro_app::workflow::monitoring::{self as mon, PlanMonitoring};
use sistema_lavoro_app::workflow::plans::{
    self as wf, ActionMove, ApproveInput, AxisInput, PlanActionInput, PlanActionOut,
    PlanActionPatch, PlanInput, PlanOut, PlanPatch,
};
use sistema_lavoro_app::workflow::Page;
use sistema_lavoro_domain::ids::{PlanActionId, PlanAxisId, PlanId};
use sistema_lavoro_domain::plans::PlanStatus;
use utoipa::IntoParams;

use crate::extract::{Caller, Hidden, OptionalJson, PageQuery, ReadPlans, ValidJson, WritePlans};
use crate::precondition::{IdempotencyKey, IfMatch, RequireIfMatch};
use crate::problem::ApiError;
use crate::respond::{Created, Listed, Tagged};
use crate::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(approve_plan)
        .service(close)
        .service(add_axis)
        .service(list_actions)
        .service(add_action)
        .service(read_action)
        .service(update_action)
        .service(start_action)
        .service(complete_action)
        .service(drop_action)
        .service(monitoring)
        .service(export_xlsx)
        .service(export_pdf);
}

/// Filters of the plan list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanParams {
    /// Only plans in this state.
    pub status: Option<PlanStatus>,
}

/// The district's plans, sorted by id.
///
/// Every role of the district reads them (a plan holds no personal data), clients with
/// `plans:read`; each with its axes, total budget, what its open actions still lack
/// (completeness) and the actions possible now.
#[utoipa::path(tag = "plans", params(PageQuery, PlanParams),
    responses((status = 200, body = Page<PlanOut>)),
    security(("bearer" = []), ("client_credentials" = ["plans:read"])))]
#[get("/plans")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller<ReadPlans>,
    pq: ValidQuery<PageQuery>,
    q: ValidQuery<PlanParams>,
) -> Result<Listed<PlanOut>, ApiError> {
    let page = pq.request()?;
    let status = q.status;
    Ok(Listed(
        state
            .run(caller, move |conn, cx| wf::list(conn, cx, status, &page))
            .await?,
    ))
}

/// Start a plan (in draft).
///
/// The coordinator (Ufficio di Piano). Without `axes` the plan gets the seed's four —
/// governance, territory, planning, network — with their expected results. `422` when the
/// period ends before it starts or an axis repeats.
#[utoipa::path(tag = "plans", request_body = PlanInput, params(IdempotencyKey),
    responses((status = 201, body = PlanOut)),
    security(("bearer" = [])))]
#[post("/plans")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller<WritePlans>,
    body: ValidJson<PlanInput>,
) -> Result<Created<PlanOut>, ApiError> {
    let p = state
        .run(caller, move |conn, cx| wf::create(conn, cx, body.0))
        .await?;
    Ok(Created(format!("/api/v1/plans/{}", p.id), p))
}

/// One plan, with its axes and completeness.
///
/// Invisible plans (another district's) answer `404`.
#[utoipa::path(tag = "plans", params(("id" = String, Path, description = "Plan id")),
    responses((status = 200, body = PlanOut)),
    security(("bearer" = []), ("client_credentials" = ["plans:read"])))]
#[get("/plans/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadPlans>>,
    id: web::Path<String>,
) -> Result<Tagged<PlanOut>, ApiError> {
    let id = path_id::<PlanId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| wf::read(conn, cx, &id))
            .await?,
    ))
}

/// Change a plan's title or period (until closed).
///
/// JSON Merge Patch with `If-Match` (`412` when stale); the changed fields are recorded in its
/// history; `409` once closed.
#[utoipa::path(tag = "plans", request_body = PlanPatch,
    params(("id" = String, Path, description = "Plan id"), RequireIfMatch),
    responses((status = 200, body = PlanOut)),
    security(("bearer" = [])))]
#[patch("/plans/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller<WritePlans>,
    id: web::Path<String>,
    body: ValidJson<PlanPatch>,
    im: RequireIfMatch,
) -> Result<Tagged<PlanOut>, ApiError> {
    let id = path_id::<PlanId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::update(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// Approve a draft plan, with the date and reference of the act.
///
/// `409` when it is not `draft`; `422` for an act dated in the future.
#[utoipa::path(tag = "plans", request_body = ApproveInput,
    params(("id" = String, Path, description = "Plan id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = PlanOut)),
    security(("bearer" = [])))]
#[post("/plans/{id}/approve")]
pub async fn approve_plan(
    state: web::Data<AppState>,
    caller: Caller<WritePlans>,
    id: web::Path<String>,
    body: ValidJson<ApproveInput>,
    im: IfMatch,
) -> Result<Tagged<PlanOut>, ApiError> {
    let id = path_id::<PlanId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::approve(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// Close a plan; it is kept for the record and nothing of it changes any more.
///
/// The reason is optional; `409` when already closed.
#[utoipa::path(tag = "plans", request_body(content = Option<OptionalReason>),
    params(("id" = String, Path, description = "Plan id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = PlanOut)),
    security(("bearer" = [])))]
#[post("/plans/{id}/close")]
pub async fn close(
    state: web::Data<AppState>,
    caller: Caller<WritePlans>,
    id: web::Path<String>,
    body: OptionalJson<OptionalReason>,
    im: IfMatch,
) -> Result<Tagged<PlanOut>, ApiError> {
    let id = path_id::<PlanId>("id", id.into_inner())?;
    let reason = body.0.reason;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::close(conn, cx, &id, &im.0, reason)
            })
            .await?,
    ))
}

/// Add an axis at the end of an open plan (one of the seed's by `code`, or a new one).
///
/// Answers the plan. `422` when the seed's axis is already there, or a new one has no title.
#[utoipa::path(tag = "plans", request_body = AxisInput,
    params(("id" = String, Path, description = "Plan id"), IdempotencyKey),
    responses((status = 201, body = PlanOut)),
    security(("bearer" = [])))]
#[post("/plans/{id}/axes")]
pub async fn add_axis(
    state: web::Data<AppState>,
    caller: Caller<WritePlans>,
    id: web::Path<String>,
    body: ValidJson<AxisInput>,
) -> Result<Created<PlanOut>, ApiError> {
    let id = path_id::<PlanId>("id", id.into_inner())?;
    let p = state
        .run(caller, move |conn, cx| wf::add_axis(conn, cx, &id, body.0))
        .await?;
    Ok(Created(format!("/api/v1/plans/{}", p.id), p))
}

/// Filters of a plan's actions.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActionParams {
    /// Only the actions of this axis.
    #[param(max_length = 64, value_type = Option<String>)]
    pub axis_id: Option<PlanAxisId>,
}

/// A plan's actions, sorted by id.
///
/// Each with what it still lacks of dates, funding source, budget and department
/// (completeness, with reasons), and whether it is late (its end date passed, not completed).
#[utoipa::path(tag = "plans", params(("id" = String, Path, description = "Plan id"), PageQuery, ActionParams),
    responses((status = 200, body = Page<PlanActionOut>)),
    security(("bearer" = []), ("client_credentials" = ["plans:read"])))]
#[get("/plans/{id}/actions")]
pub async fn list_actions(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadPlans>>,
    id: web::Path<String>,
    pq: ValidQuery<PageQuery>,
    q: ValidQuery<ActionParams>,
) -> Result<Listed<PlanActionOut>, ApiError> {
    let id = path_id::<PlanId>("id", id.into_inner())?;
    let page = pq.request()?;
    let axis = q.into_inner().axis_id;
    Ok(Listed(
        state
            .run(caller, move |conn, cx| {
                wf::actions(conn, cx, &id, axis, &page)
            })
            .await?,
    ))
}

/// Add an action to an open plan, under one of its axes.
///
/// Only `axis_id` and `title` are required; what is still missing is listed as its
/// completeness. `422` naming the field for an axis of another plan, an end before the start,
/// `other` without `funding_note`, an organization or network of another district.
#[utoipa::path(tag = "plans", request_body = PlanActionInput,
    params(("id" = String, Path, description = "Plan id"), IdempotencyKey),
    responses((status = 201, body = PlanActionOut)),
    security(("bearer" = [])))]
#[post("/plans/{id}/actions")]
pub async fn add_action(
    state: web::Data<AppState>,
    caller: Caller<WritePlans>,
    id: web::Path<String>,
    body: ValidJson<PlanActionInput>,
) -> Result<Created<PlanActionOut>, ApiError> {
    let id = path_id::<PlanId>("id", id.into_inner())?;
    let a = state
        .run(caller, move |conn, cx| {
            wf::add_action(conn, cx, &id, body.0)
        })
        .await?;
    Ok(Created(format!("/api/v1/plan-actions/{}", a.id), a))
}

/// One action of a plan.
///
/// With its completeness, lateness, `ETag` and the actions possible now; invisible plans'
/// actions answer `404`.
#[utoipa::path(tag = "plans", params(("id" = String, Path, description = "Plan action id")),
    responses((status = 200, body = PlanActionOut)),
    security(("bearer" = []), ("client_credentials" = ["plans:read"])))]
#[get("/plan-actions/{id}")]
pub async fn read_action(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadPlans>>,
    id: web::Path<String>,
) -> Result<Tagged<PlanActionOut>, ApiError> {
    let id = path_id::<PlanActionId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| wf::read_action(conn, cx, &id))
            .await?,
    ))
}

/// Change an action (planned or running, of an open plan).
///
/// JSON Merge Patch with `If-Match` (`412` when stale): absent fields stay, `null` clears;
/// `network_ids` and `indicators` are replaced whole. The changed fields are recorded.
#[utoipa::path(tag = "plans", request_body = PlanActionPatch,
    params(("id" = String, Path, description = "Plan action id"), RequireIfMatch),
    responses((status = 200, body = PlanActionOut)),
    security(("bearer" = [])))]
#[patch("/plan-actions/{id}")]
pub async fn update_action(
    state: web::Data<AppState>,
    caller: Caller<WritePlans>,
    id: web::Path<String>,
    body: ValidJson<PlanActionPatch>,
    im: RequireIfMatch,
) -> Result<Tagged<PlanActionOut>, ApiError> {
    let id = path_id::<PlanActionId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::update_action(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

async fn moved(
    state: web::Data<AppState>,
    caller: Caller<WritePlans>,
    id: web::Path<String>,
    im: IfMatch,
    mv: ActionMove,
    reason: Option<String>,
) -> Result<Tagged<PlanActionOut>, ApiError> {
    let id = path_id::<PlanActionId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::move_action(conn, cx, &id, &im.0, mv, reason)
            })
            .await?,
    ))
}

/// Start a planned action.
///
/// `409` when it is not `planned` or its plan is closed; the reason is optional.
#[utoipa::path(tag = "plans", request_body(content = Option<OptionalReason>),
    params(("id" = String, Path, description = "Plan action id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = PlanActionOut)),
    security(("bearer" = [])))]
#[post("/plan-actions/{id}/start")]
pub async fn start_action(
    state: web::Data<AppState>,
    caller: Caller<WritePlans>,
    id: web::Path<String>,
    body: OptionalJson<OptionalReason>,
    im: IfMatch,
) -> Result<Tagged<PlanActionOut>, ApiError> {
    moved(state, caller, id, im, ActionMove::Start, body.0.reason).await
}

/// Complete a running action.
///
/// `409` when it is not `running` or its plan is closed; the reason is optional.
#[utoipa::path(tag = "plans", request_body(content = Option<OptionalReason>),
    params(("id" = String, Path, description = "Plan action id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = PlanActionOut)),
    security(("bearer" = [])))]
#[post("/plan-actions/{id}/complete")]
pub async fn complete_action(
    state: web::Data<AppState>,
    caller: Caller<WritePlans>,
    id: web::Path<String>,
    body: OptionalJson<OptionalReason>,
    im: IfMatch,
) -> Result<Tagged<PlanActionOut>, ApiError> {
    moved(state, caller, id, im, ActionMove::Complete, body.0.reason).await
}

/// Drop a planned or running action: it will not be done.
///
/// `409` when already completed or dropped, or its plan is closed; the reason is optional.
#[utoipa::path(tag = "plans", request_body(content = Option<OptionalReason>),
    params(("id" = String, Path, description = "Plan action id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = PlanActionOut)),
    security(("bearer" = [])))]
#[post("/plan-actions/{id}/drop")]
pub async fn drop_action(
    state: web::Data<AppState>,
    caller: Caller<WritePlans>,
    id: web::Path<String>,
    body: OptionalJson<OptionalReason>,
    im: IfMatch,
) -> Result<Tagged<PlanActionOut>, ApiError> {
    moved(state, caller, id, im, ActionMove::Drop, body.0.reason).await
}

/// A plan's monitoring, computed from the records, never typed.
///
/// Each action is followed through the granted projects linked to it and the catalogue
/// measures they made: persons reached, activations, euros reserved and spent (thresholds and
/// activations), cases closed by outcome, hired still employed at six months, budget executed
/// against the action's budget, late (end passed, not completed), the same figures per month,
/// and its indicators with computed values filled in. `totals` counts each person and case
/// once over the whole plan. Counts only, no personal data.
#[utoipa::path(tag = "plans", operation_id = "plans_monitoring",
    params(("id" = String, Path, description = "Plan id")),
    responses((status = 200, body = PlanMonitoring)),
    security(("bearer" = []), ("client_credentials" = ["plans:read"])))]
#[get("/plans/{id}/monitoring")]
pub async fn monitoring(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadPlans>>,
    id: web::Path<String>,
) -> Result<web::Json<PlanMonitoring>, ApiError> {
    let id = path_id::<PlanId>("id", id.into_inner())?;
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| mon::plan(conn, cx, &id))
            .await?,
    ))
}

fn download(
    export: sistema_lavoro_app::workflow::plan_export::Export,
    content_type: &str,
) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type.to_string()))
        .insert_header((
            header::CONTENT_DISPOSITION,
            super::documents::disposition(&export.file_name),
        ))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(export.bytes)
}

/// The plan as an Excel workbook (XLSX): one sheet per axis, the seed's columns.
///
/// Each axis's actions with title, description, expected results, start and end dates (as
/// dates), funding source and note, budget (euros, as numbers), responsible department and
/// organization, state, what is still missing, and the monitoring figures (persons reached,
/// activations, spent, budget executed, late). The header row is frozen and filtered. Headers
/// follow `Accept-Language`. Same callers as reading the plan; no personal data.
#[utoipa::path(tag = "plans", operation_id = "plans_export_xlsx",
    params(("id" = String, Path, description = "Plan id")),
    responses((status = 200, description = "The plan as XLSX", body = String,
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
    security(("bearer" = []), ("client_credentials" = ["plans:read"])))]
#[get("/plans/{id}/export.xlsx")]
pub async fn export_xlsx(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadPlans>>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id::<PlanId>("id", id.into_inner())?;
    let export = state
        .run(caller, move |conn, cx| {
            sistema_lavoro_app::workflow::plan_export::xlsx(conn, cx, &id)
        })
        .await?;
    Ok(download(export, sistema_lavoro_app::xlsx::CONTENT_TYPE))
}

/// The plan as a printable document (PDF, A4): axis by axis, each action with its dates,
/// source, budget, department, state and what is still to decide.
///
/// Same content as the workbook, for the Assemblea dei Sindaci or the partners' table; its
/// language follows `Accept-Language`. Same callers as reading the plan; no personal data.
#[utoipa::path(tag = "plans", operation_id = "plans_export_pdf",
    params(("id" = String, Path, description = "Plan id")),
    responses((status = 200, description = "The plan as PDF", body = String, content_type = "application/pdf")),
    security(("bearer" = []), ("client_credentials" = ["plans:read"])))]
#[get("/plans/{id}/export.pdf")]
pub async fn export_pdf(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadPlans>>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id::<PlanId>("id", id.into_inner())?;
    let export = state
        .run(caller, move |conn, cx| {
            sistema_lavoro_app::workflow::plan_export::pdf(conn, cx, &id)
        })
        .await?;
    Ok(download(export, "application/pdf"))
}
