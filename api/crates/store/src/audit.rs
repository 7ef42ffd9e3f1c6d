//! State changes (who, when, from, to, why) and reads of personal records, each mirrored into
//! the audit log (`audit_log`) at the same point.

use diesel::prelude::*;
use sistema_lavoro_domain::i18n::{entity_label, Lang, Text};
use sistema_lavoro_domain::{text, Error, ErrorCode, StrEnum};

use super::schema::{person_reads, state_changes};
use super::{new_id, Db, DbConn, Result};
use crate::direct::direct;

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
    pub at: chrono::NaiveDateTime,
}

pub fn record(conn: &mut DbConn, t: Transition) -> Result<()> {
    diesel::insert_into(state_changes::table)
        .values((
            state_changes::id.eq(new_id::<String>()),
            state_changes::entity_type.eq(t.entity_type),
            state_changes::entity_id.eq(t.entity_id),
            state_changes::action.eq(t.action),
            state_changes::from_state.eq(t.from),
            state_changes::to_state.eq(t.to),
            state_changes::reason.eq(t.reason),
            state_changes::actor_id.eq(t.actor_id),
            state_changes::at.eq(t.at),
        ))
        .execute(conn)
        .db()?;
    // The same change in the audit log, with the request's context; the actor recorded on
    // the transition wins (workers and the CLI have no request).
    let mut ctx = super::audit_log::current();
    if let Some(a) = t.actor_id {
        if ctx.actor_id.as_deref() != Some(a) {
            ctx = super::audit_log::EventContext {
                actor_id: Some(a.to_string()),
                ..Default::default()
            };
        }
    }
    let detail = match t.from {
        Some(from) => format!("{}: {from} → {}", t.action, t.to),
        None => format!("{}: {}", t.action, t.to),
    };
    super::audit_log::record_as(
        conn,
        &ctx,
        t.at,
        &[super::audit_log::NewEvent {
            action: if t.from.is_none() && t.action != "update" {
                "create"
            } else {
                "change"
            },
            entity_type: Some(t.entity_type.to_string()),
            entity_id: Some(t.entity_id.to_string()),
            person_id: (t.entity_type == "person").then(|| t.entity_id.to_string()),
            detail: Some(detail),
        }],
    )?;
    Ok(())
}

/// A record with a state machine: its `status` moves only from the state it was read in.
pub trait Stateful {
    /// As recorded in `state_changes.entity_type`, and as conflicts name it.
    const ENTITY: &'static str;
    type Status: StrEnum;
    fn id(&self) -> &str;
    fn status(&self) -> Self::Status;
    /// Sets the status and `updated_at`, returning the previous status.
    fn set_status(&mut self, to: Self::Status, at: chrono::NaiveDateTime) -> Self::Status;
    /// Saves the row only if its status is still `expected`.
    fn save_if_status(conn: &mut DbConn, row: &Self, expected: Self::Status) -> Result<bool>;
}

macro_rules! stateful {
    ($($ty:ty => $entity:literal : $status:ty),+ $(,)?) => {$(
        impl Stateful for $ty {
            const ENTITY: &'static str = $entity;
            type Status = $status;
            fn id(&self) -> &str {
                self.id.as_str()
            }
            fn status(&self) -> $status {
                self.status
            }
            fn set_status(&mut self, to: $status, at: chrono::NaiveDateTime) -> $status {
                self.updated_at = at;
                std::mem::replace(&mut self.status, to)
            }
            fn save_if_status(conn: &mut DbConn, row: &Self, expected: $status) -> Result<bool> {
                <$ty>::save_if(conn, row, expected)
            }
        }
    )+};
}

use sistema_lavoro_domain::networks::{NetworkStatus, ResourceStatus};
use sistema_lavoro_domain::plans::{PlanActionStatus, PlanStatus};
use sistema_lavoro_domain::states::{ActivationStatus, CaseStatus, MeetingStatus, ReferralStatus};
stateful!(
    super::referrals::Referral => "referral": ReferralStatus,
    super::cases::Case => "case": CaseStatus,
    super::activations::Activation => "activation": ActivationStatus,
    super::meetings::Meeting => "meeting": MeetingStatus,
    super::networks::Network => "network": NetworkStatus,
    super::networks::Resource => "resource": ResourceStatus,
    super::plans::Plan => "plan": PlanStatus,
    super::plans::PlanAction => "plan_action": PlanActionStatus,
    super::agreements::JoinRequest => "join_request": sistema_lavoro_domain::agreements::JoinRequestStatus,
    super::agreements::Agreement => "agreement": sistema_lavoro_domain::agreements::AgreementStatus,
    super::collective::CollectiveAction => "collective_action": sistema_lavoro_domain::collective::CollectiveActionStatus,
    super::responses::WorkingGroup => "working_group": sistema_lavoro_domain::responses::WorkingGroupStatus,
    super::responses::SharedResponse => "shared_response": sistema_lavoro_domain::responses::SharedResponseStatus,
    super::projects::Project => "project": sistema_lavoro_domain::projects::ProjectStatus,
    super::opportunities::Opportunity => "opportunity": sistema_lavoro_domain::opportunities::OpportunityStatus,
);

/// Someone else moved or changed the record between the read and the write.
fn changed_meanwhile(entity: &str) -> Text {
    let what = entity_label(entity, Lang::It);
    text!(
        "qualcun altro ha modificato {what} nel frattempo; ricaricare e riprovare",
        "the {entity} was changed meanwhile; reload it"
    )
}

/// Who moves a record, when and why.
#[derive(Debug, Clone, Copy)]
pub struct By<'a> {
    pub actor: &'a str,
    pub at: chrono::NaiveDateTime,
}

/// Moves `row` to `to` if nobody moved it since it was read (else `409 concurrent_update`),
/// and records who moved it, when and why. Returns the state it left.
pub fn move_to<T: Stateful>(
    conn: &mut DbConn,
    row: &mut T,
    action: &str,
    to: T::Status,
    reason: Option<&str>,
    by: By,
) -> Result<T::Status> {
    let from = row.set_status(to, by.at);
    if !T::save_if_status(conn, row, from)? {
        return Err(Error::conflict(
            ErrorCode::ConcurrentUpdate,
            changed_meanwhile(T::ENTITY),
        ));
    }
    record(
        conn,
        Transition {
            entity_type: T::ENTITY,
            entity_id: row.id(),
            action,
            from: Some(from.as_str()),
            to: to.as_str(),
            reason,
            actor_id: Some(by.actor),
            at: by.at,
        },
    )?;
    Ok(from)
}

/// Saves an edit of `row` that keeps its state (if nobody moved it since it was read) and
/// records which fields changed.
pub fn save_edit<T: Stateful>(
    conn: &mut DbConn,
    row: &T,
    changed: &[String],
    by: By,
) -> Result<()> {
    let status = row.status();
    if !T::save_if_status(conn, row, status)? {
        return Err(Error::conflict(
            ErrorCode::ConcurrentUpdate,
            changed_meanwhile(T::ENTITY),
        ));
    }
    record_update(
        conn,
        T::ENTITY,
        row.id(),
        Some(status.as_str()),
        &changed.join(", "),
        by,
    )
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
    by: By,
) -> Result<()> {
    record(
        conn,
        Transition {
            entity_type,
            entity_id,
            action: "update",
            from: state,
            to: state.unwrap_or("updated"),
            reason: Some(note),
            actor_id: Some(by.actor),
            at: by.at,
        },
    )
}

pub fn history(
    conn: &mut DbConn,
    entity_type: &str,
    entity_ids: &[String],
) -> Result<Vec<StateChange>> {
    direct!(conn, |c| state_changes::table
        .filter(state_changes::entity_type.eq(entity_type))
        .filter(state_changes::entity_id.eq_any(entity_ids.iter().map(|i| i.as_str())))
        .order((state_changes::at, state_changes::id))
        .select(StateChange::as_select())
        .load(c))
    .db()
}

/// One read of a person's record, to log.
#[derive(Debug, Clone)]
pub struct PersonRead {
    pub person_id: String,
    pub user_id: String,
    pub at: chrono::NaiveDateTime,
    /// As the audit log names it: `read` (one record), `list`, `search`, `lookup`.
    pub action: &'static str,
    /// Who read, from where, in which request (taken where the read was made).
    pub origin: super::audit_log::EventContext,
}

impl PersonRead {
    /// A read by `user_id` now, in this thread's request context.
    pub fn new(
        person_id: impl Into<String>,
        user_id: &str,
        at: chrono::NaiveDateTime,
        action: &'static str,
    ) -> PersonRead {
        PersonRead {
            person_id: person_id.into(),
            user_id: user_id.to_string(),
            at,
            action,
            origin: super::audit_log::current(),
        }
    }
}

/// Logs reads of persons' records, all in one statement per table (`person_reads`, and the
/// audit log's rows, one per read, in the same transaction).
pub fn person_reads(conn: &mut DbConn, reads: &[PersonRead]) -> Result<()> {
    if reads.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = reads
        .iter()
        .map(|r| {
            (
                person_reads::id.eq(new_id::<String>()),
                person_reads::person_id.eq(r.person_id.as_str()),
                person_reads::user_id.eq(r.user_id.as_str()),
                person_reads::at.eq(r.at),
            )
        })
        .collect();
    // One multi-row INSERT; the multi connection cannot build one, its backends can.
    let insert = diesel::insert_into(person_reads::table).values(rows);
    match conn {
        DbConn::Pg(c) => insert.execute(c),
        DbConn::Sqlite(c) => insert.execute(c),
    }
    .db()?;
    // Reads of one batch come from different requests: group them by context.
    let mut i = 0;
    while let Some(first) = reads.get(i) {
        let same = reads[i..]
            .iter()
            .take_while(|r| r.origin == first.origin && r.at == first.at)
            .count();
        let events: Vec<_> = reads[i..i + same]
            .iter()
            .map(|r| super::audit_log::NewEvent {
                action: r.action,
                entity_type: Some("person".into()),
                entity_id: Some(r.person_id.clone()),
                person_id: Some(r.person_id.clone()),
                detail: None,
            })
            .collect();
        let mut ctx = first.origin.clone();
        if ctx.actor_id.is_none() {
            ctx.actor_id = Some(first.user_id.clone());
        }
        super::audit_log::record_as(conn, &ctx, first.at, &events)?;
        i += same;
    }
    Ok(())
}
