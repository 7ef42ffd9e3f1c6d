//! User accounts: one role each, attached to an organization and a district.

use super::types::NullableText;
use diesel::prelude::*;
use sistema_lavoro_domain::ids::{DistrictId, OrganizationId, UserId};
use sistema_lavoro_domain::Role;

use super::schema::users;
use super::{Db, DbConn, Result};
use crate::direct::direct;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: UserId,
    pub email: String,
    pub full_name: String,
    pub password_hash: String,
    #[diesel(deserialize_as = String)]
    pub role: Role,
    #[diesel(deserialize_as = NullableText<OrganizationId>, serialize_as = NullableText<OrganizationId>)]
    pub organization_id: Option<OrganizationId>,
    #[diesel(deserialize_as = NullableText<DistrictId>, serialize_as = NullableText<DistrictId>)]
    pub district_id: Option<DistrictId>,
    pub active: bool,
    pub last_login_at: Option<chrono::NaiveDateTime>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: UserId,
    pub email: String,
    pub full_name: String,
    pub password_hash: String,
    #[diesel(serialize_as = String)]
    pub role: Role,
    #[diesel(deserialize_as = NullableText<OrganizationId>, serialize_as = NullableText<OrganizationId>)]
    pub organization_id: Option<OrganizationId>,
    #[diesel(deserialize_as = NullableText<DistrictId>, serialize_as = NullableText<DistrictId>)]
    pub district_id: Option<DistrictId>,
    pub active: bool,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

/// Changes to an account; `None` leaves a field as it is.
#[derive(Debug, Default, Clone)]
pub struct UserChanges {
    pub full_name: Option<String>,
    pub password_hash: Option<String>,
    pub role: Option<Role>,
    pub organization_id: Option<Option<OrganizationId>>,
    pub district_id: Option<Option<DistrictId>>,
    pub active: Option<bool>,
    pub updated_at: Option<chrono::NaiveDateTime>,
}

#[derive(AsChangeset)]
#[diesel(table_name = users)]
struct Changeset {
    full_name: Option<String>,
    password_hash: Option<String>,
    role: Option<String>,
    organization_id: Option<Option<String>>,
    district_id: Option<Option<String>>,
    active: Option<bool>,
    updated_at: Option<chrono::NaiveDateTime>,
}

#[derive(Debug, Default)]
pub struct UserFilter {
    pub district_id: Option<DistrictId>,
    pub organization_id: Option<OrganizationId>,
    pub role: Option<Role>,
}

/// What an account's access tokens grant, as it stands now.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserGrant {
    pub active: bool,
    #[diesel(deserialize_as = String)]
    pub role: Role,
    #[diesel(deserialize_as = NullableText<OrganizationId>, serialize_as = NullableText<OrganizationId>)]
    pub organization_id: Option<OrganizationId>,
    #[diesel(deserialize_as = NullableText<DistrictId>, serialize_as = NullableText<DistrictId>)]
    pub district_id: Option<DistrictId>,
    pub password_hash: String,
}

impl User {
    pub fn find(conn: &mut DbConn, id: &UserId) -> Result<User> {
        direct!(conn, |c| users::table
            .find(id.as_str())
            .select(User::as_select())
            .first(c))
        .db()
    }

    pub fn find_by_email(conn: &mut DbConn, email: &str) -> Result<Option<User>> {
        direct!(conn, |c| users::table
            .filter(users::email.eq(email))
            .select(User::as_select())
            .first(c)
            .optional())
        .db()
    }

    /// The organization of whoever created a record, if that account has one.
    /// The organization of a user, or of an integration client (`client:<id>`, as audit rows
    /// and `created_by` name it): a tool registers persons for its organization.
    pub fn organization_of(conn: &mut DbConn, id: &UserId) -> Result<Option<OrganizationId>> {
        if let Some(client) = id.as_str().strip_prefix("client:") {
            use super::schema::integration_clients;
            return Ok(integration_clients::table
                .find(client)
                .select(integration_clients::organization_id)
                .first::<String>(conn)
                .optional()
                .db()?
                .map(OrganizationId::from));
        }
        Ok(users::table
            .find(id.as_str())
            .select(users::organization_id)
            .first::<Option<String>>(conn)
            .optional()
            .db()?
            .flatten()
            .map(OrganizationId::from))
    }

    pub fn grant(conn: &mut DbConn, id: &UserId) -> Result<Option<UserGrant>> {
        direct!(conn, |c| users::table
            .find(id.as_str())
            .select(UserGrant::as_select())
            .first(c)
            .optional())
        .db()
    }

    pub fn list(
        conn: &mut DbConn,
        filter: &UserFilter,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<User>> {
        let mut q = users::table
            .select(User::as_select())
            .order(users::id)
            .into_boxed();
        if let Some(d) = &filter.district_id {
            q = q.filter(users::district_id.eq(d.as_str()));
        }
        if let Some(o) = &filter.organization_id {
            q = q.filter(users::organization_id.eq(o.as_str()));
        }
        if let Some(r) = filter.role {
            q = q.filter(users::role.eq(r.as_str()));
        }
        if let Some(a) = after {
            q = q.filter(users::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }

    /// The active agency operators of an organization, by name (at most `limit`): who may be
    /// named responsible for a case's service pact.
    pub fn operators_of(
        conn: &mut DbConn,
        organization: &OrganizationId,
        limit: i64,
    ) -> Result<Vec<User>> {
        users::table
            .select(User::as_select())
            .filter(users::organization_id.eq(organization.as_str()))
            .filter(users::role.eq(Role::AgencyOperator.as_str()))
            .filter(users::active.eq(true))
            .order((users::full_name, users::id))
            .limit(limit)
            .load(conn)
            .db()
    }

    /// The names of these accounts, by id (for minutes and timelines).
    pub fn names(conn: &mut DbConn, ids: &[&UserId]) -> Result<Vec<(UserId, String)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(String, String)> = direct!(conn, |c| users::table
            .filter(users::id.eq_any(ids.iter().map(|i| i.as_str())))
            .select((users::id, users::full_name))
            .load(c))
        .db()?;
        Ok(rows.into_iter().map(|(id, n)| (id.into(), n)).collect())
    }

    pub fn insert(conn: &mut DbConn, new: &NewUser) -> Result<User> {
        diesel::insert_into(users::table)
            .values(new.clone())
            .execute(conn)
            .db()?;
        User::find(conn, &new.id)
    }

    pub fn update(conn: &mut DbConn, id: &UserId, changes: &UserChanges) -> Result<User> {
        let c = changes.clone();
        diesel::update(users::table.find(id.as_str()))
            .set(Changeset {
                full_name: c.full_name,
                password_hash: c.password_hash,
                role: c.role.map(String::from),
                organization_id: c.organization_id.map(|o| o.map(String::from)),
                district_id: c.district_id.map(|d| d.map(String::from)),
                active: c.active,
                updated_at: c.updated_at,
            })
            .execute(conn)
            .db()?;
        User::find(conn, id)
    }

    pub fn touch_login(conn: &mut DbConn, id: &UserId, at: chrono::NaiveDateTime) -> Result<usize> {
        diesel::update(users::table.find(id.as_str()))
            .set(users::last_login_at.eq(Some(at)))
            .execute(conn)
            .db()
    }
}
