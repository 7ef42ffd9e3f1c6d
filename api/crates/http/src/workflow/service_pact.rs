//! `/cases/{id}/service-pact`: the case's service pact (patto di servizio), its versions and
//! its printable copy.

use actix_web::http::header;
use actix_web::{get, put, web, HttpResponse};
use sistema_lavoro_app::workflow::service_pact::{
    self as wf, PactUser, ServicePactInput, ServicePactOut,
};
use sistema_lavoro_app::workflow::Page;
use sistema_lavoro_domain::ids::CaseId;

use super::documents::disposition;
use crate::extract::{Caller, Hidden, PageQuery, ReadCases, ValidJson, WorkCases};
use crate::params::{path_id, ValidQuery};
use crate::precondition::RequireIfMatch;
use crate::problem::ApiError;
use crate::respond::{Listed, Tagged};
use crate::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(read_service_pact)
        .service(service_pact_versions)
        .service(service_pact_operators)
        .service(service_pact_pdf)
        .service(revise_service_pact);
}

/// The case's service pact in force (patto di servizio personalizzato, art. 20 D.Lgs. 150/2015).
///
/// The version in force, with its responsible operator, employability profile (DUL aid band
/// or GOL pathway, and the agency's assessment), job-search and training actions with their
/// timing and done marks, meeting frequency, proof of job search, signed copy, and its `ETag`
/// (send it back as `If-Match` to revise it). Made at take-charge: `404` before, and for
/// callers who do not see the case (referrers, other agencies). The read of the person's
/// data is logged.
#[utoipa::path(tag = "cases", params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = ServicePactOut)),
    security(("bearer" = []), ("client_credentials" = ["cases:read"])))]
#[get("/cases/{id}/service-pact")]
pub async fn read_service_pact(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadCases>>,
    id: web::Path<String>,
) -> Result<Tagged<ServicePactOut>, ApiError> {
    let id = path_id::<CaseId>("id", id.into_inner())?;
    let (pact, logged) = state
        .run(caller, move |conn, cx| wf::read(conn, cx, &id))
        .await?;
    state.reads.record(logged).await?;
    Ok(Tagged(pact))
}

/// Every version of the case's service pact, newest first (revisions keep the history).
///
/// Pages through the versions (the cursor is a version number); each with its actions as
/// written then, the one in force marked `current`. Same callers and visibility as reading
/// the pact; the read is logged.
#[utoipa::path(tag = "cases", params(("id" = String, Path, description = "Case id"), PageQuery),
    responses((status = 200, body = Page<ServicePactOut>)),
    security(("bearer" = []), ("client_credentials" = ["cases:read"])))]
#[get("/cases/{id}/service-pact/versions")]
pub async fn service_pact_versions(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadCases>>,
    id: web::Path<String>,
    pq: ValidQuery<PageQuery>,
) -> Result<Listed<ServicePactOut>, ApiError> {
    let id = path_id::<CaseId>("id", id.into_inner())?;
    let page = pq.request()?;
    let (list, logged) = state
        .run(caller, move |conn, cx| wf::versions(conn, cx, &id, &page))
        .await?;
    state.reads.record(logged).await?;
    Ok(Listed(list))
}

/// Who may be named responsible for the case's service pact.
///
/// The active agency operators of the agency following the case, by name: the users the pact's
/// `responsible_user_id` accepts, at take-charge or in a revision (any other is `422`). Answers
/// before take-charge too. Same callers and visibility as reading the case (`404` otherwise).
#[utoipa::path(tag = "cases", params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = Page<PactUser>)),
    security(("bearer" = []), ("client_credentials" = ["cases:read"])))]
#[get("/cases/{id}/service-pact/operators")]
pub async fn service_pact_operators(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadCases>>,
    id: web::Path<String>,
) -> Result<Listed<PactUser>, ApiError> {
    let id = path_id::<CaseId>("id", id.into_inner())?;
    Ok(Listed(
        state
            .run(caller, move |conn, cx| wf::operators(conn, cx, &id))
            .await?,
    ))
}

/// The printable copy of the service pact in force (PDF), to sign with the person.
///
/// A PDF (A4) of the version in force: the person, the agency, the responsible operator, the
/// goals, the profile, the actions with their timing, the meeting frequency, the proof of job
/// search and room for the signatures. Attach the signed scan as a document of the case and
/// name it in the pact's `signed_document_id`. Same callers and visibility as reading the
/// pact; the read is logged.
#[utoipa::path(tag = "cases", params(("id" = String, Path, description = "Case id")),
    responses((status = 200, description = "The pact as PDF", body = String, content_type = "application/pdf")),
    security(("bearer" = []), ("client_credentials" = ["cases:read"])))]
#[get("/cases/{id}/service-pact.pdf")]
pub async fn service_pact_pdf(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadCases>>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id::<CaseId>("id", id.into_inner())?;
    let (bytes, name, logged) = state
        .run(caller, move |conn, cx| wf::printable(conn, cx, &id))
        .await?;
    state.reads.record(logged).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/pdf"))
        .insert_header((header::CONTENT_DISPOSITION, disposition(&name)))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes))
}

/// Revise the service pact: a new version, the previous ones kept.
///
/// Writes the next version from the whole pact sent (what is absent is not carried over, but
/// for the responsible operator; an action sent with the `id` of one in force keeps its done
/// mark), and sets the case's `plan_goals` to its `summary`. `profile_value` must match
/// `profile_kind` (`band_*` for DUL, `pathway_*` for GOL), the responsible operator must be an
/// operator of the case's agency, the signed copy a document of this case (`422` naming the
/// field). The agency following the case (clients with `cases:write`), with `If-Match` of the
/// version in force (`412` when stale, `428` without it); the coordinator reads only (`403`);
/// `404` for callers who do not see the case; `409` before take-charge (no pact yet) and once
/// closed.
#[utoipa::path(tag = "cases", request_body = ServicePactInput,
    params(("id" = String, Path, description = "Case id"), RequireIfMatch),
    responses((status = 200, body = ServicePactOut)),
    security(("bearer" = []), ("client_credentials" = ["cases:write"])))]
#[put("/cases/{id}/service-pact")]
pub async fn revise_service_pact(
    state: web::Data<AppState>,
    caller: Caller<Hidden<WorkCases>>,
    id: web::Path<String>,
    body: ValidJson<ServicePactInput>,
    im: RequireIfMatch,
) -> Result<Tagged<ServicePactOut>, ApiError> {
    let id = path_id::<CaseId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::revise(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}
