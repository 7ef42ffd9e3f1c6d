//! Meetings of the monthly table (sedute), their agenda and decisions.

use diesel::prelude::*;

use super::schema::{agenda_items, decisions, meetings};
use super::DbConn;

#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, Identifiable, serde::Serialize,
)]
#[diesel(table_name = meetings, treat_none_as_null = true)]
pub struct Meeting {
    pub id: String,
    pub district_id: String,
    pub title: String,
    pub scheduled_for: chrono::NaiveDate,
    pub location: Option<String>,
    pub status: String,
    pub participants: String,
    pub minutes_md: Option<String>,
    pub minutes_html: Option<String>,
    pub opened_at: Option<chrono::NaiveDateTime>,
    pub closed_at: Option<chrono::NaiveDateTime>,
    pub created_by: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = agenda_items)]
pub struct AgendaItem {
    pub id: String,
    pub meeting_id: String,
    pub kind: String,
    pub referral_id: Option<String>,
    pub case_id: Option<String>,
    pub created_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = decisions, treat_none_as_null = true)]
pub struct Decision {
    pub id: String,
    pub meeting_id: String,
    pub referral_id: Option<String>,
    pub case_id: Option<String>,
    pub decision: String,
    pub agency_id: Option<String>,
    pub measure_ids: String,
    pub reason: Option<String>,
    pub decided_by: String,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

impl Meeting {
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Meeting> {
        meetings::table
            .find(id)
            .select(Meeting::as_select())
            .first(conn)
    }

    pub fn insert(conn: &mut DbConn, m: &Meeting) -> QueryResult<()> {
        diesel::insert_into(meetings::table)
            .values(m)
            .execute(conn)
            .map(|_| ())
    }

    pub fn save_if(conn: &mut DbConn, m: &Meeting, expected: &str) -> QueryResult<bool> {
        let n = diesel::update(
            meetings::table
                .find(&m.id)
                .filter(meetings::status.eq(expected)),
        )
        .set(m)
        .execute(conn)?;
        Ok(n == 1)
    }

    pub fn list(
        conn: &mut DbConn,
        district_id: &str,
        status: Option<&str>,
        after: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<Meeting>> {
        let mut q = meetings::table
            .filter(meetings::district_id.eq(district_id.to_string()))
            .select(Meeting::as_select())
            .order(meetings::id)
            .into_boxed();
        if let Some(s) = status {
            q = q.filter(meetings::status.eq(s.to_string()));
        }
        if let Some(a) = after {
            q = q.filter(meetings::id.gt(a.to_string()));
        }
        q.limit(limit + 1).load(conn)
    }

    pub fn open_in(conn: &mut DbConn, district_id: &str) -> QueryResult<Option<Meeting>> {
        meetings::table
            .filter(meetings::district_id.eq(district_id))
            .filter(meetings::status.eq("open"))
            .select(Meeting::as_select())
            .first(conn)
            .optional()
    }

    pub fn next_planned(conn: &mut DbConn, district_id: &str) -> QueryResult<Option<Meeting>> {
        meetings::table
            .filter(meetings::district_id.eq(district_id))
            .filter(meetings::status.ne("closed"))
            .order((meetings::scheduled_for, meetings::id))
            .select(Meeting::as_select())
            .first(conn)
            .optional()
    }
}

impl AgendaItem {
    pub fn insert(conn: &mut DbConn, item: &AgendaItem) -> QueryResult<()> {
        diesel::insert_into(agenda_items::table)
            .values(item)
            .execute(conn)
            .map(|_| ())
    }

    pub fn of_meeting(conn: &mut DbConn, meeting_id: &str) -> QueryResult<Vec<AgendaItem>> {
        agenda_items::table
            .filter(agenda_items::meeting_id.eq(meeting_id))
            .order(agenda_items::id)
            .select(AgendaItem::as_select())
            .load(conn)
    }

    pub fn find(conn: &mut DbConn, meeting_id: &str, id: &str) -> QueryResult<AgendaItem> {
        agenda_items::table
            .filter(agenda_items::meeting_id.eq(meeting_id))
            .filter(agenda_items::id.eq(id))
            .select(AgendaItem::as_select())
            .first(conn)
    }

    pub fn delete(conn: &mut DbConn, id: &str) -> QueryResult<usize> {
        diesel::delete(agenda_items::table.find(id)).execute(conn)
    }
}

impl Decision {
    pub fn of_meeting(conn: &mut DbConn, meeting_id: &str) -> QueryResult<Vec<Decision>> {
        decisions::table
            .filter(decisions::meeting_id.eq(meeting_id))
            .order(decisions::id)
            .select(Decision::as_select())
            .load(conn)
    }

    pub fn for_item(
        conn: &mut DbConn,
        meeting_id: &str,
        referral_id: Option<&str>,
        case_id: Option<&str>,
    ) -> QueryResult<Option<Decision>> {
        let mut q = decisions::table
            .filter(decisions::meeting_id.eq(meeting_id.to_string()))
            .select(Decision::as_select())
            .into_boxed();
        q = match (referral_id, case_id) {
            (Some(r), _) => q.filter(decisions::referral_id.eq(r.to_string())),
            (None, Some(c)) => q.filter(decisions::case_id.eq(c.to_string())),
            (None, None) => return Ok(None),
        };
        q.first(conn).optional()
    }

    pub fn insert(conn: &mut DbConn, d: &Decision) -> QueryResult<()> {
        diesel::insert_into(decisions::table)
            .values(d)
            .execute(conn)
            .map(|_| ())
    }

    pub fn save(conn: &mut DbConn, d: &Decision) -> QueryResult<()> {
        diesel::update(decisions::table.find(&d.id))
            .set(d)
            .execute(conn)
            .map(|_| ())
    }

    pub fn delete_for_item(
        conn: &mut DbConn,
        meeting_id: &str,
        referral_id: Option<&str>,
        case_id: Option<&str>,
    ) -> QueryResult<usize> {
        match (referral_id, case_id) {
            (Some(r), _) => diesel::delete(
                decisions::table
                    .filter(decisions::meeting_id.eq(meeting_id))
                    .filter(decisions::referral_id.eq(r)),
            )
            .execute(conn),
            (None, Some(c)) => diesel::delete(
                decisions::table
                    .filter(decisions::meeting_id.eq(meeting_id))
                    .filter(decisions::case_id.eq(c)),
            )
            .execute(conn),
            (None, None) => Ok(0),
        }
    }
}
