//! The DPO's registers: per-activity notes on the generated register of processing
//! (art. 30), and the data-breach register (art. 33.5).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sistema_lavoro_domain::breaches::{
    BreachDataCategory, BreachSubjectCategory, GaranteNotification,
};
use sistema_lavoro_domain::ids::{DataBreachId, DistrictId};
use sistema_lavoro_domain::processing::ProcessingActivityCode;
use sistema_lavoro_domain::Role;

use super::schema::{data_breaches, processing_activity_notes as notes, users};
use super::types::JsonList;
use super::{Db, DbConn, Result};

/// What the DPO adapted on one activity of the register.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = notes, treat_none_as_null = true)]
pub struct ActivityNote {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub district_id: DistrictId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub activity_code: ProcessingActivityCode,
    pub notes: Option<String>,
    pub retention_override: Option<String>,
    pub recipients_extra: Option<String>,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
}

impl ActivityNote {
    /// The district's notes, one per activity that has any.
    pub fn of_district(conn: &mut DbConn, district: &DistrictId) -> Result<Vec<ActivityNote>> {
        notes::table
            .filter(notes::district_id.eq(district.as_str()))
            .order(notes::activity_code)
            .select(ActivityNote::as_select())
            .load(conn)
            .db()
    }

    pub fn find(
        conn: &mut DbConn,
        district: &DistrictId,
        code: ProcessingActivityCode,
    ) -> Result<Option<ActivityNote>> {
        notes::table
            .filter(notes::district_id.eq(district.as_str()))
            .filter(notes::activity_code.eq(code.as_str()))
            .select(ActivityNote::as_select())
            .first(conn)
            .optional()
            .db()
    }

    pub fn insert(conn: &mut DbConn, n: &ActivityNote) -> Result<()> {
        diesel::insert_into(notes::table)
            .values(n.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    /// Saves the note only if nobody saved it since `read_at` (its version when read).
    pub fn save_if(conn: &mut DbConn, n: &ActivityNote, read_at: NaiveDateTime) -> Result<bool> {
        let count = diesel::update(
            notes::table
                .filter(notes::district_id.eq(n.district_id.as_str()))
                .filter(notes::activity_code.eq(n.activity_code.as_str()))
                .filter(notes::updated_at.eq(read_at)),
        )
        .set((
            notes::notes.eq(&n.notes),
            notes::retention_override.eq(&n.retention_override),
            notes::recipients_extra.eq(&n.recipients_extra),
            notes::updated_by.eq(&n.updated_by),
            notes::updated_at.eq(n.updated_at),
        ))
        .execute(conn)
        .db()?;
        Ok(count == 1)
    }
}

/// The district's data protection officers (name, e-mail), active ones, by name.
pub fn dpo_contacts(conn: &mut DbConn, district: &DistrictId) -> Result<Vec<(String, String)>> {
    users::table
        .filter(users::district_id.eq(district.as_str()))
        .filter(users::role.eq(Role::PrivacyOfficer.as_str()))
        .filter(users::active.eq(true))
        .order((users::full_name, users::id))
        .select((users::full_name, users::email))
        .load(conn)
        .db()
}

/// One entry of the data-breach register.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize)]
#[diesel(table_name = data_breaches, treat_none_as_null = true)]
pub struct Breach {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: DataBreachId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub district_id: DistrictId,
    pub title: String,
    pub description: String,
    pub occurred_at: NaiveDateTime,
    pub discovered_at: NaiveDateTime,
    #[diesel(deserialize_as = JsonList<BreachDataCategory>, serialize_as = JsonList<BreachDataCategory>)]
    pub data_categories: Vec<BreachDataCategory>,
    #[diesel(deserialize_as = JsonList<BreachSubjectCategory>, serialize_as = JsonList<BreachSubjectCategory>)]
    pub subject_categories: Vec<BreachSubjectCategory>,
    pub subjects_affected: i32,
    pub records_affected: i32,
    pub consequences: String,
    pub measures_taken: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub garante_notification: GaranteNotification,
    pub garante_notified_at: Option<NaiveDateTime>,
    pub notification_reason: Option<String>,
    pub subjects_informed_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Breach {
    pub fn insert(conn: &mut DbConn, b: &Breach) -> Result<()> {
        diesel::insert_into(data_breaches::table)
            .values(b.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn find(conn: &mut DbConn, id: &DataBreachId) -> Result<Option<Breach>> {
        data_breaches::table
            .find(id.as_str())
            .select(Breach::as_select())
            .first(conn)
            .optional()
            .db()
    }

    /// A page of the district's register, by id (the order they were recorded).
    pub fn page(
        conn: &mut DbConn,
        district: &DistrictId,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Breach>> {
        let mut q = data_breaches::table
            .filter(data_breaches::district_id.eq(district.as_str()))
            .order(data_breaches::id)
            .select(Breach::as_select())
            .into_boxed();
        if let Some(a) = after {
            q = q.filter(data_breaches::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }

    /// Saves the edit only if the row is still at the version it was read at.
    pub fn save_if(conn: &mut DbConn, b: &Breach, read_at: NaiveDateTime) -> Result<bool> {
        let count = diesel::update(
            data_breaches::table
                .find(b.id.as_str())
                .filter(data_breaches::updated_at.eq(read_at)),
        )
        .set(b.clone())
        .execute(conn)
        .db()?;
        Ok(count == 1)
    }
}
