//! The audit log (`audit_events`): who did what to which record, from where, in which request.
//! Append-only (database triggers refuse UPDATE and DELETE), sealed in batches by a hash chain
//! (`audit_seals`, computed in `app::audit`); this module holds its SQL only.
//!
//! The request's context (who, role, district, client address, request id) is set once per
//! request on the thread that runs its database work ([`with_context`], called by the HTTP
//! layer's one blocking hop), so every writer of the log — a state change mirrored from
//! `audit::record`, a refused authorization, a person read — stamps the same fields without
//! threading them through every use case.

use std::cell::RefCell;

use diesel::prelude::*;

use super::schema::{audit_archive_gate, audit_archives, audit_events, audit_seals};
use super::{new_id, Db, DbConn, Result};

/// Who is asking and from where: stamped on every event written on this thread.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventContext {
    /// The user's id, or `client:<id>` for an integration client.
    pub actor_id: Option<String>,
    pub actor_role: Option<String>,
    pub district_id: Option<String>,
    pub client_address: Option<String>,
    pub request_id: Option<String>,
}

thread_local! {
    static CONTEXT: RefCell<Option<EventContext>> = const { RefCell::new(None) };
}

/// Runs `f` with `ctx` as the context of every event it writes on this thread.
pub fn with_context<T>(ctx: EventContext, f: impl FnOnce() -> T) -> T {
    let before = CONTEXT.with(|c| c.replace(Some(ctx)));
    let out = f();
    CONTEXT.with(|c| *c.borrow_mut() = before);
    out
}

/// The context of the work running on this thread (empty for the workers and the CLI).
pub fn current() -> EventContext {
    CONTEXT.with(|c| c.borrow().clone()).unwrap_or_default()
}

/// What happened, to which record. The context says who and from where.
#[derive(Debug, Clone, Default)]
pub struct NewEvent {
    /// `read`, `list`, `search`, `lookup`, `export`, `download`, `create`, `change`,
    /// `denied`, `sign_in`, `sign_in_failed`.
    pub action: &'static str,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    /// The person the event concerns, when there is one (a read of a person's record).
    pub person_id: Option<String>,
    pub detail: Option<String>,
}

/// One row of the log.
#[derive(Debug, Clone, Queryable, Selectable, PartialEq, Eq)]
#[diesel(table_name = audit_events)]
pub struct AuditEvent {
    pub seq: i64,
    pub id: String,
    pub at: chrono::NaiveDateTime,
    pub actor_id: Option<String>,
    pub actor_role: Option<String>,
    pub district_id: Option<String>,
    pub client_address: Option<String>,
    pub request_id: Option<String>,
    pub action: String,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub person_id: Option<String>,
    pub detail: Option<String>,
}

/// Writes `events` under `ctx`, in one statement (one row each). On PostgreSQL each row's
/// `seq` default takes the sealer's shared lock first (see the migration).
pub fn record_as(
    conn: &mut DbConn,
    ctx: &EventContext,
    at: chrono::NaiveDateTime,
    events: &[NewEvent],
) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = events
        .iter()
        .map(|e| {
            (
                audit_events::id.eq(new_id::<String>()),
                audit_events::at.eq(at),
                audit_events::actor_id.eq(ctx.actor_id.as_deref()),
                audit_events::actor_role.eq(ctx.actor_role.as_deref()),
                audit_events::district_id.eq(ctx.district_id.as_deref()),
                audit_events::client_address.eq(ctx.client_address.as_deref()),
                audit_events::request_id.eq(ctx.request_id.as_deref()),
                audit_events::action.eq(e.action),
                audit_events::entity_type.eq(e.entity_type.as_deref()),
                audit_events::entity_id.eq(e.entity_id.as_deref()),
                audit_events::person_id.eq(e.person_id.as_deref()),
                audit_events::detail.eq(e.detail.as_deref()),
            )
        })
        .collect();
    // One multi-row INSERT; the multi connection cannot build one, its backends can.
    let insert = diesel::insert_into(audit_events::table).values(rows);
    match conn {
        DbConn::Pg(c) => insert.execute(c),
        DbConn::Sqlite(c) => insert.execute(c),
    }
    .db()?;
    Ok(())
}

/// Writes `events` under this thread's context.
pub fn record(conn: &mut DbConn, at: chrono::NaiveDateTime, events: &[NewEvent]) -> Result<()> {
    record_as(conn, &current(), at, events)
}

/// What a reader of the log asks for.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only this district's events; with `or_none`, also those of no district (failed
    /// sign-ins of unknown e-mails, the administrator's work).
    pub district_id: Option<String>,
    pub or_none: bool,
    pub actor_id: Option<String>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub person_id: Option<String>,
    pub action: Option<String>,
    pub from: Option<chrono::NaiveDateTime>,
    pub to: Option<chrono::NaiveDateTime>,
}

/// Newest first, from before `before_seq`; at most `limit` rows.
pub fn page(
    conn: &mut DbConn,
    f: &Filter,
    before_seq: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEvent>> {
    let mut q = audit_events::table
        .select(AuditEvent::as_select())
        .into_boxed();
    if let Some(d) = &f.district_id {
        q = if f.or_none {
            q.filter(
                audit_events::district_id
                    .eq(d.clone())
                    .or(audit_events::district_id.is_null()),
            )
        } else {
            q.filter(audit_events::district_id.eq(d.clone()))
        };
    }
    if let Some(v) = &f.actor_id {
        q = q.filter(audit_events::actor_id.eq(v.clone()));
    }
    if let Some(v) = &f.entity_type {
        q = q.filter(audit_events::entity_type.eq(v.clone()));
    }
    if let Some(v) = &f.entity_id {
        q = q.filter(audit_events::entity_id.eq(v.clone()));
    }
    if let Some(v) = &f.person_id {
        q = q.filter(audit_events::person_id.eq(v.clone()));
    }
    if let Some(v) = &f.action {
        q = q.filter(audit_events::action.eq(v.clone()));
    }
    if let Some(v) = f.from {
        q = q.filter(audit_events::at.ge(v));
    }
    if let Some(v) = f.to {
        q = q.filter(audit_events::at.lt(v));
    }
    if let Some(s) = before_seq {
        q = q.filter(audit_events::seq.lt(s));
    }
    q.order(audit_events::seq.desc())
        .limit(limit)
        .load(conn)
        .db()
}

/// Rows with `after < seq <= up_to`, in order; at most `limit`.
pub fn events_in(conn: &mut DbConn, after: i64, up_to: i64, limit: i64) -> Result<Vec<AuditEvent>> {
    audit_events::table
        .filter(audit_events::seq.gt(after))
        .filter(audit_events::seq.le(up_to))
        .order(audit_events::seq)
        .limit(limit)
        .select(AuditEvent::as_select())
        .load(conn)
        .db()
}

/// The highest `seq` written, if any.
pub fn max_seq(conn: &mut DbConn) -> Result<Option<i64>> {
    audit_events::table
        .select(diesel::dsl::max(audit_events::seq))
        .first(conn)
        .db()
}

/// How many rows have `seq <= up_to` (rows before the chain's start are a removal).
pub fn count_up_to(conn: &mut DbConn, up_to: i64) -> Result<i64> {
    audit_events::table
        .filter(audit_events::seq.le(up_to))
        .count()
        .get_result(conn)
        .db()
}

/// On PostgreSQL, takes the exclusive side of the lock the `seq` default takes shared, if no
/// transaction that drew a `seq` is still open — then none can draw one until this transaction
/// ends — and answers whether it did. It never waits in the lock's queue: a waiting exclusive
/// request would hold up every later insert of the audit log (every request) behind one slow
/// transaction. SQLite writers are serialised by `BEGIN IMMEDIATE` already (always `true`).
pub fn lock_for_sealing(conn: &mut DbConn) -> Result<bool> {
    #[derive(QueryableByName)]
    struct Locked {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        locked: bool,
    }
    match conn {
        DbConn::Pg(c) => {
            let r: Locked =
                diesel::sql_query("SELECT pg_try_advisory_xact_lock(7312001) AS locked")
                    .get_result(c)
                    .db()?;
            Ok(r.locked)
        }
        DbConn::Sqlite(_) => Ok(true),
    }
}

/// One seal: the rows `first_seq..=last_seq` hashed after the previous seal's hash.
#[derive(Debug, Clone, Queryable, Selectable, PartialEq, Eq)]
#[diesel(table_name = audit_seals)]
pub struct Seal {
    pub seq: i64,
    pub first_seq: i64,
    pub last_seq: i64,
    pub row_count: i64,
    pub prev_hash: String,
    pub hash: String,
    pub sealed_at: chrono::NaiveDateTime,
}

pub fn last_seal(conn: &mut DbConn) -> Result<Option<Seal>> {
    audit_seals::table
        .order(audit_seals::seq.desc())
        .select(Seal::as_select())
        .first(conn)
        .optional()
        .db()
}

/// Every seal, oldest first.
pub fn seals(conn: &mut DbConn) -> Result<Vec<Seal>> {
    audit_seals::table
        .order(audit_seals::seq)
        .select(Seal::as_select())
        .load(conn)
        .db()
}

/// A seal to write.
pub struct NewSeal<'a> {
    pub first_seq: i64,
    pub last_seq: i64,
    pub row_count: i64,
    pub prev_hash: &'a str,
    pub hash: &'a str,
    pub sealed_at: chrono::NaiveDateTime,
}

pub fn insert_seal(conn: &mut DbConn, s: &NewSeal) -> Result<()> {
    diesel::insert_into(audit_seals::table)
        .values((
            audit_seals::first_seq.eq(s.first_seq),
            audit_seals::last_seq.eq(s.last_seq),
            audit_seals::row_count.eq(s.row_count),
            audit_seals::prev_hash.eq(s.prev_hash),
            audit_seals::hash.eq(s.hash),
            audit_seals::sealed_at.eq(s.sealed_at),
        ))
        .execute(conn)
        .db()?;
    Ok(())
}

/// An archive made: the rows up to `up_to_seq` left for a verified file.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_archives)]
pub struct Archive {
    pub id: String,
    pub up_to_seq: i64,
    pub seal_hash: String,
    pub row_count: i64,
    pub file_sha256: String,
    pub archived_at: chrono::NaiveDateTime,
}

/// The latest archive: where the chain that stayed starts.
pub fn last_archive(conn: &mut DbConn) -> Result<Option<Archive>> {
    audit_archives::table
        .order((audit_archives::up_to_seq.desc(), audit_archives::id.desc()))
        .select(Archive::as_select())
        .first(conn)
        .optional()
        .db()
}

/// Inside the archiving transaction: records the archive, opens the gate the delete triggers
/// look for, deletes the rows and seals up to `up_to_seq`, and closes the gate again, so no
/// other transaction ever sees it open.
pub fn remove_archived(
    conn: &mut DbConn,
    up_to_seq: i64,
    seal_hash: &str,
    row_count: i64,
    file_sha256: &str,
    at: chrono::NaiveDateTime,
) -> Result<usize> {
    diesel::insert_into(audit_archives::table)
        .values((
            audit_archives::id.eq(new_id::<String>()),
            audit_archives::up_to_seq.eq(up_to_seq),
            audit_archives::seal_hash.eq(seal_hash),
            audit_archives::row_count.eq(row_count),
            audit_archives::file_sha256.eq(file_sha256),
            audit_archives::archived_at.eq(at),
        ))
        .execute(conn)
        .db()?;
    diesel::insert_into(audit_archive_gate::table)
        .values(audit_archive_gate::up_to_seq.eq(up_to_seq))
        .execute(conn)
        .db()?;
    let n = diesel::delete(audit_events::table.filter(audit_events::seq.le(up_to_seq)))
        .execute(conn)
        .db()?;
    diesel::delete(audit_seals::table.filter(audit_seals::last_seq.le(up_to_seq)))
        .execute(conn)
        .db()?;
    diesel::delete(audit_archive_gate::table)
        .execute(conn)
        .db()?;
    Ok(n)
}
