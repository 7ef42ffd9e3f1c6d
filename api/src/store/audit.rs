//! State changes (who, when, from, to, why) and reads of personal records.

use diesel::prelude::*;

use super::schema::{person_reads, state_changes};
use super::{new_id, now, DbConn};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = state_changes)]
pub struct StateChange {
    pub id: String,
    pub entity_type: String,
    pub entity_id: String,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub reason: Option<String>,
    pub actor_id: Option<String>,
    pub at: chrono::NaiveDateTime,
}

/// One transition to record.
pub struct Transition<'a> {
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    pub action: &'a str,
    pub from: Option<&'a str>,
    pub to: &'a str,
    pub reason: Option<&'a str>,
    pub actor_id: Option<&'a str>,
}

pub fn record(conn: &mut DbConn, t: Transition) -> QueryResult<()> {
    diesel::insert_into(state_changes::table)
        .values((
            state_changes::id.eq(new_id()),
            state_changes::entity_type.eq(t.entity_type),
            state_changes::entity_id.eq(t.entity_id),
            state_changes::action.eq(t.action),
            state_changes::from_state.eq(t.from),
            state_changes::to_state.eq(t.to),
            state_changes::reason.eq(t.reason),
            state_changes::actor_id.eq(t.actor_id),
            state_changes::at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// A record with a state machine: its `status` moves only from the state it was read in.
pub trait Stateful {
    /// As recorded in `state_changes.entity_type`, and as conflicts name it.
    const ENTITY: &'static str;
    fn id(&self) -> &str;
    /// Sets the status (and `updated_at`), returning the previous one.
    fn set_status(&mut self, to: &str) -> String;
    /// Saves the row only if its status is still `expected`.
    fn save_if_status(conn: &mut DbConn, row: &Self, expected: &str) -> QueryResult<bool>;
}

macro_rules! stateful {
    ($($ty:ty => $entity:literal),+ $(,)?) => {$(
        impl Stateful for $ty {
            const ENTITY: &'static str = $entity;
            fn id(&self) -> &str {
                &self.id
            }
            fn set_status(&mut self, to: &str) -> String {
                self.updated_at = now();
                std::mem::replace(&mut self.status, to.to_string())
            }
            fn save_if_status(conn: &mut DbConn, row: &Self, expected: &str) -> QueryResult<bool> {
                <$ty>::save_if(conn, row, expected)
            }
        }
    )+};
}

stateful!(
    super::referrals::Referral => "referral",
    super::cases::Case => "case",
    super::activations::Activation => "activation",
    super::meetings::Meeting => "meeting",
);

/// Moves `row` to `to` if nobody moved it since it was read (else `409 concurrent_update`),
/// and records who moved it, when and why. Returns the state it left.
pub fn move_to<T: Stateful>(
    conn: &mut DbConn,
    row: &mut T,
    action: &str,
    to: &str,
    reason: Option<&str>,
    actor: &str,
) -> Result<String, crate::http::problem::ApiError> {
    let from = row.set_status(to);
    if !T::save_if_status(conn, row, &from)? {
        return Err(crate::http::problem::ApiError::conflict(
            "concurrent_update",
            format!("the {} was changed meanwhile; reload it", T::ENTITY),
        ));
    }
    record(
        conn,
        Transition {
            entity_type: T::ENTITY,
            entity_id: row.id(),
            action,
            from: Some(&from),
            to,
            reason,
            actor_id: Some(actor),
        },
    )?;
    Ok(from)
}

/// The fields that differ between two versions of a row, by name (`updated_at` and derived
/// search keys aside): what an edit changed, without copying the values into the log.
pub fn changed_fields<T: serde::Serialize>(before: &T, after: &T) -> Vec<String> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return Vec::new();
    };
    a.iter()
        .filter(|(k, v)| !matches!(k.as_str(), "updated_at" | "name_key") && b.get(*k) != Some(v))
        .map(|(k, _)| k.clone())
        .collect()
}

/// Records an edit (`update`) of a record that stays in `state` (records without a state
/// machine, such as persons, say `updated`): who, when, and what changed in `note`.
pub fn record_update(
    conn: &mut DbConn,
    entity_type: &str,
    entity_id: &str,
    state: Option<&str>,
    note: &str,
    actor: &str,
) -> QueryResult<()> {
    record(
        conn,
        Transition {
            entity_type,
            entity_id,
            action: "update",
            from: state,
            to: state.unwrap_or("updated"),
            reason: Some(note),
            actor_id: Some(actor),
        },
    )
}

pub fn history(
    conn: &mut DbConn,
    entity_type: &str,
    entity_ids: &[String],
) -> QueryResult<Vec<StateChange>> {
    state_changes::table
        .filter(state_changes::entity_type.eq(entity_type))
        .filter(state_changes::entity_id.eq_any(entity_ids))
        .order((state_changes::at, state_changes::id))
        .select(StateChange::as_select())
        .load(conn)
}

pub fn person_read(conn: &mut DbConn, person_id: &str, user_id: &str) -> QueryResult<()> {
    diesel::insert_into(person_reads::table)
        .values((
            person_reads::id.eq(new_id()),
            person_reads::person_id.eq(person_id),
            person_reads::user_id.eq(user_id),
            person_reads::at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}
