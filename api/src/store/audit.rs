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
