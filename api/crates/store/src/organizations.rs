//! Organizations (enti): members of a district's networks; accredited agencies hold cases.

use diesel::prelude::*;
use sistema_lavoro_domain::ids::{DistrictId, OrganizationId};
use sistema_lavoro_domain::OrganizationKind;

use super::schema::organizations;
use super::{Db, DbConn, Result};
use crate::direct::direct;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = organizations)]
pub struct Organization {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: OrganizationId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub district_id: DistrictId,
    pub name: String,
    #[diesel(deserialize_as = String)]
    pub kind: OrganizationKind,
    pub accreditation_code: Option<String>,
    pub tax_code: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub active: bool,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = organizations)]
pub struct NewOrganization {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: OrganizationId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub district_id: DistrictId,
    pub name: String,
    #[diesel(serialize_as = String)]
    pub kind: OrganizationKind,
    pub accreditation_code: Option<String>,
    pub tax_code: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub active: bool,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

/// Changes to an organization; `None` leaves a field as it is.
#[derive(Debug, Default, Clone)]
pub struct OrganizationChanges {
    pub name: Option<String>,
    pub kind: Option<OrganizationKind>,
    pub accreditation_code: Option<Option<String>>,
    pub tax_code: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub active: Option<bool>,
    pub updated_at: Option<chrono::NaiveDateTime>,
}

#[derive(AsChangeset)]
#[diesel(table_name = organizations)]
struct Changeset {
    name: Option<String>,
    kind: Option<String>,
    accreditation_code: Option<Option<String>>,
    tax_code: Option<Option<String>>,
    email: Option<Option<String>>,
    phone: Option<Option<String>>,
    active: Option<bool>,
    updated_at: Option<chrono::NaiveDateTime>,
}

#[derive(Debug, Default)]
pub struct OrganizationFilter {
    pub district_id: Option<DistrictId>,
    pub kind: Option<OrganizationKind>,
    pub active: Option<bool>,
}

impl Organization {
    pub fn find(conn: &mut DbConn, id: &OrganizationId) -> Result<Organization> {
        direct!(conn, |c| organizations::table
            .find(id.as_str())
            .select(Organization::as_select())
            .first(c))
        .db()
    }

    /// The names of these organizations, by id.
    pub fn names(
        conn: &mut DbConn,
        ids: &[&OrganizationId],
    ) -> Result<Vec<(OrganizationId, String)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(String, String)> = direct!(conn, |c| organizations::table
            .filter(organizations::id.eq_any(ids.iter().map(|i| i.as_str())))
            .select((organizations::id, organizations::name))
            .load(c))
        .db()?;
        Ok(rows.into_iter().map(|(id, n)| (id.into(), n)).collect())
    }

    /// The ids of a district's organizations of one kind (e.g. its Ufficio di Piano).
    pub fn ids_of_kind(
        conn: &mut DbConn,
        district_id: &DistrictId,
        kind: OrganizationKind,
    ) -> Result<Vec<OrganizationId>> {
        let ids: Vec<String> = direct!(conn, |c| organizations::table
            .filter(organizations::district_id.eq(district_id.as_str()))
            .filter(organizations::kind.eq(kind.as_str()))
            .select(organizations::id)
            .load(c))
        .db()?;
        Ok(ids.into_iter().map(OrganizationId::from).collect())
    }

    pub fn list(
        conn: &mut DbConn,
        filter: &OrganizationFilter,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Organization>> {
        let mut q = organizations::table
            .select(Organization::as_select())
            .order(organizations::id)
            .into_boxed();
        if let Some(d) = &filter.district_id {
            q = q.filter(organizations::district_id.eq(d.as_str()));
        }
        if let Some(k) = filter.kind {
            q = q.filter(organizations::kind.eq(k.as_str()));
        }
        if let Some(a) = filter.active {
            q = q.filter(organizations::active.eq(a));
        }
        if let Some(a) = after {
            q = q.filter(organizations::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }

    pub fn insert(conn: &mut DbConn, new: &NewOrganization) -> Result<Organization> {
        diesel::insert_into(organizations::table)
            .values(new.clone())
            .execute(conn)
            .db()?;
        Organization::find(conn, &new.id)
    }

    pub fn update(
        conn: &mut DbConn,
        id: &OrganizationId,
        changes: &OrganizationChanges,
    ) -> Result<Organization> {
        let c = changes.clone();
        diesel::update(organizations::table.find(id.as_str()))
            .set(Changeset {
                name: c.name,
                kind: c.kind.map(String::from),
                accreditation_code: c.accreditation_code,
                tax_code: c.tax_code,
                email: c.email,
                phone: c.phone,
                active: c.active,
                updated_at: c.updated_at,
            })
            .execute(conn)
            .db()?;
        Organization::find(conn, id)
    }
}
