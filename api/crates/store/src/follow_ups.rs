//! The case diary (monitoraggio): dated follow-up entries.

use diesel::prelude::*;
use sistema_lavoro_domain::ids::{CaseId, FollowUpId};
use sistema_lavoro_domain::vocabulary::FollowUpKind;

use super::schema::follow_ups;
use super::{Db, DbConn, Result};
use crate::direct::direct;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = follow_ups)]
pub struct FollowUp {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: FollowUpId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub case_id: CaseId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: FollowUpKind,
    pub date: chrono::NaiveDate,
    pub note: String,
    pub next_due_date: Option<chrono::NaiveDate>,
    pub created_by: String,
    pub created_at: chrono::NaiveDateTime,
}

impl FollowUp {
    pub fn insert(conn: &mut DbConn, f: &FollowUp) -> Result<()> {
        diesel::insert_into(follow_ups::table)
            .values(f.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    /// The diary, oldest first; the cursor is the last entry's id.
    pub fn of_case(
        conn: &mut DbConn,
        case_id: &CaseId,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<FollowUp>> {
        let mut q = follow_ups::table
            .filter(follow_ups::case_id.eq(case_id.as_str()))
            .order(follow_ups::id)
            .select(FollowUp::as_select())
            .into_boxed();
        if let Some(a) = after {
            q = q.filter(follow_ups::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }

    pub fn all_of_case(conn: &mut DbConn, case_id: &CaseId) -> Result<Vec<FollowUp>> {
        direct!(conn, |c| follow_ups::table
            .filter(follow_ups::case_id.eq(case_id.as_str()))
            .order(follow_ups::id)
            .select(FollowUp::as_select())
            .load(c))
        .db()
    }
}
