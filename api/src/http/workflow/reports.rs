//! `/reports`: aggregated, de-identified figures (observers and coordinators).

use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::Role;
use crate::http::extract::AuthUser;
use crate::http::problem::ApiError;
use crate::http::AppState;
use crate::store::cases::Case;
use crate::store::referrals::Referral;
use crate::store::thresholds::Threshold;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(summary);
}

/// A count of something.
#[derive(Debug, Serialize, ToSchema)]
pub struct Count {
    pub key: String,
    pub count: i64,
}

/// Budget use over all thresholds of the district.
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetTotals {
    pub cap_cents: i64,
    pub reserved_cents: i64,
    pub spent_cents: i64,
    pub remaining_cents: i64,
}

/// The district in figures: no personal data.
#[derive(Debug, Serialize, ToSchema)]
pub struct Summary {
    pub referrals_by_status: Vec<Count>,
    pub cases_by_status: Vec<Count>,
    pub closed_cases_by_outcome: Vec<Count>,
    pub overdue_cases: i64,
    pub budget: BudgetTotals,
}

/// The district in figures: referrals and cases by state, outcomes, overdue cases, budget.
#[utoipa::path(tag = "reports", responses((status = 200, body = Summary)))]
#[get("/reports/summary")]
pub async fn summary(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<Summary>, ApiError> {
    if !matches!(user.role, Role::Observer | Role::Coordinator) {
        return Err(ApiError::Forbidden(
            "reports are for the observatory and the coordinator".into(),
        ));
    }
    let s = state
        .db(move |conn| {
            let d = user.district()?.to_string();
            let counts = |v: Vec<(String, i64)>| {
                v.into_iter()
                    .map(|(key, count)| Count { key, count })
                    .collect()
            };
            let thresholds = Threshold::list(conn, &d, None, None, None, 100_000)?;
            let (cap, reserved, spent) = thresholds.iter().fold((0, 0, 0), |(c, r, s), t| {
                (c + t.cap_cents, r + t.reserved_cents, s + t.spent_cents)
            });
            Ok(Summary {
                referrals_by_status: counts(Referral::count_by_status(conn, &d)?),
                cases_by_status: counts(Case::count_by_status(conn, &d)?),
                closed_cases_by_outcome: Case::count_by_outcome(conn, &d)?
                    .into_iter()
                    .map(|(k, count)| Count {
                        key: k.unwrap_or_default(),
                        count,
                    })
                    .collect(),
                overdue_cases: Case::count_overdue(conn, &d, None, crate::workflow::today())?,
                budget: BudgetTotals {
                    cap_cents: cap,
                    reserved_cents: reserved,
                    spent_cents: spent,
                    remaining_cents: cap - reserved - spent,
                },
            })
        })
        .await?;
    Ok(web::Json(s))
}
