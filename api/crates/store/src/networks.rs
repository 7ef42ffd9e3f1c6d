//! Networks of the territory (reti), their members' adhesions and pledged resources.

use chrono::NaiveDate;
use diesel::prelude::*;
use sistema_lavoro_domain::ids::{DistrictId, MemberId, NetworkId, OrganizationId, ResourceId};
use sistema_lavoro_domain::networks::{
    MemberRole, NetworkKind, NetworkObjective, NetworkStatus, ResourceKind, ResourceStatus,
};
use sistema_lavoro_domain::states::CaseStatus;
use sistema_lavoro_domain::OrganizationKind;

use super::schema::{cases, network_members, network_resources, networks, organizations};
use super::types::{JsonList, NullableText};
use super::{Db, DbConn, Result};
use crate::direct::direct;

#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, Identifiable, serde::Serialize,
)]
#[diesel(table_name = networks, treat_none_as_null = true)]
pub struct Network {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: NetworkId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub district_id: DistrictId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: NetworkKind,
    pub name: String,
    pub purpose: Option<String>,
    #[diesel(deserialize_as = JsonList<NetworkObjective>, serialize_as = JsonList<NetworkObjective>)]
    pub objectives: Vec<NetworkObjective>,
    pub objectives_other: Option<String>,
    #[diesel(deserialize_as = NullableText<OrganizationId>, serialize_as = NullableText<OrganizationId>)]
    pub promoter_organization_id: Option<OrganizationId>,
    #[diesel(deserialize_as = NullableText<OrganizationId>, serialize_as = NullableText<OrganizationId>)]
    pub coordinating_organization_id: Option<OrganizationId>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: NetworkStatus,
    pub accepts_join_requests: bool,
    pub created_by: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize)]
#[diesel(table_name = network_members, treat_none_as_null = true)]
pub struct Member {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: MemberId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub network_id: NetworkId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub organization_id: OrganizationId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub role: MemberRole,
    pub joined_on: NaiveDate,
    pub approval_act_number: Option<String>,
    pub approval_act_date: Option<NaiveDate>,
    pub approval_document_id: Option<String>,
    pub withdrawn_on: Option<NaiveDate>,
    pub withdrawal_reason: Option<String>,
    pub created_by: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize)]
#[diesel(table_name = network_resources, treat_none_as_null = true)]
pub struct Resource {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: ResourceId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub network_id: NetworkId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub organization_id: OrganizationId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: ResourceKind,
    pub description: Option<String>,
    pub amount_cents: Option<i64>,
    pub hours: Option<i64>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: ResourceStatus,
    pub created_by: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

/// A resource as totals count it: its organization, kind, euro cents, hours.
pub type Counted = (OrganizationId, ResourceKind, Option<i64>, Option<i64>);

/// Which memberships a member list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembersOn {
    /// Members on this date: joined on or before it, not withdrawn by it.
    Date(NaiveDate),
    /// Every adhesion ever, withdrawn ones included.
    History,
}

/// An active member with what the rules need: its organization's kind, and whether it is an
/// accredited agency that has taken beneficiaries in charge in the district.
#[derive(Debug, Clone)]
pub struct MemberKind {
    pub network_id: NetworkId,
    pub organization_id: OrganizationId,
    pub kind: OrganizationKind,
}

/// Case states from which an agency "has taken charge" (in charge or later).
const TAKEN_IN_CHARGE: [CaseStatus; 4] = [
    CaseStatus::InCharge,
    CaseStatus::Active,
    CaseStatus::Monitoring,
    CaseStatus::Closed,
];

impl Network {
    pub fn find(conn: &mut DbConn, id: &NetworkId) -> Result<Network> {
        direct!(conn, |c| networks::table
            .find(id.as_str())
            .select(Network::as_select())
            .first(c))
        .db()
    }

    pub fn insert(conn: &mut DbConn, n: &Network) -> Result<()> {
        diesel::insert_into(networks::table)
            .values(n.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn save_if(conn: &mut DbConn, n: &Network, expected: NetworkStatus) -> Result<bool> {
        let count = diesel::update(
            networks::table
                .find(n.id.as_str())
                .filter(networks::status.eq(expected.as_str())),
        )
        .set(n.clone())
        .execute(conn)
        .db()?;
        Ok(count == 1)
    }

    /// The kinds of these organizations, by id.
    pub fn organization_kinds(
        conn: &mut DbConn,
        ids: &[&OrganizationId],
    ) -> Result<Vec<(OrganizationId, OrganizationKind)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(String, String)> = organizations::table
            .filter(organizations::id.eq_any(ids.iter().map(|i| i.as_str())))
            .select((organizations::id, organizations::kind))
            .load(conn)
            .db()?;
        rows.into_iter()
            .map(|(i, k)| Ok((OrganizationId::from(i), OrganizationKind::from_db(&k)?)))
            .collect()
    }

    /// The district's monthly table (Tavolo Sistema Lavoro), if it has one.
    pub fn table_of(conn: &mut DbConn, district_id: &DistrictId) -> Result<Option<Network>> {
        direct!(conn, |c| networks::table
            .filter(networks::district_id.eq(district_id.as_str()))
            .filter(networks::kind.eq(NetworkKind::CoordinationTable.as_str()))
            .select(Network::as_select())
            .first(c)
            .optional())
        .db()
    }

    /// A district's networks by id; with `organization`, only those it coordinates or is an
    /// active member of.
    #[allow(clippy::too_many_arguments)]
    pub fn list(
        conn: &mut DbConn,
        district_id: &DistrictId,
        organization: Option<&OrganizationId>,
        kind: Option<NetworkKind>,
        status: Option<NetworkStatus>,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Network>> {
        let mut q = networks::table
            .filter(networks::district_id.eq(district_id.as_str()))
            .select(Network::as_select())
            .order(networks::id)
            .into_boxed();
        if let Some(o) = organization {
            let member_of = network_members::table
                .filter(network_members::organization_id.eq(o.as_str()))
                .filter(network_members::withdrawn_on.is_null())
                .select(network_members::network_id);
            q = q.filter(
                networks::coordinating_organization_id
                    .eq(o.as_str())
                    .or(networks::id.eq_any(member_of)),
            );
        }
        if let Some(k) = kind {
            q = q.filter(networks::kind.eq(k.as_str()));
        }
        if let Some(s) = status {
            q = q.filter(networks::status.eq(s.as_str()));
        }
        if let Some(a) = after {
            q = q.filter(networks::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }
}

impl Member {
    pub fn find(conn: &mut DbConn, id: &MemberId) -> Result<Member> {
        direct!(conn, |c| network_members::table
            .find(id.as_str())
            .select(Member::as_select())
            .first(c))
        .db()
    }

    pub fn insert(conn: &mut DbConn, m: &Member) -> Result<()> {
        diesel::insert_into(network_members::table)
            .values(m.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    /// Records a withdrawal, only if the membership was still active.
    pub fn save_withdrawal(conn: &mut DbConn, m: &Member) -> Result<bool> {
        let n = diesel::update(
            network_members::table
                .find(m.id.as_str())
                .filter(network_members::withdrawn_on.is_null()),
        )
        .set(m.clone())
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }

    /// The organization's membership not yet withdrawn, if any.
    pub fn active_of(
        conn: &mut DbConn,
        network_id: &NetworkId,
        organization_id: &OrganizationId,
    ) -> Result<Option<Member>> {
        direct!(conn, |c| network_members::table
            .filter(network_members::network_id.eq(network_id.as_str()))
            .filter(network_members::organization_id.eq(organization_id.as_str()))
            .filter(network_members::withdrawn_on.is_null())
            .select(Member::as_select())
            .first(c)
            .optional())
        .db()
    }

    /// The networks (among `network_ids`) the organization is a member of on `day`.
    pub fn member_of(
        conn: &mut DbConn,
        organization_id: &OrganizationId,
        network_ids: &[&NetworkId],
        day: NaiveDate,
    ) -> Result<Vec<NetworkId>> {
        if network_ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = network_members::table
            .filter(network_members::organization_id.eq(organization_id.as_str()))
            .filter(network_members::network_id.eq_any(network_ids.iter().map(|i| i.as_str())))
            .filter(network_members::joined_on.le(day))
            .filter(
                network_members::withdrawn_on
                    .is_null()
                    .or(network_members::withdrawn_on.gt(day)),
            )
            .select(network_members::network_id)
            .load(conn)
            .db()?;
        Ok(ids.into_iter().map(NetworkId::from).collect())
    }

    /// A network's memberships, by joining date and id, a page at a time.
    pub fn list(
        conn: &mut DbConn,
        network_id: &NetworkId,
        on: MembersOn,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Member>> {
        let mut q = network_members::table
            .filter(network_members::network_id.eq(network_id.as_str()))
            .select(Member::as_select())
            .order(network_members::id)
            .into_boxed();
        if let MembersOn::Date(day) = on {
            q = q.filter(network_members::joined_on.le(day)).filter(
                network_members::withdrawn_on
                    .is_null()
                    .or(network_members::withdrawn_on.gt(day)),
            );
        }
        if let Some(a) = after {
            q = q.filter(network_members::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }

    /// Members of these networks on `day`, with their organization's kind.
    pub fn kinds_on(
        conn: &mut DbConn,
        network_ids: &[&NetworkId],
        day: NaiveDate,
    ) -> Result<Vec<MemberKind>> {
        if network_ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(String, String, String)> = network_members::table
            .inner_join(organizations::table)
            .filter(network_members::network_id.eq_any(network_ids.iter().map(|i| i.as_str())))
            .filter(network_members::joined_on.le(day))
            .filter(
                network_members::withdrawn_on
                    .is_null()
                    .or(network_members::withdrawn_on.gt(day)),
            )
            .select((
                network_members::network_id,
                network_members::organization_id,
                organizations::kind,
            ))
            .load(conn)
            .db()?;
        rows.into_iter()
            .map(|(n, o, k)| {
                Ok(MemberKind {
                    network_id: n.into(),
                    organization_id: o.into(),
                    kind: OrganizationKind::from_db(&k)?,
                })
            })
            .collect()
    }

    /// Of these agencies, those with a case of the district taken in charge (or later).
    pub fn agencies_that_took_charge(
        conn: &mut DbConn,
        district_id: &DistrictId,
        agency_ids: &[&OrganizationId],
    ) -> Result<Vec<OrganizationId>> {
        if agency_ids.is_empty() {
            return Ok(Vec::new());
        }
        // One `EXISTS … LIMIT 1` per agency (a page names a handful): it stops at the first
        // such case, where a `DISTINCT` over every case of the agencies read them all.
        let mut out = Vec::new();
        for agency in agency_ids {
            let took = diesel::select(diesel::dsl::exists(
                cases::table
                    .filter(cases::district_id.eq(district_id.as_str()))
                    .filter(cases::agency_id.eq(agency.as_str()))
                    .filter(
                        cases::status
                            .eq_any(TAKEN_IN_CHARGE.iter().map(|s| s.as_str()))
                            .or(cases::first_meeting_date.is_not_null()),
                    ),
            ))
            .get_result::<bool>(conn)
            .db()?;
            if took {
                out.push((*agency).clone());
            }
        }
        Ok(out)
    }
}

impl Resource {
    pub fn find(conn: &mut DbConn, id: &ResourceId) -> Result<Resource> {
        direct!(conn, |c| network_resources::table
            .find(id.as_str())
            .select(Resource::as_select())
            .first(c))
        .db()
    }

    pub fn insert(conn: &mut DbConn, r: &Resource) -> Result<()> {
        diesel::insert_into(network_resources::table)
            .values(r.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn save_if(conn: &mut DbConn, r: &Resource, expected: ResourceStatus) -> Result<bool> {
        let n = diesel::update(
            network_resources::table
                .find(r.id.as_str())
                .filter(network_resources::status.eq(expected.as_str())),
        )
        .set(r.clone())
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }

    /// A network's resources by id, a page at a time.
    pub fn list(
        conn: &mut DbConn,
        network_id: &NetworkId,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Resource>> {
        let mut q = network_resources::table
            .filter(network_resources::network_id.eq(network_id.as_str()))
            .select(Resource::as_select())
            .order(network_resources::id)
            .into_boxed();
        if let Some(a) = after {
            q = q.filter(network_resources::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }

    /// Every resource of a network that counts in its totals (not withdrawn): organization,
    /// kind, cents, hours.
    pub fn totals_of(conn: &mut DbConn, network_id: &NetworkId) -> Result<Vec<Counted>> {
        let rows: Vec<(String, String, Option<i64>, Option<i64>)> = direct!(conn, |c| {
            network_resources::table
                .filter(network_resources::network_id.eq(network_id.as_str()))
                .filter(network_resources::status.ne(ResourceStatus::Withdrawn.as_str()))
                .select((
                    network_resources::organization_id,
                    network_resources::kind,
                    network_resources::amount_cents,
                    network_resources::hours,
                ))
                .load(c)
        })
        .db()?;
        rows.into_iter()
            .map(|(o, k, c, h)| Ok((o.into(), ResourceKind::from_db(&k)?, c, h)))
            .collect()
    }
}
