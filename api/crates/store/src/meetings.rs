//! Meetings of the monthly table (sedute), their agenda and decisions.

use super::types::NullableText;
use diesel::prelude::*;
use sistema_lavoro_domain::ids::{
    AgendaItemId, CaseId, DecisionId, DistrictId, MeasureId, MeetingId, NetworkId, OrganizationId,
    ReferralId,
};
use sistema_lavoro_domain::meetings::{Attendee, MeetingKind, Topic};
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
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: MeetingId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub district_id: DistrictId,
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
    /// The network the meeting is a session of (the district's table for every meeting so far).
    #[diesel(deserialize_as = NullableText<NetworkId>, serialize_as = NullableText<NetworkId>)]
    pub network_id: Option<NetworkId>,
    /// What kind of session (the monthly table's, a forum session, an assembly…).
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: MeetingKind,
    /// The members attending, with their people and attendance.
    #[diesel(deserialize_as = JsonList<Attendee>, serialize_as = JsonList<Attendee>)]
    pub attendees: Vec<Attendee>,
    /// The topics on the agenda.
    #[diesel(deserialize_as = JsonList<Topic>, serialize_as = JsonList<Topic>)]
    pub topics: Vec<Topic>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = agenda_items)]
pub struct AgendaItem {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: AgendaItemId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub meeting_id: MeetingId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: AgendaItemKind,
    #[diesel(deserialize_as = NullableText<ReferralId>, serialize_as = NullableText<ReferralId>)]
    pub referral_id: Option<ReferralId>,
    #[diesel(deserialize_as = NullableText<CaseId>, serialize_as = NullableText<CaseId>)]
    pub case_id: Option<CaseId>,
    pub created_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = decisions, treat_none_as_null = true)]
pub struct Decision {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: DecisionId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub meeting_id: MeetingId,
    #[diesel(deserialize_as = NullableText<ReferralId>, serialize_as = NullableText<ReferralId>)]
    pub referral_id: Option<ReferralId>,
    #[diesel(deserialize_as = NullableText<CaseId>, serialize_as = NullableText<CaseId>)]
    pub case_id: Option<CaseId>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub decision: DecisionKind,
    #[diesel(deserialize_as = NullableText<OrganizationId>, serialize_as = NullableText<OrganizationId>)]
    pub agency_id: Option<OrganizationId>,
    #[diesel(deserialize_as = JsonList<MeasureId>, serialize_as = JsonList<MeasureId>)]
    pub measure_ids: Vec<MeasureId>,
    pub reason: Option<String>,
    pub decided_by: String,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

impl Meeting {
    pub fn find(conn: &mut DbConn, id: &MeetingId) -> Result<Meeting> {
        direct!(conn, |c| meetings::table
            .find(id.as_str())
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
                .find(m.id.as_str())
                .filter(meetings::status.eq(expected.as_str())),
        )
        .set(m.clone())
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }

    pub fn list(
        conn: &mut DbConn,
        district_id: &DistrictId,
        network_id: &NetworkId,
        status: Option<MeetingStatus>,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Meeting>> {
        let mut q = meetings::table
            .filter(meetings::district_id.eq(district_id.as_str()))
            .filter(meetings::network_id.eq(network_id.as_str()))
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

    pub fn open_in(conn: &mut DbConn, district_id: &DistrictId) -> Result<Option<Meeting>> {
        direct!(conn, |c| meetings::table
            .filter(meetings::district_id.eq(district_id.as_str()))
            .filter(meetings::status.eq(MeetingStatus::Open.as_str()))
            .select(Meeting::as_select())
            .first(c)
            .optional())
        .db()
    }

    /// The open meeting of each of these networks (at most one each).
    pub fn open_of_networks(conn: &mut DbConn, network_ids: &[&NetworkId]) -> Result<Vec<Meeting>> {
        if network_ids.is_empty() {
            return Ok(Vec::new());
        }
        meetings::table
            .filter(meetings::network_id.eq_any(network_ids.iter().map(|i| i.as_str())))
            .filter(meetings::status.eq(MeetingStatus::Open.as_str()))
            .select(Meeting::as_select())
            .load(conn)
            .db()
    }

    pub fn next_planned(conn: &mut DbConn, district_id: &DistrictId) -> Result<Option<Meeting>> {
        direct!(conn, |c| meetings::table
            .filter(meetings::district_id.eq(district_id.as_str()))
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
        let ids: &[&MeetingId] = $ids;
        if ids.is_empty() {
            return Ok(Default::default());
        }
        let rows: Vec<(String, i64)> = $table::table
            .filter($table::meeting_id.eq_any(ids.iter().map(|i| i.as_str())))
            .group_by($table::meeting_id)
            .select(($table::meeting_id, diesel::dsl::count_star()))
            .load($conn)
            .db()?;
        Ok(rows
            .into_iter()
            .map(|(m, n)| (MeetingId::from(m), n))
            .collect())
    }};
}

impl AgendaItem {
    pub fn counts(
        conn: &mut DbConn,
        meeting_ids: &[&MeetingId],
    ) -> Result<std::collections::HashMap<MeetingId, i64>> {
        counts_by_meeting!(agenda_items, conn, meeting_ids)
    }

    pub fn insert(conn: &mut DbConn, item: &AgendaItem) -> Result<()> {
        diesel::insert_into(agenda_items::table)
            .values(item.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn of_meeting(conn: &mut DbConn, meeting_id: &MeetingId) -> Result<Vec<AgendaItem>> {
        direct!(conn, |c| agenda_items::table
            .filter(agenda_items::meeting_id.eq(meeting_id.as_str()))
            .order(agenda_items::id)
            .select(AgendaItem::as_select())
            .load(c))
        .db()
    }

    pub fn find(
        conn: &mut DbConn,
        meeting_id: &MeetingId,
        id: &AgendaItemId,
    ) -> Result<AgendaItem> {
        direct!(conn, |c| agenda_items::table
            .filter(agenda_items::meeting_id.eq(meeting_id.as_str()))
            .filter(agenda_items::id.eq(id.as_str()))
            .select(AgendaItem::as_select())
            .first(c))
        .db()
    }

    pub fn delete(conn: &mut DbConn, id: &AgendaItemId) -> Result<usize> {
        diesel::delete(agenda_items::table.find(id.as_str()))
            .execute(conn)
            .db()
    }
}

impl Decision {
    pub fn counts(
        conn: &mut DbConn,
        meeting_ids: &[&MeetingId],
    ) -> Result<std::collections::HashMap<MeetingId, i64>> {
        counts_by_meeting!(decisions, conn, meeting_ids)
    }

    pub fn of_meeting(conn: &mut DbConn, meeting_id: &MeetingId) -> Result<Vec<Decision>> {
        direct!(conn, |c| decisions::table
            .filter(decisions::meeting_id.eq(meeting_id.as_str()))
            .order(decisions::id)
            .select(Decision::as_select())
            .load(c))
        .db()
    }

    pub fn for_item(
        conn: &mut DbConn,
        meeting_id: &MeetingId,
        referral_id: Option<&ReferralId>,
        case_id: Option<&CaseId>,
    ) -> Result<Option<Decision>> {
        let mut q = decisions::table
            .filter(decisions::meeting_id.eq(meeting_id.as_str()))
            .select(Decision::as_select())
            .into_boxed();
        q = match (referral_id, case_id) {
            (Some(r), _) => q.filter(decisions::referral_id.eq(r.as_str())),
            (None, Some(c)) => q.filter(decisions::case_id.eq(c.as_str())),
            (None, None) => return Ok(None),
        };
        q.first(conn).optional().db()
    }

    /// The table's decision that accepted this referral (and so created its case), if any.
    pub fn accepting(conn: &mut DbConn, referral_id: &ReferralId) -> Result<Option<Decision>> {
        direct!(conn, |c| decisions::table
            .filter(decisions::referral_id.eq(referral_id.as_str()))
            .filter(decisions::decision.eq(DecisionKind::Accept.as_str()))
            .order((decisions::created_at.desc(), decisions::id.desc()))
            .select(Decision::as_select())
            .first(c)
            .optional())
        .db()
    }

    pub fn insert(conn: &mut DbConn, d: &Decision) -> Result<()> {
        diesel::insert_into(decisions::table)
            .values(d.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn save(conn: &mut DbConn, d: &Decision) -> Result<()> {
        diesel::update(decisions::table.find(d.id.as_str()))
            .set(d.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn delete_for_item(
        conn: &mut DbConn,
        meeting_id: &MeetingId,
        referral_id: Option<&ReferralId>,
        case_id: Option<&CaseId>,
    ) -> Result<usize> {
        match (referral_id, case_id) {
            (Some(r), _) => diesel::delete(
                decisions::table
                    .filter(decisions::meeting_id.eq(meeting_id.as_str()))
                    .filter(decisions::referral_id.eq(r.as_str())),
            )
            .execute(conn)
            .db(),
            (None, Some(c)) => diesel::delete(
                decisions::table
                    .filter(decisions::meeting_id.eq(meeting_id.as_str()))
                    .filter(decisions::case_id.eq(c.as_str())),
            )
            .execute(conn)
            .db(),
            (None, None) => Ok(0),
        }
    }
}
