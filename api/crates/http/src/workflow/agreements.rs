//! Around a network: asking to join it without an account (`/public/…`), its coordinators'
//! decision on those requests, its agreements (conventions, protocols) and its documents.

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse, Responder};
use serde::{Deserialize, Serialize};
use sistema_lavoro_app::workflow::agreements::{
    self as ag, AgreementInput, AgreementOut, AgreementPatch, SignInput, TerminateInput,
};
use sistema_lavoro_app::workflow::documents::{self as docs, DocumentOut, Target, Upload};
use sistema_lavoro_app::workflow::join_requests::{
    self as jr, AcceptJoinInput, DeclineJoinInput, JoinRequestInput, JoinRequestOut,
    PublicNetworkList,
};
use sistema_lavoro_app::workflow::Page;
use sistema_lavoro_domain::agreements::JoinRequestStatus;
use sistema_lavoro_domain::ids::{AgreementId, JoinRequestId, NetworkId};
use sistema_lavoro_domain::Error;
use utoipa::{IntoParams, ToSchema};

use super::documents::{read_file, too_large};
use crate::extract::{
    AttachDocuments, Caller, Hidden, OptionalJson, PageQuery, ReadDocuments, ReadNetworks,
    ValidJson, WriteNetworks,
};
use crate::params::{path_id, ValidQuery};
use crate::precondition::{IdempotencyKey, IfMatch, RequireIfMatch};
use crate::problem::{lang_of, ApiError, Problem};
use crate::respond::{Created, CreatedAt, Listed, Tagged};
use crate::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(public_networks)
        .service(ask_to_join)
        .service(list_join_requests)
        .service(accept_join_request)
        .service(decline_join_request)
        .service(list_agreements)
        .service(create_agreement)
        .service(read_agreement)
        .service(update_agreement)
        .service(sign_agreement)
        .service(terminate_agreement)
        .service(network_documents)
        .service(upload_network_document)
        .service(agreement_documents)
        .service(upload_agreement_document);
}

// --------------------------------------------------------------- ask to join

/// The networks that take requests to join, and the privacy notice (no sign-in).
///
/// Networks forming or active whose `accepts_join_requests` is on, each with what it is for,
/// its district and its coordinating organization; the privacy notice the form shows, whose
/// `version` a request must send back.
#[utoipa::path(tag = "networks",
    responses((status = 200, body = PublicNetworkList)),
    security(()))]
#[get("/public/networks")]
pub async fn public_networks(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<web::Json<PublicNetworkList>, ApiError> {
    let lang = lang_of(&req);
    Ok(web::Json(
        state
            .public_in(lang, |conn, _| jr::public_networks(conn))
            .await?,
    ))
}

/// The answer to a request to join: nothing of what was sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct Received {
    /// Always `received`.
    #[schema(example = "received")]
    pub status: String,
}

/// Ask to join a network, without an account.
///
/// A name, an e-mail address or a phone number (at least one), optionally the organization,
/// the capacity (`councillor`, `assessor`, `citizen`, `organization`) and a message; the
/// version of the privacy notice read (`422` if it is not the current one). Answers `202`
/// without repeating anything sent; the network's coordinators then see it. A network that does
/// not exist or does not take requests is `404`. Each address may send a few requests every
/// 15 minutes (`429` with `Retry-After` past them).
#[utoipa::path(tag = "networks", request_body = JoinRequestInput,
    params(("id" = String, Path, description = "Network id")),
    responses((status = 202, body = Received),
        (status = 429, description = "Too many requests from this address", body = Problem, content_type = "application/problem+json")),
    security(()))]
#[post("/public/networks/{id}/join-requests")]
pub async fn ask_to_join(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: ValidJson<JoinRequestInput>,
) -> Result<HttpResponse, ApiError> {
    let lang = lang_of(&req);
    let id = path_id::<NetworkId>("id", id.into_inner())?;
    let key = [format!(
        "join:{}",
        crate::limits::client_addr(&req, &state.config.trusted_proxies)
    )];
    state
        .join_throttle
        .check(&key)
        .map_err(|secs| ApiError::new(Error::RateLimited(secs), lang))?;
    state.join_throttle.failed(&key);
    state
        .public_in(lang, move |conn, now| jr::submit(conn, now, &id, body.0))
        .await?;
    Ok(HttpResponse::Accepted().json(Received {
        status: "received".into(),
    }))
}

/// Which requests to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JoinRequestParams {
    /// `pending` (default), `accepted` or `declined`.
    pub status: Option<JoinRequestStatus>,
}

/// The network's requests to join, by state (default `pending`).
///
/// Those who manage the network only (the district's coordinator, its coordinating
/// organization); anyone else `404`. Each request with `accept`/`decline` in its actions.
#[utoipa::path(tag = "networks",
    params(("id" = String, Path, description = "Network id"), PageQuery, JoinRequestParams),
    responses((status = 200, body = Page<JoinRequestOut>)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[get("/networks/{id}/join-requests")]
pub async fn list_join_requests(
    state: web::Data<AppState>,
    caller: Caller<Hidden<WriteNetworks>>,
    id: web::Path<String>,
    pq: ValidQuery<PageQuery>,
    q: ValidQuery<JoinRequestParams>,
) -> Result<Listed<JoinRequestOut>, ApiError> {
    let id = path_id::<NetworkId>("id", id.into_inner())?;
    let page = pq.request()?;
    let status = q.status;
    Ok(Listed(
        state
            .run(caller, move |conn, cx| {
                jr::list(conn, cx, &id, status, &page)
            })
            .await?,
    ))
}

/// Accept a pending request to join.
///
/// The organization joins: `organization_id` of an existing one of the district, or one made
/// from the request (its `organization`, else its `name`) with `kind`; `role` defaults to
/// `member`. The invitation to the network's next meeting is recorded when one is planned, and
/// the requester is written to when SMTP is configured. `409` unless pending.
#[utoipa::path(tag = "networks", request_body(content = Option<AcceptJoinInput>),
    params(("id" = String, Path, description = "Join request id"), IdempotencyKey),
    responses((status = 200, body = JoinRequestOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/join-requests/{id}/accept")]
pub async fn accept_join_request(
    state: web::Data<AppState>,
    caller: Caller<Hidden<WriteNetworks>>,
    id: web::Path<String>,
    body: OptionalJson<AcceptJoinInput>,
) -> Result<web::Json<JoinRequestOut>, ApiError> {
    let id = path_id::<JoinRequestId>("id", id.into_inner())?;
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| jr::accept(conn, cx, &id, body.0))
            .await?,
    ))
}

/// Decline a pending request to join, with a reason.
///
/// Declined requests are deleted after the retention period. `409` unless pending.
#[utoipa::path(tag = "networks", request_body = DeclineJoinInput,
    params(("id" = String, Path, description = "Join request id"), IdempotencyKey),
    responses((status = 200, body = JoinRequestOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/join-requests/{id}/decline")]
pub async fn decline_join_request(
    state: web::Data<AppState>,
    caller: Caller<Hidden<WriteNetworks>>,
    id: web::Path<String>,
    body: ValidJson<DeclineJoinInput>,
) -> Result<web::Json<JoinRequestOut>, ApiError> {
    let id = path_id::<JoinRequestId>("id", id.into_inner())?;
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| jr::decline(conn, cx, &id, body.0))
            .await?,
    ))
}

// ---------------------------------------------------------------- agreements

/// The network's agreements (conventions, protocols), by id.
///
/// Those who manage the network and its members' users; the observatory `403`; others `404`.
/// A signed agreement past `valid_until` is `expired`.
#[utoipa::path(tag = "networks",
    params(("id" = String, Path, description = "Network id"), PageQuery),
    responses((status = 200, body = Page<AgreementOut>)),
    security(("bearer" = []), ("client_credentials" = ["networks:read"])))]
#[get("/networks/{id}/agreements")]
pub async fn list_agreements(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadNetworks>>,
    id: web::Path<String>,
    pq: ValidQuery<PageQuery>,
) -> Result<Listed<AgreementOut>, ApiError> {
    let id = path_id::<NetworkId>("id", id.into_inner())?;
    let page = pq.request()?;
    Ok(Listed(
        state
            .run(caller, move |conn, cx| ag::list(conn, cx, &id, &page))
            .await?,
    ))
}

/// Draft an agreement among the network's members.
///
/// Parties are memberships of the network active today (`422` otherwise); `renews_agreement_id`
/// names a signed or expired agreement of the same network. Those who manage the network.
#[utoipa::path(tag = "networks", request_body = AgreementInput,
    params(("id" = String, Path, description = "Network id"), IdempotencyKey),
    responses((status = 201, body = AgreementOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/networks/{id}/agreements")]
pub async fn create_agreement(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: ValidJson<AgreementInput>,
) -> Result<Created<AgreementOut>, ApiError> {
    let id = path_id::<NetworkId>("id", id.into_inner())?;
    let a = state
        .run(caller, move |conn, cx| ag::create(conn, cx, &id, body.0))
        .await?;
    Ok(Created(format!("/api/v1/agreements/{}", a.id), a))
}

/// One agreement, with its documents and the actions possible now.
///
/// Its state is today's (a signed agreement past `valid_until` reads `expired`); the network's
/// members and managers read it, anyone else gets `404`.
#[utoipa::path(tag = "networks", params(("id" = String, Path, description = "Agreement id")),
    responses((status = 200, body = AgreementOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:read"])))]
#[get("/agreements/{id}")]
pub async fn read_agreement(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadNetworks>>,
    id: web::Path<String>,
) -> Result<Tagged<AgreementOut>, ApiError> {
    let id = path_id::<AgreementId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| ag::read(conn, cx, &id))
            .await?,
    ))
}

/// Change a draft agreement (JSON Merge Patch, with `If-Match`).
///
/// `409` once signed. Those who manage the network.
#[utoipa::path(tag = "networks", request_body = AgreementPatch,
    params(("id" = String, Path, description = "Agreement id"), RequireIfMatch),
    responses((status = 200, body = AgreementOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[patch("/agreements/{id}")]
pub async fn update_agreement(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: ValidJson<AgreementPatch>,
    im: RequireIfMatch,
) -> Result<Tagged<AgreementOut>, ApiError> {
    let id = path_id::<AgreementId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                ag::update(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// Sign a draft agreement (`signed_on` defaults to today, not in the future).
///
/// It needs its parties; `409` unless draft.
#[utoipa::path(tag = "networks", request_body(content = Option<SignInput>),
    params(("id" = String, Path, description = "Agreement id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = AgreementOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/agreements/{id}/sign")]
pub async fn sign_agreement(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: OptionalJson<SignInput>,
    im: IfMatch,
) -> Result<Tagged<AgreementOut>, ApiError> {
    let id = path_id::<AgreementId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                ag::sign(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// Terminate a signed agreement in force, with a reason.
///
/// `409` unless signed (an expired one is not terminated).
#[utoipa::path(tag = "networks", request_body = TerminateInput,
    params(("id" = String, Path, description = "Agreement id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = AgreementOut)),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/agreements/{id}/terminate")]
pub async fn terminate_agreement(
    state: web::Data<AppState>,
    caller: Caller<WriteNetworks>,
    id: web::Path<String>,
    body: ValidJson<TerminateInput>,
    im: IfMatch,
) -> Result<Tagged<AgreementOut>, ApiError> {
    let id = path_id::<AgreementId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                ag::terminate(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

// ----------------------------------------------------------------- documents

/// A network's or an agreement's document (`multipart/form-data`): the part `file` only.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct FileUpload {
    /// The file (at most 20 MiB): PDF, PNG, JPEG, TIFF, DOCX, XLSX, ODT or ODS, recognised
    /// by its content.
    #[schema(value_type = String, format = Binary, max_length = 20971520)]
    pub file: Vec<u8>,
}

async fn uploaded(
    state: web::Data<AppState>,
    caller: Caller<AttachDocuments>,
    req: HttpRequest,
    mut payload: web::Payload,
    target: Target,
) -> Result<HttpResponse, ApiError> {
    let lang = lang_of(&req);
    let (file_name, bytes) = match read_file(&req, &mut payload).await {
        Ok(u) => u,
        Err(e @ Error::PayloadTooLarge(_)) => return Ok(too_large(e, lang, payload).await),
        Err(e) => return Err(ApiError::new(e, lang)),
    };
    let u = Upload {
        target,
        file_name,
        bytes,
    };
    let d = state
        .run(caller, move |conn, cx| docs::upload(conn, cx, u))
        .await?;
    Ok(CreatedAt(format!("/api/v1/documents/{}", d.id), d).respond_to(&req))
}

/// The network's documents (its own files and its agreements' texts), in upload order.
///
/// Its members' users and those who manage it; anyone else `404`. Download with
/// `GET /documents/{id}` (logged).
#[utoipa::path(tag = "networks",
    params(("id" = String, Path, description = "Network id"), PageQuery),
    responses((status = 200, body = Page<DocumentOut>)),
    security(("bearer" = []), ("client_credentials" = ["networks:read"])))]
#[get("/networks/{id}/documents")]
pub async fn network_documents(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadDocuments>>,
    id: web::Path<String>,
    pq: ValidQuery<PageQuery>,
) -> Result<Listed<DocumentOut>, ApiError> {
    let id = path_id::<NetworkId>("id", id.into_inner())?;
    let page = pq.request()?;
    Ok(Listed(
        state
            .run(caller, move |conn, cx| {
                docs::of_network(conn, cx, &id, &page)
            })
            .await?,
    ))
}

/// File a document with the network (statute, report, approval act).
///
/// Those who manage the network, until it is closed. The same limits as every document (20
/// MiB, recognised by content, `sha256` computed by the server).
#[utoipa::path(tag = "networks",
    request_body(content = FileUpload, content_type = "multipart/form-data",
        description = "The part `file` (at most 20 MiB = 20971520 bytes)"),
    params(("id" = String, Path, description = "Network id"), IdempotencyKey),
    responses((status = 201, body = DocumentOut),
        (status = 413, description = "The file is larger than 20 MiB (20971520 bytes)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `multipart/form-data`, or the file is not of an accepted kind by its content", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/networks/{id}/documents")]
pub async fn upload_network_document(
    state: web::Data<AppState>,
    caller: Caller<AttachDocuments>,
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = path_id::<NetworkId>("id", id.into_inner())?;
    uploaded(state, caller, req, payload, Target::Network(id)).await
}

/// The agreement's documents (its signed text), in upload order.
///
/// Readable as the agreement is: by the network's members and managers; others get `404`.
#[utoipa::path(tag = "networks",
    params(("id" = String, Path, description = "Agreement id"), PageQuery),
    responses((status = 200, body = Page<DocumentOut>)),
    security(("bearer" = []), ("client_credentials" = ["networks:read"])))]
#[get("/agreements/{id}/documents")]
pub async fn agreement_documents(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadDocuments>>,
    id: web::Path<String>,
    pq: ValidQuery<PageQuery>,
) -> Result<Listed<DocumentOut>, ApiError> {
    let id = path_id::<AgreementId>("id", id.into_inner())?;
    let page = pq.request()?;
    Ok(Listed(
        state
            .run(caller, move |conn, cx| {
                docs::of_agreement(conn, cx, &id, &page)
            })
            .await?,
    ))
}

/// Attach the agreement's signed text (while draft or signed).
///
/// Those who manage the network; filed with the network too.
#[utoipa::path(tag = "networks",
    request_body(content = FileUpload, content_type = "multipart/form-data",
        description = "The part `file` (at most 20 MiB = 20971520 bytes)"),
    params(("id" = String, Path, description = "Agreement id"), IdempotencyKey),
    responses((status = 201, body = DocumentOut),
        (status = 413, description = "The file is larger than 20 MiB (20971520 bytes)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `multipart/form-data`, or the file is not of an accepted kind by its content", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("client_credentials" = ["networks:write"])))]
#[post("/agreements/{id}/documents")]
pub async fn upload_agreement_document(
    state: web::Data<AppState>,
    caller: Caller<AttachDocuments>,
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = path_id::<AgreementId>("id", id.into_inner())?;
    uploaded(state, caller, req, payload, Target::Agreement(id)).await
}
