//! `/networks`: the territory's networks, their members (adhesions) and pledged resources.

use crate::params::{path_id, ValidQuery};
use actix_web::{get, patch, post, web};
use chrono::NaiveDate;
use serde::Deserialize;
use sistema_lavoro_app::workflow::cases::{OptionalReason, ReasonInput};
use sistema_lavoro_app::workflow::networks::{
    self as wf, Compliance, MemberInput, MemberOut, MembersQuery, Move, NetworkInput, NetworkOut,
    NetworkPatch, NetworkQuery, ResourceInput, ResourceList, ResourceMove, ResourceOut,
    WithdrawInput,
};
use sistema_lavoro_app::workflow::Page;
use sistema_lavoro_domain::ids::{MemberId, NetworkId, ResourceId};
use sistema_lavoro_domain::networks::{NetworkKind, NetworkStatus};
use utoipa::IntoParams;

use crate::extract::{
    Caller, Hidden, OptionalJson, PageQuery, ReadNetworks, ValidJson, WriteNetworks,
};
use crate::precondition::{IdempotencyKey, IfMatch, RequireIfMatch};
use crate::problem::{ApiError, Problem};
use crate::respond::{Created, Listed, Tagged};
use crate::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(activate)
        .service(suspend_network)
        .service(resume_network)
        .service(close)
        .service(compliance)
        .service(list_members)
        .service(add_member)
        .service(withdraw_member)
        .service(list_resources)
        .service(pledge)
        .service(make_available)
        .service(use_resource)
        .service(withdraw_resource);
}

/// Filters of the network list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NetworkParams {
    /// Only networks of this kind.
    pub kind: Option<NetworkKind>,
    /// Only networks in this state.
    pub status: Option<NetworkStatus>,
}

/// The networks you see, sorted by id.
///
/// The coordinator (Ufficio di Piano) and the observatory see every network of the district
/// (the observatory its figures only); a network coordinator and members' users those their
/// organization coordinates or belongs to (clients with `networks:read`). Each with its
/// compliance and the actions possible now.
#[utoipa::path(tag = "networks", params(PageQuery, NetworkParams),
    responses((status = 200, body = Page<NetworkOut>)),
    security(("bearer" = []), ("client_credentials" = ["networks:read"])))]
#[get("/networks")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller<ReadNetworks>,
    pq: ValidQuery<PageQuery>,
    q: ValidQuery<NetworkParams>,
) -> Result<Listed<NetworkOut>, ApiError> {
    let page = pq.request()?;
    let q = NetworkQuery {
        kind: q.kind,
        status: q.status,
    };
    Ok(Listed(
        state
            .run(caller, move |conn, cx| wf::list(conn, cx, q, &page))
            .await?,
    ))
}

/// Start a network (in formation).
///
/// Creates a `forming` territorial pact, partnership or inclusion pact of the caller's
/// district; only `kind` and `name` are required. The coordinator may name any coordinating
/// organization; a network coordinator (clients with `networks:write`) starts networks its own
/// organization coordinates. `422` for `coordination_table` (every district has its own).
#[utoipa::path(tag = "networks", request_body = NetworkInput, params(IdempotencyKey),
    responses((status = 201, body = NetworkOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/networks")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    body: ValidJson<NetworkInput>,
) -> Result<Created<NetworkOut>, ApiError> {
    let n = state
        .run(caller, move |conn, cx| wf::create(conn, cx, body.0))
        .await?;
    Ok(Created(format!("/api/v1/networks/{}", n.id), n))
}

/// One network, with its compliance.
///
/// Its details, members today, the rules of its kind (met or not, with reasons), `ETag` and
/// the actions possible now. Invisible networks answer `404`.
#[utoipa::path(tag = "networks", params(("id" = String, Path, description = "Network id")),
    responses((status = 200, body = NetworkOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:read"])))]
#[get("/networks/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadNetworks>>,
    id: web::Path<String>,
) -> Result<Tagged<NetworkOut>, ApiError> {
    let id = path_id::<NetworkId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| wf::read(conn, cx, &id))
            .await?,
    ))
}

/// Change a network's details (until closed).
///
/// JSON Merge Patch: absent fields stay, `null` clears the clearable ones; the changed fields
/// are recorded in the history. Those who manage the network, with `If-Match` (`412` when
/// stale); only the coordinator changes the coordinating organization; `409` once closed.
#[utoipa::path(tag = "networks", request_body = NetworkPatch,
    params(("id" = String, Path, description = "Network id"), RequireIfMatch),
    responses((status = 200, body = NetworkOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[patch("/networks/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: ValidJson<NetworkPatch>,
    im: RequireIfMatch,
) -> Result<Tagged<NetworkOut>, ApiError> {
    let id = path_id::<NetworkId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::update(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// Activate a forming network, if it meets the rules of its kind.
///
/// `409 network_not_compliant` with every rule and its reason in `reasons` otherwise; `409`
/// when it is not `forming`. Those who manage the network; the reason is optional.
#[utoipa::path(tag = "networks", request_body(content = Option<OptionalReason>),
    params(("id" = String, Path, description = "Network id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = NetworkOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/networks/{id}/activate")]
pub async fn activate(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: OptionalJson<OptionalReason>,
    im: IfMatch,
) -> Result<Tagged<NetworkOut>, ApiError> {
    moved(state, caller, id, im, Move::Activate, body.0.reason).await
}

/// Suspend an active network (reason required).
///
/// Those who manage the network; `409` when it is not `active`.
#[utoipa::path(tag = "networks", request_body = ReasonInput,
    params(("id" = String, Path, description = "Network id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = NetworkOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/networks/{id}/suspend")]
pub async fn suspend_network(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: ValidJson<ReasonInput>,
    im: IfMatch,
) -> Result<Tagged<NetworkOut>, ApiError> {
    moved(state, caller, id, im, Move::Suspend, Some(body.0.reason)).await
}

/// Resume a suspended network.
///
/// Those who manage the network; the reason is optional; `409` when it is not `suspended`.
#[utoipa::path(tag = "networks", request_body(content = Option<OptionalReason>),
    params(("id" = String, Path, description = "Network id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = NetworkOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/networks/{id}/resume")]
pub async fn resume_network(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: OptionalJson<OptionalReason>,
    im: IfMatch,
) -> Result<Tagged<NetworkOut>, ApiError> {
    moved(state, caller, id, im, Move::Resume, body.0.reason).await
}

/// Close a network (reason required); it is kept for the record.
///
/// Those who manage the network; `409` when already closed; the district's monthly table is
/// not closed (`403`: suspend it).
#[utoipa::path(tag = "networks", request_body = ReasonInput,
    params(("id" = String, Path, description = "Network id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = NetworkOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/networks/{id}/close")]
pub async fn close(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: ValidJson<ReasonInput>,
    im: IfMatch,
) -> Result<Tagged<NetworkOut>, ApiError> {
    moved(state, caller, id, im, Move::Close, Some(body.0.reason)).await
}

async fn moved(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    im: IfMatch,
    mv: Move,
    reason: Option<String>,
) -> Result<Tagged<NetworkOut>, ApiError> {
    let id = path_id::<NetworkId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::transition(conn, cx, &id, &im.0, mv, reason)
            })
            .await?,
    ))
}

/// The rules of the network's kind, each met or not, with its reason.
///
/// A partnership: at least 3 active members, one an accredited agency that has taken
/// beneficiaries in charge; a pact or inclusion pact: its coordinating organization among the
/// active members; the table: coordinated by the Ufficio di Piano, with an accredited agency.
#[utoipa::path(tag = "networks", params(("id" = String, Path, description = "Network id")),
    responses((status = 200, body = Compliance)),
    security(("bearer" = []), ("client_credentials" = ["networks:read"])))]
#[get("/networks/{id}/compliance")]
pub async fn compliance(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadNetworks>>,
    id: web::Path<String>,
) -> Result<web::Json<Compliance>, ApiError> {
    let id = path_id::<NetworkId>("id", id.into_inner())?;
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| wf::compliance(conn, cx, &id))
            .await?,
    ))
}

/// Which memberships the member list holds.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberParams {
    /// Members on this date (`YYYY-MM-DD`; default today).
    pub on: Option<NaiveDate>,
    /// `history`: every adhesion ever, withdrawn ones included (`on` is then ignored).
    pub include: Option<MemberInclude>,
}

impl MemberParams {
    pub const NAMES: &'static [&'static str] = &["on", "include"];

    pub fn query(self) -> MembersQuery {
        MembersQuery {
            on: self.on,
            history: self.include.is_some(),
        }
    }
}

/// What else a member list holds: `history`, every adhesion ever.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MemberInclude {
    History,
}

/// The network's members (adesioni): today, on a date, or the whole history.
///
/// Those who manage the network and its members' users; the observatory sees figures only
/// (`403`).
#[utoipa::path(tag = "networks",
    params(("id" = String, Path, description = "Network id"), PageQuery, MemberParams),
    responses((status = 200, body = Page<MemberOut>)),
    security(("bearer" = []), ("client_credentials" = ["networks:read"])))]
#[get("/networks/{id}/members")]
pub async fn list_members(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadNetworks>>,
    id: web::Path<String>,
    pq: ValidQuery<PageQuery>,
    q: ValidQuery<MemberParams>,
) -> Result<Listed<MemberOut>, ApiError> {
    let id = path_id::<NetworkId>("id", id.into_inner())?;
    let page = pq.request()?;
    let q = q.into_inner().query();
    Ok(Listed(
        state
            .run(caller, move |conn, cx| wf::members(conn, cx, &id, q, &page))
            .await?,
    ))
}

/// An organization adheres to the network (at any time, no deadline).
///
/// `joined_on` defaults to today; the approval act (delibera) is optional. Those who manage
/// the network; `409 already_member` (with `existing_id`) while it is a member; `422` for an
/// organization of another district; `409` once the network is closed.
#[utoipa::path(tag = "networks", request_body = MemberInput,
    params(("id" = String, Path, description = "Network id"), IdempotencyKey),
    responses((status = 201, body = MemberOut),
        (status = 409, description = "Already a member, or the network is closed", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/networks/{id}/members")]
pub async fn add_member(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: ValidJson<MemberInput>,
) -> Result<Created<MemberOut>, ApiError> {
    let id = path_id::<NetworkId>("id", id.into_inner())?;
    let m = state
        .run(caller, move |conn, cx| {
            wf::add_member(conn, cx, &id, body.0)
        })
        .await?;
    Ok(Created(
        format!("/api/v1/networks/{}/members", m.network_id),
        m,
    ))
}

/// A member leaves the network (reason required).
///
/// `withdrawn_on` defaults to today (not before the adhesion, not in the future). A withdrawal
/// that breaks a rule of the network's kind is allowed: the network's compliance then says
/// so. Those who manage the network; `409` when already withdrawn.
#[utoipa::path(tag = "networks", request_body = WithdrawInput,
    params(("id" = String, Path, description = "Membership id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = MemberOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/members/{id}/withdraw")]
pub async fn withdraw_member(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: ValidJson<WithdrawInput>,
    im: IfMatch,
) -> Result<Tagged<MemberOut>, ApiError> {
    let id = path_id::<MemberId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::withdraw_member(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// The resources members pledged, with totals per network, member and kind.
///
/// Readable by every member (criteri condivisi di trasparenza); the observatory gets the
/// totals only (`items` empty). Withdrawn resources are listed but not counted.
#[utoipa::path(tag = "networks",
    params(("id" = String, Path, description = "Network id"), PageQuery),
    responses((status = 200, body = ResourceList)),
    security(("bearer" = []), ("client_credentials" = ["networks:read"])))]
#[get("/networks/{id}/resources")]
pub async fn list_resources(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadNetworks>>,
    id: web::Path<String>,
    pq: ValidQuery<PageQuery>,
) -> Result<web::Json<ResourceList>, ApiError> {
    let id = path_id::<NetworkId>("id", id.into_inner())?;
    let page = pq.request()?;
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| wf::resources(conn, cx, &id, &page))
            .await?,
    ))
}

/// A member pledges its own resources.
///
/// An amount in euro cents or hours (exactly one), a period, a kind; `pledged` until made
/// available. Members' users for their own organization (the default); those who manage the
/// network for any member; `422` when the organization is not a member today.
#[utoipa::path(tag = "networks", request_body = ResourceInput,
    params(("id" = String, Path, description = "Network id"), IdempotencyKey),
    responses((status = 201, body = ResourceOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/networks/{id}/resources")]
pub async fn pledge(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: ValidJson<ResourceInput>,
) -> Result<Created<ResourceOut>, ApiError> {
    let id = path_id::<NetworkId>("id", id.into_inner())?;
    let r = state
        .run(caller, move |conn, cx| wf::pledge(conn, cx, &id, body.0))
        .await?;
    Ok(Created(
        format!("/api/v1/networks/{}/resources", r.network_id),
        r,
    ))
}

async fn resource_moved(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    im: IfMatch,
    mv: ResourceMove,
) -> Result<Tagged<ResourceOut>, ApiError> {
    let id = path_id::<ResourceId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::move_resource(conn, cx, &id, &im.0, mv)
            })
            .await?,
    ))
}

/// A pledged resource becomes available.
///
/// Its member's users, or those who manage the network; `409` unless `pledged`.
#[utoipa::path(tag = "networks",
    params(("id" = String, Path, description = "Resource id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = ResourceOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/resources/{id}/make-available")]
pub async fn make_available(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    im: IfMatch,
) -> Result<Tagged<ResourceOut>, ApiError> {
    resource_moved(state, caller, id, im, ResourceMove::MakeAvailable).await
}

/// An available resource has been used.
///
/// Its member's users, or those who manage the network; `409` unless `available`.
#[utoipa::path(tag = "networks",
    params(("id" = String, Path, description = "Resource id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = ResourceOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/resources/{id}/use")]
pub async fn use_resource(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    im: IfMatch,
) -> Result<Tagged<ResourceOut>, ApiError> {
    resource_moved(state, caller, id, im, ResourceMove::Use).await
}

/// The member takes a pledged or available resource back.
///
/// Its member's users, or those who manage the network; `409` once used or withdrawn.
#[utoipa::path(tag = "networks",
    params(("id" = String, Path, description = "Resource id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = ResourceOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/resources/{id}/withdraw")]
pub async fn withdraw_resource(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    im: IfMatch,
) -> Result<Tagged<ResourceOut>, ApiError> {
    resource_moved(state, caller, id, im, ResourceMove::Withdraw).await
}
