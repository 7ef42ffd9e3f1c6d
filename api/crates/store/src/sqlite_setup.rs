//! Settings every SQLite connection of the process gets the moment it opens, before diesel
//! prepares anything on it.
//!
//! **Query planner stability.** SQLite lets a bound parameter's value steer the plan: a
//! `LIMIT ?` (diesel binds every `.first()` and `.limit(n)`), a `LIKE ?`, a `?` that may match
//! a partial index's condition. A statement whose plan depends on a parameter is marked
//! expired each time that parameter is bound again, so every execution of diesel's cached
//! statement parsed and planned the SQL from scratch — half of the time of a case page went
//! into `sqlite3Reprepare`. `SQLITE_DBCONFIG_ENABLE_QPSG` makes plans independent of bound
//! values: a statement is prepared once per connection and reused. Our partial indexes are
//! written for literal conditions (`next_due_date IS NOT NULL`, `status IN ('…')`), which
//! the planner still matches.
//!
//! **Defensive mode.** `SQLITE_DBCONFIG_DEFENSIVE` refuses the statements that can corrupt a
//! database file on purpose (`PRAGMA writable_schema`, direct writes to shadow tables): none
//! of our SQL needs them.
//!
//! The settings are applied through `sqlite3_auto_extension`, which SQLite calls for every
//! connection opened afterwards by this process; [`install`] registers it once.

use std::ffi::{c_char, c_int};
use std::sync::Once;

use libsqlite3_sys as ffi;

static INSTALL: Once = Once::new();

/// Registers [`on_open`] for every SQLite connection opened from now on (idempotent).
pub(crate) fn install() {
    INSTALL.call_once(|| {
        // SAFETY: `on_open` has the signature SQLite calls auto extensions with; the
        // registration only stores the function pointer.
        let rc = unsafe { ffi::sqlite3_auto_extension(Some(on_open)) };
        if rc != ffi::SQLITE_OK {
            log::warn!("SQLite connection settings not installed (code {rc})");
        }
    });
}

/// Called by SQLite with each newly opened connection.
unsafe extern "C" fn on_open(
    db: *mut ffi::sqlite3,
    _err: *mut *mut c_char,
    _api: *const ffi::sqlite3_api_routines,
) -> c_int {
    for option in [
        ffi::SQLITE_DBCONFIG_ENABLE_QPSG,
        ffi::SQLITE_DBCONFIG_DEFENSIVE,
    ] {
        // SAFETY: `db` is the live connection SQLite is opening; both options take an int
        // (1 = on) and an optional out pointer for the resulting value.
        let rc = unsafe {
            ffi::sqlite3_db_config(db, option, 1 as c_int, std::ptr::null_mut::<c_int>())
        };
        if rc != ffi::SQLITE_OK {
            return rc;
        }
    }
    ffi::SQLITE_OK
}

/// `(plan stability, defensive)` of a connection this process opens now to `path`: both are
/// on once [`crate::connect`] has opened a SQLite pool (a test reads them through this).
pub fn settings_of_new_connection(path: &str) -> Option<(bool, bool)> {
    let path = std::ffi::CString::new(path).ok()?;
    let mut db: *mut ffi::sqlite3 = std::ptr::null_mut();
    // SAFETY: a valid C string and out pointer; the handle is closed below on every path.
    let rc = unsafe { ffi::sqlite3_open(path.as_ptr(), &mut db) };
    let read = |option: c_int| -> Option<bool> {
        let mut value: c_int = -1;
        // SAFETY: `-1` asks for no change; SQLite writes the current value to `value`.
        let rc =
            unsafe { ffi::sqlite3_db_config(db, option, -1 as c_int, &mut value as *mut c_int) };
        (rc == ffi::SQLITE_OK).then_some(value == 1)
    };
    let result = if rc == ffi::SQLITE_OK {
        read(ffi::SQLITE_DBCONFIG_ENABLE_QPSG).zip(read(ffi::SQLITE_DBCONFIG_DEFENSIVE))
    } else {
        None
    };
    // SAFETY: `db` came from `sqlite3_open` (closing a null handle is a no-op).
    unsafe { ffi::sqlite3_close(db) };
    result
}
