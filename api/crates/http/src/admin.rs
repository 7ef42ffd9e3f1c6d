//! Administration: districts, organizations (with accredited agencies) and user accounts.

use crate::params::{path_id, ValidQuery};
use actix_web::{get, patch, post, web};
use serde::Deserialize;
use sistema_lavoro_app::admin::{
    self, CreateDistrict, CreateOrganization, CreateUser, DistrictOut, OrganizationOut,
    OrganizationQuery, UpdateDistrict, UpdateOrganization, UpdateUser, UserOut, UserQuery,
};
use sistema_lavoro_app::security;
use sistema_lavoro_app::workflow::Page;
use sistema_lavoro_domain::ids::{DistrictId, OrganizationId, UserId};
use sistema_lavoro_domain::values::check_password;
use sistema_lavoro_domain::{Error, OrganizationKind, Role};
use utoipa::IntoParams;

use super::extract::{AdminOnly, AdminOrCoordinator, Anyone, Caller, PageQuery, People, ValidJson};
use super::precondition::{IdempotencyKey, RequireIfMatch};
use super::problem::{ApiError, Problem};
use super::respond::{Created, Listed, Tagged};
use super::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_districts)
        .service(create_district)
        .service(get_district)
        .service(update_district)
        .service(list_organizations)
        .service(create_organization)
        .service(get_organization)
        .service(update_organization)
        .service(list_users)
        .service(create_user)
        .service(get_user)
        .service(update_user);
}

// ---------------------------------------------------------------- districts

/// List districts (admin; other users see only their own).
///
/// Pages through the districts (Ambiti territoriali), the tenants every workflow record belongs
/// to, sorted by id. Any signed-in person may call it: the administrator gets every district,
/// everyone else a one-item page with their own. Integration clients may not call it.
#[utoipa::path(tag = "districts", params(PageQuery),
    responses((status = 200, body = Page<DistrictOut>),
        (status = 401, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/districts")]
pub async fn list_districts(
    state: web::Data<AppState>,
    caller: Caller<People>,
    q: ValidQuery<PageQuery>,
) -> Result<Listed<DistrictOut>, ApiError> {
    let page = q.request()?;
    Ok(Listed(
        state
            .run(caller, move |conn, cx| {
                admin::list_districts(conn, cx, &page)
            })
            .await?,
    ))
}

/// Create a district.
///
/// Adds a district (Ambito territoriale) with a unique code, a name and a time zone
/// (`Europe/Rome` by default). Administrator only; `409` when another district already uses
/// the code. Send an `Idempotency-Key` to make retries safe.
#[utoipa::path(tag = "districts", request_body = CreateDistrict, params(IdempotencyKey),
    responses((status = 201, body = DistrictOut),
        (status = 409, description = "Code already used", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/districts")]
pub async fn create_district(
    state: web::Data<AppState>,
    caller: Caller<AdminOnly>,
    body: ValidJson<CreateDistrict>,
) -> Result<Created<DistrictOut>, ApiError> {
    let d = state
        .run(caller, move |conn, cx| {
            admin::create_district(conn, cx, body.0)
        })
        .await?;
    Ok(Created(format!("/api/v1/districts/{}", d.id), d))
}

/// One district.
///
/// Reads a district (Ambito territoriale) with its `ETag` and the actions the caller may take
/// on it. The administrator reads any district, other signed-in people only their own: any
/// other id answers `404`, as if it did not exist.
#[utoipa::path(tag = "districts", params(("id" = String, Path, description = "District id")),
    responses((status = 200, body = DistrictOut),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/districts/{id}")]
pub async fn get_district(
    state: web::Data<AppState>,
    caller: Caller<People>,
    id: web::Path<String>,
) -> Result<Tagged<DistrictOut>, ApiError> {
    let id = path_id::<DistrictId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| admin::get_district(conn, cx, &id))
            .await?,
    ))
}

/// Change a district.
///
/// Changes a district's code, name, time zone or retention period; absent fields stay as they
/// are. The administrator; the district's coordinator may set `retention_years` (and only it)
/// for its own district. With the `If-Match` of the version read (`412` when it changed meanwhile); `409`
/// when the new code is another district's.
#[utoipa::path(tag = "districts", request_body = UpdateDistrict,
    params(("id" = String, Path, description = "District id"), RequireIfMatch),
    responses((status = 200, body = DistrictOut),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[patch("/districts/{id}")]
pub async fn update_district(
    state: web::Data<AppState>,
    caller: Caller<AdminOrCoordinator>,
    id: web::Path<String>,
    body: ValidJson<UpdateDistrict>,
    im: RequireIfMatch,
) -> Result<Tagged<DistrictOut>, ApiError> {
    let id = path_id::<DistrictId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                admin::update_district(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

// ------------------------------------------------------------ organizations

/// Filters of the organization list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganizationParams {
    /// Only this kind.
    pub kind: Option<OrganizationKind>,
    /// Only active (`true`) or inactive (`false`) ones.
    pub active: Option<bool>,
    /// Admin only: only this district (others always see their own).
    pub district_id: Option<String>,
}

/// List organizations, sorted by id. Everyone sees their own district's; admins all.
///
/// Pages through the organizations (enti / soggetti) — social services, CPI, accredited
/// agencies (enti accreditati), municipalities, … — filtered by kind and active flag. Any
/// signed-in person and integration clients with any scope may call it; only the
/// administrator may filter by `district_id`, everyone else is kept to their own district.
#[utoipa::path(tag = "organizations", params(PageQuery, OrganizationParams),
    responses((status = 200, body = Page<OrganizationOut>),
        (status = 401, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("client_credentials" = [])))]
#[get("/organizations")]
pub async fn list_organizations(
    state: web::Data<AppState>,
    caller: Caller<Anyone>,
    page: ValidQuery<PageQuery>,
    q: ValidQuery<OrganizationParams>,
) -> Result<Listed<OrganizationOut>, ApiError> {
    let page = page.request()?;
    let q = q.into_inner();
    let q = OrganizationQuery {
        kind: q.kind,
        active: q.active,
        district_id: q.district_id.map(Into::into),
    };
    Ok(Listed(
        state
            .run(caller, move |conn, cx| {
                admin::list_organizations(conn, cx, q, &page)
            })
            .await?,
    ))
}

/// Create an organization.
///
/// Registers an organization (ente) in a district, active from now. Administrator only. An
/// accredited agency (ente accreditato) needs its regional `accreditation_code`, which no other
/// kind may have (`422`); `409` when the district already has an organization with that name.
#[utoipa::path(tag = "organizations", request_body = CreateOrganization, params(IdempotencyKey),
    responses((status = 201, body = OrganizationOut),
        (status = 409, description = "Same name in the district", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/organizations")]
pub async fn create_organization(
    state: web::Data<AppState>,
    caller: Caller<AdminOnly>,
    body: ValidJson<CreateOrganization>,
) -> Result<Created<OrganizationOut>, ApiError> {
    let o = state
        .run(caller, move |conn, cx| {
            admin::create_organization(conn, cx, body.0)
        })
        .await?;
    Ok(Created(format!("/api/v1/organizations/{}", o.id), o))
}

/// One organization.
///
/// Reads an organization (ente) with its `ETag`. Any signed-in person and integration clients
/// with any scope may call it, for organizations of their own district (the administrator: of
/// any); others answer `404`.
#[utoipa::path(tag = "organizations", params(("id" = String, Path, description = "Organization id")),
    responses((status = 200, body = OrganizationOut),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("client_credentials" = [])))]
#[get("/organizations/{id}")]
pub async fn get_organization(
    state: web::Data<AppState>,
    caller: Caller<Anyone>,
    id: web::Path<String>,
) -> Result<Tagged<OrganizationOut>, ApiError> {
    let id = path_id::<OrganizationId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                admin::get_organization(conn, cx, &id)
            })
            .await?,
    ))
}

/// Change an organization.
///
/// Changes an organization's name, kind, codes, contacts or active flag (an inactive one keeps
/// its history but gets no new work); absent fields stay as they are. Administrator only, with
/// `If-Match` (`412` when stale); the accreditation code rule of creation applies (`422`).
#[utoipa::path(tag = "organizations", request_body = UpdateOrganization,
    params(("id" = String, Path, description = "Organization id"), RequireIfMatch),
    responses((status = 200, body = OrganizationOut),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[patch("/organizations/{id}")]
pub async fn update_organization(
    state: web::Data<AppState>,
    caller: Caller<AdminOnly>,
    id: web::Path<String>,
    body: ValidJson<UpdateOrganization>,
    im: RequireIfMatch,
) -> Result<Tagged<OrganizationOut>, ApiError> {
    let id = path_id::<OrganizationId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                admin::update_organization(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

// -------------------------------------------------------------------- users

/// Filters of the user list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserParams {
    pub role: Option<Role>,
    pub organization_id: Option<String>,
    pub district_id: Option<String>,
}

/// List user accounts (admin), sorted by id.
///
/// Pages through the user accounts, filtered by role, organization or district. Administrator
/// only; other roles get `403`. Password hashes are never returned.
#[utoipa::path(tag = "users", params(PageQuery, UserParams),
    responses((status = 200, body = Page<UserOut>),
        (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    caller: Caller<AdminOnly>,
    page: ValidQuery<PageQuery>,
    q: ValidQuery<UserParams>,
) -> Result<Listed<UserOut>, ApiError> {
    let page = page.request()?;
    let q = q.into_inner();
    let q = UserQuery {
        role: q.role,
        organization_id: q.organization_id.map(Into::into),
        district_id: q.district_id.map(Into::into),
    };
    Ok(Listed(
        state
            .run(caller, move |conn, cx| {
                admin::list_users(conn, cx, q, &page)
            })
            .await?,
    ))
}

async fn hash(password: String) -> Result<String, ApiError> {
    web::block(move || security::hash_password(&password))
        .await?
        .map_err(|e| ApiError(Error::Internal(e)))
}

/// Create a user account.
///
/// Creates an enabled account with a role and its placement: referrers and agency operators
/// need an organization (an accredited agency for the latter), coordinators and observers a
/// district (`422` otherwise, with every field problem at once). Administrator only; `409` when
/// the e-mail is already used.
#[utoipa::path(tag = "users", request_body = CreateUser, params(IdempotencyKey),
    responses((status = 201, body = UserOut),
        (status = 409, description = "E-mail already used", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    caller: Caller<AdminOnly>,
    body: ValidJson<CreateUser>,
) -> Result<Created<UserOut>, ApiError> {
    let b = body.0;
    admin::check_new_user(&b)?;
    // The slow hash runs without holding a database connection.
    let hash = hash(b.password.clone()).await?;
    let u = state
        .run(caller, move |conn, cx| {
            admin::create_user(conn, cx, b, hash)
        })
        .await?;
    Ok(Created(format!("/api/v1/users/{}", u.id), u))
}

/// One user account.
///
/// Reads a user account with its `ETag` and last sign-in time. Administrator only; `404` for
/// an unknown id.
#[utoipa::path(tag = "users", params(("id" = String, Path, description = "User id")),
    responses((status = 200, body = UserOut),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    caller: Caller<AdminOnly>,
    id: web::Path<String>,
) -> Result<Tagged<UserOut>, ApiError> {
    let id = path_id::<UserId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| admin::get_user(conn, cx, &id))
            .await?,
    ))
}

/// Change a user account: name, role, placement, password, enabled.
///
/// Administrator only, with `If-Match` (`412` when stale); the placement rules of creation
/// apply (`422`). A new password, a new role, organization or district, or disabling the
/// account ends all the user's sessions and invalidates their access tokens.
#[utoipa::path(tag = "users", request_body = UpdateUser,
    params(("id" = String, Path, description = "User id"), RequireIfMatch),
    responses((status = 200, body = UserOut),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    caller: Caller<AdminOnly>,
    id: web::Path<String>,
    body: ValidJson<UpdateUser>,
    im: RequireIfMatch,
) -> Result<Tagged<UserOut>, ApiError> {
    let id = path_id::<UserId>("id", id.into_inner())?;
    let b = body.0;
    let hash = match &b.password {
        Some(pw) => {
            check_password("password", pw).map_err(|e| ApiError(Error::Validation(vec![e])))?;
            Some(hash(pw.clone()).await?)
        }
        None => None,
    };
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                admin::update_user(conn, cx, &id, &im.0, b, hash)
            })
            .await?,
    ))
}
