//! A network's working groups per response area and its members' shared responses (seed
//! 003), and the shared responses proposed on a case.

use actix_web::{get, patch, post, web};
use serde::Deserialize;
use sistema_lavoro_app::workflow::cases::OptionalReason;
use sistema_lavoro_app::workflow::responses::{
    self as wf, GroupMemberInput, LeaveGroupInput, ProposalInput, ProposalOut, ResponseFilter,
    ResponseMove, SharedResponseInput, SharedResponseOut, SharedResponsePatch, WorkingGroupInput,
    WorkingGroupOut, WorkingGroupPatch,
};
use sistema_lavoro_app::workflow::Page;
use sistema_lavoro_domain::ids::{CaseId, MemberId, NetworkId, SharedResponseId, WorkingGroupId};
use sistema_lavoro_domain::responses::{ResponseArea, SharedResponseStatus};
use utoipa::IntoParams;

use crate::extract::{
    Caller, Hidden, OptionalJson, PageQuery, ReadCases, ReadNetworks, ValidJson, WorkCases,
    WriteNetworks,
};
use crate::params::{path_id, ValidQuery};
use crate::precondition::{IdempotencyKey, IfMatch, RequireIfMatch};
use crate::problem::ApiError;
use crate::respond::{Created, CreatedAt, Listed, Tagged};
use crate::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_working_groups)
        .service(create_working_group)
        .service(read_working_group)
        .service(update_working_group)
        .service(close_working_group)
        .service(add_working_group_member)
        .service(leave_working_group)
        .service(list_shared_responses)
        .service(offer_shared_response)
        .service(read_shared_response)
        .service(update_shared_response)
        .service(make_shared_response_available)
        .service(withdraw_shared_response)
        .service(list_case_proposals)
        .service(propose_on_case);
}

// ------------------------------------------------------------ working groups

/// The network's working groups (gruppi di lavoro), by id, each with its members' history.
///
/// Those who manage the network and its members' users; the observatory `403`; others `404`.
/// One group per response area is active at a time.
#[utoipa::path(tag = "networks",
    params(("id" = String, Path, description = "Network id"), PageQuery),
    responses((status = 200, body = Page<WorkingGroupOut>)),
    security(("bearer" = []), ("client_credentials" = ["networks:read"])))]
#[get("/networks/{id}/working-groups")]
pub async fn list_working_groups(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadNetworks>>,
    id: web::Path<String>,
    pq: ValidQuery<PageQuery>,
) -> Result<Listed<WorkingGroupOut>, ApiError> {
    let id = path_id::<NetworkId>("id", id.into_inner())?;
    let page = pq.request()?;
    Ok(Listed(
        state
            .run(caller, move |conn, cx| wf::groups(conn, cx, &id, &page))
            .await?,
    ))
}

/// Start a working group on a response area.
///
/// `area` is required; `name` defaults to "Gruppo di lavoro <area>". One active group per area
/// per network: `409 working_group_exists` (with `existing_id`) while another is active. Those
/// who manage the network, until it is closed.
#[utoipa::path(tag = "networks", request_body = WorkingGroupInput,
    params(("id" = String, Path, description = "Network id"), IdempotencyKey),
    responses((status = 201, body = WorkingGroupOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/networks/{id}/working-groups")]
pub async fn create_working_group(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: ValidJson<WorkingGroupInput>,
) -> Result<Created<WorkingGroupOut>, ApiError> {
    let id = path_id::<NetworkId>("id", id.into_inner())?;
    let g = state
        .run(caller, move |conn, cx| {
            wf::create_group(conn, cx, &id, body.0)
        })
        .await?;
    Ok(Created(format!("/api/v1/working-groups/{}", g.id), g))
}

/// One working group, with its members (who joined and left when) and the actions possible now.
///
/// The network's members and managers read it; anyone else gets `404`.
#[utoipa::path(tag = "networks", params(("id" = String, Path, description = "Working group id")),
    responses((status = 200, body = WorkingGroupOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:read"])))]
#[get("/working-groups/{id}")]
pub async fn read_working_group(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadNetworks>>,
    id: web::Path<String>,
) -> Result<Tagged<WorkingGroupOut>, ApiError> {
    let id = path_id::<WorkingGroupId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| wf::read_group(conn, cx, &id))
            .await?,
    ))
}

/// Change an active working group's name or purpose (JSON Merge Patch, with `If-Match`).
///
/// Those who manage the network; `409` once closed.
#[utoipa::path(tag = "networks", request_body = WorkingGroupPatch,
    params(("id" = String, Path, description = "Working group id"), RequireIfMatch),
    responses((status = 200, body = WorkingGroupOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[patch("/working-groups/{id}")]
pub async fn update_working_group(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: ValidJson<WorkingGroupPatch>,
    im: RequireIfMatch,
) -> Result<Tagged<WorkingGroupOut>, ApiError> {
    let id = path_id::<WorkingGroupId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::update_group(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// Close an active working group (reason optional).
///
/// Its members' participation ends today; the area may then get a new group. Those who manage
/// the network; `409` when already closed.
#[utoipa::path(tag = "networks", request_body(content = Option<OptionalReason>),
    params(("id" = String, Path, description = "Working group id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = WorkingGroupOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/working-groups/{id}/close")]
pub async fn close_working_group(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: OptionalJson<OptionalReason>,
    im: IfMatch,
) -> Result<Tagged<WorkingGroupOut>, ApiError> {
    let id = path_id::<WorkingGroupId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::close_group(conn, cx, &id, &im.0, body.0.reason)
            })
            .await?,
    ))
}

/// A network member takes part in the working group.
///
/// `member_id` is a membership of the network active today (`422` otherwise); `joined_on`
/// defaults to today. `409 already_member` while it is in the group; `409` once the group is
/// closed. Those who manage the network. Answers the group.
#[utoipa::path(tag = "networks", request_body = GroupMemberInput,
    params(("id" = String, Path, description = "Working group id"), IdempotencyKey),
    responses((status = 201, body = WorkingGroupOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/working-groups/{id}/members")]
pub async fn add_working_group_member(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: ValidJson<GroupMemberInput>,
) -> Result<Created<WorkingGroupOut>, ApiError> {
    let id = path_id::<WorkingGroupId>("id", id.into_inner())?;
    let g = state
        .run(caller, move |conn, cx| {
            wf::add_group_member(conn, cx, &id, body.0)
        })
        .await?;
    Ok(Created(format!("/api/v1/working-groups/{}", g.id), g))
}

/// A member leaves the working group (its participation is kept, with `left_on`).
///
/// `left_on` defaults to today (not before it joined, not in the future). `404` for a member
/// never in the group, `409` once it left or the group closed. Those who manage the network.
#[utoipa::path(tag = "networks", request_body(content = Option<LeaveGroupInput>),
    params(("id" = String, Path, description = "Working group id"),
        ("member_id" = String, Path, description = "Network membership id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = WorkingGroupOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/working-groups/{id}/members/{member_id}/leave")]
pub async fn leave_working_group(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    path: web::Path<(String, String)>,
    body: OptionalJson<LeaveGroupInput>,
    im: IfMatch,
) -> Result<Tagged<WorkingGroupOut>, ApiError> {
    let (id, member) = path.into_inner();
    let id = path_id::<WorkingGroupId>("id", id)?;
    let member = path_id::<MemberId>("member_id", member)?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::leave_group(conn, cx, &id, &member, &im.0, body.0)
            })
            .await?,
    ))
}

// ---------------------------------------------------------- shared responses

/// Filters of the shared responses.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SharedResponseParams {
    /// Only responses in this area.
    pub area: Option<ResponseArea>,
    /// Only responses in this state.
    pub status: Option<SharedResponseStatus>,
}

/// The shared responses (risposte condivise) the network's members offer, by id.
///
/// Filter by `area` and `status`. Each with who may use it and how, and how many times it was
/// proposed on cases (a count only). Those who manage the network and its members' users; the
/// observatory `403`; others `404`.
#[utoipa::path(tag = "networks",
    params(("id" = String, Path, description = "Network id"), PageQuery, SharedResponseParams),
    responses((status = 200, body = Page<SharedResponseOut>)),
    security(("bearer" = []), ("client_credentials" = ["networks:read"])))]
#[get("/networks/{id}/shared-responses")]
pub async fn list_shared_responses(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadNetworks>>,
    id: web::Path<String>,
    pq: ValidQuery<PageQuery>,
    q: ValidQuery<SharedResponseParams>,
) -> Result<Listed<SharedResponseOut>, ApiError> {
    let id = path_id::<NetworkId>("id", id.into_inner())?;
    let page = pq.request()?;
    let filter = ResponseFilter {
        area: q.area,
        status: q.status,
    };
    Ok(Listed(
        state
            .run(caller, move |conn, cx| {
                wf::responses(conn, cx, &id, filter, &page)
            })
            .await?,
    ))
}

/// A member offers a shared response in an area (`offered`).
///
/// `member_id` (default the caller's organization's membership) must be active today; a
/// member's users offer only for their own organization (`403`), those who manage the network
/// for any member. The network's coordinators then make it `available`.
#[utoipa::path(tag = "networks", request_body = SharedResponseInput,
    params(("id" = String, Path, description = "Network id"), IdempotencyKey),
    responses((status = 201, body = SharedResponseOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/networks/{id}/shared-responses")]
pub async fn offer_shared_response(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: ValidJson<SharedResponseInput>,
) -> Result<Created<SharedResponseOut>, ApiError> {
    let id = path_id::<NetworkId>("id", id.into_inner())?;
    let r = state
        .run(caller, move |conn, cx| wf::offer(conn, cx, &id, body.0))
        .await?;
    Ok(Created(format!("/api/v1/shared-responses/{}", r.id), r))
}

/// One shared response, with the actions possible now.
///
/// The network's members and managers read it; anyone else gets `404`.
#[utoipa::path(tag = "networks", params(("id" = String, Path, description = "Shared response id")),
    responses((status = 200, body = SharedResponseOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:read"])))]
#[get("/shared-responses/{id}")]
pub async fn read_shared_response(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadNetworks>>,
    id: web::Path<String>,
) -> Result<Tagged<SharedResponseOut>, ApiError> {
    let id = path_id::<SharedResponseId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| wf::read_response(conn, cx, &id))
            .await?,
    ))
}

/// Change a shared response not withdrawn (JSON Merge Patch, with `If-Match`).
///
/// Its member's users, or those who manage the network; `409` once withdrawn.
#[utoipa::path(tag = "networks", request_body = SharedResponsePatch,
    params(("id" = String, Path, description = "Shared response id"), RequireIfMatch),
    responses((status = 200, body = SharedResponseOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[patch("/shared-responses/{id}")]
pub async fn update_shared_response(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: ValidJson<SharedResponsePatch>,
    im: RequireIfMatch,
) -> Result<Tagged<SharedResponseOut>, ApiError> {
    let id = path_id::<SharedResponseId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::update_response(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// The network's coordinators make an offered shared response available.
///
/// From then on it may be proposed on cases (within its dates). Those who manage the network;
/// `409` unless `offered`.
#[utoipa::path(tag = "networks",
    params(("id" = String, Path, description = "Shared response id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = SharedResponseOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/shared-responses/{id}/make-available")]
pub async fn make_shared_response_available(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    im: IfMatch,
) -> Result<Tagged<SharedResponseOut>, ApiError> {
    let id = path_id::<SharedResponseId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::move_response(conn, cx, &id, &im.0, ResponseMove::MakeAvailable, None)
            })
            .await?,
    ))
}

/// Withdraw a shared response (reason optional); it is kept with its proposals.
///
/// Its member's users, or those who manage the network; `409` once withdrawn.
#[utoipa::path(tag = "networks", request_body(content = Option<OptionalReason>),
    params(("id" = String, Path, description = "Shared response id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = SharedResponseOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/shared-responses/{id}/withdraw")]
pub async fn withdraw_shared_response(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: OptionalJson<OptionalReason>,
    im: IfMatch,
) -> Result<Tagged<SharedResponseOut>, ApiError> {
    let id = path_id::<SharedResponseId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::move_response(conn, cx, &id, &im.0, ResponseMove::Withdraw, body.0.reason)
            })
            .await?,
    ))
}

// --------------------------------------------------------- proposed on a case

/// The shared responses proposed to the case's person, by id.
///
/// Same callers and visibility as reading the case (`404` otherwise). The offering member
/// sees only how many times its response was proposed, unless it reads the case.
#[utoipa::path(tag = "cases", params(("id" = String, Path, description = "Case id"), PageQuery),
    responses((status = 200, body = Page<ProposalOut>)),
    security(("bearer" = []), ("client_credentials" = ["cases:read"])))]
#[get("/cases/{id}/shared-response-proposals")]
pub async fn list_case_proposals(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadCases>>,
    id: web::Path<String>,
    pq: ValidQuery<PageQuery>,
) -> Result<Listed<ProposalOut>, ApiError> {
    let id = path_id::<CaseId>("id", id.into_inner())?;
    let page = pq.request()?;
    Ok(Listed(
        state
            .run(caller, move |conn, cx| wf::proposals(conn, cx, &id, &page))
            .await?,
    ))
}

/// Propose a shared response to the case's person.
///
/// The response must be `available` today, of a network of the case's district that you read
/// (`422` naming `shared_response_id` otherwise); once per case (`409 duplicate` with
/// `existing_id`). Agency operators of the case — not the coordinator, who supervises (`403`)
/// — (clients with `cases:write`) on open cases they see; `409` on a closed case.
#[utoipa::path(tag = "cases", request_body = ProposalInput,
    params(("id" = String, Path, description = "Case id"), IdempotencyKey),
    responses((status = 201, body = ProposalOut)),
    security(("bearer" = []), ("client_credentials" = ["cases:write"])))]
#[post("/cases/{id}/shared-response-proposals")]
pub async fn propose_on_case(
    state: web::Data<AppState>,
    caller: Caller<WorkCases>,
    id: web::Path<String>,
    body: ValidJson<ProposalInput>,
) -> Result<CreatedAt<ProposalOut>, ApiError> {
    let id = path_id::<CaseId>("id", id.into_inner())?;
    let p = state
        .run(caller, move |conn, cx| wf::propose(conn, cx, &id, body.0))
        .await?;
    Ok(CreatedAt(
        format!("/api/v1/cases/{}/shared-response-proposals", p.case_id),
        p,
    ))
}
