//! Agency thresholds (soglie operatori): budget caps reserved and spent by activations.
//!
//! Every change of `reserved_cents`/`spent_cents` is a single conditional UPDATE, so the cap
//! holds under concurrency on both backends without a read-modify-write.

use diesel::prelude::*;

use super::schema::thresholds;
use super::DbConn;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable)]
#[diesel(table_name = thresholds)]
pub struct Threshold {
    pub id: String,
    pub district_id: String,
    pub agency_id: String,
    pub measure_id: String,
    pub period_start: chrono::NaiveDate,
    pub period_end: chrono::NaiveDate,
    pub cap_cents: i64,
    pub reserved_cents: i64,
    pub spent_cents: i64,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

impl Threshold {
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Threshold> {
        thresholds::table
            .find(id)
            .select(Threshold::as_select())
            .first(conn)
    }

    pub fn insert(conn: &mut DbConn, t: &Threshold) -> QueryResult<()> {
        diesel::insert_into(thresholds::table)
            .values(t)
            .execute(conn)
            .map(|_| ())
    }

    /// The threshold of `agency` × `measure` whose period contains `day`.
    pub fn current(
        conn: &mut DbConn,
        agency_id: &str,
        measure_id: &str,
        day: chrono::NaiveDate,
    ) -> QueryResult<Option<Threshold>> {
        thresholds::table
            .filter(thresholds::agency_id.eq(agency_id))
            .filter(thresholds::measure_id.eq(measure_id))
            .filter(thresholds::period_start.le(day))
            .filter(thresholds::period_end.ge(day))
            .select(Threshold::as_select())
            .first(conn)
            .optional()
    }

    pub fn list(
        conn: &mut DbConn,
        district_id: &str,
        agency_id: Option<&str>,
        measure_id: Option<&str>,
        after: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<Threshold>> {
        let mut q = thresholds::table
            .filter(thresholds::district_id.eq(district_id.to_string()))
            .select(Threshold::as_select())
            .order(thresholds::id)
            .into_boxed();
        if let Some(a) = agency_id {
            q = q.filter(thresholds::agency_id.eq(a.to_string()));
        }
        if let Some(m) = measure_id {
            q = q.filter(thresholds::measure_id.eq(m.to_string()));
        }
        if let Some(a) = after {
            q = q.filter(thresholds::id.gt(a.to_string()));
        }
        q.limit(limit + 1).load(conn)
    }

    /// Reserves `amount` if it fits under the cap; `false` when it does not.
    pub fn reserve(conn: &mut DbConn, id: &str, amount: i64) -> QueryResult<bool> {
        let n = diesel::update(
            thresholds::table.find(id).filter(
                (thresholds::reserved_cents + thresholds::spent_cents + amount)
                    .le(thresholds::cap_cents),
            ),
        )
        .set((
            thresholds::reserved_cents.eq(thresholds::reserved_cents + amount),
            thresholds::updated_at.eq(super::now()),
        ))
        .execute(conn)?;
        Ok(n == 1)
    }

    /// Releases `reserved` and books `spent` (≤ reserved) as spent.
    pub fn settle(conn: &mut DbConn, id: &str, reserved: i64, spent: i64) -> QueryResult<bool> {
        let n = diesel::update(
            thresholds::table
                .find(id)
                .filter(thresholds::reserved_cents.ge(reserved)),
        )
        .set((
            thresholds::reserved_cents.eq(thresholds::reserved_cents - reserved),
            thresholds::spent_cents.eq(thresholds::spent_cents + spent),
            thresholds::updated_at.eq(super::now()),
        ))
        .execute(conn)?;
        Ok(n == 1)
    }

    /// Changes the cap, never below what is already reserved and spent.
    pub fn set_cap(conn: &mut DbConn, id: &str, cap: i64) -> QueryResult<bool> {
        let n = diesel::update(
            thresholds::table
                .find(id)
                .filter((thresholds::reserved_cents + thresholds::spent_cents).le(cap)),
        )
        .set((
            thresholds::cap_cents.eq(cap),
            thresholds::updated_at.eq(super::now()),
        ))
        .execute(conn)?;
        Ok(n == 1)
    }
}
