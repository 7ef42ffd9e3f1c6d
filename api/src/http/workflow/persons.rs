//! `/persons`: registry of the people referred (cittadini).

use actix_web::{get, patch, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{created, page};
use crate::domain::Role;
use crate::http::extract::{AuthUser, Page, PageQuery, ValidJson};
use crate::http::problem::ApiError;
use crate::http::AppState;
use crate::store::persons::{fold, Person, PersonFilter, PersonScope};
use crate::workflow::persons::{self, PersonInput, PersonOut, PersonPatch};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update);
}

/// Search filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersonQuery {
    /// Prefix of "surname name", case and accents ignored (e.g. `ross`, `rossi ma`).
    pub q: Option<String>,
    /// Exact codice fiscale. Referrers may look up any person of the district this way, to
    /// refer someone another service registered.
    pub tax_code: Option<String>,
}

/// List or search persons you may see, sorted by id; a name search (`q`) by surname, name,
/// then id.
#[utoipa::path(tag = "persons", params(PageQuery, PersonQuery),
    responses((status = 200, body = Page<PersonOut>)))]
#[get("/persons")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    pq: web::Query<PageQuery>,
    q: web::Query<PersonQuery>,
) -> Result<web::Json<Page<PersonOut>>, ApiError> {
    let limit = pq.limit()?;
    let after = pq.after.clone();
    let q = q.into_inner();
    let page = state
        .db(move |conn| {
            let mut scope = persons::scope_of(&user)?;
            let tax_code = q
                .tax_code
                .as_deref()
                .map(|t| t.split_whitespace().collect::<String>().to_uppercase());
            if user.role == Role::Referrer && tax_code.is_some() {
                scope = PersonScope::District;
            }
            let filter = PersonFilter {
                name_prefix: q.q.as_deref().map(fold).filter(|s| !s.is_empty()),
                tax_code,
            };
            let rows = Person::list(
                conn,
                user.district()?,
                &scope,
                &filter,
                after.as_deref(),
                limit,
            )?;
            // Special categories only on the full read (logged), never in lists.
            page(rows, limit, |p| p.id.clone(), |p| PersonOut::of(p, false))
        })
        .await?;
    Ok(web::Json(page))
}

/// Register a person. The tax code is fully checked, and must agree with name, birth date and
/// gender; one person per code (`409` with `existing_id` for a second one).
#[utoipa::path(tag = "persons", request_body = PersonInput,
    responses((status = 201, body = PersonOut)))]
#[post("/persons")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidJson<PersonInput>,
) -> Result<HttpResponse, ApiError> {
    let p = state
        .db(move |conn| persons::create(conn, &user, body.0))
        .await?;
    Ok(created(format!("/api/v1/persons/{}", p.id), p))
}

/// A person's full record. Every read is logged (who, when).
#[utoipa::path(tag = "persons", params(("id" = String, Path, description = "Person id")),
    responses((status = 200, body = PersonOut)))]
#[get("/persons/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<PersonOut>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db(move |conn| persons::read(conn, &user, &id))
            .await?,
    ))
}

/// Change a person's record; the tax code rules apply to the result.
#[utoipa::path(tag = "persons", request_body = PersonPatch, params(("id" = String, Path, description = "Person id")),
    responses((status = 200, body = PersonOut)))]
#[patch("/persons/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: ValidJson<PersonPatch>,
    im: crate::http::precondition::RequireIfMatch,
) -> Result<web::Json<PersonOut>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db_if(im.on(&id), move |conn| {
                persons::update(conn, &user, &id, body.0)
            })
            .await?,
    ))
}
