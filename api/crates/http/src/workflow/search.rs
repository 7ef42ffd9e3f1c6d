//! `/search`: find a person by name or codice fiscale, with their referrals and cases.

use crate::params::ValidQuery;
use actix_web::{get, web};
use futures_util::future::try_join_all;
use serde::Deserialize;
use sistema_lavoro_app::workflow::search::{self, SearchHit};
use sistema_lavoro_app::workflow::Page;
use utoipa::IntoParams;

use crate::extract::{Caller, ReadPersons};
use crate::problem::ApiError;
use crate::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(find);
}

/// What to look for.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// A codice fiscale (16 characters, or the 11-digit temporary code), matched exactly; or
    /// the start of "surname name" (at least 2 characters), case and accents ignored.
    #[param(min_length = 2, max_length = 100, example = "rossi ma")]
    pub q: String,
}

/// Find a person by name or tax code, with the referrals and cases you may see.
///
/// One search box for the persons (cittadini) the caller may see — as the person list decides:
/// a coordinator the district's, a referrer those its organization registered or referred (and
/// any person of the district by exact codice fiscale), an agency operator those with a case
/// at its agency — each with the referrals (segnalazioni) and cases (prese in carico) the
/// caller may see, at most 20 persons, no special-category data. Every person answered is
/// logged as read (who, when, which), like opening the record. Coordinators, referrers and
/// agency operators (clients with `referrals:read`); `422` for a query under 2 characters.
#[utoipa::path(tag = "persons", params(SearchParams),
    responses((status = 200, body = Page<SearchHit>)),
    security(("bearer" = []), ("client_credentials" = ["referrals:read"])))]
#[get("/search")]
pub async fn find(
    state: web::Data<AppState>,
    caller: Caller<ReadPersons>,
    q: ValidQuery<SearchParams>,
) -> Result<web::Json<Page<SearchHit>>, ApiError> {
    let q = q.into_inner().q;
    let (page, reads) = state
        .run(caller, move |conn, cx| search::search(conn, cx, &q))
        .await?;
    try_join_all(reads.into_iter().map(|r| state.reads.record(r))).await?;
    Ok(web::Json(page))
}
