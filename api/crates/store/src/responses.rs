//! Working groups of a network per response area, their members, the shared responses members
//! offer, and the responses proposed on cases (seed 003).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use sistema_lavoro_domain::ids::{
    CaseId, GroupMemberId, MemberId, NetworkId, OrganizationId, ProposalId, SharedResponseId,
    WorkingGroupId,
};
use sistema_lavoro_domain::responses::{ResponseArea, SharedResponseStatus, WorkingGroupStatus};

use super::schema::{
    shared_response_proposals, shared_responses, working_group_members, working_groups,
};
use super::{Db, DbConn, Result};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize)]
#[diesel(table_name = working_groups, treat_none_as_null = true)]
pub struct WorkingGroup {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: WorkingGroupId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub network_id: NetworkId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub area: ResponseArea,
    pub name: String,
    pub purpose: Option<String>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: WorkingGroupStatus,
    pub closed_on: Option<NaiveDate>,
    pub close_reason: Option<String>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl WorkingGroup {
    pub fn find(conn: &mut DbConn, id: &WorkingGroupId) -> Result<WorkingGroup> {
        working_groups::table
            .find(id.as_str())
            .select(WorkingGroup::as_select())
            .first(conn)
            .db()
    }

    pub fn insert(conn: &mut DbConn, g: &WorkingGroup) -> Result<()> {
        diesel::insert_into(working_groups::table)
            .values(g.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn save_if(
        conn: &mut DbConn,
        g: &WorkingGroup,
        expected: WorkingGroupStatus,
    ) -> Result<bool> {
        let n = diesel::update(
            working_groups::table
                .find(g.id.as_str())
                .filter(working_groups::status.eq(expected.as_str())),
        )
        .set(g.clone())
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }

    /// The network's active group on `area`, if any.
    pub fn active_of(
        conn: &mut DbConn,
        network_id: &NetworkId,
        area: ResponseArea,
    ) -> Result<Option<WorkingGroup>> {
        working_groups::table
            .filter(working_groups::network_id.eq(network_id.as_str()))
            .filter(working_groups::area.eq(area.as_str()))
            .filter(working_groups::status.eq(WorkingGroupStatus::Active.as_str()))
            .select(WorkingGroup::as_select())
            .first(conn)
            .optional()
            .db()
    }

    /// A network's groups by id, a page at a time (`working_groups_network`).
    pub fn list(
        conn: &mut DbConn,
        network_id: &NetworkId,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<WorkingGroup>> {
        let mut q = working_groups::table
            .filter(working_groups::network_id.eq(network_id.as_str()))
            .select(WorkingGroup::as_select())
            .order(working_groups::id)
            .into_boxed();
        if let Some(a) = after {
            q = q.filter(working_groups::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize)]
#[diesel(table_name = working_group_members, treat_none_as_null = true)]
pub struct GroupMember {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: GroupMemberId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub working_group_id: WorkingGroupId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub member_id: MemberId,
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl GroupMember {
    pub fn insert(conn: &mut DbConn, m: &GroupMember) -> Result<()> {
        diesel::insert_into(working_group_members::table)
            .values(m.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    /// The member's open membership of the group, if any.
    pub fn active_of(
        conn: &mut DbConn,
        group: &WorkingGroupId,
        member: &MemberId,
    ) -> Result<Option<GroupMember>> {
        working_group_members::table
            .filter(working_group_members::working_group_id.eq(group.as_str()))
            .filter(working_group_members::member_id.eq(member.as_str()))
            .filter(working_group_members::left_on.is_null())
            .select(GroupMember::as_select())
            .first(conn)
            .optional()
            .db()
    }

    /// Records the leaving, only if the membership was still open.
    pub fn save_leaving(conn: &mut DbConn, m: &GroupMember) -> Result<bool> {
        let n = diesel::update(
            working_group_members::table
                .find(m.id.as_str())
                .filter(working_group_members::left_on.is_null()),
        )
        .set((
            working_group_members::left_on.eq(m.left_on),
            working_group_members::updated_at.eq(m.updated_at),
        ))
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }

    /// Every membership, past and present, of these groups, by group then id.
    pub fn of_groups(conn: &mut DbConn, groups: &[&WorkingGroupId]) -> Result<Vec<GroupMember>> {
        if groups.is_empty() {
            return Ok(Vec::new());
        }
        working_group_members::table
            .filter(
                working_group_members::working_group_id.eq_any(groups.iter().map(|g| g.as_str())),
            )
            .select(GroupMember::as_select())
            .order((
                working_group_members::working_group_id,
                working_group_members::id,
            ))
            .load(conn)
            .db()
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize)]
#[diesel(table_name = shared_responses, treat_none_as_null = true)]
pub struct SharedResponse {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: SharedResponseId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub network_id: NetworkId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub member_id: MemberId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub organization_id: OrganizationId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub area: ResponseArea,
    pub title: String,
    pub description: Option<String>,
    pub who_may_use: String,
    pub how_to_access: String,
    pub capacity: Option<i32>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: SharedResponseStatus,
    pub withdrawal_reason: Option<String>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Filters of a network's shared responses.
#[derive(Debug, Clone, Copy, Default)]
pub struct ResponseFilter {
    pub area: Option<ResponseArea>,
    pub status: Option<SharedResponseStatus>,
}

impl SharedResponse {
    pub fn find(conn: &mut DbConn, id: &SharedResponseId) -> Result<SharedResponse> {
        shared_responses::table
            .find(id.as_str())
            .select(SharedResponse::as_select())
            .first(conn)
            .db()
    }

    pub fn insert(conn: &mut DbConn, r: &SharedResponse) -> Result<()> {
        diesel::insert_into(shared_responses::table)
            .values(r.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn save_if(
        conn: &mut DbConn,
        r: &SharedResponse,
        expected: SharedResponseStatus,
    ) -> Result<bool> {
        let n = diesel::update(
            shared_responses::table
                .find(r.id.as_str())
                .filter(shared_responses::status.eq(expected.as_str())),
        )
        .set(r.clone())
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }

    /// A network's responses by id, filtered by area and state, a page at a time (served by
    /// `shared_responses_network`, `…_network_area`, `…_network_status`).
    pub fn list(
        conn: &mut DbConn,
        network_id: &NetworkId,
        f: ResponseFilter,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<SharedResponse>> {
        let mut q = shared_responses::table
            .filter(shared_responses::network_id.eq(network_id.as_str()))
            .select(SharedResponse::as_select())
            .order(shared_responses::id)
            .into_boxed();
        if let Some(a) = f.area {
            q = q.filter(shared_responses::area.eq(a.as_str()));
        }
        if let Some(s) = f.status {
            q = q.filter(shared_responses::status.eq(s.as_str()));
        }
        if let Some(a) = after {
            q = q.filter(shared_responses::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }

    /// Responses by id (those found).
    pub fn find_many(conn: &mut DbConn, ids: &[&SharedResponseId]) -> Result<Vec<SharedResponse>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        shared_responses::table
            .filter(shared_responses::id.eq_any(ids.iter().map(|i| i.as_str())))
            .select(SharedResponse::as_select())
            .load(conn)
            .db()
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = shared_response_proposals, treat_none_as_null = true)]
pub struct Proposal {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: ProposalId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub case_id: CaseId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub shared_response_id: SharedResponseId,
    pub note: Option<String>,
    pub proposed_by: String,
    pub created_at: NaiveDateTime,
}

impl Proposal {
    pub fn insert(conn: &mut DbConn, p: &Proposal) -> Result<()> {
        diesel::insert_into(shared_response_proposals::table)
            .values(p.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    /// The proposal of this response on this case, if one was made.
    pub fn of(
        conn: &mut DbConn,
        case: &CaseId,
        response: &SharedResponseId,
    ) -> Result<Option<Proposal>> {
        shared_response_proposals::table
            .filter(shared_response_proposals::case_id.eq(case.as_str()))
            .filter(shared_response_proposals::shared_response_id.eq(response.as_str()))
            .select(Proposal::as_select())
            .first(conn)
            .optional()
            .db()
    }

    /// A case's proposals by id, a page at a time (`shared_response_proposals_case`).
    pub fn of_case(
        conn: &mut DbConn,
        case: &CaseId,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Proposal>> {
        let mut q = shared_response_proposals::table
            .filter(shared_response_proposals::case_id.eq(case.as_str()))
            .select(Proposal::as_select())
            .order(shared_response_proposals::id)
            .into_boxed();
        if let Some(a) = after {
            q = q.filter(shared_response_proposals::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }

    /// How many times each of these responses was proposed (no case named).
    pub fn counts(
        conn: &mut DbConn,
        responses: &[&SharedResponseId],
    ) -> Result<HashMap<String, i64>> {
        if responses.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<(String, i64)> = shared_response_proposals::table
            .filter(
                shared_response_proposals::shared_response_id
                    .eq_any(responses.iter().map(|r| r.as_str())),
            )
            .group_by(shared_response_proposals::shared_response_id)
            .select((
                shared_response_proposals::shared_response_id,
                diesel::dsl::count_star(),
            ))
            .load(conn)
            .db()?;
        Ok(rows.into_iter().collect())
    }
}

/// The organization of each of these network memberships.
pub fn member_organizations(
    conn: &mut DbConn,
    members: &[&MemberId],
) -> Result<HashMap<MemberId, OrganizationId>> {
    use super::schema::network_members;
    if members.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(String, String)> = network_members::table
        .filter(network_members::id.eq_any(members.iter().map(|m| m.as_str())))
        .select((network_members::id, network_members::organization_id))
        .load(conn)
        .db()?;
    Ok(rows
        .into_iter()
        .map(|(m, o)| (MemberId::from(m), OrganizationId::from(o)))
        .collect())
}
