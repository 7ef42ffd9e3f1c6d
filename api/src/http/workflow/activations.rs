//! `/activations` and `/cases/{id}/activations`: measures activated within thresholds.

use actix_web::{get, patch, post, web, HttpResponse};

use super::created;
use crate::http::extract::{AuthUser, OptionalJson, ValidJson};
use crate::http::problem::ApiError;
use crate::http::AppState;
use crate::workflow::activations::{
    self as wf, ActivationInput, ActivationOut, ActivationPatch, SettleInput,
};
use crate::workflow::referrals::ActionNote;

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
#[utoipa::path(tag = "activations", params(("id" = String, Path, description = "Case id")), responses((status = 200, body = Vec<ActivationOut>)))]
#[get("/cases/{id}/activations")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<Vec<ActivationOut>>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state.db(move |conn| wf::of_case(conn, &user, &id)).await?,
    ))
}

/// Propose a measure for the case (`proposed`; nothing is reserved yet).
#[utoipa::path(tag = "activations", request_body = ActivationInput, params(("id" = String, Path, description = "Case id")), responses((status = 201, body = ActivationOut)))]
#[post("/cases/{id}/activations")]
pub async fn propose(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: ValidJson<ActivationInput>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let a = state
        .db(move |conn| wf::propose(conn, &user, &id, body.0))
        .await?;
    Ok(created(format!("/api/v1/activations/{}", a.id), a))
}

/// One activation.
#[utoipa::path(tag = "activations", params(("id" = String, Path, description = "Activation id")), responses((status = 200, body = ActivationOut)))]
#[get("/activations/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<ActivationOut>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state.db(move |conn| wf::get(conn, &user, &id)).await?,
    ))
}

/// Change amount or note of a proposed activation.
#[utoipa::path(tag = "activations", request_body = ActivationPatch, params(("id" = String, Path, description = "Activation id")), responses((status = 200, body = ActivationOut)))]
#[patch("/activations/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: ValidJson<ActivationPatch>,
    im: crate::http::precondition::RequireIfMatch,
) -> Result<web::Json<ActivationOut>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db_if(im.on(&id), move |conn| wf::update(conn, &user, &id, body.0))
            .await?,
    ))
}

/// Approve: checks eligibility today and reserves the amount on the agency's threshold for
/// the measure. `409 not_eligible`, `409 no_threshold` or `409 threshold_exceeded` otherwise.
#[utoipa::path(tag = "activations", params(("id" = String, Path, description = "Activation id")), responses((status = 200, body = ActivationOut)))]
#[post("/activations/{id}/approve")]
pub async fn approve(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    im: crate::http::precondition::IfMatch,
) -> Result<web::Json<ActivationOut>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db_if(im.on(&id), move |conn| wf::approve(conn, &user, &id))
            .await?,
    ))
}

/// Start an approved measure; the case becomes `active`.
#[utoipa::path(tag = "activations", params(("id" = String, Path, description = "Activation id")), responses((status = 200, body = ActivationOut)))]
#[post("/activations/{id}/start")]
pub async fn start(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    im: crate::http::precondition::IfMatch,
) -> Result<web::Json<ActivationOut>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db_if(im.on(&id), move |conn| wf::start(conn, &user, &id))
            .await?,
    ))
}

/// Complete a running measure with the amount actually spent (≤ reserved; the rest is released).
#[utoipa::path(tag = "activations", request_body = SettleInput, params(("id" = String, Path, description = "Activation id")), responses((status = 200, body = ActivationOut)))]
#[post("/activations/{id}/complete")]
pub async fn complete(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: ValidJson<SettleInput>,
    im: crate::http::precondition::IfMatch,
) -> Result<web::Json<ActivationOut>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db_if(im.on(&id), move |conn| {
                wf::complete(conn, &user, &id, body.0)
            })
            .await?,
    ))
}

/// Interrupt a running measure, recording what was spent.
#[utoipa::path(tag = "activations", request_body = SettleInput, params(("id" = String, Path, description = "Activation id")), responses((status = 200, body = ActivationOut)))]
#[post("/activations/{id}/interrupt")]
pub async fn interrupt(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: ValidJson<SettleInput>,
    im: crate::http::precondition::IfMatch,
) -> Result<web::Json<ActivationOut>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db_if(im.on(&id), move |conn| {
                wf::interrupt(conn, &user, &id, body.0)
            })
            .await?,
    ))
}

/// Cancel a proposed or approved measure; an approved one releases its reservation.
#[utoipa::path(tag = "activations", request_body(content = Option<ActionNote>), params(("id" = String, Path, description = "Activation id")), responses((status = 200, body = ActivationOut)))]
#[post("/activations/{id}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: OptionalJson<ActionNote>,
    im: crate::http::precondition::IfMatch,
) -> Result<web::Json<ActivationOut>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db_if(im.on(&id), move |conn| {
                wf::cancel(conn, &user, &id, body.0.reason)
            })
            .await?,
    ))
}
