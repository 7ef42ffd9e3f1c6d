//! Measure activations of a case.

use super::types::NullableText;
use diesel::prelude::*;
use sistema_lavoro_domain::ids::{ActivationId, CaseId, MeasureId, ThresholdId};
use sistema_lavoro_domain::states::ActivationStatus;
use sistema_lavoro_domain::values::Cents;

use super::measures::MeasureLabel;
use super::schema::{activations, measures};
use super::types::NullableCents;
use super::{Db, DbConn, Result};
use crate::direct::direct;

#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, Identifiable, serde::Serialize,
)]
#[diesel(table_name = activations, treat_none_as_null = true)]
pub struct Activation {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: ActivationId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub case_id: CaseId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub measure_id: MeasureId,
    #[diesel(deserialize_as = NullableText<ThresholdId>, serialize_as = NullableText<ThresholdId>)]
    pub threshold_id: Option<ThresholdId>,
    #[diesel(deserialize_as = i64, serialize_as = i64)]
    pub amount_cents: Cents,
    #[diesel(deserialize_as = NullableCents, serialize_as = NullableCents)]
    pub spent_cents: Option<Cents>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: ActivationStatus,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

impl Activation {
    pub fn find(conn: &mut DbConn, id: &ActivationId) -> Result<Activation> {
        direct!(conn, |c| activations::table
            .find(id.as_str())
            .select(Activation::as_select())
            .first(c))
        .db()
    }

    pub fn insert(conn: &mut DbConn, a: &Activation) -> Result<()> {
        diesel::insert_into(activations::table)
            .values(a.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    /// Saves only if the status is still `expected`: two approvals of one activation cannot
    /// both reserve budget.
    pub fn save_if(conn: &mut DbConn, a: &Activation, expected: ActivationStatus) -> Result<bool> {
        let n = diesel::update(
            activations::table
                .find(a.id.as_str())
                .filter(activations::status.eq(expected.as_str())),
        )
        .set(a.clone())
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }

    /// How many activations of each case are open (proposed, approved or running).
    pub fn open_counts(
        conn: &mut DbConn,
        case_ids: &[&CaseId],
    ) -> Result<std::collections::HashMap<CaseId, usize>> {
        if case_ids.is_empty() {
            return Ok(Default::default());
        }
        let open: Vec<&str> = ActivationStatus::ALL
            .iter()
            .filter(|s| s.is_open())
            .map(|s| s.as_str())
            .collect();
        let rows: Vec<(String, i64)> = activations::table
            .filter(activations::case_id.eq_any(case_ids.iter().map(|i| i.as_str())))
            .filter(activations::status.eq_any(open))
            .group_by(activations::case_id)
            .select((activations::case_id, diesel::dsl::count_star()))
            .load(conn)
            .db()?;
        Ok(rows
            .into_iter()
            .map(|(c, n)| (CaseId::from(c), usize::try_from(n).unwrap_or(0)))
            .collect())
    }

    /// The activations of a case with their measures' code and name, in one query.
    pub fn of_case_labelled(
        conn: &mut DbConn,
        case_id: &CaseId,
    ) -> Result<Vec<(Activation, MeasureLabel)>> {
        direct!(conn, |c| activations::table
            .inner_join(measures::table)
            .filter(activations::case_id.eq(case_id.as_str()))
            .order(activations::id)
            .select((Activation::as_select(), MeasureLabel::as_select()))
            .load(c))
        .db()
    }

    pub fn of_case(conn: &mut DbConn, case_id: &CaseId) -> Result<Vec<Activation>> {
        direct!(conn, |c| activations::table
            .filter(activations::case_id.eq(case_id.as_str()))
            .order(activations::id)
            .select(Activation::as_select())
            .load(c))
        .db()
    }
}
