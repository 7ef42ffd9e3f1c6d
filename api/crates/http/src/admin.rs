//! Administration: districts, organizations (with accredited agencies) and user accounts.

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

use super::extract::{AdminOnly, Anyone, Caller, PageQuery, People, ValidJson};
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
#[utoipa::path(tag = "districts", params(PageQuery),
    responses((status = 200, body = Page<DistrictOut>),
        (status = 401, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/districts")]
pub async fn list_districts(
    state: web::Data<AppState>,
    caller: Caller<People>,
    q: web::Query<PageQuery>,
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
    let id = DistrictId::from(id.into_inner());
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| admin::get_district(conn, cx, &id))
            .await?,
    ))
}

/// Change a district.
#[utoipa::path(tag = "districts", request_body = UpdateDistrict,
    params(("id" = String, Path, description = "District id"), RequireIfMatch),
    responses((status = 200, body = DistrictOut),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[patch("/districts/{id}")]
pub async fn update_district(
    state: web::Data<AppState>,
    caller: Caller<AdminOnly>,
    id: web::Path<String>,
    body: ValidJson<UpdateDistrict>,
    im: RequireIfMatch,
) -> Result<Tagged<DistrictOut>, ApiError> {
    let id = DistrictId::from(id.into_inner());
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
#[utoipa::path(tag = "organizations", params(PageQuery, OrganizationParams),
    responses((status = 200, body = Page<OrganizationOut>),
        (status = 401, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("client_credentials" = [])))]
#[get("/organizations")]
pub async fn list_organizations(
    state: web::Data<AppState>,
    caller: Caller<Anyone>,
    page: web::Query<PageQuery>,
    q: web::Query<OrganizationParams>,
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
    let id = OrganizationId::from(id.into_inner());
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                admin::get_organization(conn, cx, &id)
            })
            .await?,
    ))
}

/// Change an organization.
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
    let id = OrganizationId::from(id.into_inner());
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
#[utoipa::path(tag = "users", params(PageQuery, UserParams),
    responses((status = 200, body = Page<UserOut>),
        (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    caller: Caller<AdminOnly>,
    page: web::Query<PageQuery>,
    q: web::Query<UserParams>,
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
    let id = UserId::from(id.into_inner());
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| admin::get_user(conn, cx, &id))
            .await?,
    ))
}

/// Change a user account: name, role, placement, password, enabled.
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
    let id = UserId::from(id.into_inner());
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
