//! `/measures`, `/thresholds`, `/municipalities`: the catalogue, budgets and places.

use actix_web::{get, patch, post, put, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::{created, page};
use crate::domain::eligibility::Eligibility;
use crate::domain::municipality::{self, IstatCode};
use crate::domain::vocabulary::MeasureKind;
use crate::domain::Role;
use crate::http::extract::{AuthUser, Page, PageQuery, ValidJson};
use crate::http::problem::{ApiError, FieldError};
use crate::http::AppState;
use crate::store::measures::{self as mstore, Measure};
use crate::store::thresholds::Threshold;
use crate::workflow::catalogue::{
    self as wf, MeasureInput, MeasureOut, MeasurePatch, ThresholdInput, ThresholdOut,
    ThresholdPatch,
};
use crate::workflow::persons::Place;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_measures)
        .service(create_measure)
        .service(read_measure)
        .service(update_measure)
        .service(eligibility)
        .service(list_thresholds)
        .service(create_threshold)
        .service(read_threshold)
        .service(update_threshold)
        .service(search_municipalities)
        .service(district_municipalities)
        .service(set_district_municipalities);
}

/// Filters of the catalogue.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeasureQuery {
    pub active: Option<bool>,
    pub kind: Option<MeasureKind>,
}

fn district_user(user: &AuthUser) -> Result<&str, ApiError> {
    match user.role {
        Role::Coordinator | Role::Referrer | Role::AgencyOperator | Role::Observer => {
            user.district()
        }
        Role::Admin => Err(ApiError::Forbidden(
            "the catalogue belongs to a district".into(),
        )),
    }
}

/// The district's catalogue of measures (DUL, GG, district projects …), sorted by id.
#[utoipa::path(tag = "measures", params(PageQuery, MeasureQuery), responses((status = 200, body = Page<MeasureOut>)))]
#[get("/measures")]
pub async fn list_measures(
    state: web::Data<AppState>,
    user: AuthUser,
    pq: web::Query<PageQuery>,
    q: web::Query<MeasureQuery>,
) -> Result<web::Json<Page<MeasureOut>>, ApiError> {
    let limit = pq.limit()?;
    let after = pq.after.clone();
    let q = q.into_inner();
    let page = state
        .db(move |conn| {
            let rows = Measure::list(
                conn,
                district_user(&user)?,
                q.active,
                q.kind.map(|k| k.as_str()),
                after.as_deref(),
                limit,
            )?;
            page(rows, limit, |m| m.id.clone(), MeasureOut::of)
        })
        .await?;
    Ok(web::Json(page))
}

/// Add a measure to the catalogue (coordinator).
#[utoipa::path(tag = "measures", request_body = MeasureInput, responses((status = 201, body = MeasureOut)))]
#[post("/measures")]
pub async fn create_measure(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidJson<MeasureInput>,
) -> Result<HttpResponse, ApiError> {
    let m = state
        .db(move |conn| wf::create_measure(conn, &user, body.0))
        .await?;
    Ok(created(format!("/api/v1/measures/{}", m.id), m))
}

/// One measure.
#[utoipa::path(tag = "measures", params(("id" = String, Path, description = "Measure id")), responses((status = 200, body = MeasureOut)))]
#[get("/measures/{id}")]
pub async fn read_measure(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<MeasureOut>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db(move |conn| {
                district_user(&user)?;
                MeasureOut::of(wf::measure_in_district(conn, &user, &id)?)
            })
            .await?,
    ))
}

/// Change a measure (coordinator).
#[utoipa::path(tag = "measures", request_body = MeasurePatch, params(("id" = String, Path, description = "Measure id")), responses((status = 200, body = MeasureOut)))]
#[patch("/measures/{id}")]
pub async fn update_measure(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: ValidJson<MeasurePatch>,
    im: crate::http::precondition::RequireIfMatch,
) -> Result<web::Json<MeasureOut>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db_if(im.on(&id), move |conn| {
                wf::update_measure(conn, &user, &id, body.0)
            })
            .await?,
    ))
}

/// Whose eligibility.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EligibilityQuery {
    /// The person to check.
    pub person_id: String,
}

/// Is the person eligible for the measure today? Every rule answers with its reason. For a
/// caller who does not see the person's special categories (`sensitive`), the rules are
/// evaluated without the target groups `disability` and `criminal_justice`.
#[utoipa::path(tag = "measures", params(("id" = String, Path, description = "Measure id"), EligibilityQuery), responses((status = 200, body = Eligibility)))]
#[get("/measures/{id}/eligibility")]
pub async fn eligibility(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    q: web::Query<EligibilityQuery>,
) -> Result<web::Json<Eligibility>, ApiError> {
    let id = id.into_inner();
    let person = q.into_inner().person_id;
    Ok(web::Json(
        state
            .db(move |conn| wf::eligibility(conn, &user, &id, &person))
            .await?,
    ))
}

/// Filters of the threshold list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ThresholdQuery {
    /// Coordinator only (agency operators always see their own agency's).
    pub agency_id: Option<String>,
    pub measure_id: Option<String>,
}

/// Thresholds with what is reserved, spent and remaining: the coordinator sees all, an
/// agency operator its agency's.
#[utoipa::path(tag = "thresholds", params(PageQuery, ThresholdQuery), responses((status = 200, body = Page<ThresholdOut>)))]
#[get("/thresholds")]
pub async fn list_thresholds(
    state: web::Data<AppState>,
    user: AuthUser,
    pq: web::Query<PageQuery>,
    q: web::Query<ThresholdQuery>,
) -> Result<web::Json<Page<ThresholdOut>>, ApiError> {
    let limit = pq.limit()?;
    let after = pq.after.clone();
    let q = q.into_inner();
    let agency = match user.role {
        Role::Coordinator => q.agency_id.clone(),
        Role::AgencyOperator => Some(user.organization()?.to_string()),
        _ => {
            return Err(ApiError::Forbidden(format!(
                "the {} role does not see thresholds",
                user.role
            )))
        }
    };
    let page = state
        .db(move |conn| {
            let rows = Threshold::list(
                conn,
                user.district()?,
                agency.as_deref(),
                q.measure_id.as_deref(),
                after.as_deref(),
                limit,
            )?;
            page(
                rows,
                limit,
                |t| t.id.clone(),
                |t| wf::threshold_out(conn, t),
            )
        })
        .await?;
    Ok(web::Json(page))
}

/// Set an agency's budget cap for a measure over a period (coordinator).
#[utoipa::path(tag = "thresholds", request_body = ThresholdInput, responses((status = 201, body = ThresholdOut)))]
#[post("/thresholds")]
pub async fn create_threshold(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidJson<ThresholdInput>,
) -> Result<HttpResponse, ApiError> {
    let t = state
        .db(move |conn| wf::create_threshold(conn, &user, body.0))
        .await?;
    Ok(created(format!("/api/v1/thresholds/{}", t.id), t))
}

/// One threshold.
#[utoipa::path(tag = "thresholds", params(("id" = String, Path, description = "Threshold id")), responses((status = 200, body = ThresholdOut)))]
#[get("/thresholds/{id}")]
pub async fn read_threshold(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<ThresholdOut>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db(move |conn| {
                let t = wf::visible_threshold(conn, &user, &id)?;
                wf::threshold_out(conn, t)
            })
            .await?,
    ))
}

/// Change a threshold's cap (coordinator); never below what is reserved and spent.
#[utoipa::path(tag = "thresholds", request_body = ThresholdPatch, params(("id" = String, Path, description = "Threshold id")), responses((status = 200, body = ThresholdOut)))]
#[patch("/thresholds/{id}")]
pub async fn update_threshold(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: ValidJson<ThresholdPatch>,
    im: crate::http::precondition::RequireIfMatch,
) -> Result<web::Json<ThresholdOut>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db_if(im.on(&id), move |conn| {
                wf::update_threshold(conn, &user, &id, body.0)
            })
            .await?,
    ))
}

/// Search of Italian municipalities (ISTAT list).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MunicipalityQuery {
    /// Name prefix (case and accents ignored), at least 2 characters.
    #[param(min_length = 2)]
    pub q: String,
    /// At most this many (default 20, max 100).
    pub limit: Option<usize>,
}

/// Italian municipalities by name prefix, for residence and birth-place pickers.
#[utoipa::path(tag = "municipalities", params(MunicipalityQuery), responses((status = 200, body = Vec<Place>)))]
#[get("/municipalities")]
pub async fn search_municipalities(
    _user: AuthUser,
    q: web::Query<MunicipalityQuery>,
) -> Result<web::Json<Vec<Place>>, ApiError> {
    if q.q.trim().chars().count() < 2 {
        return Err(ApiError::BadParameter(
            "q must have at least 2 characters".into(),
        ));
    }
    let found = municipality::search(q.q.trim(), q.limit.unwrap_or(20).clamp(1, 100));
    Ok(web::Json(
        found
            .into_iter()
            .map(|m| Place {
                istat_code: m.istat_code.map(|c| c.as_str().to_string()),
                belfiore: m.belfiore.into(),
                name: m.name.into(),
                province: m.province.map(Into::into),
            })
            .collect(),
    ))
}

/// An ISTAT municipality code as sent: 6 digits (leading zeros may be omitted).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(pattern = "^[0-9]{4,6}$", example = "016024")]
pub struct IstatCodeText(pub String);

/// The municipalities of a district (for the residence rule of measures).
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
pub struct DistrictMunicipalities {
    /// ISTAT codes.
    #[validate(length(max = 500))]
    #[schema(max_items = 500)]
    pub istat_codes: Vec<IstatCodeText>,
    /// Read-only: when the district (and its list) last changed; its ETag guards `PUT`.
    #[serde(default)]
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn district_visible(user: &AuthUser, id: &str) -> Result<(), ApiError> {
    if user.role == Role::Admin || user.district_id.as_deref() == Some(id) {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

/// The municipalities belonging to the district.
#[utoipa::path(tag = "districts", params(("id" = String, Path, description = "District id")), responses((status = 200, body = DistrictMunicipalities)))]
#[get("/districts/{id}/municipalities")]
pub async fn district_municipalities(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<DistrictMunicipalities>, ApiError> {
    let id = id.into_inner();
    district_visible(&user, &id)?;
    let codes = state
        .db(move |conn| {
            let d = crate::store::districts::District::find(conn, &id)?;
            Ok(DistrictMunicipalities {
                istat_codes: mstore::district_municipality_codes(conn, &id)?
                    .into_iter()
                    .map(IstatCodeText)
                    .collect(),
                updated_at: Some(crate::store::utc(d.updated_at)),
            })
        })
        .await?;
    Ok(web::Json(codes))
}

/// Set the municipalities of the district (admin, or the district's coordinator).
#[utoipa::path(tag = "districts", request_body = DistrictMunicipalities, params(("id" = String, Path, description = "District id")), responses((status = 200, body = DistrictMunicipalities)))]
#[put("/districts/{id}/municipalities")]
pub async fn set_district_municipalities(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: ValidJson<DistrictMunicipalities>,
    im: crate::http::precondition::RequireIfMatch,
) -> Result<web::Json<DistrictMunicipalities>, ApiError> {
    let id = id.into_inner();
    district_visible(&user, &id)?;
    if !matches!(user.role, Role::Admin | Role::Coordinator) {
        return Err(ApiError::Forbidden(
            "only the administrator or the coordinator set the district's municipalities".into(),
        ));
    }
    let mut codes = Vec::new();
    let mut errors = Vec::new();
    for (n, raw) in body.0.istat_codes.iter().enumerate() {
        match IstatCode::parse(&raw.0) {
            Ok(c) => codes.push(c.as_str()),
            Err(e) => errors.push(FieldError::new(
                format!("istat_codes[{n}]"),
                e.code(),
                e.message(),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    codes.sort();
    codes.dedup();
    let saved = state
        .db_if(im.on(&id), move |conn| {
            crate::store::write_tx(conn, |conn| {
                let d = crate::store::districts::District::find(conn, &id)?;
                crate::http::precondition::check(&d.id, d.updated_at)?;
                crate::store::districts::District::update(
                    conn,
                    &id,
                    &crate::store::districts::DistrictChanges {
                        updated_at: Some(crate::store::now()),
                        ..Default::default()
                    },
                )?;
                mstore::set_district_municipalities(conn, &id, &codes)?;
                let d = crate::store::districts::District::find(conn, &id)?;
                Ok(DistrictMunicipalities {
                    istat_codes: mstore::district_municipality_codes(conn, &id)?
                        .into_iter()
                        .map(IstatCodeText)
                        .collect(),
                    updated_at: Some(crate::store::utc(d.updated_at)),
                })
            })
        })
        .await?;
    Ok(web::Json(saved))
}
