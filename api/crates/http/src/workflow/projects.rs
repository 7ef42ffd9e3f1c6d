//! `/projects`: funded projects (progettualità) — from the idea to the closing report — and
//! the measures a granted project makes in the catalogue.

use crate::params::{path_id, ValidQuery};
use actix_web::{get, patch, post, web};
use serde::Deserialize;
use sistema_lavoro_app::workflow::cases::OptionalReason;
use sistema_lavoro_app::workflow::monitoring::{self as mon, ProjectMonitoring};
use sistema_lavoro_app::workflow::projects::{
    self as wf, GrantInput, ProjectInput, ProjectMeasureInput, ProjectMove, ProjectOut,
    ProjectPatch, RejectInput, SubmitInput,
};
use sistema_lavoro_app::workflow::Page;
use sistema_lavoro_domain::ids::ProjectId;
use sistema_lavoro_domain::projects::ProjectStatus;
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
        .service(submit)
        .service(grant)
        .service(reject)
        .service(start)
        .service(report)
        .service(close)
        .service(add_measure)
        .service(monitoring);
}

/// Filters of the project list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProjectParams {
    /// Only projects in this state.
    pub status: Option<ProjectStatus>,
}

/// The district's funded projects, sorted by id.
///
/// Every role of the district reads them (no personal data), clients with `plans:read`; each
/// with its amounts, deadlines falling due (`due`), the plan actions it funds, its measures
/// and the actions possible now.
#[utoipa::path(tag = "projects", params(PageQuery, ProjectParams),
    responses((status = 200, body = Page<ProjectOut>)),
    security(("bearer" = []), ("client_credentials" = ["plans:read"])))]
#[get("/projects")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller<ReadPlans>,
    pq: ValidQuery<PageQuery>,
    q: ValidQuery<ProjectParams>,
) -> Result<Listed<ProjectOut>, ApiError> {
    let page = pq.request()?;
    let status: Vec<ProjectStatus> = q.status.into_iter().collect();
    Ok(Listed(
        state
            .run(caller, move |conn, cx| wf::list(conn, cx, &status, &page))
            .await?,
    ))
}

/// Write down a project idea.
///
/// The coordinator (Ufficio di Piano). `422` naming the field for a malformed CUP, dates out of
/// order, two leads, an organization, network or plan action of another district; `409
/// duplicate` (with `existing_id`) when another project has the CUP.
#[utoipa::path(tag = "projects", request_body = ProjectInput, params(IdempotencyKey),
    responses((status = 201, body = ProjectOut)),
    security(("bearer" = [])))]
#[post("/projects")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller<WritePlans>,
    body: ValidJson<ProjectInput>,
) -> Result<Created<ProjectOut>, ApiError> {
    let p = state
        .run(caller, move |conn, cx| wf::create(conn, cx, body.0))
        .await?;
    Ok(Created(format!("/api/v1/projects/{}", p.id), p))
}

/// One project.
///
/// Invisible projects (another district's) answer `404`.
#[utoipa::path(tag = "projects", params(("id" = String, Path, description = "Project id")),
    responses((status = 200, body = ProjectOut)),
    security(("bearer" = []), ("client_credentials" = ["plans:read"])))]
#[get("/projects/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadPlans>>,
    id: web::Path<String>,
) -> Result<Tagged<ProjectOut>, ApiError> {
    let id = path_id::<ProjectId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| wf::read(conn, cx, &id))
            .await?,
    ))
}

/// Change a project (until rejected or closed).
///
/// JSON Merge Patch with `If-Match` (`412` when stale); changed fields go to its history.
#[utoipa::path(tag = "projects", request_body = ProjectPatch,
    params(("id" = String, Path, description = "Project id"), RequireIfMatch),
    responses((status = 200, body = ProjectOut)),
    security(("bearer" = [])))]
#[patch("/projects/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller<WritePlans>,
    id: web::Path<String>,
    body: ValidJson<ProjectPatch>,
    im: RequireIfMatch,
) -> Result<Tagged<ProjectOut>, ApiError> {
    let id = path_id::<ProjectId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::update(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// Record that the project was submitted to its call (`idea → submitted`).
///
/// `submitted_on` defaults to today and may not be in the future; `409` from any other state.
#[utoipa::path(tag = "projects", operation_id = "projects_submit", request_body(content = Option<SubmitInput>),
    params(("id" = String, Path, description = "Project id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = ProjectOut)),
    security(("bearer" = [])))]
#[post("/projects/{id}/submit")]
pub async fn submit(
    state: web::Data<AppState>,
    caller: Caller<WritePlans>,
    id: web::Path<String>,
    body: OptionalJson<SubmitInput>,
    im: IfMatch,
) -> Result<Tagged<ProjectOut>, ApiError> {
    let id = path_id::<ProjectId>("id", id.into_inner())?;
    let i = body.0;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| wf::submit(conn, cx, &id, &im.0, i))
            .await?,
    ))
}

/// Record the grant (`submitted → granted`): amount, date, split by year, CUP.
///
/// `422` when the split by year does not add up to the amount, repeats a year, or the CUP is
/// malformed.
#[utoipa::path(tag = "projects", request_body = GrantInput,
    params(("id" = String, Path, description = "Project id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = ProjectOut)),
    security(("bearer" = [])))]
#[post("/projects/{id}/grant")]
pub async fn grant(
    state: web::Data<AppState>,
    caller: Caller<WritePlans>,
    id: web::Path<String>,
    body: ValidJson<GrantInput>,
    im: IfMatch,
) -> Result<Tagged<ProjectOut>, ApiError> {
    let id = path_id::<ProjectId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::grant(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// Record that the project was not granted (`submitted → rejected`), with why.
///
/// The reason is required and kept as the decision note; nothing of the project changes after.
#[utoipa::path(tag = "projects", request_body = RejectInput,
    params(("id" = String, Path, description = "Project id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = ProjectOut)),
    security(("bearer" = [])))]
#[post("/projects/{id}/reject")]
pub async fn reject(
    state: web::Data<AppState>,
    caller: Caller<WritePlans>,
    id: web::Path<String>,
    body: ValidJson<RejectInput>,
    im: IfMatch,
) -> Result<Tagged<ProjectOut>, ApiError> {
    let id = path_id::<ProjectId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::reject(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

macro_rules! project_move {
    ($name:ident, $op:literal, $path:literal, $mv:expr, $doc:literal) => {
        #[doc = $doc]
        #[doc = ""]
        #[doc = "`409 invalid_transition` from any other state; the reason is optional and kept in the project's history."]
        #[utoipa::path(tag = "projects", operation_id = $op, request_body(content = Option<OptionalReason>),
            params(("id" = String, Path, description = "Project id"), IfMatch, IdempotencyKey),
            responses((status = 200, body = ProjectOut)),
            security(("bearer" = [])))]
        #[post($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            caller: Caller<WritePlans>,
            id: web::Path<String>,
            body: OptionalJson<OptionalReason>,
            im: IfMatch,
        ) -> Result<Tagged<ProjectOut>, ApiError> {
            let id = path_id::<ProjectId>("id", id.into_inner())?;
            let reason = body.0.reason;
            Ok(Tagged(
                state
                    .run(caller, move |conn, cx| {
                        wf::move_project(conn, cx, &id, &im.0, $mv, reason)
                    })
                    .await?,
            ))
        }
    };
}

project_move!(
    start,
    "projects_start",
    "/projects/{id}/start",
    ProjectMove::Start,
    "Record that a granted project's activities started (`granted → running`)."
);
project_move!(
    report,
    "projects_report",
    "/projects/{id}/report",
    ProjectMove::Report,
    "Record that a running project's report was sent (`running → reported`)."
);
project_move!(
    close,
    "projects_close",
    "/projects/{id}/close",
    ProjectMove::Close,
    "Close a reported project (`reported → closed`); it is kept for the record."
);

/// Make a measure of the catalogue from a granted or running project, with a threshold per
/// agency.
///
/// A district project whose funding source is the project's funder and call, valid over the
/// project's dates unless given; its money is then spent through activations like DUL and
/// GG. `409 grant_exceeded` when the caps of all the project's thresholds would pass what was
/// granted plus the co-financing (nothing is kept); `409 duplicate` for a code already in the
/// catalogue; `422` naming `thresholds[n].agency_id` for an agency that is not the district's.
/// Answers the project.
#[utoipa::path(tag = "projects", request_body = ProjectMeasureInput,
    params(("id" = String, Path, description = "Project id"), IdempotencyKey),
    responses((status = 201, body = ProjectOut)),
    security(("bearer" = [])))]
#[post("/projects/{id}/measures")]
pub async fn add_measure(
    state: web::Data<AppState>,
    caller: Caller<WritePlans>,
    id: web::Path<String>,
    body: ValidJson<ProjectMeasureInput>,
) -> Result<Created<ProjectOut>, ApiError> {
    let id = path_id::<ProjectId>("id", id.into_inner())?;
    let p = state
        .run(caller, move |conn, cx| {
            wf::add_measure(conn, cx, &id, body.0)
        })
        .await?;
    Ok(Created(format!("/api/v1/projects/{}", p.id), p))
}

/// A project's monitoring, computed from the records.
///
/// From the catalogue measures the project made: persons reached, activations, euros
/// reserved and spent (thresholds and activations), cases closed by outcome, hired still
/// employed at six months, budget executed against grant plus co-financing, late (end passed
/// while granted or running), and the same figures per month. Counts only, no personal data.
#[utoipa::path(tag = "projects", operation_id = "projects_monitoring",
    params(("id" = String, Path, description = "Project id")),
    responses((status = 200, body = ProjectMonitoring)),
    security(("bearer" = []), ("client_credentials" = ["plans:read"])))]
#[get("/projects/{id}/monitoring")]
pub async fn monitoring(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadPlans>>,
    id: web::Path<String>,
) -> Result<web::Json<ProjectMonitoring>, ApiError> {
    let id = path_id::<ProjectId>("id", id.into_inner())?;
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| mon::project(conn, cx, &id))
            .await?,
    ))
}
