//! `/persons/{id}/restriction`, `/anonymisation-requests` and `/retention/preview`: the
//! restriction of processing (GDPR art. 18), anonymisation with a second approval (art. 17)
//! and the retention period's preview.

use actix_web::{get, post, web};
use serde::Deserialize;
use sistema_lavoro_app::workflow::erasure::{
    self as wf, AnonymisationDecisionInput, AnonymisationInput, AnonymisationRequestOut,
    RequestQuery, RestrictionInput, RetentionPreview,
};
use sistema_lavoro_app::workflow::persons::PersonOut;
use sistema_lavoro_app::workflow::Page;
use sistema_lavoro_domain::ids::{AnonymisationRequestId, PersonId};
use sistema_lavoro_domain::subject_rights::AnonymisationStatus;
use utoipa::IntoParams;

use crate::extract::{
    Caller, CoordinatorOnly, DecideAnonymisation, HandleSubjectRights, OptionalJson, PageQuery,
    ValidJson,
};
use crate::params::{path_id, ValidQuery};
use crate::precondition::IdempotencyKey;
use crate::problem::ApiError;
use crate::respond::{Created, Listed};
use crate::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(restrict_person)
        .service(lift_person_restriction)
        .service(request_anonymisation)
        .service(list_anonymisation_requests)
        .service(approve_anonymisation)
        .service(reject_anonymisation)
        .service(retention_preview);
}

/// Restrict the processing of a person's data (GDPR art. 18, *limitazione*).
///
/// From now on the person's record, her referrals, cases, activations, follow-ups, documents
/// and consents are frozen — every change answers `409 person_restricted` — and only the DPO
/// and the district's coordinator see her (for everyone else lists leave her out and single
/// reads answer `404`). The reason is kept in her history. `409 invalid_transition` when
/// already restricted. The DPO and the coordinator, in person.
#[utoipa::path(tag = "privacy", request_body = RestrictionInput,
    params(("id" = String, Path, description = "Person id"), IdempotencyKey),
    responses((status = 200, body = PersonOut)),
    security(("bearer" = [])))]
#[post("/persons/{id}/restriction")]
pub async fn restrict_person(
    state: web::Data<AppState>,
    caller: Caller<HandleSubjectRights>,
    id: web::Path<String>,
    body: ValidJson<RestrictionInput>,
) -> Result<web::Json<PersonOut>, ApiError> {
    let id = path_id::<PersonId>("id", id.into_inner())?;
    let keys = state.sealer.clone();
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| {
                wf::restrict(conn, cx, &keys, &id, body.0)
            })
            .await?,
    ))
}

/// Lift the restriction of a person's data.
///
/// The record is processed again as before; the reason is kept in her history. `409
/// invalid_transition` when she is not restricted. The DPO and the coordinator, in person.
#[utoipa::path(tag = "privacy", request_body = RestrictionInput,
    params(("id" = String, Path, description = "Person id"), IdempotencyKey),
    responses((status = 200, body = PersonOut)),
    security(("bearer" = [])))]
#[post("/persons/{id}/restriction/lift")]
pub async fn lift_person_restriction(
    state: web::Data<AppState>,
    caller: Caller<HandleSubjectRights>,
    id: web::Path<String>,
    body: ValidJson<RestrictionInput>,
) -> Result<web::Json<PersonOut>, ApiError> {
    let id = path_id::<PersonId>("id", id.into_inner())?;
    let keys = state.sealer.clone();
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| {
                wf::lift(conn, cx, &keys, &id, body.0)
            })
            .await?,
    ))
}

/// Ask for a person's anonymisation (GDPR art. 17).
///
/// The coordinator names the legal ground and says why; the request waits for the DPO, who
/// approves or rejects it (never the requester). One pending request per person (`409
/// duplicate`); an anonymised person answers `409 person_anonymised`.
#[utoipa::path(tag = "privacy", request_body = AnonymisationInput,
    params(("id" = String, Path, description = "Person id"), IdempotencyKey),
    responses((status = 201, body = AnonymisationRequestOut)),
    security(("bearer" = [])))]
#[post("/persons/{id}/anonymisation-requests")]
pub async fn request_anonymisation(
    state: web::Data<AppState>,
    caller: Caller<CoordinatorOnly>,
    id: web::Path<String>,
    body: ValidJson<AnonymisationInput>,
) -> Result<Created<AnonymisationRequestOut>, ApiError> {
    let id = path_id::<PersonId>("id", id.into_inner())?;
    let r = state
        .run(caller, move |conn, cx| wf::request(conn, cx, &id, body.0))
        .await?;
    Ok(Created(
        format!("/api/v1/anonymisation-requests?state={}", r.status),
        r,
    ))
}

/// Which requests.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestParams {
    /// Only the requests in this state (`pending` for those waiting for the DPO).
    pub state: Option<AnonymisationStatus>,
}

/// The district's anonymisation requests, oldest first.
///
/// Filtered by `state`; each lists what the caller may do (`approve`, `reject` for the DPO
/// on a pending request she did not ask for). The DPO and the coordinator.
#[utoipa::path(tag = "privacy", params(PageQuery, RequestParams),
    responses((status = 200, body = Page<AnonymisationRequestOut>)),
    security(("bearer" = [])))]
#[get("/anonymisation-requests")]
pub async fn list_anonymisation_requests(
    state: web::Data<AppState>,
    caller: Caller<HandleSubjectRights>,
    pq: ValidQuery<PageQuery>,
    q: ValidQuery<RequestParams>,
) -> Result<Listed<AnonymisationRequestOut>, ApiError> {
    let page = pq.request()?;
    let q = RequestQuery {
        state: q.into_inner().state,
    };
    Ok(Listed(
        state
            .run(caller, move |conn, cx| wf::requests(conn, cx, q, &page))
            .await?,
    ))
}

/// Approve an anonymisation: the person is anonymised at once, irreversibly.
///
/// In one transaction: the record keeps the age band (birth year), gender, residence
/// municipality and citizenship group; her cases keep their states, measures and outcomes;
/// names, tax code, contacts, notes (sealed ones too), documents and the free text of
/// referrals, cases and follow-ups are removed, and she shows as "Persona anonimizzata". The
/// DPO, never the requester (`409 approver_is_requester`); a request already decided answers
/// `409 invalid_transition`; a restricted person `409 person_restricted` (lift it first).
#[utoipa::path(tag = "privacy",
    params(("id" = String, Path, description = "Request id"), IdempotencyKey),
    responses((status = 200, body = AnonymisationRequestOut)),
    security(("bearer" = [])))]
#[post("/anonymisation-requests/{id}/approve")]
pub async fn approve_anonymisation(
    state: web::Data<AppState>,
    caller: Caller<DecideAnonymisation>,
    id: web::Path<String>,
) -> Result<web::Json<AnonymisationRequestOut>, ApiError> {
    let id = path_id::<AnonymisationRequestId>("id", id.into_inner())?;
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| wf::approve(conn, cx, &id))
            .await?,
    ))
}

/// Reject an anonymisation request.
///
/// Nothing changes but the request, which keeps the optional note. The DPO, never the
/// requester (`409 approver_is_requester`); a request already decided answers `409
/// invalid_transition`.
#[utoipa::path(tag = "privacy", request_body(content = Option<AnonymisationDecisionInput>),
    params(("id" = String, Path, description = "Request id"), IdempotencyKey),
    responses((status = 200, body = AnonymisationRequestOut)),
    security(("bearer" = [])))]
#[post("/anonymisation-requests/{id}/reject")]
pub async fn reject_anonymisation(
    state: web::Data<AppState>,
    caller: Caller<DecideAnonymisation>,
    id: web::Path<String>,
    body: OptionalJson<AnonymisationDecisionInput>,
) -> Result<web::Json<AnonymisationRequestOut>, ApiError> {
    let id = path_id::<AnonymisationRequestId>("id", id.into_inner())?;
    let body = body.0;
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| wf::reject(conn, cx, &id, body))
            .await?,
    ))
}

/// Persons due for anonymisation by the retention period, at today's date.
///
/// Those of the caller's district whose every case closed more than the district's
/// `retention_years` ago (restricted persons are kept), with the day each became due: exactly
/// whom the clock-driven job anonymises when it next runs. The coordinator sees their names;
/// the DPO ids and dates only. Logged as a read of each person listed.
#[utoipa::path(tag = "privacy",
    responses((status = 200, body = RetentionPreview)),
    security(("bearer" = [])))]
#[get("/retention/preview")]
pub async fn retention_preview(
    state: web::Data<AppState>,
    caller: Caller<HandleSubjectRights>,
) -> Result<web::Json<RetentionPreview>, ApiError> {
    Ok(web::Json(state.run(caller, wf::preview).await?))
}
