//! Measure activations of a case.

use diesel::prelude::*;

use super::schema::activations;
use super::DbConn;

#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, Identifiable, serde::Serialize,
)]
#[diesel(table_name = activations, treat_none_as_null = true)]
pub struct Activation {
    pub id: String,
    pub case_id: String,
    pub measure_id: String,
    pub threshold_id: Option<String>,
    pub amount_cents: i64,
    pub spent_cents: Option<i64>,
    pub status: String,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

impl Activation {
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Activation> {
        activations::table
            .find(id)
            .select(Activation::as_select())
            .first(conn)
    }

    pub fn insert(conn: &mut DbConn, a: &Activation) -> QueryResult<()> {
        diesel::insert_into(activations::table)
            .values(a)
            .execute(conn)
            .map(|_| ())
    }

    /// Saves only if the status is still `expected`: two approvals of one activation cannot
    /// both reserve budget.
    pub fn save_if(conn: &mut DbConn, a: &Activation, expected: &str) -> QueryResult<bool> {
        let n = diesel::update(
            activations::table
                .find(&a.id)
                .filter(activations::status.eq(expected)),
        )
        .set(a)
        .execute(conn)?;
        Ok(n == 1)
    }

    pub fn of_case(conn: &mut DbConn, case_id: &str) -> QueryResult<Vec<Activation>> {
        activations::table
            .filter(activations::case_id.eq(case_id))
            .order(activations::id)
            .select(Activation::as_select())
            .load(conn)
    }
}
