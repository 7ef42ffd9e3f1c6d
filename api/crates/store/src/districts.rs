//! Districts (Ambiti territoriali): the tenants.

use diesel::prelude::*;
use sistema_lavoro_domain::ids::DistrictId;

use super::schema::districts;
use super::{Db, DbConn, Result};
use crate::direct::direct;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = districts)]
pub struct District {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: DistrictId,
    pub code: String,
    pub name: String,
    pub timezone: String,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
    /// Years after a person's last case closed before the retention job anonymises her.
    pub retention_years: i32,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = districts)]
pub struct NewDistrict<'a> {
    pub id: &'a str,
    pub code: &'a str,
    pub name: &'a str,
    pub timezone: &'a str,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = districts)]
pub struct DistrictChanges {
    pub code: Option<String>,
    pub name: Option<String>,
    pub timezone: Option<String>,
    pub retention_years: Option<i32>,
    pub updated_at: Option<chrono::NaiveDateTime>,
}

impl District {
    pub fn find(conn: &mut DbConn, id: &DistrictId) -> Result<District> {
        direct!(conn, |c| districts::table
            .find(id.as_str())
            .select(District::as_select())
            .first(c))
        .db()
    }

    /// Every district's id: what the clock-driven jobs go through.
    pub fn all_ids(conn: &mut DbConn) -> Result<Vec<DistrictId>> {
        let ids: Vec<String> = districts::table
            .select(districts::id)
            .order(districts::id)
            .load(conn)
            .db()?;
        Ok(ids.into_iter().map(Into::into).collect())
    }

    pub fn find_by_code(conn: &mut DbConn, code: &str) -> Result<Option<District>> {
        direct!(conn, |c| districts::table
            .filter(districts::code.eq(code))
            .select(District::as_select())
            .first(c)
            .optional())
        .db()
    }

    pub fn list(conn: &mut DbConn, after: Option<&str>, limit: i64) -> Result<Vec<District>> {
        let mut q = districts::table
            .select(District::as_select())
            .order(districts::id)
            .into_boxed();
        if let Some(a) = after {
            q = q.filter(districts::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }

    pub fn insert(conn: &mut DbConn, new: &NewDistrict) -> Result<District> {
        diesel::insert_into(districts::table)
            .values(new)
            .execute(conn)
            .db()?;
        District::find(conn, &DistrictId::from(new.id))
    }

    pub fn update(
        conn: &mut DbConn,
        id: &DistrictId,
        changes: &DistrictChanges,
    ) -> Result<District> {
        diesel::update(districts::table.find(id.as_str()))
            .set(changes)
            .execute(conn)
            .db()?;
        District::find(conn, id)
    }
}
