//! `/referrals`: segnalazioni, from draft to the table's decision.

use crate::params::{path_id, ValidQuery};
use actix_web::{get, patch, post, web};
use serde::Deserialize;
use sistema_lavoro_app::workflow::referrals::{
    self as wf, ActionNote, ReferralInput, ReferralOut, ReferralPatch, ReferralQuery,
};
use sistema_lavoro_app::workflow::Page;
use sistema_lavoro_domain::ids::ReferralId;
use sistema_lavoro_domain::states::ReferralStatus;
use sistema_lavoro_domain::vocabulary::ReferralSource;
use utoipa::IntoParams;

use crate::extract::{
    Caller, CreateReferrals, Hidden, OptionalJson, PageQuery, ReadReferrals, ValidJson,
    WriteReferrals,
};
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
        .service(withdraw);
}

/// Filters of the referral list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReferralParams {
    pub status: Option<ReferralStatus>,
    pub source: Option<ReferralSource>,
    /// Coordinator only: referrals of one organization (referrers always see their own).
    pub organization_id: Option<String>,
    pub person_id: Option<String>,
    /// Created on or after this day.
    pub from: Option<chrono::NaiveDate>,
    /// Created on or before this day.
    pub to: Option<chrono::NaiveDate>,
}

impl ReferralParams {
    pub const NAMES: &'static [&'static str] = &[
        "status",
        "source",
        "organization_id",
        "person_id",
        "from",
        "to",
    ];

    pub fn query(self) -> ReferralQuery {
        ReferralQuery {
            status: self.status,
            source: self.source,
            organization_id: self.organization_id,
            person_id: self.person_id,
            from: self.from,
            to: self.to,
        }
    }
}

/// Referrals you may see, sorted by id (oldest first).
///
/// Pages through the referrals (segnalazioni) of the caller's district, filtered by status,
/// channel (canale di invio), person and creation day. A coordinator (Ufficio di Piano) sees
/// every non-draft referral of the district; a referrer, or a client with `referrals:read`,
/// only its own organization's, drafts included. Other roles get `403`.
#[utoipa::path(tag = "referrals", params(PageQuery, ReferralParams),
    responses((status = 200, body = Page<ReferralOut>)),
    security(("bearer" = []), ("client_credentials" = ["referrals:read"])))]
#[get("/referrals")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller<ReadReferrals>,
    pq: ValidQuery<PageQuery>,
    q: ValidQuery<ReferralParams>,
) -> Result<Listed<ReferralOut>, ApiError> {
    let page = pq.request()?;
    let q = q.into_inner().query();
    Ok(Listed(
        state
            .run(caller, move |conn, cx| wf::list(conn, cx, q, &page))
            .await?,
    ))
}

/// Write a referral; it starts as a draft (or, recorded on behalf of a service, is sent).
///
/// Creates a referral (segnalazione) in `draft` for a person of the caller's district, from the
/// caller's organization; the channel defaults from the organization's kind and the urgency to
/// `normal`. Referrers and clients with `referrals:write`; the coordinator (Ufficio di Piano)
/// records one that arrived by phone, letter, e-mail or in person with the sending service's
/// `organization_id` and `received_via`, and it goes to the table at once. The creation is
/// recorded in the referral's history. `422` when the person or the service is not of the
/// district; `409 open_referral_exists` when sent to the table while another referral of the
/// person is open there, unless `duplicate_reason` says why.
#[utoipa::path(tag = "referrals", request_body = ReferralInput, params(IdempotencyKey),
    responses((status = 201, body = ReferralOut)),
    security(("bearer" = []), ("client_credentials" = ["referrals:write"])))]
#[post("/referrals")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller<CreateReferrals>,
    body: ValidJson<ReferralInput>,
) -> Result<Created<ReferralOut>, ApiError> {
    let r = state
        .run(caller, move |conn, cx| wf::create(conn, cx, body.0))
        .await?;
    Ok(Created(format!("/api/v1/referrals/{}", r.id), r))
}

/// One referral with its history; for referrers, the status, agency and outcome of the case
/// it became (not the case diary).
///
/// Reads one referral (segnalazione) with its state history (who, when, from, to, why) and its
/// `ETag`. Coordinators read the district's non-draft referrals, referrers and clients with
/// `referrals:read` their organization's; anything else, and every other role, answers `404`.
#[utoipa::path(tag = "referrals", params(("id" = String, Path, description = "Referral id")),
    responses((status = 200, body = ReferralOut)),
    security(("bearer" = []), ("client_credentials" = ["referrals:read"])))]
#[get("/referrals/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadReferrals>>,
    id: web::Path<String>,
) -> Result<Tagged<ReferralOut>, ApiError> {
    let id = path_id::<ReferralId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| wf::read(conn, cx, &id))
            .await?,
    ))
}

/// Edit a draft, or a referral the table sent back for more information.
///
/// Changes channel, needs, reason or urgency; absent fields stay as they are, and each changed
/// field is recorded in the history. Referrers of the referring organization and clients with
/// `referrals:write` only, with `If-Match` (`412` when stale); `409` in any state other than
/// `draft` or `info_requested`.
#[utoipa::path(tag = "referrals", request_body = ReferralPatch,
    params(("id" = String, Path, description = "Referral id"), RequireIfMatch),
    responses((status = 200, body = ReferralOut)),
    security(("bearer" = []), ("client_credentials" = ["referrals:write"])))]
#[patch("/referrals/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller<WriteReferrals>,
    id: web::Path<String>,
    body: ValidJson<ReferralPatch>,
    im: RequireIfMatch,
) -> Result<Tagged<ReferralOut>, ApiError> {
    let id = path_id::<ReferralId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::update(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// Send the referral to the table (from `draft` or `info_requested`).
///
/// Moves the referral (segnalazione) to `submitted`, so the coordinator can put it on a
/// table's agenda (tavolo), records the transition with the optional reason and emits
/// `referral.submitted` to the Ufficio di Piano and the referring organization. Referrers of the
/// referring organization and clients with `referrals:write` only; `409` from any other state,
/// and `409 open_referral_exists` while another referral of the person is open at the table
/// (unless the referral's `duplicate_reason` says why: set it with `PATCH`).
#[utoipa::path(tag = "referrals", request_body(content = Option<ActionNote>),
    params(("id" = String, Path, description = "Referral id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = ReferralOut)),
    security(("bearer" = []), ("client_credentials" = ["referrals:write"])))]
#[post("/referrals/{id}/submit")]
pub async fn submit(
    state: web::Data<AppState>,
    caller: Caller<WriteReferrals>,
    id: web::Path<String>,
    body: OptionalJson<ActionNote>,
    im: IfMatch,
) -> Result<Tagged<ReferralOut>, ApiError> {
    let id = path_id::<ReferralId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::submit(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// Withdraw the referral (from `draft`, `submitted` or `info_requested`).
///
/// Moves the referral (segnalazione) to the final state `withdrawn` and records who, when and
/// the optional reason. Referrers of the referring organization and clients with
/// `referrals:write` only; `409` once it is scheduled on a table or decided.
#[utoipa::path(tag = "referrals", request_body(content = Option<ActionNote>),
    params(("id" = String, Path, description = "Referral id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = ReferralOut)),
    security(("bearer" = []), ("client_credentials" = ["referrals:write"])))]
#[post("/referrals/{id}/withdraw")]
pub async fn withdraw(
    state: web::Data<AppState>,
    caller: Caller<WriteReferrals>,
    id: web::Path<String>,
    body: OptionalJson<ActionNote>,
    im: IfMatch,
) -> Result<Tagged<ReferralOut>, ApiError> {
    let id = path_id::<ReferralId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::withdraw(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}
