//! Action items (impegni) of the networks' meetings.

use diesel::prelude::*;
use sistema_lavoro_domain::ids::{ActionItemId, MeetingId, MemberId, NetworkId};
use sistema_lavoro_domain::meetings::ActionItemStatus;

use super::schema::action_items;
use super::types::NullableText;
use super::{Db, DbConn, Result};
use crate::direct::direct;

/// The most action items a meeting lists, recorded or to follow up.
pub const ACTION_ITEMS_MAX: i64 = 500;

#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, Identifiable, serde::Serialize,
)]
#[diesel(table_name = action_items, treat_none_as_null = true)]
pub struct ActionItem {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: ActionItemId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub meeting_id: MeetingId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub network_id: NetworkId,
    pub title: String,
    #[diesel(deserialize_as = NullableText<MemberId>, serialize_as = NullableText<MemberId>)]
    pub owner_member_id: Option<MemberId>,
    pub due_on: Option<chrono::NaiveDate>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: ActionItemStatus,
    pub status_reason: Option<String>,
    pub created_by: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

impl ActionItem {
    pub fn find(conn: &mut DbConn, id: &ActionItemId) -> Result<ActionItem> {
        direct!(conn, |c| action_items::table
            .find(id.as_str())
            .select(ActionItem::as_select())
            .first(c))
        .db()
    }

    pub fn insert(conn: &mut DbConn, a: &ActionItem) -> Result<()> {
        diesel::insert_into(action_items::table)
            .values(a.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    /// Saves the item if it is still in state `expected` (a concurrent move loses).
    pub fn save_if(conn: &mut DbConn, a: &ActionItem, expected: ActionItemStatus) -> Result<bool> {
        let n = diesel::update(
            action_items::table
                .find(a.id.as_str())
                .filter(action_items::status.eq(expected.as_str())),
        )
        .set(a.clone())
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }

    /// The items recorded at a meeting, by id.
    pub fn of_meeting(conn: &mut DbConn, meeting_id: &MeetingId) -> Result<Vec<ActionItem>> {
        direct!(conn, |c| action_items::table
            .filter(action_items::meeting_id.eq(meeting_id.as_str()))
            .order(action_items::id)
            .limit(ACTION_ITEMS_MAX)
            .select(ActionItem::as_select())
            .load(c))
        .db()
    }

    /// The open items of the network recorded at other meetings: what a meeting follows up.
    pub fn open_elsewhere(
        conn: &mut DbConn,
        network_id: &NetworkId,
        meeting_id: &MeetingId,
    ) -> Result<Vec<ActionItem>> {
        direct!(conn, |c| action_items::table
            .filter(action_items::network_id.eq(network_id.as_str()))
            .filter(action_items::status.eq(ActionItemStatus::Open.as_str()))
            .filter(action_items::meeting_id.ne(meeting_id.as_str()))
            .order(action_items::id)
            .limit(ACTION_ITEMS_MAX)
            .select(ActionItem::as_select())
            .load(c))
        .db()
    }
}
