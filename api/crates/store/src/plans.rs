//! The district's integrated local plan: plans, their axes and their actions.

use chrono::NaiveDate;
use diesel::prelude::*;
use sistema_lavoro_domain::ids::{
    DistrictId, NetworkId, OrganizationId, PlanActionId, PlanAxisId, PlanId,
};
use sistema_lavoro_domain::plans::{
    AxisCode, FundingSource, Indicator, PlanActionStatus, PlanStatus,
};

use super::schema::{plan_actions, plan_axes, plans};
use super::types::{JsonList, NullableText};
use super::{Db, DbConn, Result};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize)]
#[diesel(table_name = plans, treat_none_as_null = true)]
pub struct Plan {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: PlanId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub district_id: DistrictId,
    pub title: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: PlanStatus,
    pub approved_on: Option<NaiveDate>,
    pub approval_reference: Option<String>,
    pub created_by: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize)]
#[diesel(table_name = plan_axes, treat_none_as_null = true)]
pub struct PlanAxis {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: PlanAxisId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub plan_id: PlanId,
    #[diesel(deserialize_as = NullableText<AxisCode>, serialize_as = NullableText<AxisCode>)]
    pub code: Option<AxisCode>,
    pub title: String,
    pub expected_results: Option<String>,
    pub position: i32,
    pub created_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize)]
#[diesel(table_name = plan_actions, treat_none_as_null = true)]
pub struct PlanAction {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: PlanActionId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub plan_id: PlanId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub axis_id: PlanAxisId,
    pub title: String,
    pub description: Option<String>,
    pub expected_results: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    #[diesel(deserialize_as = NullableText<FundingSource>, serialize_as = NullableText<FundingSource>)]
    pub funding_source: Option<FundingSource>,
    pub funding_note: Option<String>,
    pub budget_cents: Option<i64>,
    pub responsible_department: Option<String>,
    #[diesel(deserialize_as = NullableText<OrganizationId>, serialize_as = NullableText<OrganizationId>)]
    pub responsible_organization_id: Option<OrganizationId>,
    #[diesel(deserialize_as = JsonList<NetworkId>, serialize_as = JsonList<NetworkId>)]
    pub network_ids: Vec<NetworkId>,
    #[diesel(deserialize_as = JsonList<Indicator>, serialize_as = JsonList<Indicator>)]
    pub indicators: Vec<Indicator>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: PlanActionStatus,
    pub created_by: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

impl Plan {
    pub fn find(conn: &mut DbConn, id: &PlanId) -> Result<Plan> {
        plans::table
            .find(id.as_str())
            .select(Plan::as_select())
            .first(conn)
            .db()
    }

    pub fn insert(conn: &mut DbConn, p: &Plan, axes: &[PlanAxis]) -> Result<()> {
        diesel::insert_into(plans::table)
            .values(p.clone())
            .execute(conn)
            .db()?;
        for a in axes {
            PlanAxis::insert(conn, a)?;
        }
        Ok(())
    }

    pub fn save_if(conn: &mut DbConn, p: &Plan, expected: PlanStatus) -> Result<bool> {
        let count = diesel::update(
            plans::table
                .find(p.id.as_str())
                .filter(plans::status.eq(expected.as_str())),
        )
        .set(p.clone())
        .execute(conn)
        .db()?;
        Ok(count == 1)
    }

    /// A district's plans by id.
    pub fn list(
        conn: &mut DbConn,
        district_id: &DistrictId,
        status: Option<PlanStatus>,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Plan>> {
        let mut q = plans::table
            .filter(plans::district_id.eq(district_id.as_str()))
            .select(Plan::as_select())
            .order(plans::id)
            .into_boxed();
        if let Some(s) = status {
            q = q.filter(plans::status.eq(s.as_str()));
        }
        if let Some(a) = after {
            q = q.filter(plans::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }
}

impl PlanAxis {
    pub fn insert(conn: &mut DbConn, a: &PlanAxis) -> Result<()> {
        diesel::insert_into(plan_axes::table)
            .values(a.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn find(conn: &mut DbConn, id: &PlanAxisId) -> Result<PlanAxis> {
        plan_axes::table
            .find(id.as_str())
            .select(PlanAxis::as_select())
            .first(conn)
            .db()
    }

    /// The axes of these plans, in their order.
    pub fn of(conn: &mut DbConn, plans: &[&PlanId]) -> Result<Vec<PlanAxis>> {
        if plans.is_empty() {
            return Ok(Vec::new());
        }
        plan_axes::table
            .filter(plan_axes::plan_id.eq_any(plans.iter().map(|p| p.as_str())))
            .select(PlanAxis::as_select())
            .order((plan_axes::plan_id, plan_axes::position))
            .load(conn)
            .db()
    }
}

impl PlanAction {
    pub fn find(conn: &mut DbConn, id: &PlanActionId) -> Result<PlanAction> {
        plan_actions::table
            .find(id.as_str())
            .select(PlanAction::as_select())
            .first(conn)
            .db()
    }

    pub fn insert(conn: &mut DbConn, a: &PlanAction) -> Result<()> {
        diesel::insert_into(plan_actions::table)
            .values(a.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn save_if(conn: &mut DbConn, a: &PlanAction, expected: PlanActionStatus) -> Result<bool> {
        let count = diesel::update(
            plan_actions::table
                .find(a.id.as_str())
                .filter(plan_actions::status.eq(expected.as_str())),
        )
        .set(a.clone())
        .execute(conn)
        .db()?;
        Ok(count == 1)
    }

    /// A plan's actions by id, optionally of one axis.
    pub fn list(
        conn: &mut DbConn,
        plan_id: &PlanId,
        axis: Option<&PlanAxisId>,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<PlanAction>> {
        let mut q = plan_actions::table
            .filter(plan_actions::plan_id.eq(plan_id.as_str()))
            .select(PlanAction::as_select())
            .order(plan_actions::id)
            .into_boxed();
        if let Some(a) = axis {
            q = q.filter(plan_actions::axis_id.eq(a.as_str()));
        }
        if let Some(a) = after {
            q = q.filter(plan_actions::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }

    /// Every action of these plans (for their completeness summary).
    pub fn all_of(conn: &mut DbConn, plans: &[&PlanId]) -> Result<Vec<PlanAction>> {
        if plans.is_empty() {
            return Ok(Vec::new());
        }
        plan_actions::table
            .filter(plan_actions::plan_id.eq_any(plans.iter().map(|p| p.as_str())))
            .select(PlanAction::as_select())
            .order(plan_actions::id)
            .load(conn)
            .db()
    }
}
