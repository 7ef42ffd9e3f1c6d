//! `Idempotency-Key` claims: the first request with a key runs, a retry replays its answer.

use diesel::prelude::*;
use sistema_lavoro_domain::{text, Error, ErrorCode};

use super::schema::idempotency_keys;
use super::{Db, DbConn, Result};

/// Seconds after which a claim still `running` is taken to be abandoned (its process died):
/// well beyond the longest request, which the HTTP server's own timeouts bound.
pub const ABANDONED_AFTER_SECS: i64 = 120;

/// How long keys are kept.
pub const KEPT_HOURS: i64 = 24;

const RUNNING: &str = "running";
const DONE: &str = "done";

/// What a key's first request answered, as much of it as may be kept: never a successful
/// answer's body (it may hold a secret shown once, tokens or personal data), only a problem's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    /// A problem's body (`4xx`); `None` for a success.
    pub body: Option<String>,
    pub location: Option<String>,
    pub content_type: Option<String>,
    /// For a success: the path whose current record a replay answers (`Location`, or the
    /// record an action moved); `None` when nothing may be read in its place.
    pub read: Option<String>,
}

/// The outcome of claiming a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Run the request (first time, or taking over an abandoned claim).
    Fresh,
    /// Answer as the first time.
    Replay(Answer),
}

/// Claims `key` for `caller` with the request's `hash`: `Fresh` the first time, `Replay`
/// when it already ran with the same body, `422` with another body, `409` while it runs.
pub fn claim(
    conn: &mut DbConn,
    caller: &str,
    key: &str,
    hash: &str,
    at: chrono::NaiveDateTime,
) -> Result<Claim> {
    diesel::delete(
        idempotency_keys::table
            .filter(idempotency_keys::created_at.lt(at - chrono::Duration::hours(KEPT_HOURS))),
    )
    .execute(conn)
    .db()?;
    let inserted = diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::caller.eq(caller),
            idempotency_keys::idem_key.eq(key),
            idempotency_keys::request_hash.eq(hash),
            idempotency_keys::state.eq(RUNNING),
            idempotency_keys::created_at.eq(at),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => return Ok(Claim::Fresh),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => {}
        Err(e) => return Err(super::db_error(e)),
    }
    type Stored = (
        String,
        String,
        Option<i32>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let (req_hash, state, status, body, location, content_type, read): Stored =
        idempotency_keys::table
            .find((caller, key))
            .select((
                idempotency_keys::request_hash,
                idempotency_keys::state,
                idempotency_keys::response_status,
                idempotency_keys::response_body,
                idempotency_keys::response_location,
                idempotency_keys::response_content_type,
                idempotency_keys::replay_read,
            ))
            .first(conn)
            .db()?;
    if req_hash != hash {
        return Err(Error::IdempotencyMismatch(text!(
            "questa Idempotency-Key è già stata usata con un altro corpo della richiesta; \
             usarne una nuova",
            "this Idempotency-Key was used with another request body; use a new key"
        )));
    }
    if state != DONE {
        // A claim older than any request can run was left by a process that died mid-request:
        // nothing was answered, so the retry takes the claim over and runs.
        let abandoned_before = at - chrono::Duration::seconds(ABANDONED_AFTER_SECS);
        let taken = diesel::update(
            idempotency_keys::table
                .find((caller, key))
                .filter(idempotency_keys::state.eq(RUNNING))
                .filter(idempotency_keys::created_at.lt(abandoned_before)),
        )
        .set(idempotency_keys::created_at.eq(at))
        .execute(conn)
        .db()?;
        if taken == 1 {
            return Ok(Claim::Fresh);
        }
        return Err(Error::conflict(
            ErrorCode::IdempotencyInProgress,
            text!(
                "una richiesta con questa Idempotency-Key è ancora in corso",
                "a request with this Idempotency-Key is still being processed"
            ),
        ));
    }
    Ok(Claim::Replay(Answer {
        status: status.and_then(|s| u16::try_from(s).ok()).unwrap_or(200),
        body,
        location,
        content_type,
        read,
    }))
}

/// Remembers the answer for replays.
pub fn complete(conn: &mut DbConn, caller: &str, key: &str, answer: &Answer) -> Result<()> {
    diesel::update(idempotency_keys::table.find((caller, key)))
        .set((
            idempotency_keys::state.eq(DONE),
            idempotency_keys::response_status.eq(Some(i32::from(answer.status))),
            idempotency_keys::response_body.eq(answer.body.as_deref()),
            idempotency_keys::replay_read.eq(answer.read.as_deref()),
            idempotency_keys::response_location.eq(answer.location.as_deref()),
            idempotency_keys::response_content_type.eq(answer.content_type.as_deref()),
        ))
        .execute(conn)
        .map(drop)
        .db()
}

/// Forgets a claim (the request failed on the server: the client may retry it).
pub fn forget(conn: &mut DbConn, caller: &str, key: &str) -> Result<()> {
    diesel::delete(idempotency_keys::table.find((caller, key)))
        .execute(conn)
        .map(drop)
        .db()
}
