//! Funded projects (progettualità) and the plan actions they fund.

use chrono::NaiveDate;
use diesel::prelude::*;
use sistema_lavoro_domain::ids::{DistrictId, NetworkId, OrganizationId, PlanActionId, ProjectId};
use sistema_lavoro_domain::plans::FundingSource;
use sistema_lavoro_domain::projects::{ProjectStatus, YearShare};

use super::schema::{project_plan_actions, projects};
use super::types::{JsonList, NullableText};
use super::{Db, DbConn, Result};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize)]
#[diesel(table_name = projects, treat_none_as_null = true)]
pub struct Project {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: ProjectId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub district_id: DistrictId,
    pub title: String,
    pub description: Option<String>,
    pub funder: String,
    pub call_title: Option<String>,
    #[diesel(deserialize_as = NullableText<FundingSource>, serialize_as = NullableText<FundingSource>)]
    pub funding_source: Option<FundingSource>,
    pub cup: Option<String>,
    pub requested_cents: Option<i64>,
    pub granted_cents: Option<i64>,
    pub cofinanced_cents: Option<i64>,
    #[diesel(deserialize_as = JsonList<YearShare>, serialize_as = JsonList<YearShare>)]
    pub granted_by_year: Vec<YearShare>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: ProjectStatus,
    pub submission_deadline: Option<NaiveDate>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub reporting_deadline: Option<NaiveDate>,
    pub submitted_on: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    pub decision_note: Option<String>,
    #[diesel(deserialize_as = NullableText<OrganizationId>, serialize_as = NullableText<OrganizationId>)]
    pub lead_organization_id: Option<OrganizationId>,
    #[diesel(deserialize_as = NullableText<NetworkId>, serialize_as = NullableText<NetworkId>)]
    pub lead_network_id: Option<NetworkId>,
    #[diesel(deserialize_as = JsonList<OrganizationId>, serialize_as = JsonList<OrganizationId>)]
    pub partner_organization_ids: Vec<OrganizationId>,
    #[diesel(deserialize_as = JsonList<NetworkId>, serialize_as = JsonList<NetworkId>)]
    pub partner_network_ids: Vec<NetworkId>,
    pub created_by: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
    /// What it offers, told plainly to the district's operators: the opportunity board
    /// shows it once granted.
    pub for_operators: Option<String>,
}

impl Project {
    pub fn find(conn: &mut DbConn, id: &ProjectId) -> Result<Project> {
        projects::table
            .find(id.as_str())
            .select(Project::as_select())
            .first(conn)
            .db()
    }

    pub fn find_many(conn: &mut DbConn, ids: &[&ProjectId]) -> Result<Vec<Project>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        projects::table
            .filter(projects::id.eq_any(ids.iter().map(|i| i.as_str())))
            .select(Project::as_select())
            .order(projects::id)
            .load(conn)
            .db()
    }

    pub fn insert(conn: &mut DbConn, p: &Project) -> Result<()> {
        diesel::insert_into(projects::table)
            .values(p.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    /// Saves a project read in state `expected`; `false` when it moved meanwhile.
    pub fn save_if(conn: &mut DbConn, p: &Project, expected: ProjectStatus) -> Result<bool> {
        let count = diesel::update(
            projects::table
                .find(p.id.as_str())
                .filter(projects::status.eq(expected.as_str())),
        )
        .set(p.clone())
        .execute(conn)
        .db()?;
        Ok(count == 1)
    }

    /// Another project holding this CUP, if any.
    pub fn with_cup(conn: &mut DbConn, cup: &str) -> Result<Option<ProjectId>> {
        projects::table
            .filter(projects::cup.eq(cup))
            .select(projects::id)
            .first::<String>(conn)
            .optional()
            .db()
            .map(|o| o.map(ProjectId::from))
    }

    /// A district's projects by id, optionally in some states.
    pub fn list(
        conn: &mut DbConn,
        district_id: &DistrictId,
        status: &[ProjectStatus],
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Project>> {
        let mut q = projects::table
            .filter(projects::district_id.eq(district_id.as_str()))
            .select(Project::as_select())
            .order(projects::id)
            .into_boxed();
        if !status.is_empty() {
            q = q.filter(projects::status.eq_any(status.iter().map(|s| s.as_str())));
        }
        if let Some(a) = after {
            q = q.filter(projects::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }

    /// Every project of every district in these states (the clock's daily scan of deadlines).
    pub fn in_states(conn: &mut DbConn, status: &[ProjectStatus]) -> Result<Vec<Project>> {
        projects::table
            .filter(projects::status.eq_any(status.iter().map(|s| s.as_str())))
            .select(Project::as_select())
            .order(projects::id)
            .load(conn)
            .db()
    }
}

/// The plan actions a project funds.
pub fn actions_of(
    conn: &mut DbConn,
    projects: &[&ProjectId],
) -> Result<Vec<(ProjectId, PlanActionId)>> {
    if projects.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(String, String)> = project_plan_actions::table
        .filter(project_plan_actions::project_id.eq_any(projects.iter().map(|p| p.as_str())))
        .select((
            project_plan_actions::project_id,
            project_plan_actions::plan_action_id,
        ))
        .order((
            project_plan_actions::project_id,
            project_plan_actions::plan_action_id,
        ))
        .load(conn)
        .db()?;
    Ok(rows
        .into_iter()
        .map(|(p, a)| (ProjectId::from(p), PlanActionId::from(a)))
        .collect())
}

/// The projects funding these plan actions.
pub fn projects_of(
    conn: &mut DbConn,
    actions: &[&PlanActionId],
) -> Result<Vec<(PlanActionId, ProjectId)>> {
    if actions.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(String, String)> = project_plan_actions::table
        .filter(project_plan_actions::plan_action_id.eq_any(actions.iter().map(|a| a.as_str())))
        .select((
            project_plan_actions::plan_action_id,
            project_plan_actions::project_id,
        ))
        .order((
            project_plan_actions::plan_action_id,
            project_plan_actions::project_id,
        ))
        .load(conn)
        .db()?;
    Ok(rows
        .into_iter()
        .map(|(a, p)| (PlanActionId::from(a), ProjectId::from(p)))
        .collect())
}

/// Replaces the plan actions a project funds.
pub fn set_actions(conn: &mut DbConn, project: &ProjectId, actions: &[PlanActionId]) -> Result<()> {
    diesel::delete(
        project_plan_actions::table.filter(project_plan_actions::project_id.eq(project.as_str())),
    )
    .execute(conn)
    .db()?;
    for a in actions {
        diesel::insert_into(project_plan_actions::table)
            .values((
                project_plan_actions::project_id.eq(project.as_str()),
                project_plan_actions::plan_action_id.eq(a.as_str()),
            ))
            .execute(conn)
            .db()?;
    }
    Ok(())
}
