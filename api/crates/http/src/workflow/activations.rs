//! `/activations` and `/cases/{id}/activations`: measures activated within thresholds.

use crate::params::path_id;
use actix_web::{get, patch, post, web};
use sistema_lavoro_app::workflow::activations::{
    self as wf, ActivationInput, ActivationOut, ActivationPatch, SettleInput,
};
use sistema_lavoro_app::workflow::referrals::ActionNote;
use sistema_lavoro_app::workflow::Page;
use sistema_lavoro_domain::ids::{ActivationId, CaseId};

use crate::extract::{Caller, OptionalJson, ReadCases, ValidJson, WorkCases};
use crate::precondition::{IdempotencyKey, IfMatch, RequireIfMatch};
use crate::problem::ApiError;
use crate::respond::{Created, Tagged};
use crate::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(propose)
        .service(read)
        .service(update)
        .service(approve)
        .service(start)
        .service(complete)
        .service(interrupt)
        .service(cancel);
}

/// The case's activations.
///
/// Lists the measures activated for a case (attivazioni misura) in every state, with amounts
/// in euro cents, the threshold (soglia) they reserve on and the actions possible now.
/// Coordinators and agency operators (clients with `cases:read`) on cases they see; `404` for
/// any other case.
#[utoipa::path(tag = "activations", params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = Page<ActivationOut>)),
    security(("bearer" = []), ("client_credentials" = ["cases:read"])))]
#[get("/cases/{id}/activations")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller<ReadCases>,
    id: web::Path<String>,
) -> Result<web::Json<Page<ActivationOut>>, ApiError> {
    let id = path_id::<CaseId>("id", id.into_inner())?;
    Ok(web::Json(Page::whole(
        state
            .run(caller, move |conn, cx| wf::of_case(conn, cx, &id))
            .await?,
    )))
}

/// Propose a measure for the case (`proposed`; nothing is reserved yet).
///
/// Creates an activation (attivazione) of an active measure (misura) of the district for a case
/// `in_charge`, `active` or `monitoring`, for the given amount in euro cents or the measure's
/// typical one, and records the proposal in the history. Agency operators of the case — not the coordinator, who supervises (`403`) —
/// (clients with `cases:write`); `409` from another case state, `422` for an unknown measure
/// or no amount.
#[utoipa::path(tag = "activations", request_body = ActivationInput,
    params(("id" = String, Path, description = "Case id"), IdempotencyKey),
    responses((status = 201, body = ActivationOut)),
    security(("bearer" = []), ("client_credentials" = ["cases:write"])))]
#[post("/cases/{id}/activations")]
pub async fn propose(
    state: web::Data<AppState>,
    caller: Caller<WorkCases>,
    id: web::Path<String>,
    body: ValidJson<ActivationInput>,
) -> Result<Created<ActivationOut>, ApiError> {
    let id = path_id::<CaseId>("id", id.into_inner())?;
    let a = state
        .run(caller, move |conn, cx| wf::propose(conn, cx, &id, body.0))
        .await?;
    Ok(Created(format!("/api/v1/activations/{}", a.id), a))
}

/// One activation.
///
/// Reads one activation (attivazione misura) with its amounts in euro cents, its `ETag` and what
/// approval would meet today (eligibility, room on the threshold). Coordinators and agency
/// operators (clients with `cases:read`) whose case they see; `404` otherwise.
#[utoipa::path(tag = "activations", params(("id" = String, Path, description = "Activation id")),
    responses((status = 200, body = ActivationOut)),
    security(("bearer" = []), ("client_credentials" = ["cases:read"])))]
#[get("/activations/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    caller: Caller<ReadCases>,
    id: web::Path<String>,
) -> Result<Tagged<ActivationOut>, ApiError> {
    let id = path_id::<ActivationId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| wf::read(conn, cx, &id))
            .await?,
    ))
}

/// Change amount or note of a proposed activation.
///
/// Absent fields stay as they are; a changed amount is logged with both figures. Agency operators of the case — not the coordinator, who supervises (`403`) — (clients with `cases:write`), with `If-Match` (`412` when stale); `409`
/// once the activation is no longer `proposed` or the case is closed.
#[utoipa::path(tag = "activations", request_body = ActivationPatch,
    params(("id" = String, Path, description = "Activation id"), RequireIfMatch),
    responses((status = 200, body = ActivationOut)),
    security(("bearer" = []), ("client_credentials" = ["cases:write"])))]
#[patch("/activations/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller<WorkCases>,
    id: web::Path<String>,
    body: ValidJson<ActivationPatch>,
    im: RequireIfMatch,
) -> Result<Tagged<ActivationOut>, ApiError> {
    let id = path_id::<ActivationId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::update(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// Approve: checks eligibility today and reserves the amount on the agency's threshold for
/// the measure. `409 not_eligible`, `409 no_threshold` or `409 threshold_exceeded` otherwise.
///
/// Moves a `proposed` activation to `approved`, reserving its amount on the agency's threshold
/// (soglia operatore) valid today, atomically so that concurrent approvals never overspend it,
/// and emits `activation.approved` to the agency. Coordinators and agency operators (clients
/// with `cases:write`); `409` from any other state.
#[utoipa::path(tag = "activations",
    params(("id" = String, Path, description = "Activation id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = ActivationOut)),
    security(("bearer" = []), ("client_credentials" = ["cases:write"])))]
#[post("/activations/{id}/approve")]
pub async fn approve(
    state: web::Data<AppState>,
    caller: Caller<WorkCases>,
    id: web::Path<String>,
    im: IfMatch,
) -> Result<Tagged<ActivationOut>, ApiError> {
    let id = path_id::<ActivationId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| wf::approve(conn, cx, &id, &im.0))
            .await?,
    ))
}

/// Start an approved measure; the case becomes `active`.
///
/// Moves the activation to `running` and, when the case was `in_charge` or `monitoring`, the
/// case to `active` (recorded, with `case.status_changed`). Agency operators of the case — not the coordinator, who supervises (`403`) —
/// (clients with `cases:write`); `409` when the activation is not `approved` or the case is
/// not in charge.
#[utoipa::path(tag = "activations",
    params(("id" = String, Path, description = "Activation id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = ActivationOut)),
    security(("bearer" = []), ("client_credentials" = ["cases:write"])))]
#[post("/activations/{id}/start")]
pub async fn start(
    state: web::Data<AppState>,
    caller: Caller<WorkCases>,
    id: web::Path<String>,
    im: IfMatch,
) -> Result<Tagged<ActivationOut>, ApiError> {
    let id = path_id::<ActivationId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| wf::start(conn, cx, &id, &im.0))
            .await?,
    ))
}

/// Complete a running measure with the amount actually spent (≤ reserved; the rest is released).
///
/// Moves the activation to `completed` and settles the threshold (soglia): the spent amount in
/// euro cents is charged, the rest of the reservation released. When no other measure is
/// running, an `active` case moves to `monitoring`. Agency operators of the case — not the coordinator, who supervises (`403`) — (clients
/// with `cases:write`); `409` when not `running`, `422` when spent exceeds the reserved amount.
#[utoipa::path(tag = "activations", request_body = SettleInput,
    params(("id" = String, Path, description = "Activation id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = ActivationOut)),
    security(("bearer" = []), ("client_credentials" = ["cases:write"])))]
#[post("/activations/{id}/complete")]
pub async fn complete(
    state: web::Data<AppState>,
    caller: Caller<WorkCases>,
    id: web::Path<String>,
    body: ValidJson<SettleInput>,
    im: IfMatch,
) -> Result<Tagged<ActivationOut>, ApiError> {
    let id = path_id::<ActivationId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::complete(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// Interrupt a running measure, recording what was spent.
///
/// Like completion, but the activation ends `interrupted` (e.g. the person dropped out): the
/// spent amount in euro cents is charged to the threshold and the rest released, and an
/// `active` case with no other running measure moves to `monitoring`. Agency operators of the case — not the coordinator, who supervises (`403`) — (clients with `cases:write`); `409` when not `running`.
#[utoipa::path(tag = "activations", request_body = SettleInput,
    params(("id" = String, Path, description = "Activation id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = ActivationOut)),
    security(("bearer" = []), ("client_credentials" = ["cases:write"])))]
#[post("/activations/{id}/interrupt")]
pub async fn interrupt(
    state: web::Data<AppState>,
    caller: Caller<WorkCases>,
    id: web::Path<String>,
    body: ValidJson<SettleInput>,
    im: IfMatch,
) -> Result<Tagged<ActivationOut>, ApiError> {
    let id = path_id::<ActivationId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::interrupt(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// Cancel a proposed or approved measure; an approved one releases its reservation.
///
/// Moves the activation to `cancelled` and records the optional reason; the reserved budget
/// goes back to the threshold (soglia). Agency operators of the case — not the coordinator, who supervises (`403`) — (clients with
/// `cases:write`) whose case they see; `409` once the measure is running or ended.
#[utoipa::path(tag = "activations", request_body(content = Option<ActionNote>),
    params(("id" = String, Path, description = "Activation id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = ActivationOut)),
    security(("bearer" = []), ("client_credentials" = ["cases:write"])))]
#[post("/activations/{id}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    caller: Caller<WorkCases>,
    id: web::Path<String>,
    body: OptionalJson<ActionNote>,
    im: IfMatch,
) -> Result<Tagged<ActivationOut>, ApiError> {
    let id = path_id::<ActivationId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::cancel(conn, cx, &id, &im.0, body.0.reason)
            })
            .await?,
    ))
}
