//! `/networks/{id}/collective-actions` and `/collective-actions`: a partnership's collective
//! actions, who takes part, the employers they target, their beneficiaries and their results.

use crate::params::{path_id, ValidQuery};
use actix_web::{delete, get, patch, post, web};
use futures_util::future::try_join_all;
use serde::Deserialize;
use sistema_lavoro_app::workflow::cases::{OptionalReason, ReasonInput};
use sistema_lavoro_app::workflow::collective::{
    self as wf, BeneficiaryInput, BeneficiaryOut, CollectiveActionInput, CollectiveActionOut,
    CollectiveActionPatch, CollectiveMove, EmployerInput, ParticipantInput, ResultsOut,
};
use sistema_lavoro_app::workflow::Page;
use sistema_lavoro_domain::collective::CollectiveActionStatus;
use sistema_lavoro_domain::ids::{CaseId, CollectiveActionId, MemberId, NetworkId, OrganizationId};
use utoipa::IntoParams;

use crate::extract::{
    Caller, Hidden, OptionalJson, PageQuery, ReadNetworks, ValidJson, WriteNetworks,
};
use crate::precondition::{IdempotencyKey, IfMatch, RequireIfMatch};
use crate::problem::{ApiError, Problem};
use crate::respond::{Created, Listed, Tagged};
use crate::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_collective_actions)
        .service(create_collective_action)
        .service(read_collective_action)
        .service(update_collective_action)
        .service(start_collective_action)
        .service(complete_collective_action)
        .service(cancel_collective_action)
        .service(add_collective_participant)
        .service(remove_collective_participant)
        .service(add_collective_employer)
        .service(remove_collective_employer)
        .service(list_collective_beneficiaries)
        .service(add_collective_beneficiary)
        .service(remove_collective_beneficiary)
        .service(collective_action_results);
}

/// Filters of a partnership's collective actions.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CollectiveParams {
    /// Only actions in this state.
    pub status: Option<CollectiveActionStatus>,
}

/// A partnership's collective actions, sorted by id.
///
/// Everyone who sees the partnership (those who manage it, its members' users, the
/// observatory; clients with `networks:read`), each action with its participants, target
/// employers, its results today (counts only, computed from the beneficiaries' cases) and the
/// actions possible now. The observatory sees no participants or employers. A network of
/// another kind has none.
#[utoipa::path(tag = "networks",
    params(("id" = String, Path, description = "Network id"), PageQuery, CollectiveParams),
    responses((status = 200, body = Page<CollectiveActionOut>)),
    security(("bearer" = []), ("client_credentials" = ["networks:read"])))]
#[get("/networks/{id}/collective-actions")]
pub async fn list_collective_actions(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadNetworks>>,
    id: web::Path<String>,
    pq: ValidQuery<PageQuery>,
    q: ValidQuery<CollectiveParams>,
) -> Result<Listed<CollectiveActionOut>, ApiError> {
    let id = path_id::<NetworkId>("id", id.into_inner())?;
    let page = pq.request()?;
    let status = q.status;
    Ok(Listed(
        state
            .run(caller, move |conn, cx| {
                wf::list(conn, cx, &id, status, &page)
            })
            .await?,
    ))
}

/// Plan a collective action of a territorial partnership.
///
/// Outplacement, skills-shortage analysis, worker aggregation (also supporting firms in
/// crisis), labour-needs analysis, territorial marketing, target employers (seed 001); it
/// starts `planned`. Those who manage the partnership (the coordinator; the coordinating
/// organization's network coordinator; clients with `networks:write`). `409
/// not_a_partnership` for a network of another kind, `409` once the network is closed; `422`
/// for an end before the start.
#[utoipa::path(tag = "networks", request_body = CollectiveActionInput,
    params(("id" = String, Path, description = "Network id"), IdempotencyKey),
    responses((status = 201, body = CollectiveActionOut),
        (status = 409, description = "Not a territorial partnership, or the network is closed", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/networks/{id}/collective-actions")]
pub async fn create_collective_action(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: ValidJson<CollectiveActionInput>,
) -> Result<Created<CollectiveActionOut>, ApiError> {
    let id = path_id::<NetworkId>("id", id.into_inner())?;
    let a = state
        .run(caller, move |conn, cx| wf::create(conn, cx, &id, body.0))
        .await?;
    Ok(Created(format!("/api/v1/collective-actions/{}", a.id), a))
}

/// One collective action, with its results.
///
/// Its details, participants, target employers, results today (counts only), history (who,
/// when, why), `ETag` and the actions possible now. Anyone who does not see the partnership
/// gets `404`.
#[utoipa::path(tag = "networks", params(("id" = String, Path, description = "Collective action id")),
    responses((status = 200, body = CollectiveActionOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:read"])))]
#[get("/collective-actions/{id}")]
pub async fn read_collective_action(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadNetworks>>,
    id: web::Path<String>,
) -> Result<Tagged<CollectiveActionOut>, ApiError> {
    let id = path_id::<CollectiveActionId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| wf::read(conn, cx, &id))
            .await?,
    ))
}

/// Change a planned or running collective action.
///
/// JSON Merge Patch with `If-Match` (`412` when stale): absent fields stay, `null` clears; the
/// changed fields are recorded. Those who manage the partnership; `409` once completed or
/// cancelled; `422` for an end before the start.
#[utoipa::path(tag = "networks", request_body = CollectiveActionPatch,
    params(("id" = String, Path, description = "Collective action id"), RequireIfMatch),
    responses((status = 200, body = CollectiveActionOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[patch("/collective-actions/{id}")]
pub async fn update_collective_action(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: ValidJson<CollectiveActionPatch>,
    im: RequireIfMatch,
) -> Result<Tagged<CollectiveActionOut>, ApiError> {
    let id = path_id::<CollectiveActionId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::update(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

async fn moved(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    im: IfMatch,
    mv: CollectiveMove,
    reason: Option<String>,
) -> Result<Tagged<CollectiveActionOut>, ApiError> {
    let id = path_id::<CollectiveActionId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::transition(conn, cx, &id, &im.0, mv, reason)
            })
            .await?,
    ))
}

/// Start a planned collective action.
///
/// Those who manage the partnership; the reason is optional; `409` when it is not `planned`.
#[utoipa::path(tag = "networks", request_body(content = Option<OptionalReason>),
    params(("id" = String, Path, description = "Collective action id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = CollectiveActionOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/collective-actions/{id}/start")]
pub async fn start_collective_action(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: OptionalJson<OptionalReason>,
    im: IfMatch,
) -> Result<Tagged<CollectiveActionOut>, ApiError> {
    moved(state, caller, id, im, CollectiveMove::Start, body.0.reason).await
}

/// Complete a running collective action.
///
/// Its results keep being computed from the beneficiaries' cases (six-month checks fall due
/// later). Those who manage the partnership; the reason is optional; `409` when it is not
/// `running`.
#[utoipa::path(tag = "networks", request_body(content = Option<OptionalReason>),
    params(("id" = String, Path, description = "Collective action id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = CollectiveActionOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/collective-actions/{id}/complete")]
pub async fn complete_collective_action(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: OptionalJson<OptionalReason>,
    im: IfMatch,
) -> Result<Tagged<CollectiveActionOut>, ApiError> {
    moved(
        state,
        caller,
        id,
        im,
        CollectiveMove::Complete,
        body.0.reason,
    )
    .await
}

/// Cancel a planned or running collective action (reason required).
///
/// Those who manage the partnership; `409` once completed or cancelled.
#[utoipa::path(tag = "networks", request_body = ReasonInput,
    params(("id" = String, Path, description = "Collective action id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = CollectiveActionOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/collective-actions/{id}/cancel")]
pub async fn cancel_collective_action(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: ValidJson<ReasonInput>,
    im: IfMatch,
) -> Result<Tagged<CollectiveActionOut>, ApiError> {
    moved(
        state,
        caller,
        id,
        im,
        CollectiveMove::Cancel,
        Some(body.0.reason),
    )
    .await
}

/// A member of the partnership takes part in the action.
///
/// `member_id` is the membership (adesione) of an active member of the action's network
/// (`422` otherwise); answers the action. Those who manage the partnership; `409 duplicate`
/// when it already takes part; `409` once the action is completed or cancelled.
#[utoipa::path(tag = "networks", request_body = ParticipantInput,
    params(("id" = String, Path, description = "Collective action id"), IdempotencyKey),
    responses((status = 201, body = CollectiveActionOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/collective-actions/{id}/participants")]
pub async fn add_collective_participant(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: ValidJson<ParticipantInput>,
) -> Result<Created<CollectiveActionOut>, ApiError> {
    let id = path_id::<CollectiveActionId>("id", id.into_inner())?;
    let a = state
        .run(caller, move |conn, cx| {
            wf::add_participant(conn, cx, &id, body.0)
        })
        .await?;
    Ok(Created(format!("/api/v1/collective-actions/{}", a.id), a))
}

/// A member stops taking part in the action.
///
/// The beneficiaries its agency brought stay, and count. Answers the action. Those who manage
/// the partnership; `404` for a member not taking part; `409` once the action is completed or
/// cancelled.
#[utoipa::path(tag = "networks",
    params(("id" = String, Path, description = "Collective action id"), ("member_id" = String, Path, description = "Membership id")),
    responses((status = 200, body = CollectiveActionOut),
        (status = 409, description = "The action is completed or cancelled, or its network is closed", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[delete("/collective-actions/{id}/participants/{member_id}")]
pub async fn remove_collective_participant(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    path: web::Path<(String, String)>,
) -> Result<Tagged<CollectiveActionOut>, ApiError> {
    let (id, member) = path.into_inner();
    let id = path_id::<CollectiveActionId>("id", id)?;
    let member = path_id::<MemberId>("member_id", member)?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::remove_participant(conn, cx, &id, &member)
            })
            .await?,
    ))
}

/// The action targets an employer (impresa bersaglio).
///
/// An organization of kind `employer` of the district (`422 not_an_employer` otherwise).
/// Answers the action. Those who manage the partnership; `409 duplicate` when already
/// targeted; `409` once the action is completed or cancelled.
#[utoipa::path(tag = "networks", request_body = EmployerInput,
    params(("id" = String, Path, description = "Collective action id"), IdempotencyKey),
    responses((status = 201, body = CollectiveActionOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/collective-actions/{id}/employers")]
pub async fn add_collective_employer(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: ValidJson<EmployerInput>,
) -> Result<Created<CollectiveActionOut>, ApiError> {
    let id = path_id::<CollectiveActionId>("id", id.into_inner())?;
    let a = state
        .run(caller, move |conn, cx| {
            wf::add_employer(conn, cx, &id, body.0)
        })
        .await?;
    Ok(Created(format!("/api/v1/collective-actions/{}", a.id), a))
}

/// The action no longer targets an employer.
///
/// Answers the action. Those who manage the partnership; `404` for an employer not targeted;
/// `409` once the action is completed or cancelled.
#[utoipa::path(tag = "networks",
    params(("id" = String, Path, description = "Collective action id"), ("organization_id" = String, Path, description = "Employer organization id")),
    responses((status = 200, body = CollectiveActionOut),
        (status = 409, description = "The action is completed or cancelled, or its network is closed", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[delete("/collective-actions/{id}/employers/{organization_id}")]
pub async fn remove_collective_employer(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    path: web::Path<(String, String)>,
) -> Result<Tagged<CollectiveActionOut>, ApiError> {
    let (id, org) = path.into_inner();
    let id = path_id::<CollectiveActionId>("id", id)?;
    let org = path_id::<OrganizationId>("organization_id", org)?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::remove_employer(conn, cx, &id, &org)
            })
            .await?,
    ))
}

/// The action's beneficiaries, current and removed, sorted by id (case ids, no names).
///
/// A read of personal data, logged (who, when, which person): the coordinator (Ufficio di
/// Piano) sees every one; a participating member's users (clients with `networks:read`) those
/// of their own agency; anyone else who sees the action gets its counts only (`403` here).
#[utoipa::path(tag = "networks",
    params(("id" = String, Path, description = "Collective action id"), PageQuery),
    responses((status = 200, body = Page<BeneficiaryOut>)),
    security(("bearer" = []), ("client_credentials" = ["networks:read"])))]
#[get("/collective-actions/{id}/beneficiaries")]
pub async fn list_collective_beneficiaries(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadNetworks>>,
    id: web::Path<String>,
    pq: ValidQuery<PageQuery>,
) -> Result<Listed<BeneficiaryOut>, ApiError> {
    let id = path_id::<CollectiveActionId>("id", id.into_inner())?;
    let page = pq.request()?;
    let (list, reads) = state
        .run(caller, move |conn, cx| {
            wf::beneficiaries(conn, cx, &id, &page)
        })
        .await?;
    try_join_all(reads.into_iter().map(|r| state.reads.record(r))).await?;
    Ok(Listed(list))
}

/// A case becomes a beneficiary of the action.
///
/// The case must be of the partnership's district and followed by an agency taking part in
/// the action (`422 agency_not_participating`); a participating member's users add only
/// their own agency's cases (`422 not_followed_by_your_agency`). Answers the action with its
/// results. Those who manage the partnership and the participants; `409 duplicate` when it
/// already is one; `409` once the action is completed or cancelled.
#[utoipa::path(tag = "networks", request_body = BeneficiaryInput,
    params(("id" = String, Path, description = "Collective action id"), IdempotencyKey),
    responses((status = 201, body = CollectiveActionOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/collective-actions/{id}/beneficiaries")]
pub async fn add_collective_beneficiary(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: ValidJson<BeneficiaryInput>,
) -> Result<Created<CollectiveActionOut>, ApiError> {
    let id = path_id::<CollectiveActionId>("id", id.into_inner())?;
    let a = state
        .run(caller, move |conn, cx| {
            wf::add_beneficiary(conn, cx, &id, body.0)
        })
        .await?;
    Ok(Created(format!("/api/v1/collective-actions/{}", a.id), a))
}

/// A case stops being a beneficiary; its entry is kept (added and removed, by whom, when).
///
/// Answers the action with its results. Those who manage the partnership, and a
/// participant's users for their own agency's cases; `404` for a case that is not a current
/// beneficiary; `409` once the action is completed or cancelled.
#[utoipa::path(tag = "networks",
    params(("id" = String, Path, description = "Collective action id"), ("case_id" = String, Path, description = "Case id")),
    responses((status = 200, body = CollectiveActionOut),
        (status = 409, description = "The action is completed or cancelled, its network is closed, or the beneficiary was removed meanwhile", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[delete("/collective-actions/{id}/beneficiaries/{case_id}")]
pub async fn remove_collective_beneficiary(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    path: web::Path<(String, String)>,
) -> Result<Tagged<CollectiveActionOut>, ApiError> {
    let (id, case) = path.into_inner();
    let id = path_id::<CollectiveActionId>("id", id)?;
    let case = path_id::<CaseId>("case_id", case)?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::remove_beneficiary(conn, cx, &id, &case)
            })
            .await?,
    ))
}

/// The action's results today, computed, never typed in.
///
/// Beneficiaries, hired (cases closed with an employment outcome), still employed at six
/// months (the six-month outcome check recorded as employed), not employed, and checks not
/// yet due or due and not recorded: counts only, for everyone who sees the action. The
/// coordinator (Ufficio di Piano) also gets the current beneficiaries' case ids, a read of
/// personal data that is logged.
#[utoipa::path(tag = "networks", params(("id" = String, Path, description = "Collective action id")),
    responses((status = 200, body = ResultsOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:read"])))]
#[get("/collective-actions/{id}/results")]
pub async fn collective_action_results(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadNetworks>>,
    id: web::Path<String>,
) -> Result<web::Json<ResultsOut>, ApiError> {
    let id = path_id::<CollectiveActionId>("id", id.into_inner())?;
    let (out, reads) = state
        .run(caller, move |conn, cx| wf::results(conn, cx, &id))
        .await?;
    try_join_all(reads.into_iter().map(|r| state.reads.record(r))).await?;
    Ok(web::Json(out))
}
