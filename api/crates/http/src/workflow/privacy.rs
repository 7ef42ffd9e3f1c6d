//! `/privacy-notices` and `/persons/{id}/consents`: the legal basis of processing (GDPR art. 6,
//! 7, 13) — the district's notices, and per person the notices given and consents collected.

use actix_web::{get, post, web};
use serde::Deserialize;
use sistema_lavoro_app::workflow::privacy::{
    self as wf, ConsentInput, ConsentOut, NoticeInput, NoticeOut, WithdrawConsentInput,
};
use sistema_lavoro_app::workflow::Page;
use sistema_lavoro_domain::ids::{ConsentId, PersonId};
use utoipa::IntoParams;

use crate::extract::{
    Caller, CoordinatorOnly, OptionalJson, ReadLegalBasis, ReadNotices, ValidJson, WritePersons,
};
use crate::params::{path_id, ValidQuery};
use crate::precondition::IdempotencyKey;
use crate::problem::ApiError;
use crate::respond::{Created, Listed};
use crate::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_notices)
        .service(create_notice)
        .service(list_consents)
        .service(record_consent)
        .service(withdraw_consent);
}

/// Which notices.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoticeParams {
    /// `true`: only the versions in force today, one per purpose.
    pub current: Option<bool>,
}

/// The district's privacy notices (informative), by purpose and version.
///
/// Every version of every purpose's notice of the caller's district, sorted by purpose then
/// version; `current=true` keeps the one in force today per purpose (the highest version whose
/// `valid_from` has come), to show the person and to record as given. Every role of a district
/// reads them; clients with any scope.
#[utoipa::path(tag = "privacy", params(NoticeParams),
    responses((status = 200, body = Page<NoticeOut>)),
    security(("bearer" = []), ("client_credentials" = [])))]
#[get("/privacy-notices")]
pub async fn list_notices(
    state: web::Data<AppState>,
    caller: Caller<ReadNotices>,
    q: ValidQuery<NoticeParams>,
) -> Result<Listed<NoticeOut>, ApiError> {
    let current = q.current.unwrap_or(false);
    Ok(Listed(
        state
            .run(caller, move |conn, cx| wf::list_notices(conn, cx, current))
            .await?,
    ))
}

/// Publish a new version of the district's notice for a purpose.
///
/// The coordinator (Ufficio di Piano, for the data controller) writes the text; its version is
/// the purpose's next number, in force from `valid_from` (not before the previous version's).
/// Versions are never edited: a change is a new version, so what each person was given stays
/// known.
#[utoipa::path(tag = "privacy", request_body = NoticeInput, params(IdempotencyKey),
    responses((status = 201, body = NoticeOut)),
    security(("bearer" = [])))]
#[post("/privacy-notices")]
pub async fn create_notice(
    state: web::Data<AppState>,
    caller: Caller<CoordinatorOnly>,
    body: ValidJson<NoticeInput>,
) -> Result<Created<NoticeOut>, ApiError> {
    let n = state
        .run(caller, move |conn, cx| wf::create_notice(conn, cx, body.0))
        .await?;
    Ok(Created("/api/v1/privacy-notices".to_string(), n))
}

/// A person's legal basis: the notices given and the consents collected, oldest first.
///
/// Each with its purpose, the notice's version, how and by whom it was given and its state
/// (`given`, `withdrawn`, or `expired` after its last day). The data protection officer reads
/// it for every person of the district; coordinators, referrers and agency operators (clients
/// with `referrals:read`) for the persons they see; any other answers `404`.
#[utoipa::path(tag = "privacy", params(("id" = String, Path, description = "Person id")),
    responses((status = 200, body = Page<ConsentOut>)),
    security(("bearer" = []), ("client_credentials" = ["referrals:read"])))]
#[get("/persons/{id}/consents")]
pub async fn list_consents(
    state: web::Data<AppState>,
    caller: Caller<ReadLegalBasis>,
    id: web::Path<String>,
) -> Result<Listed<ConsentOut>, ApiError> {
    let id = path_id::<PersonId>("id", id.into_inner())?;
    Ok(Listed(
        state
            .run(caller, move |conn, cx| wf::list(conn, cx, &id))
            .await?,
    ))
}

/// Record that the person was given a notice, or gave a consent.
///
/// `{"kind": "notice", "notice_id", "method"}` records the notice in force given to the
/// person (a referral is sent to the table only once the notice for `referral_and_case` is
/// recorded: `409 notice_missing`); `{"kind": "consent", "purpose", "method", "expires_on"?}`
/// a consent where consent is the basis (`partnership_sharing`, `opportunity_contact`). A
/// signed paper is named by `document_id`, a document of one of the person's referrals or
/// cases. Who sees the person and corrects its data records it (clients with
/// `referrals:write`); `409 duplicate` for a second consent in force for the same purpose.
#[utoipa::path(tag = "privacy", request_body = ConsentInput,
    params(("id" = String, Path, description = "Person id"), IdempotencyKey),
    responses((status = 201, body = ConsentOut)),
    security(("bearer" = []), ("client_credentials" = ["referrals:write"])))]
#[post("/persons/{id}/consents")]
pub async fn record_consent(
    state: web::Data<AppState>,
    caller: Caller<WritePersons>,
    id: web::Path<String>,
    body: ValidJson<ConsentInput>,
) -> Result<Created<ConsentOut>, ApiError> {
    let id = path_id::<PersonId>("id", id.into_inner())?;
    let c = state
        .run(caller, move |conn, cx| wf::record(conn, cx, &id, body.0))
        .await?;
    Ok(Created(
        format!("/api/v1/persons/{}/consents", c.person_id),
        c,
    ))
}

/// Withdraw a consent in force (art. 7.3); what it covered stops.
///
/// Records who withdrew it and when, with the optional reason; a withdrawn
/// `partnership_sharing` consent takes the person's cases out of every collective action
/// (the removal is recorded). A notice given cannot be withdrawn, nor a consent already
/// withdrawn or expired (`409`). Who records consents may withdraw them.
#[utoipa::path(tag = "privacy", request_body(content = Option<WithdrawConsentInput>),
    params(("id" = String, Path, description = "Person id"),
        ("consent_id" = String, Path, description = "Consent id"), IdempotencyKey),
    responses((status = 200, body = ConsentOut)),
    security(("bearer" = []), ("client_credentials" = ["referrals:write"])))]
#[post("/persons/{id}/consents/{consent_id}/withdraw")]
pub async fn withdraw_consent(
    state: web::Data<AppState>,
    caller: Caller<WritePersons>,
    path: web::Path<(String, String)>,
    body: OptionalJson<WithdrawConsentInput>,
) -> Result<web::Json<ConsentOut>, ApiError> {
    let (id, consent) = path.into_inner();
    let id = path_id::<PersonId>("id", id)?;
    let consent = path_id::<ConsentId>("consent_id", consent)?;
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| {
                wf::withdraw(conn, cx, &id, &consent, body.0)
            })
            .await?,
    ))
}
