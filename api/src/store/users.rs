//! User accounts: one role each, attached to an organization and a district.

use diesel::prelude::*;

use super::schema::users;
use super::DbConn;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: String,
    pub email: String,
    pub full_name: String,
    pub password_hash: String,
    pub role: String,
    pub organization_id: Option<String>,
    pub district_id: Option<String>,
    pub active: bool,
    pub last_login_at: Option<chrono::NaiveDateTime>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    pub id: String,
    pub email: String,
    pub full_name: String,
    pub password_hash: String,
    pub role: String,
    pub organization_id: Option<String>,
    pub district_id: Option<String>,
    pub active: bool,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub full_name: Option<String>,
    pub password_hash: Option<String>,
    pub role: Option<String>,
    pub organization_id: Option<Option<String>>,
    pub district_id: Option<Option<String>>,
    pub active: Option<bool>,
    pub updated_at: Option<chrono::NaiveDateTime>,
}

#[derive(Debug, Default)]
pub struct UserFilter {
    pub district_id: Option<String>,
    pub organization_id: Option<String>,
    pub role: Option<String>,
}

impl User {
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<User> {
        users::table.find(id).select(User::as_select()).first(conn)
    }

    pub fn find_by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<User>> {
        users::table
            .filter(users::email.eq(email))
            .select(User::as_select())
            .first(conn)
            .optional()
    }

    pub fn list(
        conn: &mut DbConn,
        filter: &UserFilter,
        after: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<User>> {
        let mut q = users::table
            .select(User::as_select())
            .order(users::id)
            .into_boxed();
        if let Some(d) = &filter.district_id {
            q = q.filter(users::district_id.eq(d.clone()));
        }
        if let Some(o) = &filter.organization_id {
            q = q.filter(users::organization_id.eq(o.clone()));
        }
        if let Some(r) = &filter.role {
            q = q.filter(users::role.eq(r.clone()));
        }
        if let Some(a) = after {
            q = q.filter(users::id.gt(a.to_string()));
        }
        q.limit(limit + 1).load(conn)
    }

    pub fn insert(conn: &mut DbConn, new: &NewUser) -> QueryResult<User> {
        diesel::insert_into(users::table)
            .values(new)
            .execute(conn)?;
        User::find(conn, &new.id)
    }

    pub fn update(conn: &mut DbConn, id: &str, changes: &UserChanges) -> QueryResult<User> {
        diesel::update(users::table.find(id))
            .set(changes)
            .execute(conn)?;
        User::find(conn, id)
    }

    pub fn touch_login(
        conn: &mut DbConn,
        id: &str,
        at: chrono::NaiveDateTime,
    ) -> QueryResult<usize> {
        diesel::update(users::table.find(id))
            .set(users::last_login_at.eq(Some(at)))
            .execute(conn)
    }
}
