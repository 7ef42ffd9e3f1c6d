//! `/referrals`: segnalazioni, from draft to the table's decision.

use actix_web::{get, patch, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{created, page};
use crate::domain::states::ReferralStatus;
use crate::domain::vocabulary::ReferralSource;
use crate::domain::Role;
use crate::http::extract::{AuthUser, Page, PageQuery, ValidJson};
use crate::http::problem::ApiError;
use crate::http::AppState;
use crate::store::referrals::{Referral, ReferralFilter};
use crate::workflow::referrals::{
    self as wf, ActionNote, ReferralInput, ReferralOut, ReferralPatch,
};

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
pub struct ReferralQuery {
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

/// Referrals you may see, sorted by id (oldest first).
#[utoipa::path(tag = "referrals", params(PageQuery, ReferralQuery),
    responses((status = 200, body = Page<ReferralOut>)))]
#[get("/referrals")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    pq: web::Query<PageQuery>,
    q: web::Query<ReferralQuery>,
) -> Result<web::Json<Page<ReferralOut>>, ApiError> {
    let limit = pq.limit()?;
    let after = pq.after.clone();
    let q = q.into_inner();
    let organization_id = match user.role {
        Role::Coordinator => q.organization_id.clone(),
        Role::Referrer => Some(user.organization()?.to_string()),
        _ => {
            return Err(ApiError::Forbidden(format!(
                "the {} role does not see referrals",
                user.role
            )))
        }
    };
    let filter = ReferralFilter {
        organization_id,
        statuses: q
            .status
            .map(|s| vec![s.as_str().to_string()])
            .unwrap_or_default(),
        source: q.source.map(|s| s.as_str().to_string()),
        person_id: q.person_id.clone(),
        created_from: q.from.and_then(|d| d.and_hms_opt(0, 0, 0)),
        exclude_drafts: user.role == Role::Coordinator,
        created_to: q
            .to
            .and_then(|d| d.succ_opt())
            .and_then(|d| d.and_hms_opt(0, 0, 0)),
    };
    let page = state
        .db(move |conn| {
            let rows = Referral::list(conn, user.district()?, &filter, after.as_deref(), limit)?;
            let related = crate::workflow::Related::for_referrals(conn, &rows)?;
            page(
                rows,
                limit,
                |r| r.id.clone(),
                |r| wf::out_with(conn, &related, r, false),
            )
        })
        .await?;
    Ok(web::Json(page))
}

/// Write a referral; it starts as a draft.
#[utoipa::path(tag = "referrals", request_body = ReferralInput, responses((status = 201, body = ReferralOut)))]
#[post("/referrals")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidJson<ReferralInput>,
) -> Result<HttpResponse, ApiError> {
    let r = state
        .db(move |conn| wf::create(conn, &user, body.0))
        .await?;
    Ok(created(format!("/api/v1/referrals/{}", r.id), r))
}

/// One referral with its history; for referrers, the status, agency and outcome of the case
/// it became (not the case diary).
#[utoipa::path(tag = "referrals", params(("id" = String, Path, description = "Referral id")),
    responses((status = 200, body = ReferralOut)))]
#[get("/referrals/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<ReferralOut>, ApiError> {
    let id = id.into_inner();
    let r = state
        .db(move |conn| {
            let r = wf::visible(conn, &user, &id)?;
            wf::out(conn, r, true)
        })
        .await?;
    Ok(web::Json(r))
}

/// Edit a draft, or a referral the table sent back for more information.
#[utoipa::path(tag = "referrals", request_body = ReferralPatch, params(("id" = String, Path, description = "Referral id")),
    responses((status = 200, body = ReferralOut)))]
#[patch("/referrals/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: ValidJson<ReferralPatch>,
    im: crate::http::precondition::RequireIfMatch,
) -> Result<web::Json<ReferralOut>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db_if(im.on(&id), move |conn| wf::update(conn, &user, &id, body.0))
            .await?,
    ))
}

/// Send the referral to the table (from `draft` or `info_requested`).
#[utoipa::path(tag = "referrals", request_body(content = Option<ActionNote>), params(("id" = String, Path, description = "Referral id")),
    responses((status = 200, body = ReferralOut)))]
#[post("/referrals/{id}/submit")]
pub async fn submit(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: crate::http::extract::OptionalJson<ActionNote>,
    im: crate::http::precondition::IfMatch,
) -> Result<web::Json<ReferralOut>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db_if(im.on(&id), move |conn| wf::submit(conn, &user, &id, body.0))
            .await?,
    ))
}

/// Withdraw the referral (from `draft`, `submitted` or `info_requested`).
#[utoipa::path(tag = "referrals", request_body(content = Option<ActionNote>), params(("id" = String, Path, description = "Referral id")),
    responses((status = 200, body = ReferralOut)))]
#[post("/referrals/{id}/withdraw")]
pub async fn withdraw(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: crate::http::extract::OptionalJson<ActionNote>,
    im: crate::http::precondition::IfMatch,
) -> Result<web::Json<ReferralOut>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db_if(im.on(&id), move |conn| {
                wf::withdraw(conn, &user, &id, body.0)
            })
            .await?,
    ))
}
