//! `/persons`: registry of the people referred (cittadini).

use crate::params::{path_id, ValidQuery};
use actix_web::{get, patch, post, web};
use serde::Deserialize;
use sistema_lavoro_app::workflow::persons::{
    self, PersonInput, PersonOut, PersonPatch, PersonQuery,
};
use sistema_lavoro_app::workflow::Page;
use sistema_lavoro_domain::ids::PersonId;
use utoipa::IntoParams;

use crate::extract::{Caller, PageQuery, ReadPersonRecord, ReadPersons, ValidJson, WritePersons};
use crate::precondition::{IdempotencyKey, RequireIfMatch};
use crate::problem::ApiError;
use crate::respond::{Created, Listed, Tagged};
use crate::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update);
}

/// Search filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersonParams {
    /// Prefix of "surname name", case and accents ignored (e.g. `ross`, `rossi ma`).
    pub q: Option<String>,
    /// Exact codice fiscale. Referrers may look up any person of the district this way, to
    /// refer someone another service registered.
    pub tax_code: Option<String>,
}

impl PersonParams {
    pub const NAMES: &'static [&'static str] = &["q", "tax_code"];

    pub fn query(self) -> PersonQuery {
        PersonQuery {
            q: self.q,
            tax_code: self.tax_code,
        }
    }
}

/// List or search persons you may see, sorted by id; a name search (`q`) by surname, name,
/// then id.
///
/// Pages through the persons (cittadini) of the caller's district: a coordinator sees all, a
/// referrer those its organization registered or referred, an agency operator those with a case
/// at its agency; a referrer searching by exact `tax_code` (codice fiscale) finds any person
/// of the district, to avoid duplicates — for a person its organization does not otherwise see,
/// only what the code says (`restricted`: id, code, birth date, gender, birth place, initials),
/// and the lookup is logged as a read. Lists never carry special-category data (GDPR art. 9
/// and 10). Clients need `referrals:read`.
#[utoipa::path(tag = "persons", params(PageQuery, PersonParams),
    responses((status = 200, body = Page<PersonOut>)),
    security(("bearer" = []), ("client_credentials" = ["referrals:read"])))]
#[get("/persons")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller<ReadPersons>,
    pq: ValidQuery<PageQuery>,
    q: ValidQuery<PersonParams>,
) -> Result<Listed<PersonOut>, ApiError> {
    let page = pq.request()?;
    let q = q.into_inner().query();
    Ok(Listed(
        state
            .run(caller, move |conn, cx| persons::list(conn, cx, q, &page))
            .await?,
    ))
}

/// Register a person. The tax code is fully checked, and must agree with name, birth date and
/// gender; one person per code (`409` with `existing_id` for a second one, told only to those
/// who may see or look up the person).
///
/// Registers a person (cittadino) in the caller's district, with the caller's organization as
/// the one that registered them. Coordinators, referrers and agency operators may call it,
/// clients with `referrals:write`; every rule violation is listed at once in a `422`.
#[utoipa::path(tag = "persons", request_body = PersonInput, params(IdempotencyKey),
    responses((status = 201, body = PersonOut)),
    security(("bearer" = []), ("client_credentials" = ["referrals:write"])))]
#[post("/persons")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller<WritePersons>,
    body: ValidJson<PersonInput>,
) -> Result<Created<PersonOut>, ApiError> {
    let keys = state.sealer.clone();
    let p = state
        .run(caller, move |conn, cx| {
            persons::create(conn, cx, &keys, body.0)
        })
        .await?;
    Ok(Created(format!("/api/v1/persons/{}", p.id), p))
}

/// A person's full record. Every read is logged (who, when) before the answer leaves.
///
/// Special-category data (disability, area penale) is included only for the coordinator, the
/// agency following the person's case and the organization that registered the person.
/// Coordinators, referrers and agency operators (clients with `referrals:read`) read the
/// persons they may list; the DPO reads the record of any person of her district (to handle
/// her requests); any other answers `404`. A person whose processing is restricted (art. 18)
/// is read by the DPO and the coordinator only.
#[utoipa::path(tag = "persons", params(("id" = String, Path, description = "Person id")),
    responses((status = 200, body = PersonOut)),
    security(("bearer" = []), ("client_credentials" = ["referrals:read"])))]
#[get("/persons/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    caller: Caller<ReadPersonRecord>,
    id: web::Path<String>,
) -> Result<Tagged<PersonOut>, ApiError> {
    let id = path_id::<PersonId>("id", id.into_inner())?;
    let keys = state.sealer.clone();
    let (person, read) = state
        .run(caller, move |conn, cx| persons::read(conn, cx, &keys, &id))
        .await?;
    state.reads.record(read).await?;
    Ok(Tagged(person))
}

/// Change a person's record; the tax code rules apply to the result.
///
/// Absent fields stay as they are; the changed fields are recorded in the audit log. Callers
/// who do not see the person's special categories may not change them (`403`) and keep them
/// as stored. Only the organization that registered the person (clients with
/// `referrals:write`) and the district's coordinator edit it (`403` for others who see it —
/// through a referral or a case), with `If-Match` (`412` when stale); `404` for a person they
/// may not see.
#[utoipa::path(tag = "persons", request_body = PersonPatch,
    params(("id" = String, Path, description = "Person id"), RequireIfMatch),
    responses((status = 200, body = PersonOut)),
    security(("bearer" = []), ("client_credentials" = ["referrals:write"])))]
#[patch("/persons/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller<WritePersons>,
    id: web::Path<String>,
    body: ValidJson<PersonPatch>,
    im: RequireIfMatch,
) -> Result<Tagged<PersonOut>, ApiError> {
    let id = path_id::<PersonId>("id", id.into_inner())?;
    let keys = state.sealer.clone();
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                persons::update(conn, cx, &keys, &id, &im.0, body.0)
            })
            .await?,
    ))
}
