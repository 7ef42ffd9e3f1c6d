//! Export jobs: who asked for which list, how far the writing got, and the file it left.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sistema_lavoro_domain::exports::{ExportFormat, ExportList, ExportState};
use sistema_lavoro_domain::ids::{DistrictId, ExportId};

use super::schema::exports;
use super::{Db, DbConn, Result};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = exports)]
pub struct Export {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: ExportId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub district_id: DistrictId,
    pub requested_by: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub list: ExportList,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub format: ExportFormat,
    pub filters: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub state: ExportState,
    pub rows_done: i64,
    pub error: Option<String>,
    pub file_name: Option<String>,
    pub bytes: Option<i64>,
    pub created_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    pub expires_at: NaiveDateTime,
}

impl Export {
    pub fn insert(conn: &mut DbConn, e: &Export) -> Result<()> {
        diesel::insert_into(exports::table)
            .values(e.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn find(conn: &mut DbConn, id: &ExportId) -> Result<Option<Export>> {
        exports::table
            .find(id.as_str())
            .select(Export::as_select())
            .first(conn)
            .optional()
            .db()
    }

    /// Marks the job running with the rows written so far.
    pub fn progress(conn: &mut DbConn, id: &ExportId, rows: i64) -> Result<()> {
        diesel::update(exports::table.find(id.as_str()))
            .set((
                exports::state.eq(ExportState::Running.as_str()),
                exports::rows_done.eq(rows),
            ))
            .execute(conn)
            .map(drop)
            .db()
    }

    /// The file is written: `file_name` (under the exports folder) can be downloaded.
    pub fn finish(
        conn: &mut DbConn,
        id: &ExportId,
        rows: i64,
        file_name: &str,
        bytes: i64,
        at: NaiveDateTime,
    ) -> Result<()> {
        diesel::update(exports::table.find(id.as_str()))
            .set((
                exports::state.eq(ExportState::Done.as_str()),
                exports::rows_done.eq(rows),
                exports::file_name.eq(file_name),
                exports::bytes.eq(bytes),
                exports::finished_at.eq(at),
            ))
            .execute(conn)
            .map(drop)
            .db()
    }

    /// The job stopped; `error` is a code, never personal data.
    pub fn fail(conn: &mut DbConn, id: &ExportId, error: &str, at: NaiveDateTime) -> Result<()> {
        diesel::update(exports::table.find(id.as_str()))
            .set((
                exports::state.eq(ExportState::Failed.as_str()),
                exports::error.eq(error),
                exports::finished_at.eq(at),
            ))
            .execute(conn)
            .map(drop)
            .db()
    }

    /// Exports whose time is over (their files are to be deleted), oldest first.
    pub fn expired(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> Result<Vec<Export>> {
        exports::table
            .filter(exports::expires_at.le(now))
            .order(exports::expires_at)
            .limit(limit)
            .select(Export::as_select())
            .load(conn)
            .db()
    }

    pub fn delete(conn: &mut DbConn, id: &ExportId) -> Result<()> {
        diesel::delete(exports::table.find(id.as_str()))
            .execute(conn)
            .map(drop)
            .db()
    }
}
