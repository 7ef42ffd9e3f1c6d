//! Aggregates computed by the database (`COUNT`, `SUM`), never by loading rows.

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable};
use sistema_lavoro_domain::ids::DistrictId;
use sistema_lavoro_domain::values::Cents;

use super::schema::thresholds;
use super::{Db, DbConn, Result};

/// Budget over all thresholds of a district.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetTotals {
    pub cap: Cents,
    pub reserved: Cents,
    pub spent: Cents,
}

/// Sums of caps, reservations and spending over the district's thresholds. PostgreSQL's
/// `SUM(bigint)` is `numeric`: cast back, on both backends, to the integer it is.
pub fn budget_totals(conn: &mut DbConn, district_id: &DistrictId) -> Result<BudgetTotals> {
    let (cap, reserved, spent): (Option<i64>, Option<i64>, Option<i64>) = thresholds::table
        .filter(thresholds::district_id.eq(district_id.as_str()))
        .select((
            sql::<Nullable<BigInt>>("CAST(SUM(cap_cents) AS BIGINT)"),
            sql::<Nullable<BigInt>>("CAST(SUM(reserved_cents) AS BIGINT)"),
            sql::<Nullable<BigInt>>("CAST(SUM(spent_cents) AS BIGINT)"),
        ))
        .first(conn)
        .db()?;
    let cents = |v: Option<i64>| -> Result<Cents> { Ok(Cents::try_from(v.unwrap_or(0))?) };
    Ok(BudgetTotals {
        cap: cents(cap)?,
        reserved: cents(reserved)?,
        spent: cents(spent)?,
    })
}
