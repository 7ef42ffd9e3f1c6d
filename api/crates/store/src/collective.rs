//! The collective actions of a partnership, who takes part, the employers they target and
//! their beneficiaries (with history), and what their results are read from.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use sistema_lavoro_domain::collective::{
    CollectiveActionKind, CollectiveActionStatus, SixMonthCheck,
};
use sistema_lavoro_domain::ids::{CaseId, CollectiveActionId, MemberId, NetworkId, OrganizationId};
use sistema_lavoro_domain::vocabulary::Outcome;

use super::schema::{
    cases, collective_action_beneficiaries as beneficiaries,
    collective_action_employers as employers, collective_action_participants as participants,
    collective_actions,
};
use super::{Db, DbConn, Result};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize)]
#[diesel(table_name = collective_actions, treat_none_as_null = true)]
pub struct CollectiveAction {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: CollectiveActionId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub network_id: NetworkId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: CollectiveActionKind,
    pub title: String,
    pub description: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: CollectiveActionStatus,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = participants)]
pub struct Participant {
    pub id: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub action_id: CollectiveActionId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub member_id: MemberId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub organization_id: OrganizationId,
    pub added_by: Option<String>,
    pub added_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = employers)]
pub struct TargetEmployer {
    pub id: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub action_id: CollectiveActionId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub organization_id: OrganizationId,
    pub added_by: Option<String>,
    pub added_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = beneficiaries, treat_none_as_null = true)]
pub struct Beneficiary {
    pub id: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub action_id: CollectiveActionId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub case_id: CaseId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub agency_id: OrganizationId,
    pub added_by: Option<String>,
    pub added_at: NaiveDateTime,
    pub removed_by: Option<String>,
    pub removed_at: Option<NaiveDateTime>,
}

/// A current beneficiary of an action, with what its results are read from.
#[derive(Debug, Clone)]
pub struct BeneficiaryResult {
    pub action_id: CollectiveActionId,
    pub case_id: CaseId,
    pub outcome: Option<Outcome>,
    pub six_month_check: Option<SixMonthCheck>,
}

impl CollectiveAction {
    pub fn find(conn: &mut DbConn, id: &CollectiveActionId) -> Result<CollectiveAction> {
        collective_actions::table
            .find(id.as_str())
            .select(CollectiveAction::as_select())
            .first(conn)
            .db()
    }

    pub fn insert(conn: &mut DbConn, a: &CollectiveAction) -> Result<()> {
        diesel::insert_into(collective_actions::table)
            .values(a.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    /// Saves the row only if its state is still `expected` (a concurrent move loses).
    pub fn save_if(
        conn: &mut DbConn,
        a: &CollectiveAction,
        expected: CollectiveActionStatus,
    ) -> Result<bool> {
        let n = diesel::update(
            collective_actions::table
                .find(a.id.as_str())
                .filter(collective_actions::status.eq(expected.as_str())),
        )
        .set(a.clone())
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }

    /// A network's actions by id (served by `collective_actions_network`).
    pub fn list(
        conn: &mut DbConn,
        network_id: &NetworkId,
        status: Option<CollectiveActionStatus>,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<CollectiveAction>> {
        let mut q = collective_actions::table
            .filter(collective_actions::network_id.eq(network_id.as_str()))
            .select(CollectiveAction::as_select())
            .order(collective_actions::id)
            .into_boxed();
        if let Some(s) = status {
            q = q.filter(collective_actions::status.eq(s.as_str()));
        }
        if let Some(a) = after {
            q = q.filter(collective_actions::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }
}

impl Participant {
    pub fn insert(conn: &mut DbConn, p: &Participant) -> Result<()> {
        diesel::insert_into(participants::table)
            .values(p.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn of_actions(conn: &mut DbConn, ids: &[&CollectiveActionId]) -> Result<Vec<Participant>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        participants::table
            .filter(participants::action_id.eq_any(ids.iter().map(|i| i.as_str())))
            .select(Participant::as_select())
            .order((
                participants::action_id,
                participants::added_at,
                participants::id,
            ))
            .load(conn)
            .db()
    }

    pub fn find(
        conn: &mut DbConn,
        action: &CollectiveActionId,
        member: &MemberId,
    ) -> Result<Option<Participant>> {
        participants::table
            .filter(participants::action_id.eq(action.as_str()))
            .filter(participants::member_id.eq(member.as_str()))
            .select(Participant::as_select())
            .first(conn)
            .optional()
            .db()
    }

    /// Removes a participant; whether there was one.
    pub fn delete(conn: &mut DbConn, id: &str) -> Result<bool> {
        let n = diesel::delete(participants::table.find(id))
            .execute(conn)
            .db()?;
        Ok(n == 1)
    }

    /// Which of these actions the organization takes part in.
    pub fn actions_of(
        conn: &mut DbConn,
        organization_id: &OrganizationId,
        ids: &[&CollectiveActionId],
    ) -> Result<Vec<CollectiveActionId>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<String> = participants::table
            .filter(participants::organization_id.eq(organization_id.as_str()))
            .filter(participants::action_id.eq_any(ids.iter().map(|i| i.as_str())))
            .select(participants::action_id)
            .load(conn)
            .db()?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
}

impl TargetEmployer {
    pub fn insert(conn: &mut DbConn, e: &TargetEmployer) -> Result<()> {
        diesel::insert_into(employers::table)
            .values(e.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn of_actions(
        conn: &mut DbConn,
        ids: &[&CollectiveActionId],
    ) -> Result<Vec<TargetEmployer>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        employers::table
            .filter(employers::action_id.eq_any(ids.iter().map(|i| i.as_str())))
            .select(TargetEmployer::as_select())
            .order((employers::action_id, employers::added_at, employers::id))
            .load(conn)
            .db()
    }

    pub fn find(
        conn: &mut DbConn,
        action: &CollectiveActionId,
        organization: &OrganizationId,
    ) -> Result<Option<TargetEmployer>> {
        employers::table
            .filter(employers::action_id.eq(action.as_str()))
            .filter(employers::organization_id.eq(organization.as_str()))
            .select(TargetEmployer::as_select())
            .first(conn)
            .optional()
            .db()
    }

    pub fn delete(conn: &mut DbConn, id: &str) -> Result<bool> {
        let n = diesel::delete(employers::table.find(id))
            .execute(conn)
            .db()?;
        Ok(n == 1)
    }
}

impl Beneficiary {
    pub fn insert(conn: &mut DbConn, b: &Beneficiary) -> Result<()> {
        diesel::insert_into(beneficiaries::table)
            .values(b.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    /// The case's current row in the action, if it is a beneficiary now.
    pub fn current(
        conn: &mut DbConn,
        action: &CollectiveActionId,
        case: &CaseId,
    ) -> Result<Option<Beneficiary>> {
        beneficiaries::table
            .filter(beneficiaries::action_id.eq(action.as_str()))
            .filter(beneficiaries::case_id.eq(case.as_str()))
            .filter(beneficiaries::removed_at.is_null())
            .select(Beneficiary::as_select())
            .first(conn)
            .optional()
            .db()
    }

    /// Records the removal, only if the row is still current.
    pub fn remove(conn: &mut DbConn, id: &str, by: &str, at: NaiveDateTime) -> Result<bool> {
        let n = diesel::update(
            beneficiaries::table
                .find(id)
                .filter(beneficiaries::removed_at.is_null()),
        )
        .set((
            beneficiaries::removed_at.eq(Some(at)),
            beneficiaries::removed_by.eq(Some(by)),
        ))
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }

    /// An action's beneficiaries ever (removed ones too), by id, optionally of one agency,
    /// each with its case's person (whose read is then logged).
    pub fn list(
        conn: &mut DbConn,
        action: &CollectiveActionId,
        agency: Option<&OrganizationId>,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<(Beneficiary, String)>> {
        let mut q = beneficiaries::table
            .inner_join(cases::table)
            .filter(beneficiaries::action_id.eq(action.as_str()))
            .select((Beneficiary::as_select(), cases::person_id))
            .order(beneficiaries::id)
            .into_boxed();
        if let Some(a) = agency {
            q = q.filter(beneficiaries::agency_id.eq(a.as_str()));
        }
        if let Some(a) = after {
            q = q.filter(beneficiaries::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }

    /// An action's current beneficiaries: their cases and persons (whose read is logged).
    pub fn current_cases(
        conn: &mut DbConn,
        action: &CollectiveActionId,
    ) -> Result<Vec<(CaseId, String)>> {
        let rows: Vec<(String, String)> = beneficiaries::table
            .inner_join(cases::table)
            .filter(beneficiaries::action_id.eq(action.as_str()))
            .filter(beneficiaries::removed_at.is_null())
            .select((beneficiaries::case_id, cases::person_id))
            .order(beneficiaries::case_id)
            .load(conn)
            .db()?;
        Ok(rows.into_iter().map(|(c, p)| (c.into(), p)).collect())
    }

    /// The current beneficiaries of these actions with their case's outcome and six-month
    /// check: two queries whatever the count.
    pub fn results_of(
        conn: &mut DbConn,
        ids: &[&CollectiveActionId],
    ) -> Result<Vec<BeneficiaryResult>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(String, String, Option<String>)> = beneficiaries::table
            .inner_join(cases::table)
            .filter(beneficiaries::action_id.eq_any(ids.iter().map(|i| i.as_str())))
            .filter(beneficiaries::removed_at.is_null())
            .select((
                beneficiaries::action_id,
                beneficiaries::case_id,
                cases::outcome,
            ))
            .load(conn)
            .db()?;
        let case_ids: Vec<&str> = rows.iter().map(|(_, c, _)| c.as_str()).collect();
        let checks = crate::monitoring::six_month_checks(conn, &case_ids)?;
        rows.into_iter()
            .map(|(action, case, outcome)| {
                Ok(BeneficiaryResult {
                    six_month_check: checks.get(&case).copied(),
                    action_id: action.into(),
                    case_id: case.into(),
                    outcome: outcome.as_deref().map(Outcome::from_db).transpose()?,
                })
            })
            .collect()
    }
}
