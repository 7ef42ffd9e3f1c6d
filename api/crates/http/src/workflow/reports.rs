//! `/reports`: aggregated, de-identified figures (observers and coordinators).

use actix_web::{get, web};
use sistema_lavoro_app::reports::{self, Summary};

use crate::extract::{Caller, Figures};
use crate::problem::ApiError;
use crate::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(summary);
}

/// The district in figures: referrals and cases by state, outcomes, overdue cases, budget.
///
/// Aggregated counts for the caller's district (Ambito territoriale), without personal data:
/// referrals (segnalazioni) and cases (prese in carico) by state, closed cases by outcome
/// (esito), cases overdue for follow-up, and budget totals over all thresholds (soglie) in
/// euro cents. Observers and coordinators only; other roles get `403`.
#[utoipa::path(tag = "reports", responses((status = 200, body = Summary)), security(("bearer" = [])))]
#[get("/reports/summary")]
pub async fn summary(
    state: web::Data<AppState>,
    caller: Caller<Figures>,
) -> Result<web::Json<Summary>, ApiError> {
    Ok(web::Json(state.run(caller, reports::summary).await?))
}
