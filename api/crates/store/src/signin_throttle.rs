//! Failed sign-ins per key (account, account and address, address), shared by every instance.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::signin_throttle as t;
use super::{Db, DbConn, Result};

/// A key's failures in its current window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    pub count: u32,
    pub window_started_at: NaiveDateTime,
    pub last_failure_at: NaiveDateTime,
}

/// The counters of `keys` whose window started after `since` (older windows count as none).
pub fn read(
    conn: &mut DbConn,
    keys: &[String],
    since: NaiveDateTime,
) -> Result<Vec<(String, Failures)>> {
    let rows: Vec<(String, i32, NaiveDateTime, NaiveDateTime)> = t::table
        .filter(t::throttle_key.eq_any(keys))
        .filter(t::window_started_at.gt(since))
        .select((
            t::throttle_key,
            t::failures,
            t::window_started_at,
            t::last_failure_at,
        ))
        .load(conn)
        .db()?;
    Ok(rows
        .into_iter()
        .map(|(k, n, w, l)| {
            let count = u32::try_from(n).unwrap_or(0);
            (
                k,
                Failures {
                    count,
                    window_started_at: w,
                    last_failure_at: l,
                },
            )
        })
        .collect())
}

/// One more failure for each of `keys` at `at`; a window that started before `since` starts
/// again. Rows whose last failure is before `since` are deleted first.
pub fn add_failure(
    conn: &mut DbConn,
    keys: &[String],
    at: NaiveDateTime,
    since: NaiveDateTime,
) -> Result<()> {
    diesel::delete(t::table.filter(t::last_failure_at.le(since)))
        .execute(conn)
        .db()?;
    for key in keys {
        // The increment is one statement, so concurrent failures all count.
        let counted = diesel::update(
            t::table
                .filter(t::throttle_key.eq(key))
                .filter(t::window_started_at.gt(since)),
        )
        .set((t::failures.eq(t::failures + 1), t::last_failure_at.eq(at)))
        .execute(conn)
        .db()?;
        if counted > 0 {
            continue;
        }
        // No row, or one of an old window: start a window.
        let restarted = diesel::update(t::table.filter(t::throttle_key.eq(key)))
            .set((
                t::failures.eq(1),
                t::window_started_at.eq(at),
                t::last_failure_at.eq(at),
            ))
            .execute(conn)
            .db()?;
        if restarted > 0 {
            continue;
        }
        let inserted = diesel::insert_into(t::table)
            .values((
                t::throttle_key.eq(key),
                t::failures.eq(1),
                t::window_started_at.eq(at),
                t::last_failure_at.eq(at),
            ))
            .execute(conn);
        match inserted {
            Ok(_) => {}
            // Another instance inserted it meanwhile: count on its row.
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => {
                diesel::update(t::table.filter(t::throttle_key.eq(key)))
                    .set((t::failures.eq(t::failures + 1), t::last_failure_at.eq(at)))
                    .execute(conn)
                    .db()?;
            }
            Err(e) => return Err(super::db_error(e)),
        }
    }
    Ok(())
}

/// Forgets the failures of `keys` (a successful sign-in).
pub fn clear(conn: &mut DbConn, keys: &[String]) -> Result<()> {
    diesel::delete(t::table.filter(t::throttle_key.eq_any(keys)))
        .execute(conn)
        .db()?;
    Ok(())
}
