//! Opportunities members publish, and the ones proposed to the persons of cases.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use sistema_lavoro_domain::ids::{
    CaseId, DistrictId, OpportunityId, OpportunityProposalId, OrganizationId, SharedResponseId,
};
use sistema_lavoro_domain::opportunities::{
    OpportunityKind, OpportunitySource, OpportunityStatus, ProposalAnswer,
};
use sistema_lavoro_domain::responses::ResponseArea;
use sistema_lavoro_domain::vocabulary::{EmploymentStatus, TargetGroup};

use super::schema::{network_members, networks, opportunities, opportunity_proposals};
use super::types::{JsonList, NullableText};
use super::{Db, DbConn, Result};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize)]
#[diesel(table_name = opportunities, treat_none_as_null = true)]
pub struct Opportunity {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: OpportunityId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub district_id: DistrictId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: OpportunityKind,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub organization_id: OrganizationId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub area: ResponseArea,
    pub title: String,
    pub description: String,
    pub min_age: Option<i32>,
    pub max_age: Option<i32>,
    #[diesel(deserialize_as = JsonList<EmploymentStatus>, serialize_as = JsonList<EmploymentStatus>)]
    pub employment_statuses: Vec<EmploymentStatus>,
    #[diesel(deserialize_as = JsonList<TargetGroup>, serialize_as = JsonList<TargetGroup>)]
    pub target_groups: Vec<TargetGroup>,
    pub residence_required: bool,
    pub municipality_code: Option<String>,
    pub place_note: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub apply_by: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    pub how_to_apply: Option<String>,
    pub contact: Option<String>,
    #[diesel(deserialize_as = NullableText<SharedResponseId>, serialize_as = NullableText<SharedResponseId>)]
    pub shared_response_id: Option<SharedResponseId>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: OpportunityStatus,
    pub published_at: Option<NaiveDateTime>,
    pub expired_on: Option<NaiveDate>,
    pub withdrawal_reason: Option<String>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What a list of opportunities narrows to.
#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    pub district: Option<&'a DistrictId>,
    pub statuses: &'a [OpportunityStatus],
    /// Besides `statuses`, this organization's opportunities in these other states.
    pub own: Option<(&'a OrganizationId, &'a [OpportunityStatus])>,
    pub kind: Option<OpportunityKind>,
    pub area: Option<ResponseArea>,
    pub municipality: Option<&'a str>,
    /// Open for a person of this age (no age rule, or within it).
    pub age: Option<i32>,
    pub employment_status: Option<EmploymentStatus>,
    pub target_group: Option<TargetGroup>,
    /// Open on this day (no last day, or not passed).
    pub open_on: Option<NaiveDate>,
}

type Backend = <DbConn as diesel::Connection>::Backend;

fn filtered<'a>(f: &Filter<'a>) -> opportunities::BoxedQuery<'a, Backend, opportunities::SqlType> {
    let mut q = opportunities::table.into_boxed();
    if let Some(d) = f.district {
        q = q.filter(opportunities::district_id.eq(d.as_str()));
    }
    let states: Vec<&'static str> = f.statuses.iter().map(|s| s.as_str()).collect();
    q = match f.own {
        Some((o, own)) => q.filter(
            opportunities::status
                .eq_any(states)
                .or(opportunities::organization_id
                    .eq(o.as_str())
                    .and(opportunities::status.eq_any(own.iter().map(|s| s.as_str())))),
        ),
        None => q.filter(opportunities::status.eq_any(states)),
    };
    if let Some(k) = f.kind {
        q = q.filter(opportunities::kind.eq(k.as_str()));
    }
    if let Some(a) = f.area {
        q = q.filter(opportunities::area.eq(a.as_str()));
    }
    if let Some(m) = f.municipality {
        q = q.filter(opportunities::municipality_code.eq(m));
    }
    if let Some(age) = f.age {
        q = q
            .filter(
                opportunities::min_age
                    .is_null()
                    .or(opportunities::min_age.le(age)),
            )
            .filter(
                opportunities::max_age
                    .is_null()
                    .or(opportunities::max_age.ge(age)),
            );
    }
    // The lists are JSON arrays of codes: `[]` means any; a code is quoted inside.
    if let Some(s) = f.employment_status {
        q = q.filter(
            opportunities::employment_statuses
                .eq("[]")
                .or(opportunities::employment_statuses.like(format!("%\"{}\"%", s.as_str()))),
        );
    }
    if let Some(g) = f.target_group {
        q = q.filter(
            opportunities::target_groups
                .eq("[]")
                .or(opportunities::target_groups.like(format!("%\"{}\"%", g.as_str()))),
        );
    }
    if let Some(day) = f.open_on {
        q = q.filter(
            opportunities::last_day
                .is_null()
                .or(opportunities::last_day.ge(day)),
        );
    }
    q
}

impl Opportunity {
    pub fn find(conn: &mut DbConn, id: &str) -> Result<Opportunity> {
        opportunities::table
            .find(id)
            .select(Opportunity::as_select())
            .first(conn)
            .db()
    }

    pub fn insert(conn: &mut DbConn, o: &Opportunity) -> Result<()> {
        diesel::insert_into(opportunities::table)
            .values(o.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    /// Saves an opportunity read in state `expected`; `false` when it moved meanwhile.
    pub fn save_if(
        conn: &mut DbConn,
        o: &Opportunity,
        expected: OpportunityStatus,
    ) -> Result<bool> {
        let count = diesel::update(
            opportunities::table
                .find(o.id.as_str())
                .filter(opportunities::status.eq(expected.as_str())),
        )
        .set(o.clone())
        .execute(conn)
        .db()?;
        Ok(count == 1)
    }

    /// A page of opportunities by id.
    pub fn list(
        conn: &mut DbConn,
        f: &Filter<'_>,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Opportunity>> {
        let mut q = filtered(f);
        if let Some(a) = after {
            q = q.filter(opportunities::id.gt(a.to_string()));
        }
        q.select(Opportunity::as_select())
            .order(opportunities::id)
            .limit(limit)
            .load(conn)
            .db()
    }

    /// The most recently published, newest first (the public feeds).
    pub fn recent(conn: &mut DbConn, f: &Filter<'_>, limit: i64) -> Result<Vec<Opportunity>> {
        filtered(f)
            .select(Opportunity::as_select())
            .order((opportunities::published_at.desc(), opportunities::id))
            .limit(limit)
            .load(conn)
            .db()
    }

    /// Published opportunities whose last day is before `today` (the clock expires them).
    pub fn past_their_day(
        conn: &mut DbConn,
        today: NaiveDate,
        limit: i64,
    ) -> Result<Vec<Opportunity>> {
        opportunities::table
            .filter(opportunities::status.eq(OpportunityStatus::Published.as_str()))
            .filter(opportunities::last_day.lt(today))
            .select(Opportunity::as_select())
            .order(opportunities::id)
            .limit(limit)
            .load(conn)
            .db()
    }

    /// When the newest change to the published ones happened, and how many there are: what
    /// the public feeds' `ETag` is made of.
    pub fn published_version(conn: &mut DbConn) -> Result<(Option<NaiveDateTime>, i64)> {
        opportunities::table
            .filter(opportunities::status.eq(OpportunityStatus::Published.as_str()))
            .select((
                diesel::dsl::max(opportunities::updated_at),
                diesel::dsl::count_star(),
            ))
            .first(conn)
            .db()
    }
}

/// Is the organization a member, on `day`, of a forming or active network of the district?
pub fn is_member_in_district(
    conn: &mut DbConn,
    organization: &OrganizationId,
    district: &DistrictId,
    day: NaiveDate,
) -> Result<bool> {
    let n: i64 = network_members::table
        .inner_join(networks::table)
        .filter(networks::district_id.eq(district.as_str()))
        .filter(networks::status.eq_any(["forming", "active"]))
        .filter(network_members::organization_id.eq(organization.as_str()))
        .filter(network_members::joined_on.le(day))
        .filter(
            network_members::withdrawn_on
                .is_null()
                .or(network_members::withdrawn_on.gt(day)),
        )
        .count()
        .get_result(conn)
        .db()?;
    Ok(n > 0)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize)]
#[diesel(table_name = opportunity_proposals, treat_none_as_null = true)]
pub struct OpportunityProposal {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: OpportunityProposalId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub case_id: CaseId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub source: OpportunitySource,
    pub opportunity_id: String,
    /// The opportunity's title when proposed (it may change or go later).
    pub title: String,
    pub note: Option<String>,
    #[diesel(deserialize_as = NullableText<ProposalAnswer>, serialize_as = NullableText<ProposalAnswer>)]
    pub answer: Option<ProposalAnswer>,
    pub answered_on: Option<NaiveDate>,
    pub result: Option<String>,
    pub proposed_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl OpportunityProposal {
    pub fn insert(conn: &mut DbConn, p: &OpportunityProposal) -> Result<()> {
        diesel::insert_into(opportunity_proposals::table)
            .values(p.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn find(conn: &mut DbConn, id: &OpportunityProposalId) -> Result<OpportunityProposal> {
        opportunity_proposals::table
            .find(id.as_str())
            .select(OpportunityProposal::as_select())
            .first(conn)
            .db()
    }

    pub fn save(conn: &mut DbConn, p: &OpportunityProposal) -> Result<()> {
        diesel::update(opportunity_proposals::table.find(p.id.as_str()))
            .set(p.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    /// The proposal of this opportunity on this case, if one was made.
    pub fn of(
        conn: &mut DbConn,
        case: &CaseId,
        opportunity_id: &str,
    ) -> Result<Option<OpportunityProposal>> {
        opportunity_proposals::table
            .filter(opportunity_proposals::case_id.eq(case.as_str()))
            .filter(opportunity_proposals::opportunity_id.eq(opportunity_id))
            .select(OpportunityProposal::as_select())
            .first(conn)
            .optional()
            .db()
    }

    /// A case's proposals by id, a page at a time.
    pub fn of_case(
        conn: &mut DbConn,
        case: &CaseId,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<OpportunityProposal>> {
        let mut q = opportunity_proposals::table
            .filter(opportunity_proposals::case_id.eq(case.as_str()))
            .select(OpportunityProposal::as_select())
            .order(opportunity_proposals::id)
            .into_boxed();
        if let Some(a) = after {
            q = q.filter(opportunity_proposals::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }

    /// Every proposal of a case (its timeline).
    pub fn all_of_case(conn: &mut DbConn, case: &CaseId) -> Result<Vec<OpportunityProposal>> {
        opportunity_proposals::table
            .filter(opportunity_proposals::case_id.eq(case.as_str()))
            .select(OpportunityProposal::as_select())
            .order(opportunity_proposals::id)
            .load(conn)
            .db()
    }
}

/// The measures of the catalogue open on `day` (active, within their dates), of one district
/// or of all, by id: the board shows them as opportunities.
pub fn open_measures(
    conn: &mut DbConn,
    district: Option<&DistrictId>,
    day: NaiveDate,
) -> Result<Vec<super::measures::Measure>> {
    use super::schema::measures;
    let mut q = measures::table
        .filter(measures::active.eq(true))
        .filter(measures::valid_from.le(day))
        .filter(measures::valid_to.is_null().or(measures::valid_to.ge(day)))
        .select(super::measures::Measure::as_select())
        .order(measures::id)
        .into_boxed();
    if let Some(d) = district {
        q = q.filter(measures::district_id.eq(d.as_str()));
    }
    q.load(conn).db()
}

/// The granted and running projects, of one district or of all, by id.
pub fn open_projects(
    conn: &mut DbConn,
    district: Option<&DistrictId>,
) -> Result<Vec<super::projects::Project>> {
    use super::schema::projects;
    let mut q = projects::table
        .filter(projects::status.eq_any(["granted", "running"]))
        .select(super::projects::Project::as_select())
        .order(projects::id)
        .into_boxed();
    if let Some(d) = district {
        q = q.filter(projects::district_id.eq(d.as_str()));
    }
    q.load(conn).db()
}

/// The first available shared response of an area among the district's networks, by id.
pub fn available_response(
    conn: &mut DbConn,
    district: &DistrictId,
    area: &str,
) -> Result<Option<SharedResponseId>> {
    use super::schema::shared_responses;
    let id: Option<String> = shared_responses::table
        .inner_join(networks::table)
        .filter(networks::district_id.eq(district.as_str()))
        .filter(shared_responses::status.eq("available"))
        .filter(shared_responses::area.eq(area))
        .select(shared_responses::id)
        .order(shared_responses::id)
        .first(conn)
        .optional()
        .db()?;
    Ok(id.map(SharedResponseId::from))
}
