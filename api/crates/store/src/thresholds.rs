//! Agency thresholds (soglie operatori): budget caps reserved and spent by activations.
//!
//! Every change of `reserved_cents`/`spent_cents` is a single conditional UPDATE, so the cap
//! holds under concurrency on both backends without a read-modify-write.

use diesel::prelude::*;
use sistema_lavoro_domain::ids::{DistrictId, MeasureId, OrganizationId, ThresholdId};
use sistema_lavoro_domain::values::Cents;

use super::schema::thresholds;
use super::{Db, DbConn, Result};
use crate::direct::direct;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable)]
#[diesel(table_name = thresholds)]
pub struct Threshold {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: ThresholdId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub district_id: DistrictId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub agency_id: OrganizationId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub measure_id: MeasureId,
    pub period_start: chrono::NaiveDate,
    pub period_end: chrono::NaiveDate,
    #[diesel(deserialize_as = i64, serialize_as = i64)]
    pub cap_cents: Cents,
    #[diesel(deserialize_as = i64, serialize_as = i64)]
    pub reserved_cents: Cents,
    #[diesel(deserialize_as = i64, serialize_as = i64)]
    pub spent_cents: Cents,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

impl Threshold {
    pub fn find(conn: &mut DbConn, id: &ThresholdId) -> Result<Threshold> {
        direct!(conn, |c| thresholds::table
            .find(id.as_str())
            .select(Threshold::as_select())
            .first(c))
        .db()
    }

    /// Every threshold of these measures.
    pub fn of_measures(conn: &mut DbConn, measures: &[&MeasureId]) -> Result<Vec<Threshold>> {
        if measures.is_empty() {
            return Ok(Vec::new());
        }
        direct!(conn, |c| thresholds::table
            .filter(thresholds::measure_id.eq_any(measures.iter().map(|m| m.as_str())))
            .order(thresholds::id)
            .select(Threshold::as_select())
            .load(c))
        .db()
    }

    pub fn insert(conn: &mut DbConn, t: &Threshold) -> Result<()> {
        diesel::insert_into(thresholds::table)
            .values(t.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    /// The threshold of `agency` × `measure` whose period contains `day`.
    pub fn current(
        conn: &mut DbConn,
        agency_id: &OrganizationId,
        measure_id: &MeasureId,
        day: chrono::NaiveDate,
    ) -> Result<Option<Threshold>> {
        direct!(conn, |c| thresholds::table
            .filter(thresholds::agency_id.eq(agency_id.as_str()))
            .filter(thresholds::measure_id.eq(measure_id.as_str()))
            .filter(thresholds::period_start.le(day))
            .filter(thresholds::period_end.ge(day))
            .select(Threshold::as_select())
            .first(c)
            .optional())
        .db()
    }

    /// Whether the agency has a threshold for the measure over any day of `from..=to`.
    pub fn overlaps(
        conn: &mut DbConn,
        agency_id: &OrganizationId,
        measure_id: &MeasureId,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Result<bool> {
        let n: i64 = thresholds::table
            .filter(thresholds::agency_id.eq(agency_id.as_str()))
            .filter(thresholds::measure_id.eq(measure_id.as_str()))
            .filter(thresholds::period_start.le(to))
            .filter(thresholds::period_end.ge(from))
            .count()
            .get_result(conn)
            .db()?;
        Ok(n > 0)
    }

    pub fn list(
        conn: &mut DbConn,
        district_id: &DistrictId,
        agency_id: Option<&OrganizationId>,
        measure_id: Option<&MeasureId>,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Threshold>> {
        let mut q = thresholds::table
            .filter(thresholds::district_id.eq(district_id.as_str()))
            .select(Threshold::as_select())
            .order(thresholds::id)
            .into_boxed();
        if let Some(a) = agency_id {
            q = q.filter(thresholds::agency_id.eq(a.as_str()));
        }
        if let Some(m) = measure_id {
            q = q.filter(thresholds::measure_id.eq(m.as_str()));
        }
        if let Some(a) = after {
            q = q.filter(thresholds::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }

    /// Reserves `amount` if it fits under the cap; `false` when it does not.
    pub fn reserve(
        conn: &mut DbConn,
        id: &ThresholdId,
        amount: Cents,
        at: chrono::NaiveDateTime,
    ) -> Result<bool> {
        let amount = amount.get();
        let n = diesel::update(
            thresholds::table.find(id.as_str()).filter(
                (thresholds::reserved_cents + thresholds::spent_cents + amount)
                    .le(thresholds::cap_cents),
            ),
        )
        .set((
            thresholds::reserved_cents.eq(thresholds::reserved_cents + amount),
            thresholds::updated_at.eq(at),
        ))
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }

    /// Releases `reserved` and books `spent` (≤ reserved) as spent.
    pub fn settle(
        conn: &mut DbConn,
        id: &ThresholdId,
        reserved: Cents,
        spent: Cents,
        at: chrono::NaiveDateTime,
    ) -> Result<bool> {
        let (reserved, spent) = (reserved.get(), spent.get());
        let n = diesel::update(
            thresholds::table
                .find(id.as_str())
                .filter(thresholds::reserved_cents.ge(reserved)),
        )
        .set((
            thresholds::reserved_cents.eq(thresholds::reserved_cents - reserved),
            thresholds::spent_cents.eq(thresholds::spent_cents + spent),
            thresholds::updated_at.eq(at),
        ))
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }

    /// Changes the cap, never below what is already reserved and spent.
    pub fn set_cap(
        conn: &mut DbConn,
        id: &ThresholdId,
        cap: Cents,
        at: chrono::NaiveDateTime,
    ) -> Result<bool> {
        let cap = cap.get();
        let n = diesel::update(
            thresholds::table
                .find(id.as_str())
                .filter((thresholds::reserved_cents + thresholds::spent_cents).le(cap)),
        )
        .set((thresholds::cap_cents.eq(cap), thresholds::updated_at.eq(at)))
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }
}
