//! How many referrals and cases of a district are in each state, and closed cases by outcome:
//! kept up to date by the store itself, in the transaction of every insert and change of state,
//! so reports read a handful of rows instead of scanning the district.

use diesel::prelude::*;
use diesel::upsert::excluded;
use sistema_lavoro_domain::ids::DistrictId;

use super::schema::{due_counts, status_counts};
use super::{Db, DbConn, Result};
use crate::direct::direct;

/// What is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    Referral,
    Case,
    /// Closed cases, by outcome (`""` for none).
    Outcome,
}

impl Counted {
    fn as_str(self) -> &'static str {
        match self {
            Counted::Referral => "referral",
            Counted::Case => "case",
            Counted::Outcome => "outcome",
        }
    }
}

/// Adds `by` to the count of `key` (creating it at `by`).
fn add(
    conn: &mut DbConn,
    district_id: &DistrictId,
    what: Counted,
    key: &str,
    by: i64,
) -> Result<()> {
    let row = (
        status_counts::district_id.eq(district_id.as_str()),
        status_counts::entity.eq(what.as_str()),
        status_counts::status.eq(key),
        status_counts::count.eq(by),
    );
    // An upsert: the multi connection cannot build one, each backend can.
    let upsert = diesel::insert_into(status_counts::table)
        .values(row)
        .on_conflict((
            status_counts::district_id,
            status_counts::entity,
            status_counts::status,
        ))
        .do_update()
        .set(status_counts::count.eq(status_counts::count + excluded(status_counts::count)));
    match conn {
        DbConn::Pg(c) => upsert.execute(c),
        DbConn::Sqlite(c) => upsert.execute(c),
    }
    .map(drop)
    .db()
}

/// One more in `to`, one fewer in `from` (either may be absent: an insert, a removal).
pub fn shift(
    conn: &mut DbConn,
    district_id: &DistrictId,
    what: Counted,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<()> {
    if from == to {
        return Ok(());
    }
    if let Some(f) = from {
        add(conn, district_id, what, f, -1)?;
    }
    if let Some(t) = to {
        add(conn, district_id, what, t, 1)?;
    }
    Ok(())
}

/// The counts of a district, by key (keys never counted are absent; zeros are left out).
pub fn of(
    conn: &mut DbConn,
    district_id: &DistrictId,
    what: Counted,
) -> Result<Vec<(String, i64)>> {
    direct!(conn, |c| status_counts::table
        .filter(status_counts::district_id.eq(district_id.as_str()))
        .filter(status_counts::entity.eq(what.as_str()))
        .filter(status_counts::count.gt(0))
        .order(status_counts::status)
        .select((status_counts::status, status_counts::count))
        .load(c))
    .db()
}

/// Adds `by` to the followed cases of the district due on `day`.
fn add_due(
    conn: &mut DbConn,
    district_id: &DistrictId,
    day: chrono::NaiveDate,
    by: i64,
) -> Result<()> {
    let row = (
        due_counts::district_id.eq(district_id.as_str()),
        due_counts::due_date.eq(day),
        due_counts::count.eq(by),
    );
    let upsert = diesel::insert_into(due_counts::table)
        .values(row)
        .on_conflict((due_counts::district_id, due_counts::due_date))
        .do_update()
        .set(due_counts::count.eq(due_counts::count + excluded(due_counts::count)));
    match conn {
        DbConn::Pg(c) => upsert.execute(c),
        DbConn::Sqlite(c) => upsert.execute(c),
    }
    .map(drop)
    .db()
}

/// A followed case moved from being due on `from` to being due on `to` (`None`: not counted —
/// no due date, or a state that is not followed).
pub fn shift_due(
    conn: &mut DbConn,
    district_id: &DistrictId,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
) -> Result<()> {
    if from == to {
        return Ok(());
    }
    if let Some(f) = from {
        add_due(conn, district_id, f, -1)?;
    }
    if let Some(t) = to {
        add_due(conn, district_id, t, 1)?;
    }
    Ok(())
}

/// Followed cases of the district due before `day`: the database sums one row per past due
/// date (as many as the calendar has, whatever the district's size).
pub fn due_before(
    conn: &mut DbConn,
    district_id: &DistrictId,
    day: chrono::NaiveDate,
) -> Result<i64> {
    // `SUM` of a BIGINT is NUMERIC on PostgreSQL: cast back, and 0 when nothing is due.
    let total =
        diesel::dsl::sql::<diesel::sql_types::BigInt>("CAST(COALESCE(SUM(count), 0) AS BIGINT)");
    direct!(conn, |c| due_counts::table
        .filter(due_counts::district_id.eq(district_id.as_str()))
        .filter(due_counts::due_date.lt(day))
        .select(total.clone())
        .get_result(c))
    .db()
}
