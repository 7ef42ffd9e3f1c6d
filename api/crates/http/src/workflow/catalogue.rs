//! `/measures`, `/thresholds`, `/municipalities`: the catalogue, budgets and places.

use crate::params::{path_id, ValidQuery};
use actix_web::{get, patch, post, put, web};
use serde::Deserialize;
use sistema_lavoro_app::workflow::catalogue::{
    self as wf, DistrictMunicipalities, EligibilityDraft, MeasureEligibility, MeasureInput,
    MeasureOut, MeasurePatch, MeasureQuery, ThresholdInput, ThresholdOut, ThresholdPatch,
    ThresholdQuery,
};
use sistema_lavoro_app::workflow::persons::Place;
use sistema_lavoro_app::workflow::Page;
use sistema_lavoro_domain::eligibility::Eligibility;
use sistema_lavoro_domain::ids::{DistrictId, MeasureId, PersonId, ThresholdId};
use sistema_lavoro_domain::vocabulary::MeasureKind;
use sistema_lavoro_domain::Error;
use utoipa::IntoParams;

use crate::extract::{
    AdminOrCoordinator, Anyone, Caller, CatalogueReaders, CoordinatorOnly, Hidden, PageQuery,
    People, ThresholdReaders, ValidJson, WritePersons,
};
use crate::precondition::{IdempotencyKey, RequireIfMatch};
use crate::problem::ApiError;
use crate::respond::{Created, Listed, Tagged};
use crate::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_measures)
        .service(create_measure)
        .service(read_measure)
        .service(update_measure)
        .service(eligibility)
        .service(eligibility_preview)
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
pub struct MeasureParams {
    pub active: Option<bool>,
    pub kind: Option<MeasureKind>,
}

/// The district's catalogue of measures (DUL, GG, district projects …), sorted by id.
///
/// Pages through the measures (misure / progetti) of the caller's district, filtered by kind and
/// active flag, with their eligibility rules, funding source, validity window and typical
/// amount in euro cents. Coordinators, referrers, agency operators and observers may call it,
/// and integration clients with any scope.
#[utoipa::path(tag = "measures", params(PageQuery, MeasureParams),
    responses((status = 200, body = Page<MeasureOut>)),
    security(("bearer" = []), ("client_credentials" = [])))]
#[get("/measures")]
pub async fn list_measures(
    state: web::Data<AppState>,
    caller: Caller<CatalogueReaders>,
    pq: ValidQuery<PageQuery>,
    q: ValidQuery<MeasureParams>,
) -> Result<Listed<MeasureOut>, ApiError> {
    let page = pq.request()?;
    let q = MeasureQuery {
        active: q.active,
        kind: q.kind,
    };
    Ok(Listed(
        state
            .run(caller, move |conn, cx| {
                wf::list_measures(conn, cx, q, &page)
            })
            .await?,
    ))
}

/// Add a measure to the catalogue (coordinator).
///
/// Creates an active measure (misura) in the coordinator's district, with its code (stored
/// upper case), kind, funding source, validity window, eligibility rules and typical amount in
/// euro cents. Coordinator (Ufficio di Piano) only; `409` when the district already has a
/// measure with that code, `422` for inconsistent rules or dates.
#[utoipa::path(tag = "measures", request_body = MeasureInput, params(IdempotencyKey),
    responses((status = 201, body = MeasureOut)), security(("bearer" = [])))]
#[post("/measures")]
pub async fn create_measure(
    state: web::Data<AppState>,
    caller: Caller<CoordinatorOnly>,
    body: ValidJson<MeasureInput>,
) -> Result<Created<MeasureOut>, ApiError> {
    let m = state
        .run(caller, move |conn, cx| wf::create_measure(conn, cx, body.0))
        .await?;
    Ok(Created(format!("/api/v1/measures/{}", m.id), m))
}

/// One measure.
///
/// Reads one measure (misura) of the caller's district with its rules and `ETag`. Same callers
/// as the catalogue; a measure of another district answers `404`.
#[utoipa::path(tag = "measures", params(("id" = String, Path, description = "Measure id")),
    responses((status = 200, body = MeasureOut)),
    security(("bearer" = []), ("client_credentials" = [])))]
#[get("/measures/{id}")]
pub async fn read_measure(
    state: web::Data<AppState>,
    caller: Caller<CatalogueReaders>,
    id: web::Path<String>,
) -> Result<Tagged<MeasureOut>, ApiError> {
    let id = path_id::<MeasureId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| wf::read_measure(conn, cx, &id))
            .await?,
    ))
}

/// Change a measure (coordinator).
///
/// Changes a measure's fields, rules or validity, or deactivates it (an inactive measure takes
/// no new activations); absent fields stay as they are and the changed ones are recorded in
/// the audit log. Coordinator only, with `If-Match` (`412` when stale); `404` for another
/// district's measure.
#[utoipa::path(tag = "measures", request_body = MeasurePatch,
    params(("id" = String, Path, description = "Measure id"), RequireIfMatch),
    responses((status = 200, body = MeasureOut)), security(("bearer" = [])))]
#[patch("/measures/{id}")]
pub async fn update_measure(
    state: web::Data<AppState>,
    caller: Caller<CoordinatorOnly>,
    id: web::Path<String>,
    body: ValidJson<MeasurePatch>,
    im: RequireIfMatch,
) -> Result<Tagged<MeasureOut>, ApiError> {
    let id = path_id::<MeasureId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::update_measure(conn, cx, &id, &im.0, body.0)
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
///
/// Checks age, employment status, target groups, cluster, residence in the district and the
/// measure's validity window against the person's record; changes nothing. Catalogue readers
/// may call it for persons they may see (`422` for any other `person_id`); a measure of another
/// district answers `404`.
#[utoipa::path(tag = "measures", params(("id" = String, Path, description = "Measure id"), EligibilityQuery),
    responses((status = 200, body = Eligibility)),
    security(("bearer" = []), ("client_credentials" = [])))]
#[get("/measures/{id}/eligibility")]
pub async fn eligibility(
    state: web::Data<AppState>,
    caller: Caller<Hidden<CatalogueReaders>>,
    id: web::Path<String>,
    q: ValidQuery<EligibilityQuery>,
) -> Result<web::Json<Eligibility>, ApiError> {
    let id = path_id::<MeasureId>("id", id.into_inner())?;
    let person = PersonId::from(q.into_inner().person_id);
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| {
                wf::eligibility(conn, cx, &id, &person)
            })
            .await?,
    ))
}

/// Which of the district's active measures a person as typed so far would fit today.
///
/// The referral form sends the person's birth date, employment status, cluster, target groups,
/// disability and criminal-justice flags and residence while they are typed, and shows the
/// answer beside the form: eligible measures first, each rule with its reason. Nothing is read
/// from or written to any record and nothing of the body is kept or logged. Referrers,
/// coordinators and agency operators (clients with `referrals:write`) may call it.
#[utoipa::path(tag = "measures", request_body = EligibilityDraft,
    responses((status = 200, body = Page<MeasureEligibility>)),
    security(("bearer" = []), ("client_credentials" = ["referrals:write"])))]
#[post("/eligibility-preview")]
pub async fn eligibility_preview(
    state: web::Data<AppState>,
    caller: Caller<WritePersons>,
    body: ValidJson<EligibilityDraft>,
) -> Result<web::Json<Page<MeasureEligibility>>, ApiError> {
    let draft = body.0;
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| {
                wf::eligibility_preview(conn, cx, draft)
            })
            .await?,
    ))
}

/// Filters of the threshold list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ThresholdParams {
    /// Coordinator only (agency operators always see their own agency's).
    pub agency_id: Option<String>,
    pub measure_id: Option<String>,
}

impl ThresholdParams {
    pub const NAMES: &'static [&'static str] = &["agency_id", "measure_id"];

    pub fn query(self) -> ThresholdQuery {
        ThresholdQuery {
            agency_id: self.agency_id.map(Into::into),
            measure_id: self.measure_id.map(Into::into),
        }
    }
}

/// Thresholds with what is reserved, spent and remaining: the coordinator sees all, an
/// agency operator its agency's.
///
/// Pages through the budget thresholds (soglie operatori) of the caller's district, per agency ×
/// measure × period, with cap, reserved, spent and remaining amounts in euro cents. Coordinators
/// (who may filter by `agency_id`), agency operators and integration clients with any scope.
#[utoipa::path(tag = "thresholds", params(PageQuery, ThresholdParams),
    responses((status = 200, body = Page<ThresholdOut>)),
    security(("bearer" = []), ("client_credentials" = [])))]
#[get("/thresholds")]
pub async fn list_thresholds(
    state: web::Data<AppState>,
    caller: Caller<ThresholdReaders>,
    pq: ValidQuery<PageQuery>,
    q: ValidQuery<ThresholdParams>,
) -> Result<Listed<ThresholdOut>, ApiError> {
    let page = pq.request()?;
    let q = q.into_inner().query();
    Ok(Listed(
        state
            .run(caller, move |conn, cx| {
                wf::list_thresholds(conn, cx, q, &page)
            })
            .await?,
    ))
}

/// Set an agency's budget cap for a measure over a period (coordinator).
///
/// Creates a threshold (soglia operatore) for an accredited agency (ente accreditato) and a
/// measure of the district, with a cap in euro cents and nothing reserved or spent yet.
/// Coordinator only; `409 overlapping_threshold` when the agency already has one for the
/// measure in an overlapping period, `422` for an unknown agency or measure or a reversed period.
#[utoipa::path(tag = "thresholds", request_body = ThresholdInput, params(IdempotencyKey),
    responses((status = 201, body = ThresholdOut)), security(("bearer" = [])))]
#[post("/thresholds")]
pub async fn create_threshold(
    state: web::Data<AppState>,
    caller: Caller<CoordinatorOnly>,
    body: ValidJson<ThresholdInput>,
) -> Result<Created<ThresholdOut>, ApiError> {
    let t = state
        .run(caller, move |conn, cx| {
            wf::create_threshold(conn, cx, body.0)
        })
        .await?;
    Ok(Created(format!("/api/v1/thresholds/{}", t.id), t))
}

/// One threshold.
///
/// Reads one threshold (soglia operatore) with its use in euro cents and its `ETag`. The
/// coordinator reads any of the district, an agency operator (or client) only its agency's;
/// any other answers `404`.
#[utoipa::path(tag = "thresholds", params(("id" = String, Path, description = "Threshold id")),
    responses((status = 200, body = ThresholdOut)),
    security(("bearer" = []), ("client_credentials" = [])))]
#[get("/thresholds/{id}")]
pub async fn read_threshold(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ThresholdReaders>>,
    id: web::Path<String>,
) -> Result<Tagged<ThresholdOut>, ApiError> {
    let id = path_id::<ThresholdId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| wf::read_threshold(conn, cx, &id))
            .await?,
    ))
}

/// Change a threshold's cap (coordinator); never below what is reserved and spent.
///
/// Sets a new cap in euro cents, checked atomically against the current reservations so
/// that concurrent approvals cannot overspend it. Coordinator only, with `If-Match` (`412`
/// when stale); `409 cap_below_use` when the cap is under what is reserved plus spent.
#[utoipa::path(tag = "thresholds", request_body = ThresholdPatch,
    params(("id" = String, Path, description = "Threshold id"), RequireIfMatch),
    responses((status = 200, body = ThresholdOut)), security(("bearer" = [])))]
#[patch("/thresholds/{id}")]
pub async fn update_threshold(
    state: web::Data<AppState>,
    caller: Caller<CoordinatorOnly>,
    id: web::Path<String>,
    body: ValidJson<ThresholdPatch>,
    im: RequireIfMatch,
) -> Result<Tagged<ThresholdOut>, ApiError> {
    let id = path_id::<ThresholdId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::update_threshold(conn, cx, &id, &im.0, body.0)
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
    /// At most this many, 1 to 100 (default 20).
    #[param(value_type = Option<i32>, minimum = 1, maximum = 100, example = 20)]
    pub limit: Option<i64>,
}

/// Italian municipalities by name prefix, for residence and birth-place pickers.
///
/// Searches the official ISTAT list of municipalities (comuni) shipped with the service, by
/// name prefix ignoring case and accents, returning ISTAT and cadastral (Belfiore) codes.
/// Reference data: any signed-in person and integration clients with any scope; `400` for a
/// prefix under 2 characters, `422` for a `limit` outside 1–100.
#[utoipa::path(tag = "municipalities", params(MunicipalityQuery),
    responses((status = 200, body = Page<Place>)),
    security(("bearer" = []), ("client_credentials" = [])))]
#[get("/municipalities")]
pub async fn search_municipalities(
    state: web::Data<AppState>,
    caller: Caller<Anyone>,
    q: ValidQuery<MunicipalityQuery>,
) -> Result<web::Json<Page<Place>>, ApiError> {
    let q = q.into_inner();
    let limit = match q.limit {
        None => 20,
        Some(n @ 1..=100) => n as usize,
        Some(_) => {
            return Err(Error::validation(
                "limit",
                "range",
                sistema_lavoro_domain::text!(
                    "deve essere compreso tra 1 e 100",
                    "must be between 1 and 100"
                ),
            )
            .into())
        }
    };
    Ok(web::Json(Page::whole(
        state
            .run(caller, move |_, _| wf::search_municipalities(&q.q, limit))
            .await?,
    )))
}

/// The municipalities belonging to the district.
///
/// Lists the municipalities (comuni) of a district (Ambito territoriale), which the residence
/// rule of measures checks, with the district's `ETag`. Any signed-in person for their own
/// district, the administrator for any; other districts answer `404`.
#[utoipa::path(tag = "districts", params(("id" = String, Path, description = "District id")),
    responses((status = 200, body = DistrictMunicipalities)), security(("bearer" = [])))]
#[get("/districts/{id}/municipalities")]
pub async fn district_municipalities(
    state: web::Data<AppState>,
    caller: Caller<People>,
    id: web::Path<String>,
) -> Result<Tagged<DistrictMunicipalities>, ApiError> {
    let id = path_id::<DistrictId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::district_municipalities(conn, cx, &id)
            })
            .await?,
    ))
}

/// Set the municipalities of the district (admin, or the district's coordinator).
///
/// Replaces the whole list of municipalities (comuni, by ISTAT code) of a district (Ambito
/// territoriale); duplicates are ignored. The administrator or the district's own coordinator,
/// with `If-Match` of the district's version (`412` when stale); `404` for a district the
/// caller does not see, `422` for an unknown code.
#[utoipa::path(tag = "districts", request_body = DistrictMunicipalities,
    params(("id" = String, Path, description = "District id"), RequireIfMatch),
    responses((status = 200, body = DistrictMunicipalities)), security(("bearer" = [])))]
#[put("/districts/{id}/municipalities")]
pub async fn set_district_municipalities(
    state: web::Data<AppState>,
    caller: Caller<AdminOrCoordinator>,
    id: web::Path<String>,
    body: ValidJson<DistrictMunicipalities>,
    im: RequireIfMatch,
) -> Result<Tagged<DistrictMunicipalities>, ApiError> {
    let id = path_id::<DistrictId>("id", id.into_inner())?;
    let codes = body.0.parse()?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::set_district_municipalities(conn, cx, &id, &im.0, codes)
            })
            .await?,
    ))
}
