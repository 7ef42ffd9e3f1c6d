//! The measure catalogue (misure / progetti) and the district's municipalities.

use diesel::prelude::*;

use super::schema::{district_municipalities, measures};
use super::DbConn;

#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, Identifiable, serde::Serialize,
)]
#[diesel(table_name = measures, treat_none_as_null = true)]
pub struct Measure {
    pub id: String,
    pub district_id: String,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub funding_source: String,
    pub description: String,
    pub valid_from: chrono::NaiveDate,
    pub valid_to: Option<chrono::NaiveDate>,
    pub min_age: Option<i32>,
    pub max_age: Option<i32>,
    pub employment_statuses: String,
    pub target_groups: String,
    pub clusters: String,
    pub residence_required: bool,
    pub default_amount_cents: i64,
    pub active: bool,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

impl Measure {
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Measure> {
        measures::table
            .find(id)
            .select(Measure::as_select())
            .first(conn)
    }

    pub fn find_many(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<Measure>> {
        measures::table
            .filter(measures::id.eq_any(ids))
            .select(Measure::as_select())
            .load(conn)
    }

    pub fn insert(conn: &mut DbConn, m: &Measure) -> QueryResult<()> {
        diesel::insert_into(measures::table)
            .values(m)
            .execute(conn)
            .map(|_| ())
    }

    pub fn save(conn: &mut DbConn, m: &Measure) -> QueryResult<()> {
        diesel::update(measures::table.find(&m.id))
            .set(m)
            .execute(conn)
            .map(|_| ())
    }

    pub fn list(
        conn: &mut DbConn,
        district_id: &str,
        active: Option<bool>,
        kind: Option<&str>,
        after: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<Measure>> {
        let mut q = measures::table
            .filter(measures::district_id.eq(district_id.to_string()))
            .select(Measure::as_select())
            .order(measures::id)
            .into_boxed();
        if let Some(a) = active {
            q = q.filter(measures::active.eq(a));
        }
        if let Some(k) = kind {
            q = q.filter(measures::kind.eq(k.to_string()));
        }
        if let Some(a) = after {
            q = q.filter(measures::id.gt(a.to_string()));
        }
        q.limit(limit + 1).load(conn)
    }
}

pub fn district_has_municipality(
    conn: &mut DbConn,
    district_id: &str,
    istat: &str,
) -> QueryResult<bool> {
    let n: i64 = district_municipalities::table
        .filter(district_municipalities::district_id.eq(district_id))
        .filter(district_municipalities::istat_code.eq(istat))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn set_district_municipalities(
    conn: &mut DbConn,
    district_id: &str,
    codes: &[&str],
) -> QueryResult<()> {
    diesel::delete(
        district_municipalities::table.filter(district_municipalities::district_id.eq(district_id)),
    )
    .execute(conn)?;
    for code in codes {
        diesel::insert_into(district_municipalities::table)
            .values((
                district_municipalities::district_id.eq(district_id),
                district_municipalities::istat_code.eq(*code),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn district_municipality_codes(
    conn: &mut DbConn,
    district_id: &str,
) -> QueryResult<Vec<String>> {
    district_municipalities::table
        .filter(district_municipalities::district_id.eq(district_id))
        .order(district_municipalities::istat_code)
        .select(district_municipalities::istat_code)
        .load(conn)
}
