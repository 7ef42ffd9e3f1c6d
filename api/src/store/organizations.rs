//! Organizations (enti): members of a district's networks; accredited agencies hold cases.

use diesel::prelude::*;

use super::schema::organizations;
use super::DbConn;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = organizations)]
pub struct Organization {
    pub id: String,
    pub district_id: String,
    pub name: String,
    pub kind: String,
    pub accreditation_code: Option<String>,
    pub tax_code: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub active: bool,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = organizations)]
pub struct NewOrganization {
    pub id: String,
    pub district_id: String,
    pub name: String,
    pub kind: String,
    pub accreditation_code: Option<String>,
    pub tax_code: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub active: bool,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = organizations)]
pub struct OrganizationChanges {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub accreditation_code: Option<Option<String>>,
    pub tax_code: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub active: Option<bool>,
    pub updated_at: Option<chrono::NaiveDateTime>,
}

#[derive(Debug, Default)]
pub struct OrganizationFilter {
    pub district_id: Option<String>,
    pub kind: Option<String>,
    pub active: Option<bool>,
}

impl Organization {
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Organization> {
        organizations::table
            .find(id)
            .select(Organization::as_select())
            .first(conn)
    }

    pub fn list(
        conn: &mut DbConn,
        filter: &OrganizationFilter,
        after: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<Organization>> {
        let mut q = organizations::table
            .select(Organization::as_select())
            .order(organizations::id)
            .into_boxed();
        if let Some(d) = &filter.district_id {
            q = q.filter(organizations::district_id.eq(d.clone()));
        }
        if let Some(k) = &filter.kind {
            q = q.filter(organizations::kind.eq(k.clone()));
        }
        if let Some(a) = filter.active {
            q = q.filter(organizations::active.eq(a));
        }
        if let Some(a) = after {
            q = q.filter(organizations::id.gt(a.to_string()));
        }
        q.limit(limit + 1).load(conn)
    }

    pub fn insert(conn: &mut DbConn, new: &NewOrganization) -> QueryResult<Organization> {
        diesel::insert_into(organizations::table)
            .values(new)
            .execute(conn)?;
        Organization::find(conn, &new.id)
    }

    pub fn update(
        conn: &mut DbConn,
        id: &str,
        changes: &OrganizationChanges,
    ) -> QueryResult<Organization> {
        diesel::update(organizations::table.find(id))
            .set(changes)
            .execute(conn)?;
        Organization::find(conn, id)
    }
}
