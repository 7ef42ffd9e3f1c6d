//! Reports: aggregated, de-identified figures (observers and coordinators), computed by the
//! database.

use serde::Serialize;
use sistema_lavoro_domain::values::Cents;
use sistema_lavoro_domain::{policy, Error};
use sistema_lavoro_store::cases::Case;
use sistema_lavoro_store::referrals::Referral;
use sistema_lavoro_store::{reports, DbConn};
use utoipa::ToSchema;

use crate::Ctx;

/// A count of something.
#[derive(Debug, Serialize, ToSchema)]
pub struct Count {
    /// What is counted: a state or an outcome code (empty for a case closed without one).
    pub key: String,
    /// How many.
    pub count: i64,
}

/// Budget use over all thresholds of the district.
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetTotals {
    /// Sum of the thresholds' caps (soglie), in euro cents.
    pub cap_cents: Cents,
    /// Reserved by approved or running activations, in euro cents.
    pub reserved_cents: Cents,
    /// Actually spent by ended activations, in euro cents.
    pub spent_cents: Cents,
    /// Cap minus reserved minus spent, in euro cents.
    pub remaining_cents: Cents,
}

/// The district in figures: no personal data.
#[derive(Debug, Serialize, ToSchema)]
pub struct Summary {
    /// Referrals (segnalazioni) of the district per state.
    pub referrals_by_status: Vec<Count>,
    /// Cases (prese in carico) of the district per state.
    pub cases_by_status: Vec<Count>,
    /// Closed cases per outcome (esito).
    pub closed_cases_by_outcome: Vec<Count>,
    /// Open cases whose next follow-up (monitoraggio) is past due.
    pub overdue_cases: i64,
    /// Budget use over all thresholds (soglie) of the district.
    pub budget: BudgetTotals,
}

fn counts<K: sistema_lavoro_domain::StrEnum>(rows: Vec<(K, i64)>) -> Vec<Count> {
    rows.into_iter()
        .map(|(k, count)| Count {
            key: k.as_str().into(),
            count,
        })
        .collect()
}

/// Referrals and cases by state, outcomes, overdue cases, budget.
pub fn summary(conn: &mut DbConn, cx: &Ctx) -> Result<Summary, Error> {
    policy::may_read_reports(cx.actor)?;
    let d = cx.actor.district()?;
    let budget = reports::budget_totals(conn, d)?;
    Ok(Summary {
        referrals_by_status: counts(Referral::count_by_status(conn, d)?),
        cases_by_status: counts(Case::count_by_status(conn, d)?),
        closed_cases_by_outcome: Case::count_by_outcome(conn, d)?
            .into_iter()
            .map(|(k, count)| Count {
                key: k.map(|k| k.as_str().to_string()).unwrap_or_default(),
                count,
            })
            .collect(),
        overdue_cases: Case::count_overdue(conn, d, cx.now.today)?,
        budget: BudgetTotals {
            cap_cents: budget.cap,
            reserved_cents: budget.reserved,
            spent_cents: budget.spent,
            remaining_cents: budget
                .cap
                .saturating_sub(budget.reserved)
                .saturating_sub(budget.spent),
        },
    })
}
