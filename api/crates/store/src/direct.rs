//! Running a typed query on the connection underneath [`crate::DbConn`].
//!
//! diesel's `MultiConnection` serialises every query to SQL text on each execution — twice,
//! once to ask whether the statement may be cached and once to collect its binds — even
//! when the prepared statement is already in the cache. On a read of a few dozen columns
//! that string building was a quarter of the request. A query written with diesel's typed
//! DSL is generic over the backend, so the same text can be compiled for the concrete
//! `SqliteConnection` and `PgConnection`: its statement is then found in the cache by its
//! type, and no SQL is built after the first execution.
//!
//! `direct!(conn, |c| query.first(c))` expands the body once per variant (so `as_select()`
//! and the bind types are inferred for each backend): still one query, written once; only
//! the dispatch looks at the variant. Used on the hot read path (the grant check, a case
//! page); anything else keeps the plain `MultiConnection` path.

macro_rules! direct {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::DbConn::Sqlite($c) => $body,
            $crate::DbConn::Pg($c) => $body,
        }
    };
}

pub(crate) use direct;
