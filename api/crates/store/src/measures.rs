//! The measure catalogue (misure / progetti) and the district's municipalities.

use diesel::prelude::*;
use sistema_lavoro_domain::ids::{DistrictId, MeasureId, ProjectId};
use sistema_lavoro_domain::plans::FundingSource;
use sistema_lavoro_domain::values::Cents;
use sistema_lavoro_domain::vocabulary::{Cluster, EmploymentStatus, MeasureKind, TargetGroup};

use super::schema::{district_municipalities, measures};
use super::types::{JsonList, NullableText};
use super::{Db, DbConn, Result};
use crate::direct::direct;

#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, Identifiable, serde::Serialize,
)]
#[diesel(table_name = measures, treat_none_as_null = true)]
pub struct Measure {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: MeasureId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub district_id: DistrictId,
    pub code: String,
    pub name: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: MeasureKind,
    /// Fonte di finanziamento, the plan's vocabulary.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub funding_source: FundingSource,
    pub description: String,
    pub valid_from: chrono::NaiveDate,
    pub valid_to: Option<chrono::NaiveDate>,
    pub min_age: Option<i32>,
    pub max_age: Option<i32>,
    #[diesel(
        deserialize_as = JsonList<EmploymentStatus>,
        serialize_as = JsonList<EmploymentStatus>
    )]
    pub employment_statuses: Vec<EmploymentStatus>,
    #[diesel(deserialize_as = JsonList<TargetGroup>, serialize_as = JsonList<TargetGroup>)]
    pub target_groups: Vec<TargetGroup>,
    #[diesel(deserialize_as = JsonList<Cluster>, serialize_as = JsonList<Cluster>)]
    pub clusters: Vec<Cluster>,
    pub residence_required: bool,
    #[diesel(deserialize_as = i64, serialize_as = i64)]
    pub default_amount_cents: Cents,
    pub active: bool,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
    /// The granted project whose money the measure spends.
    #[diesel(deserialize_as = NullableText<ProjectId>, serialize_as = NullableText<ProjectId>)]
    pub project_id: Option<ProjectId>,
    /// The source named further (the fund, the call), or what `other` is.
    pub funding_note: Option<String>,
    /// What it offers, told plainly to the district's operators (who it is for, what it
    /// gives, how to refer): the opportunity board shows it.
    pub for_operators: Option<String>,
}

/// What a list shows of a measure next to its activations.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = measures)]
pub struct MeasureLabel {
    pub code: String,
    pub name: String,
}

impl From<&Measure> for MeasureLabel {
    fn from(m: &Measure) -> MeasureLabel {
        MeasureLabel {
            code: m.code.clone(),
            name: m.name.clone(),
        }
    }
}

impl Measure {
    pub fn find(conn: &mut DbConn, id: &MeasureId) -> Result<Measure> {
        direct!(conn, |c| measures::table
            .find(id.as_str())
            .select(Measure::as_select())
            .first(c))
        .db()
    }

    pub fn find_many(conn: &mut DbConn, ids: &[&MeasureId]) -> Result<Vec<Measure>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        direct!(conn, |c| measures::table
            .filter(measures::id.eq_any(ids.iter().map(|i| i.as_str())))
            .select(Measure::as_select())
            .load(c))
        .db()
    }

    pub fn insert(conn: &mut DbConn, m: &Measure) -> Result<()> {
        diesel::insert_into(measures::table)
            .values(m.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn save(conn: &mut DbConn, m: &Measure) -> Result<()> {
        diesel::update(measures::table.find(m.id.as_str()))
            .set(m.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    /// Every active measure of the district, by code (what the table can assign).
    pub fn active_of(conn: &mut DbConn, district_id: &DistrictId) -> Result<Vec<Measure>> {
        direct!(conn, |c| measures::table
            .filter(measures::district_id.eq(district_id.as_str()))
            .filter(measures::active.eq(true))
            .order((measures::code, measures::id))
            .select(Measure::as_select())
            .load(c))
        .db()
    }

    /// The measures made by these projects, by id.
    pub fn of_projects(conn: &mut DbConn, projects: &[&ProjectId]) -> Result<Vec<Measure>> {
        if projects.is_empty() {
            return Ok(Vec::new());
        }
        direct!(conn, |c| measures::table
            .filter(measures::project_id.eq_any(projects.iter().map(|p| p.as_str())))
            .order(measures::id)
            .select(Measure::as_select())
            .load(c))
        .db()
    }

    pub fn list(
        conn: &mut DbConn,
        district_id: &DistrictId,
        active: Option<bool>,
        kind: Option<MeasureKind>,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Measure>> {
        let mut q = measures::table
            .filter(measures::district_id.eq(district_id.as_str()))
            .select(Measure::as_select())
            .order(measures::id)
            .into_boxed();
        if let Some(a) = active {
            q = q.filter(measures::active.eq(a));
        }
        if let Some(k) = kind {
            q = q.filter(measures::kind.eq(k.as_str()));
        }
        if let Some(a) = after {
            q = q.filter(measures::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }
}

pub fn district_has_municipality(
    conn: &mut DbConn,
    district_id: &DistrictId,
    istat: &str,
) -> Result<bool> {
    let n: i64 = district_municipalities::table
        .filter(district_municipalities::district_id.eq(district_id.as_str()))
        .filter(district_municipalities::istat_code.eq(istat))
        .count()
        .get_result(conn)
        .db()?;
    Ok(n > 0)
}

pub fn set_district_municipalities(
    conn: &mut DbConn,
    district_id: &DistrictId,
    codes: &[&str],
) -> Result<()> {
    diesel::delete(
        district_municipalities::table
            .filter(district_municipalities::district_id.eq(district_id.as_str())),
    )
    .execute(conn)
    .db()?;
    for code in codes {
        diesel::insert_into(district_municipalities::table)
            .values((
                district_municipalities::district_id.eq(district_id.as_str()),
                district_municipalities::istat_code.eq(*code),
            ))
            .execute(conn)
            .db()?;
    }
    Ok(())
}

pub fn district_municipality_codes(
    conn: &mut DbConn,
    district_id: &DistrictId,
) -> Result<Vec<String>> {
    direct!(conn, |c| district_municipalities::table
        .filter(district_municipalities::district_id.eq(district_id.as_str()))
        .order(district_municipalities::istat_code)
        .select(district_municipalities::istat_code)
        .load(c))
    .db()
}
