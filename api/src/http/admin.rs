//! Administration: districts, organizations (with accredited agencies) and user accounts.

use actix_web::{get, patch, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::extract::{AdminOnly, AuthUser, Authorized, Page, PageQuery, ValidJson};
use super::problem::{ApiError, FieldError, Problem};
use super::AppState;
use crate::domain::values::{check_password, Email};
use crate::domain::{OrganizationKind, Role};
use crate::security;
use crate::store::districts::{District, DistrictChanges, NewDistrict};
use crate::store::organizations::{
    NewOrganization, Organization, OrganizationChanges, OrganizationFilter,
};
use crate::store::users::{NewUser, User, UserChanges, UserFilter};
use crate::store::{new_id, now, utc, write_tx, DbConn};

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

fn created<T: Serialize>(location: String, body: T) -> HttpResponse {
    HttpResponse::Created()
        .insert_header(("Location", location))
        .json(body)
}

// ---------------------------------------------------------------- districts

/// A district (Ambito territoriale): the tenant every workflow record belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub struct DistrictOut {
    pub id: String,
    /// Short unique code, e.g. `AMBITO-1-BG`.
    pub code: String,
    /// Name, e.g. "Ambito 1 – Bergamo".
    pub name: String,
    /// IANA time zone of the district's dates.
    pub timezone: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<District> for DistrictOut {
    fn from(d: District) -> Self {
        DistrictOut {
            id: d.id,
            code: d.code,
            name: d.name,
            timezone: d.timezone,
            created_at: utc(d.created_at),
            updated_at: utc(d.updated_at),
        }
    }
}

/// A new district.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"code": "AMBITO-2-DALMINE", "name": "Ambito 2 – Dalmine"}))]
pub struct CreateDistrict {
    /// Short unique code.
    #[validate(length(min = 2, max = 40))]
    #[schema(min_length = 2, max_length = 40)]
    pub code: String,
    /// Display name.
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub name: String,
    /// IANA time zone; default `Europe/Rome`.
    #[validate(length(min = 3, max = 64))]
    #[schema(min_length = 3, max_length = 64)]
    pub timezone: Option<String>,
}

/// Changes to a district; absent fields stay as they are.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct UpdateDistrict {
    #[validate(length(min = 2, max = 40))]
    #[schema(min_length = 2, max_length = 40)]
    pub code: Option<String>,
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub name: Option<String>,
    #[validate(length(min = 3, max = 64))]
    #[schema(min_length = 3, max_length = 64)]
    pub timezone: Option<String>,
}

/// List districts (admin; other users see only their own).
#[utoipa::path(tag = "districts", params(PageQuery),
    responses((status = 200, body = Page<DistrictOut>),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
#[get("/districts")]
pub async fn list_districts(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<PageQuery>,
) -> Result<web::Json<Page<DistrictOut>>, ApiError> {
    let limit = q.limit()?;
    let after = q.after.clone();
    let page = state
        .db(move |conn| {
            let rows = if user.is(Role::Admin) {
                District::list(conn, after.as_deref(), limit)?
            } else {
                match &user.district_id {
                    Some(d) if after.as_deref().is_none_or(|a| a < d.as_str()) => {
                        vec![District::find(conn, d)?]
                    }
                    _ => vec![],
                }
            };
            Ok(Page::from_rows(
                rows,
                limit,
                |d| d.id.clone(),
                DistrictOut::from,
            ))
        })
        .await?;
    Ok(web::Json(page))
}

/// Create a district.
#[utoipa::path(tag = "districts", request_body = CreateDistrict,
    responses((status = 201, body = DistrictOut),
        (status = 409, description = "Code already used", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/districts")]
pub async fn create_district(
    state: web::Data<AppState>,
    _admin: Authorized<AdminOnly>,
    body: ValidJson<CreateDistrict>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let d = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                if District::find_by_code(conn, b.code.trim())?.is_some() {
                    return Err(ApiError::conflict(
                        "duplicate",
                        "a district with this code exists",
                    ));
                }
                let at = now();
                Ok(District::insert(
                    conn,
                    &NewDistrict {
                        id: &new_id(),
                        code: b.code.trim(),
                        name: b.name.trim(),
                        timezone: b.timezone.as_deref().unwrap_or("Europe/Rome"),
                        created_at: at,
                        updated_at: at,
                    },
                )?)
            })
        })
        .await?;
    Ok(created(
        format!("/api/v1/districts/{}", d.id),
        DistrictOut::from(d),
    ))
}

fn visible_district(user: &AuthUser, id: &str) -> Result<(), ApiError> {
    if user.is(Role::Admin) || user.district_id.as_deref() == Some(id) {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

/// One district.
#[utoipa::path(tag = "districts", params(("id" = String, Path, description = "District id")),
    responses((status = 200, body = DistrictOut),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/districts/{id}")]
pub async fn get_district(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<DistrictOut>, ApiError> {
    let id = id.into_inner();
    visible_district(&user, &id)?;
    let d = state.db(move |conn| Ok(District::find(conn, &id)?)).await?;
    Ok(web::Json(d.into()))
}

/// Change a district.
#[utoipa::path(tag = "districts", request_body = UpdateDistrict,
    params(("id" = String, Path, description = "District id")),
    responses((status = 200, body = DistrictOut),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[patch("/districts/{id}")]
pub async fn update_district(
    state: web::Data<AppState>,
    _admin: Authorized<AdminOnly>,
    id: web::Path<String>,
    body: ValidJson<UpdateDistrict>,
    im: crate::http::precondition::RequireIfMatch,
) -> Result<web::Json<DistrictOut>, ApiError> {
    let id = id.into_inner();
    let b = body.0;
    let d = state
        .db_if(im.on(&id), move |conn| {
            write_tx(conn, |conn| {
                let current = District::find(conn, &id)?;
                crate::http::precondition::check(&current.id, current.updated_at)?;
                if let Some(code) = &b.code {
                    if District::find_by_code(conn, code.trim())?.is_some_and(|o| o.id != id) {
                        return Err(ApiError::conflict(
                            "duplicate",
                            "a district with this code exists",
                        ));
                    }
                }
                Ok(District::update(
                    conn,
                    &id,
                    &DistrictChanges {
                        code: b.code.map(|s| s.trim().to_string()),
                        name: b.name.map(|s| s.trim().to_string()),
                        timezone: b.timezone,
                        updated_at: Some(now()),
                    },
                )?)
            })
        })
        .await?;
    Ok(web::Json(d.into()))
}

// ------------------------------------------------------------ organizations

/// An organization (ente / soggetto) of a district.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationOut {
    pub id: String,
    pub district_id: String,
    /// Name (denominazione).
    pub name: String,
    pub kind: OrganizationKind,
    /// Regional accreditation code (codice accreditamento); set for accredited agencies.
    pub accreditation_code: Option<String>,
    /// Codice fiscale / partita IVA of the organization.
    pub tax_code: Option<String>,
    #[schema(format = Email)]
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Inactive organizations keep their history but get no new work.
    pub active: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl OrganizationOut {
    fn of(o: Organization) -> Result<Self, ApiError> {
        Ok(OrganizationOut {
            kind: OrganizationKind::from_db(&o.kind)?,
            id: o.id,
            district_id: o.district_id,
            name: o.name,
            accreditation_code: o.accreditation_code,
            tax_code: o.tax_code,
            email: o.email,
            phone: o.phone,
            active: o.active,
            created_at: utc(o.created_at),
            updated_at: utc(o.updated_at),
        })
    }
}

/// A new organization.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"district_id": "0193...", "name": "Agenzia Lavoro Uno", "kind": "accredited_agency", "accreditation_code": "LOM-AL-0001"}))]
pub struct CreateOrganization {
    /// The district it belongs to.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub district_id: String,
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub name: String,
    pub kind: OrganizationKind,
    /// Required for `accredited_agency`, not allowed otherwise.
    #[validate(length(min = 2, max = 40))]
    #[schema(min_length = 2, max_length = 40)]
    pub accreditation_code: Option<String>,
    #[validate(length(min = 11, max = 16))]
    #[schema(min_length = 11, max_length = 16)]
    pub tax_code: Option<String>,
    #[validate(email)]
    #[schema(format = Email)]
    pub email: Option<String>,
    #[validate(length(min = 3, max = 40))]
    #[schema(min_length = 3, max_length = 40)]
    pub phone: Option<String>,
}

/// Changes to an organization; absent fields stay as they are.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct UpdateOrganization {
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub name: Option<String>,
    pub kind: Option<OrganizationKind>,
    #[validate(length(min = 2, max = 40))]
    #[schema(min_length = 2, max_length = 40)]
    pub accreditation_code: Option<String>,
    #[validate(length(min = 11, max = 16))]
    #[schema(min_length = 11, max_length = 16)]
    pub tax_code: Option<String>,
    #[validate(email)]
    #[schema(format = Email)]
    pub email: Option<String>,
    #[validate(length(min = 3, max = 40))]
    #[schema(min_length = 3, max_length = 40)]
    pub phone: Option<String>,
    pub active: Option<bool>,
}

fn check_accreditation(kind: OrganizationKind, code: &Option<String>) -> Result<(), ApiError> {
    match (kind == OrganizationKind::AccreditedAgency, code) {
        (true, None) => Err(ApiError::validation(
            "accreditation_code",
            "required",
            "is required for an accredited agency",
        )),
        (false, Some(_)) => Err(ApiError::validation(
            "accreditation_code",
            "not_allowed",
            "only accredited agencies have an accreditation code",
        )),
        _ => Ok(()),
    }
}

/// Filters of the organization list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganizationQuery {
    /// Only this kind.
    pub kind: Option<OrganizationKind>,
    /// Only active (`true`) or inactive (`false`) ones.
    pub active: Option<bool>,
    /// Admin only: only this district (others always see their own).
    pub district_id: Option<String>,
}

/// List organizations, sorted by id. Everyone sees their own district's; admins all.
#[utoipa::path(tag = "organizations", params(PageQuery, OrganizationQuery),
    responses((status = 200, body = Page<OrganizationOut>),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
#[get("/organizations")]
pub async fn list_organizations(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageQuery>,
    q: web::Query<OrganizationQuery>,
) -> Result<web::Json<Page<OrganizationOut>>, ApiError> {
    let limit = page.limit()?;
    let after = page.after.clone();
    let filter = OrganizationFilter {
        district_id: if user.is(Role::Admin) {
            q.district_id.clone()
        } else {
            Some(user.district()?.to_string())
        },
        kind: q.kind.map(|k| k.as_str().to_string()),
        active: q.active,
    };
    let rows = state
        .db(move |conn| Ok(Organization::list(conn, &filter, after.as_deref(), limit)?))
        .await?;
    Ok(web::Json(super::workflow::page(
        rows,
        limit,
        |r| r.id.clone(),
        OrganizationOut::of,
    )?))
}

fn district_exists(conn: &mut DbConn, id: &str) -> Result<(), ApiError> {
    District::find(conn, id).map(|_| ()).map_err(|e| match e {
        diesel::result::Error::NotFound => {
            ApiError::validation("district_id", "unknown", "no district has this id")
        }
        other => other.into(),
    })
}

/// Create an organization.
#[utoipa::path(tag = "organizations", request_body = CreateOrganization,
    responses((status = 201, body = OrganizationOut),
        (status = 409, description = "Same name in the district", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/organizations")]
pub async fn create_organization(
    state: web::Data<AppState>,
    _admin: Authorized<AdminOnly>,
    body: ValidJson<CreateOrganization>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    check_accreditation(b.kind, &b.accreditation_code)?;
    let o = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                district_exists(conn, &b.district_id)?;
                let at = now();
                Organization::insert(
                    conn,
                    &NewOrganization {
                        id: new_id(),
                        district_id: b.district_id,
                        name: b.name.trim().to_string(),
                        kind: b.kind.as_str().into(),
                        accreditation_code: b.accreditation_code,
                        tax_code: b.tax_code.map(|t| t.trim().to_uppercase()),
                        email: b.email.map(|e| e.trim().to_lowercase()),
                        phone: b.phone,
                        active: true,
                        created_at: at,
                        updated_at: at,
                    },
                )
                .map_err(|e| match ApiError::from(e) {
                    ApiError::Conflict {
                        code: "duplicate", ..
                    } => ApiError::conflict(
                        "duplicate",
                        "an organization with this name exists in the district",
                    ),
                    other => other,
                })
            })
        })
        .await?;
    Ok(created(
        format!("/api/v1/organizations/{}", o.id),
        OrganizationOut::of(o)?,
    ))
}

/// One organization.
#[utoipa::path(tag = "organizations", params(("id" = String, Path, description = "Organization id")),
    responses((status = 200, body = OrganizationOut),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/organizations/{id}")]
pub async fn get_organization(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<OrganizationOut>, ApiError> {
    let id = id.into_inner();
    let o = state
        .db(move |conn| Ok(Organization::find(conn, &id)?))
        .await?;
    visible_district(&user, &o.district_id)?;
    Ok(web::Json(OrganizationOut::of(o)?))
}

/// Change an organization.
#[utoipa::path(tag = "organizations", request_body = UpdateOrganization,
    params(("id" = String, Path, description = "Organization id")),
    responses((status = 200, body = OrganizationOut),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[patch("/organizations/{id}")]
pub async fn update_organization(
    state: web::Data<AppState>,
    _admin: Authorized<AdminOnly>,
    id: web::Path<String>,
    body: ValidJson<UpdateOrganization>,
    im: crate::http::precondition::RequireIfMatch,
) -> Result<web::Json<OrganizationOut>, ApiError> {
    let id = id.into_inner();
    let b = body.0;
    let o = state
        .db_if(im.on(&id), move |conn| {
            write_tx(conn, |conn| {
                let current = Organization::find(conn, &id)?;
                crate::http::precondition::check(&current.id, current.updated_at)?;
                let kind = match b.kind {
                    Some(k) => k,
                    None => OrganizationKind::from_db(&current.kind)?,
                };
                let code = b.accreditation_code.clone().or(
                    if b.kind
                        .is_some_and(|k| k != OrganizationKind::AccreditedAgency)
                    {
                        None
                    } else {
                        current.accreditation_code.clone()
                    },
                );
                check_accreditation(kind, &code)?;
                Ok(Organization::update(
                    conn,
                    &id,
                    &OrganizationChanges {
                        name: b.name.map(|s| s.trim().to_string()),
                        kind: b.kind.map(|k| k.as_str().to_string()),
                        accreditation_code: Some(code),
                        tax_code: b.tax_code.map(|t| Some(t.trim().to_uppercase())),
                        email: b.email.map(|e| Some(e.trim().to_lowercase())),
                        phone: b.phone.map(Some),
                        active: b.active,
                        updated_at: Some(now()),
                    },
                )?)
            })
        })
        .await?;
    Ok(web::Json(OrganizationOut::of(o)?))
}

// -------------------------------------------------------------------- users

/// A user account.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserOut {
    pub id: String,
    pub email: String,
    pub full_name: String,
    pub role: Role,
    pub organization_id: Option<String>,
    pub district_id: Option<String>,
    /// Disabled accounts cannot sign in.
    pub active: bool,
    pub last_login_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl UserOut {
    fn of(u: User) -> Result<Self, ApiError> {
        Ok(UserOut {
            role: Role::from_db(&u.role)?,
            id: u.id,
            email: u.email,
            full_name: u.full_name,
            organization_id: u.organization_id,
            district_id: u.district_id,
            active: u.active,
            last_login_at: u.last_login_at.map(utc),
            created_at: utc(u.created_at),
            updated_at: utc(u.updated_at),
        })
    }
}

/// A new user account.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"email": "m.rossi@comune.bergamo.it", "full_name": "Maria Rossi", "password": "Cambiami-2026!", "role": "referrer", "organization_id": "0193..."}))]
pub struct CreateUser {
    #[validate(length(min = 3, max = 254))]
    #[schema(min_length = 3, max_length = 254, format = Email)]
    pub email: String,
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub full_name: String,
    /// At least 10 characters mixing three of: lower case, upper case, digits, symbols.
    #[schema(min_length = 10, max_length = 256)]
    pub password: String,
    pub role: Role,
    /// Required for referrers and agency operators (an accredited agency for the latter).
    pub organization_id: Option<String>,
    /// Defaults to the organization's district; required for coordinators and observers.
    pub district_id: Option<String>,
}

/// Changes to a user account; absent fields stay as they are.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct UpdateUser {
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub full_name: Option<String>,
    /// A new password (revokes the user's sessions).
    #[schema(min_length = 10, max_length = 256)]
    pub password: Option<String>,
    pub role: Option<Role>,
    pub organization_id: Option<String>,
    pub district_id: Option<String>,
    /// `false` disables the account and revokes its sessions.
    pub active: Option<bool>,
}

/// Checks that role, organization and district fit together; returns the district to store.
fn placement(
    conn: &mut DbConn,
    role: Role,
    organization_id: &Option<String>,
    district_id: &Option<String>,
) -> Result<Option<String>, ApiError> {
    let org = match organization_id {
        Some(id) => Some(Organization::find(conn, id).map_err(|e| match e {
            diesel::result::Error::NotFound => {
                ApiError::validation("organization_id", "unknown", "no organization has this id")
            }
            other => other.into(),
        })?),
        None => None,
    };
    if let Some(d) = district_id {
        district_exists(conn, d)?;
    }
    let district = district_id
        .clone()
        .or_else(|| org.as_ref().map(|o| o.district_id.clone()));
    let mut errors = Vec::new();
    match role {
        Role::Referrer | Role::AgencyOperator if org.is_none() => errors.push(FieldError::new(
            "organization_id",
            "required",
            format!("is required for the {role} role"),
        )),
        Role::AgencyOperator
            if org
                .as_ref()
                .is_some_and(|o| o.kind != OrganizationKind::AccreditedAgency.as_str()) =>
        {
            errors.push(FieldError::new(
                "organization_id",
                "not_an_agency",
                "agency operators belong to an accredited agency",
            ))
        }
        Role::Coordinator | Role::Observer if district.is_none() => errors.push(FieldError::new(
            "district_id",
            "required",
            format!("is required for the {role} role"),
        )),
        _ => {}
    }
    if let (Some(o), Some(d)) = (&org, district_id) {
        if &o.district_id != d {
            errors.push(FieldError::new(
                "district_id",
                "mismatch",
                "must be the organization's district",
            ));
        }
    }
    if errors.is_empty() {
        Ok(district)
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Filters of the user list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    pub role: Option<Role>,
    pub organization_id: Option<String>,
    pub district_id: Option<String>,
}

/// List user accounts (admin), sorted by id.
#[utoipa::path(tag = "users", params(PageQuery, UserQuery),
    responses((status = 200, body = Page<UserOut>),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    _admin: Authorized<AdminOnly>,
    page: web::Query<PageQuery>,
    q: web::Query<UserQuery>,
) -> Result<web::Json<Page<UserOut>>, ApiError> {
    let limit = page.limit()?;
    let after = page.after.clone();
    let filter = UserFilter {
        district_id: q.district_id.clone(),
        organization_id: q.organization_id.clone(),
        role: q.role.map(|r| r.as_str().to_string()),
    };
    let rows = state
        .db(move |conn| Ok(User::list(conn, &filter, after.as_deref(), limit)?))
        .await?;
    Ok(web::Json(super::workflow::page(
        rows,
        limit,
        |r| r.id.clone(),
        UserOut::of,
    )?))
}

/// Creates an account; shared by the endpoint, the CLI and the demo loader.
pub fn insert_user(
    conn: &mut DbConn,
    b: CreateUser,
    password_hash: String,
) -> Result<User, ApiError> {
    let email = Email::parse("email", &b.email).map_err(|e| ApiError::Validation(vec![e]))?;
    write_tx(conn, |conn| {
        let district = placement(conn, b.role, &b.organization_id, &b.district_id)?;
        if User::find_by_email(conn, email.as_str())?.is_some() {
            return Err(ApiError::conflict(
                "duplicate",
                "an account with this e-mail exists",
            ));
        }
        let at = now();
        Ok(User::insert(
            conn,
            &NewUser {
                id: new_id(),
                email: email.into_inner(),
                full_name: b.full_name.trim().to_string(),
                password_hash,
                role: b.role.as_str().into(),
                organization_id: b.organization_id,
                district_id: district,
                active: true,
                created_at: at,
                updated_at: at,
            },
        )?)
    })
}

/// Create a user account.
#[utoipa::path(tag = "users", request_body = CreateUser,
    responses((status = 201, body = UserOut),
        (status = 409, description = "E-mail already used", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    _admin: Authorized<AdminOnly>,
    body: ValidJson<CreateUser>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let mut errors = Vec::new();
    if let Err(e) = Email::parse("email", &b.email) {
        errors.push(e);
    }
    if let Err(e) = check_password("password", &b.password) {
        errors.push(e);
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let pw = b.password.clone();
    let hash = web::block(move || security::hash_password(&pw))
        .await?
        .map_err(ApiError::Internal)?;
    let u = state.db(move |conn| insert_user(conn, b, hash)).await?;
    Ok(created(format!("/api/v1/users/{}", u.id), UserOut::of(u)?))
}

/// One user account.
#[utoipa::path(tag = "users", params(("id" = String, Path, description = "User id")),
    responses((status = 200, body = UserOut),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    _admin: Authorized<AdminOnly>,
    id: web::Path<String>,
) -> Result<web::Json<UserOut>, ApiError> {
    let id = id.into_inner();
    let u = state.db(move |conn| Ok(User::find(conn, &id)?)).await?;
    Ok(web::Json(UserOut::of(u)?))
}

/// Change a user account: name, role, placement, password, enabled.
#[utoipa::path(tag = "users", request_body = UpdateUser,
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, body = UserOut),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    _admin: Authorized<AdminOnly>,
    id: web::Path<String>,
    body: ValidJson<UpdateUser>,
    im: crate::http::precondition::RequireIfMatch,
) -> Result<web::Json<UserOut>, ApiError> {
    let id = id.into_inner();
    let b = body.0;
    let hash = match &b.password {
        Some(pw) => {
            check_password("password", pw).map_err(|e| ApiError::Validation(vec![e]))?;
            let pw = pw.clone();
            Some(
                web::block(move || security::hash_password(&pw))
                    .await?
                    .map_err(ApiError::Internal)?,
            )
        }
        None => None,
    };
    let u = state
        .db_if(im.on(&id), move |conn| {
            write_tx(conn, |conn| {
                let current = User::find(conn, &id)?;
                crate::http::precondition::check(&current.id, current.updated_at)?;
                let role = match b.role {
                    Some(r) => r,
                    None => Role::from_db(&current.role)?,
                };
                let org = b
                    .organization_id
                    .clone()
                    .or(current.organization_id.clone());
                let district_in = b.district_id.clone().or(if b.organization_id.is_some() {
                    None
                } else {
                    current.district_id.clone()
                });
                let district = placement(conn, role, &org, &district_in)?;
                let at = now();
                // What a session grants changes: it ends, and so do its access tokens (their
                // grant no longer matches, see `extract::grant_is_current`).
                let regranted = hash.is_some()
                    || b.active == Some(false)
                    || role.as_str() != current.role
                    || org != current.organization_id
                    || district != current.district_id;
                if regranted {
                    crate::store::tokens::RefreshToken::revoke_user(conn, &id, at)?;
                }
                Ok(User::update(
                    conn,
                    &id,
                    &UserChanges {
                        full_name: b.full_name.map(|s| s.trim().to_string()),
                        password_hash: hash,
                        role: Some(role.as_str().into()),
                        organization_id: Some(org),
                        district_id: Some(district),
                        active: b.active,
                        updated_at: Some(at),
                    },
                )?)
            })
        })
        .await?;
    Ok(web::Json(UserOut::of(u)?))
}
