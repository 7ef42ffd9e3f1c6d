//! Measure activations: proposed, approved against the agency's threshold, run, settled.
//! A threshold is never overspent: reservation is one conditional UPDATE in the approval's
//! transaction, so concurrent approvals (threads or server processes) cannot both fit.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::cases::{self, CaseDetail};
use super::catalogue::eligibility_of;
use super::{hidden, today};
use crate::domain::states::{ActivationStatus, CaseStatus};
use crate::domain::Role;
use crate::http::extract::AuthUser;
use crate::http::problem::ApiError;
use crate::integration::events::{self, EventType};
use crate::store::activations::Activation;
use crate::store::audit::{self, Transition};
use crate::store::cases::Case;
use crate::store::measures::Measure;
use crate::store::persons::Person;
use crate::store::thresholds::Threshold;
use crate::store::{new_id, now, utc, write_tx, DbConn};

/// A measure proposed for a case.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"measure_id": "0193...", "amount_cents": 150000, "note": "DUL fascia 2"}))]
pub struct ActivationInput {
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub measure_id: String,
    /// Budget to reserve, euro cents (> 0); default: the measure's typical amount.
    #[validate(range(min = 1, max = 100_000_000))]
    #[schema(minimum = 1, maximum = 100_000_000)]
    pub amount_cents: Option<i64>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// Changes to a proposed activation.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct ActivationPatch {
    #[validate(range(min = 1, max = 100_000_000))]
    #[schema(minimum = 1, maximum = 100_000_000)]
    pub amount_cents: Option<i64>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000, value_type = Option<String>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::domain::values::clearable")]
    pub note: Option<Option<String>>,
}

/// What was actually spent when a measure ends.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct SettleInput {
    /// Euro cents actually spent, at most the reserved amount; the rest is released.
    #[validate(range(min = 0, max = 100_000_000))]
    #[schema(minimum = 0, maximum = 100_000_000)]
    pub spent_cents: i64,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

/// A measure activation.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivationOut {
    pub id: String,
    pub case_id: String,
    pub measure_id: String,
    pub measure_code: String,
    pub measure_name: String,
    /// The threshold it reserves on (set at approval).
    pub threshold_id: Option<String>,
    /// Budget, euro cents (reserved while approved or running).
    pub amount_cents: i64,
    /// Actually spent (completed or interrupted).
    pub spent_cents: Option<i64>,
    pub status: ActivationStatus,
    pub note: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

pub fn out(conn: &mut DbConn, a: Activation) -> Result<ActivationOut, ApiError> {
    let m = Measure::find(conn, &a.measure_id)?;
    Ok(ActivationOut {
        status: ActivationStatus::from_db(&a.status)?,
        created_at: utc(a.created_at),
        updated_at: utc(a.updated_at),
        measure_code: m.code,
        measure_name: m.name,
        id: a.id,
        case_id: a.case_id,
        measure_id: a.measure_id,
        threshold_id: a.threshold_id,
        amount_cents: a.amount_cents,
        spent_cents: a.spent_cents,
        note: a.note,
    })
}

fn require_casework(user: &AuthUser) -> Result<(), ApiError> {
    match user.role {
        Role::Coordinator | Role::AgencyOperator => Ok(()),
        _ => Err(ApiError::Forbidden(format!(
            "the {} role does not activate measures",
            user.role
        ))),
    }
}

pub fn insert_proposed(
    conn: &mut DbConn,
    c: &Case,
    m: &Measure,
    amount: i64,
    note: Option<&str>,
    actor: &str,
) -> Result<Activation, ApiError> {
    let at = now();
    let a = Activation {
        id: new_id(),
        case_id: c.id.clone(),
        measure_id: m.id.clone(),
        threshold_id: None,
        amount_cents: amount,
        spent_cents: None,
        status: ActivationStatus::Proposed.as_str().into(),
        note: note.map(str::to_string),
        created_by: actor.into(),
        created_at: at,
        updated_at: at,
    };
    Activation::insert(conn, &a)?;
    audit::record(
        conn,
        Transition {
            entity_type: "activation",
            entity_id: &a.id,
            action: "propose",
            from: None,
            to: &a.status,
            reason: Some(&format!("{} ({})", m.name, m.code)),
            actor_id: Some(actor),
        },
    )?;
    Ok(a)
}

pub fn propose(
    conn: &mut DbConn,
    user: &AuthUser,
    case_id: &str,
    i: ActivationInput,
) -> Result<ActivationOut, ApiError> {
    require_casework(user)?;
    write_tx(conn, |conn| {
        let c = cases::visible(conn, user, case_id)?;
        CaseStatus::from_db(&c.status)?.propose_measure()?;
        let m = Measure::find(conn, &i.measure_id)
            .ok()
            .filter(|m| m.district_id == c.district_id && m.active)
            .ok_or_else(|| {
                ApiError::validation(
                    "measure_id",
                    "unknown",
                    "no active measure of the district has this id",
                )
            })?;
        let amount = i.amount_cents.unwrap_or(m.default_amount_cents);
        if amount <= 0 {
            return Err(ApiError::validation(
                "amount_cents",
                "required",
                "give the amount to reserve (the measure has no typical amount)",
            ));
        }
        let a = insert_proposed(conn, &c, &m, amount, i.note.as_deref(), &user.id)?;
        out(conn, a)
    })
}

/// An activation whose case the caller may see.
pub fn visible(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
) -> Result<(Activation, Case), ApiError> {
    require_casework(user)?;
    let a = Activation::find(conn, id).map_err(|_| hidden())?;
    let c = cases::visible(conn, user, &a.case_id)?;
    crate::http::precondition::check(&a.id, a.updated_at)?;
    Ok((a, c))
}

fn save(
    conn: &mut DbConn,
    a: &mut Activation,
    action: &str,
    to: ActivationStatus,
    reason: Option<&str>,
    actor: &str,
) -> Result<(), ApiError> {
    audit::move_to(conn, a, action, to.as_str(), reason, actor).map(drop)
}

pub fn update(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    p: ActivationPatch,
) -> Result<ActivationOut, ApiError> {
    write_tx(conn, |conn| {
        let (mut a, c) = visible(conn, user, id)?;
        if a.status != ActivationStatus::Proposed.as_str() {
            return Err(ApiError::InvalidTransition {
                entity: "activation",
                action: "edit",
                from: a.status,
            });
        }
        // Measures are proposed only on open cases: neither are they edited on closed ones.
        CaseStatus::from_db(&c.status)?.propose_measure()?;
        let before = a.clone();
        if let Some(v) = p.amount_cents {
            a.amount_cents = v;
        }
        if let Some(n) = p.note {
            a.note = n.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
        }
        let changed = audit::changed_fields(&before, &a);
        if changed.is_empty() {
            return out(conn, a);
        }
        a.updated_at = now();
        if !Activation::save_if(conn, &a, "proposed")? {
            return Err(ApiError::conflict(
                "concurrent_update",
                "the activation was changed meanwhile; reload it",
            ));
        }
        // The amount is budget: the log keeps both figures.
        let note = changed
            .iter()
            .map(|f| match f.as_str() {
                "amount_cents" => {
                    format!("amount_cents {} → {}", before.amount_cents, a.amount_cents)
                }
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ");
        audit::record_update(conn, "activation", &a.id, Some(&a.status), &note, &user.id)?;
        out(conn, a)
    })
}

/// Approves: the person must be eligible today, and the amount must fit the agency's
/// threshold for the measure, where it is reserved.
pub fn approve(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<ActivationOut, ApiError> {
    write_tx(conn, |conn| {
        let (mut a, c) = visible(conn, user, id)?;
        let to = ActivationStatus::from_db(&a.status)?.approve()?;
        CaseStatus::from_db(&c.status)?.propose_measure()?;
        if a.amount_cents <= 0 {
            return Err(ApiError::validation(
                "amount_cents",
                "required",
                "set the amount to reserve before approving",
            ));
        }
        let m = Measure::find(conn, &a.measure_id)?;
        let person = Person::find(conn, &c.person_id)?;
        let verdict = eligibility_of(conn, &m, &person)?;
        if !verdict.eligible {
            let why: Vec<String> = verdict
                .reasons
                .iter()
                .filter(|r| !r.met)
                .map(|r| r.message.clone())
                .collect();
            return Err(ApiError::conflict(
                "not_eligible",
                format!(
                    "the person is not eligible for {}: {}",
                    m.code,
                    why.join("; ")
                ),
            ));
        }
        let t = Threshold::current(conn, &c.agency_id, &m.id, today())?.ok_or_else(|| {
            ApiError::conflict(
                "no_threshold",
                format!("the agency has no threshold for {} covering today", m.code),
            )
        })?;
        if !Threshold::reserve(conn, &t.id, a.amount_cents)? {
            let now_t = Threshold::find(conn, &t.id)?;
            return Err(ApiError::conflict(
                "threshold_exceeded",
                format!(
                    "{} cents do not fit the threshold: {} cents remain of {}",
                    a.amount_cents,
                    now_t.cap_cents - now_t.reserved_cents - now_t.spent_cents,
                    now_t.cap_cents
                ),
            ));
        }
        a.threshold_id = Some(t.id);
        save(conn, &mut a, "approve", to, None, &user.id)?;
        events::emit(
            conn,
            &c.district_id,
            EventType::ActivationApproved,
            events::data(&[
                ("activation_id", a.id.clone().into()),
                ("case_id", c.id.clone().into()),
                ("measure_id", a.measure_id.clone().into()),
                ("amount_cents", a.amount_cents.into()),
            ]),
            std::slice::from_ref(&c.agency_id),
        )?;
        out(conn, a)
    })
}

pub fn start(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<ActivationOut, ApiError> {
    write_tx(conn, |conn| {
        let (mut a, mut c) = visible(conn, user, id)?;
        let to = ActivationStatus::from_db(&a.status)?.start()?;
        let case_to = CaseStatus::from_db(&c.status)?.measure_started()?;
        save(conn, &mut a, "start", to, None, &user.id)?;
        if case_to.as_str() != c.status {
            cases::transition(conn, &mut c, "measure_started", case_to, None, &user.id)?;
        }
        out(conn, a)
    })
}

/// Ends a running activation, settling the threshold and moving the case to monitoring when
/// it was the last running measure.
fn finish(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    i: SettleInput,
    interrupted: bool,
) -> Result<ActivationOut, ApiError> {
    write_tx(conn, |conn| {
        let (mut a, mut c) = visible(conn, user, id)?;
        let status = ActivationStatus::from_db(&a.status)?;
        let to = if interrupted {
            status.interrupt()?
        } else {
            status.complete()?
        };
        if i.spent_cents > a.amount_cents {
            return Err(ApiError::validation(
                "spent_cents",
                "range",
                format!("must be at most the reserved {} cents", a.amount_cents),
            ));
        }
        if let Some(t) = &a.threshold_id {
            if !Threshold::settle(conn, t, a.amount_cents, i.spent_cents)? {
                return Err(ApiError::Internal("threshold reservation missing".into()));
            }
        }
        a.spent_cents = Some(i.spent_cents);
        save(
            conn,
            &mut a,
            if interrupted { "interrupt" } else { "complete" },
            to,
            i.reason.as_deref(),
            &user.id,
        )?;
        let still_running = Activation::of_case(conn, &c.id)?
            .iter()
            .any(|x| x.status == "running");
        let case_status = CaseStatus::from_db(&c.status)?;
        if !still_running && case_status.measures_ended() != case_status {
            cases::transition(
                conn,
                &mut c,
                "measures_ended",
                case_status.measures_ended(),
                None,
                &user.id,
            )?;
        }
        out(conn, a)
    })
}

pub fn complete(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    i: SettleInput,
) -> Result<ActivationOut, ApiError> {
    finish(conn, user, id, i, false)
}

pub fn interrupt(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    i: SettleInput,
) -> Result<ActivationOut, ApiError> {
    finish(conn, user, id, i, true)
}

/// Cancels a proposed or approved activation, releasing its reservation.
pub fn cancel_row(
    conn: &mut DbConn,
    mut a: Activation,
    reason: Option<&str>,
    actor: &str,
) -> Result<Activation, ApiError> {
    let from = ActivationStatus::from_db(&a.status)?;
    let to = from.cancel()?;
    if from == ActivationStatus::Approved {
        if let Some(t) = &a.threshold_id {
            if !Threshold::settle(conn, t, a.amount_cents, 0)? {
                return Err(ApiError::Internal("threshold reservation missing".into()));
            }
        }
    }
    save(conn, &mut a, "cancel", to, reason, actor)?;
    Ok(a)
}

pub fn cancel(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    reason: Option<String>,
) -> Result<ActivationOut, ApiError> {
    write_tx(conn, |conn| {
        let (a, _) = visible(conn, user, id)?;
        let a = cancel_row(conn, a, reason.as_deref(), &user.id)?;
        out(conn, a)
    })
}

pub fn get(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<ActivationOut, ApiError> {
    let (a, _) = visible(conn, user, id)?;
    out(conn, a)
}

pub fn of_case(
    conn: &mut DbConn,
    user: &AuthUser,
    case_id: &str,
) -> Result<Vec<ActivationOut>, ApiError> {
    require_casework(user)?;
    let c = cases::visible(conn, user, case_id)?;
    Activation::of_case(conn, &c.id)?
        .into_iter()
        .map(|a| out(conn, a))
        .collect()
}

pub fn case_after(
    conn: &mut DbConn,
    user: &AuthUser,
    case_id: &str,
) -> Result<CaseDetail, ApiError> {
    let c = cases::visible(conn, user, case_id)?;
    cases::detail(conn, c)
}
