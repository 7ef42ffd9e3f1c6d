//! What monitoring reads of the measures a plan action or a project funds: their activations
//! (with the case's person), the cases closed among them and their six-month checks. Rows
//! come back as they are stored and are counted per month by the caller, so both backends
//! run the same SQL (no date functions) and the queries stay bounded: one per 500 measures
//! or cases.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use sistema_lavoro_domain::collective::{SixMonthCheck, STILL_EMPLOYED_MONTHS};
use sistema_lavoro_domain::ids::{CaseId, MeasureId};
use sistema_lavoro_domain::monitoring::{Activated, Closed};
use sistema_lavoro_domain::states::{ActivationStatus, CaseStatus};
use sistema_lavoro_domain::vocabulary::{Outcome, OutcomeCheckStatus};
use std::collections::HashMap;

use super::schema::{activations, cases, outcome_checks};
use super::{Db, DbConn, Result};
use crate::direct::direct;

type ActivationRow = (
    String,
    String,
    String,
    String,
    i64,
    Option<i64>,
    NaiveDateTime,
    NaiveDateTime,
);

/// Every activation of these measures that reserved money or ran (not proposed, not
/// cancelled), with its case's person.
pub fn activations_of(
    conn: &mut DbConn,
    measures: &[&MeasureId],
) -> Result<Vec<(MeasureId, Activated)>> {
    let counted = [
        ActivationStatus::Approved,
        ActivationStatus::Running,
        ActivationStatus::Completed,
        ActivationStatus::Interrupted,
    ];
    let mut out = Vec::new();
    for chunk in measures.chunks(500) {
        let rows: Vec<ActivationRow> = direct!(conn, |c| activations::table
            .inner_join(cases::table)
            .filter(activations::measure_id.eq_any(chunk.iter().map(|m| m.as_str())))
            .filter(activations::status.eq_any(counted.iter().map(|s| s.as_str())))
            .select((
                activations::measure_id,
                activations::case_id,
                cases::person_id,
                activations::status,
                activations::amount_cents,
                activations::spent_cents,
                activations::created_at,
                activations::updated_at,
            ))
            .order(activations::id)
            .load(c))
        .db()?;
        for (measure, case, person, status, amount, spent, created, updated) in rows {
            out.push((
                MeasureId::from(measure),
                Activated {
                    case_id: case.into(),
                    person_id: person,
                    status: ActivationStatus::from_db(&status)?,
                    amount_cents: amount,
                    spent_cents: spent,
                    created_at: created,
                    updated_at: updated,
                },
            ));
        }
    }
    Ok(out)
}

/// Of these cases, the closed ones with their outcome and closing time.
pub fn closed_cases(conn: &mut DbConn, ids: &[&CaseId]) -> Result<HashMap<CaseId, Closed>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(String, Option<String>, Option<NaiveDateTime>)> =
            direct!(conn, |c| cases::table
                .filter(cases::id.eq_any(chunk.iter().map(|i| i.as_str())))
                .filter(cases::status.eq(CaseStatus::Closed.as_str()))
                .select((cases::id, cases::outcome, cases::closed_at))
                .load(c))
            .db()?;
        for (id, outcome, closed_at) in rows {
            out.insert(
                CaseId::from(id),
                Closed {
                    outcome: outcome.as_deref().map(Outcome::from_db).transpose()?,
                    closed_on: closed_at.map(|t| t.date()),
                },
            );
        }
    }
    Ok(out)
}

/// The six-month outcome check (stabilizzazione) of each of these cases that has one.
pub fn six_month_checks(conn: &mut DbConn, ids: &[&str]) -> Result<HashMap<String, SixMonthCheck>> {
    let mut checks = HashMap::new();
    for chunk in ids.chunks(500) {
        let found: Vec<(String, NaiveDate, String, Option<bool>)> =
            direct!(conn, |c| outcome_checks::table
                .filter(outcome_checks::case_id.eq_any(chunk))
                .filter(outcome_checks::months.eq(STILL_EMPLOYED_MONTHS))
                .select((
                    outcome_checks::case_id,
                    outcome_checks::due_date,
                    outcome_checks::status,
                    outcome_checks::employed,
                ))
                .load(c))
            .db()?;
        for (case, due_date, status, employed) in found {
            checks.insert(
                case,
                SixMonthCheck {
                    due_date,
                    status: OutcomeCheckStatus::from_db(&status)?,
                    employed,
                },
            );
        }
    }
    Ok(checks)
}
