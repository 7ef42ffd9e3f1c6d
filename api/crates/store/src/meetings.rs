//! Meetings of the monthly table (sedute), their agenda and decisions.

use diesel::prelude::*;
use sistema_lavoro_domain::states::{AgendaItemKind, DecisionKind, MeetingStatus};

use super::schema::{agenda_items, decisions, meetings};
use super::types::JsonList;
use super::{Db, DbConn, Result};
use crate::direct::direct;

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
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: MeetingStatus,
    #[diesel(deserialize_as = JsonList<String>, serialize_as = JsonList<String>)]
    pub participants: Vec<String>,
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
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: AgendaItemKind,
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
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub decision: DecisionKind,
    pub agency_id: Option<String>,
    #[diesel(deserialize_as = JsonList<String>, serialize_as = JsonList<String>)]
    pub measure_ids: Vec<String>,
    pub reason: Option<String>,
    pub decided_by: String,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

impl Meeting {
    pub fn find(conn: &mut DbConn, id: &str) -> Result<Meeting> {
        direct!(conn, |c| meetings::table
            .find(id)
            .select(Meeting::as_select())
            .first(c))
        .db()
    }

    pub fn insert(conn: &mut DbConn, m: &Meeting) -> Result<()> {
        diesel::insert_into(meetings::table)
            .values(m.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn save_if(conn: &mut DbConn, m: &Meeting, expected: MeetingStatus) -> Result<bool> {
        let n = diesel::update(
            meetings::table
                .find(&m.id)
                .filter(meetings::status.eq(expected.as_str())),
        )
        .set(m.clone())
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }

    pub fn list(
        conn: &mut DbConn,
        district_id: &str,
        status: Option<MeetingStatus>,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Meeting>> {
        let mut q = meetings::table
            .filter(meetings::district_id.eq(district_id))
            .select(Meeting::as_select())
            .order(meetings::id)
            .into_boxed();
        if let Some(s) = status {
            q = q.filter(meetings::status.eq(s.as_str()));
        }
        if let Some(a) = after {
            q = q.filter(meetings::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }

    pub fn open_in(conn: &mut DbConn, district_id: &str) -> Result<Option<Meeting>> {
        direct!(conn, |c| meetings::table
            .filter(meetings::district_id.eq(district_id))
            .filter(meetings::status.eq(MeetingStatus::Open.as_str()))
            .select(Meeting::as_select())
            .first(c)
            .optional())
        .db()
    }

    pub fn next_planned(conn: &mut DbConn, district_id: &str) -> Result<Option<Meeting>> {
        direct!(conn, |c| meetings::table
            .filter(meetings::district_id.eq(district_id))
            .filter(meetings::status.ne(MeetingStatus::Closed.as_str()))
            .order((meetings::scheduled_for, meetings::id))
            .select(Meeting::as_select())
            .first(c)
            .optional())
        .db()
    }
}

/// How many rows of `table` each meeting has (for lists of meetings).
macro_rules! counts_by_meeting {
    ($table:ident, $conn:expr, $ids:expr) => {{
        let ids: &[&str] = $ids;
        if ids.is_empty() {
            return Ok(Default::default());
        }
        let rows: Vec<(String, i64)> = $table::table
            .filter($table::meeting_id.eq_any(ids))
            .group_by($table::meeting_id)
            .select(($table::meeting_id, diesel::dsl::count_star()))
            .load($conn)
            .db()?;
        Ok(rows.into_iter().collect())
    }};
}

impl AgendaItem {
    pub fn counts(
        conn: &mut DbConn,
        meeting_ids: &[&str],
    ) -> Result<std::collections::HashMap<String, i64>> {
        counts_by_meeting!(agenda_items, conn, meeting_ids)
    }

    pub fn insert(conn: &mut DbConn, item: &AgendaItem) -> Result<()> {
        diesel::insert_into(agenda_items::table)
            .values(item.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn of_meeting(conn: &mut DbConn, meeting_id: &str) -> Result<Vec<AgendaItem>> {
        direct!(conn, |c| agenda_items::table
            .filter(agenda_items::meeting_id.eq(meeting_id))
            .order(agenda_items::id)
            .select(AgendaItem::as_select())
            .load(c))
        .db()
    }

    pub fn find(conn: &mut DbConn, meeting_id: &str, id: &str) -> Result<AgendaItem> {
        direct!(conn, |c| agenda_items::table
            .filter(agenda_items::meeting_id.eq(meeting_id))
            .filter(agenda_items::id.eq(id))
            .select(AgendaItem::as_select())
            .first(c))
        .db()
    }

    pub fn delete(conn: &mut DbConn, id: &str) -> Result<usize> {
        diesel::delete(agenda_items::table.find(id))
            .execute(conn)
            .db()
    }
}

impl Decision {
    pub fn counts(
        conn: &mut DbConn,
        meeting_ids: &[&str],
    ) -> Result<std::collections::HashMap<String, i64>> {
        counts_by_meeting!(decisions, conn, meeting_ids)
    }

    pub fn of_meeting(conn: &mut DbConn, meeting_id: &str) -> Result<Vec<Decision>> {
        direct!(conn, |c| decisions::table
            .filter(decisions::meeting_id.eq(meeting_id))
            .order(decisions::id)
            .select(Decision::as_select())
            .load(c))
        .db()
    }

    pub fn for_item(
        conn: &mut DbConn,
        meeting_id: &str,
        referral_id: Option<&str>,
        case_id: Option<&str>,
    ) -> Result<Option<Decision>> {
        let mut q = decisions::table
            .filter(decisions::meeting_id.eq(meeting_id))
            .select(Decision::as_select())
            .into_boxed();
        q = match (referral_id, case_id) {
            (Some(r), _) => q.filter(decisions::referral_id.eq(r)),
            (None, Some(c)) => q.filter(decisions::case_id.eq(c)),
            (None, None) => return Ok(None),
        };
        q.first(conn).optional().db()
    }

    pub fn insert(conn: &mut DbConn, d: &Decision) -> Result<()> {
        diesel::insert_into(decisions::table)
            .values(d.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn save(conn: &mut DbConn, d: &Decision) -> Result<()> {
        diesel::update(decisions::table.find(&d.id))
            .set(d.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn delete_for_item(
        conn: &mut DbConn,
        meeting_id: &str,
        referral_id: Option<&str>,
        case_id: Option<&str>,
    ) -> Result<usize> {
        match (referral_id, case_id) {
            (Some(r), _) => diesel::delete(
                decisions::table
                    .filter(decisions::meeting_id.eq(meeting_id))
                    .filter(decisions::referral_id.eq(r)),
            )
            .execute(conn)
            .db(),
            (None, Some(c)) => diesel::delete(
                decisions::table
                    .filter(decisions::meeting_id.eq(meeting_id))
                    .filter(decisions::case_id.eq(c)),
            )
            .execute(conn)
            .db(),
            (None, None) => Ok(0),
        }
    }
}
