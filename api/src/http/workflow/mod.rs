//! The Sistema Lavoro workflow over HTTP: thin handlers over `crate::workflow` use cases.

pub mod activations;
pub mod cases;
pub mod catalogue;
pub mod meetings;
pub mod persons;
pub mod referrals;
pub mod reports;

use actix_web::HttpResponse;
use serde::Serialize;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    persons::routes(cfg);
    referrals::routes(cfg);
    meetings::routes(cfg);
    cases::routes(cfg);
    activations::routes(cfg);
    catalogue::routes(cfg);
    reports::routes(cfg);
}

/// `201 Created` with `Location` and the new resource.
pub fn created<T: Serialize>(location: String, body: T) -> HttpResponse {
    HttpResponse::Created()
        .insert_header(("Location", location))
        .json(body)
}

/// Builds a page from rows fetched with `limit + 1`, mapping each with a fallible function.
pub fn page<R, T: utoipa::ToSchema>(
    rows: Vec<R>,
    limit: i64,
    id: impl Fn(&R) -> String,
    mut map: impl FnMut(R) -> Result<T, crate::http::problem::ApiError>,
) -> Result<crate::http::extract::Page<T>, crate::http::problem::ApiError> {
    let more = rows.len() as i64 > limit;
    let mut rows = rows;
    rows.truncate(limit as usize);
    let next = if more { rows.last().map(&id) } else { None };
    let items = rows
        .into_iter()
        .map(&mut map)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(crate::http::extract::Page { items, next })
}
