//! Measure activations: proposed, approved against the agency's threshold, run, settled.
//! A threshold is never overspent: reservation is one conditional UPDATE in the approval's
//! transaction, so concurrent approvals (threads or server processes) cannot both fit.

use serde::{Deserialize, Serialize};
use sistema_lavoro_domain::ids::{ActivationId, CaseId, MeasureId};
use utoipa::ToSchema;
use validator::Validate;

use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::events::EventType;
use sistema_lavoro_domain::i18n::Lang;
use sistema_lavoro_domain::policy::{self, ActivationFacts, BudgetCheck};
use sistema_lavoro_domain::states::ActivationStatus;
use sistema_lavoro_domain::values::Cents;
use sistema_lavoro_domain::{text, Error, ErrorCode, Expected, Version};
use sistema_lavoro_store::activations::Activation;
use sistema_lavoro_store::audit::{self, By, Transition};
use sistema_lavoro_store::cases::Case;
use sistema_lavoro_store::measures::{Measure, MeasureLabel};
use sistema_lavoro_store::persons::Person;
use sistema_lavoro_store::thresholds::Threshold;
use sistema_lavoro_store::{new_id, utc, write_tx, DbConn};

use super::case_state as cases;
use super::catalogue::eligibility_of;
use crate::integration::events;
use crate::Ctx;

/// A measure proposed for a case.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"measure_id": "0193...", "amount_cents": 150000, "note": "DUL fascia 2"}))]
pub struct ActivationInput {
    /// The measure (misura) to activate: an active one of the case's district.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = String)]
    pub measure_id: MeasureId,
    /// Budget to reserve, euro cents (> 0); default: the measure's typical amount.
    #[validate(range(min = 1, max = 100_000_000))]
    #[schema(minimum = 1, maximum = 100_000_000)]
    pub amount_cents: Option<i64>,
    /// Free note on the activation, e.g. the DUL band.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// Changes to a proposed activation.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct ActivationPatch {
    /// New budget to reserve at approval, euro cents (> 0).
    #[validate(range(min = 1, max = 100_000_000))]
    #[schema(nullable = false, minimum = 1, maximum = 100_000_000)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub amount_cents: Option<i64>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000, value_type = Option<String>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    pub note: Option<Option<String>>,
}

/// What was actually spent when a measure ends.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct SettleInput {
    /// Euro cents actually spent, at most the reserved amount; the rest is released.
    #[validate(range(min = 0, max = 100_000_000))]
    #[schema(minimum = 0, maximum = 100_000_000)]
    pub spent_cents: i64,
    /// Why (motivazione), recorded with the transition.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

/// A measure activation.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct ActivationOut {
    /// Identifier of the activation (attivazione misura), a UUID.
    pub id: String,
    /// The case (presa in carico) it is for.
    pub case_id: String,
    /// The measure (misura) activated.
    pub measure_id: String,
    /// The measure's code, e.g. `DUL`.
    pub measure_code: String,
    /// The measure's name.
    pub measure_name: String,
    /// The threshold it reserves on (set at approval).
    pub threshold_id: Option<String>,
    /// Budget, euro cents (reserved while approved or running).
    pub amount_cents: Cents,
    /// Actually spent (completed or interrupted).
    pub spent_cents: Option<Cents>,
    /// Stato: `proposed`, `approved`, `running`, `completed`, `interrupted` or `cancelled`.
    pub status: ActivationStatus,
    /// Free note on the activation.
    pub note: Option<String>,
    /// What you may do with it now.
    pub allowed_actions: Vec<Action>,
    /// What your role could do, but the state, the person's eligibility or the agency's
    /// budget forbids now, and why (e.g. `approve`: "soglia esaurita").
    pub blocked_actions: Vec<BlockedAction>,
    /// When it was proposed (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last changed (RFC 3339, UTC); its version is the `ETag`.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// What the approval of a proposed activation would meet today: the person's eligibility
/// and the agency's budget — looked up only when nothing else blocks the approval.
fn approval_facts(
    conn: &mut DbConn,
    cx: &Ctx,
    c: &Case,
    person: &mut Option<Person>,
    measure: Option<&Measure>,
    a: &Activation,
) -> Result<(bool, BudgetCheck), Error> {
    let approvable = a.status.approve().is_ok()
        && c.status.propose_measure().is_ok()
        && policy::may_approve_measures(cx.actor).is_ok();
    if !approvable {
        return Ok((true, BudgetCheck::Fits));
    }
    if person.is_none() {
        *person = Some(Person::find(conn, &c.person_id)?);
    }
    let loaded;
    let m = match measure {
        Some(m) => m,
        None => {
            loaded = Measure::find(conn, &a.measure_id)?;
            &loaded
        }
    };
    let eligible = match person {
        Some(p) => eligibility_of(conn, m, p, cx.now.today)?.eligible,
        None => true,
    };
    let budget = match Threshold::current(conn, &c.agency_id, &m.id, cx.now.today)? {
        None => BudgetCheck::NoThreshold,
        Some(t) => {
            let remaining = t
                .cap_cents
                .saturating_sub(t.reserved_cents)
                .saturating_sub(t.spent_cents);
            if a.amount_cents <= remaining {
                BudgetCheck::Fits
            } else {
                BudgetCheck::Exhausted { remaining }
            }
        }
    };
    Ok((eligible, budget))
}

fn out_of(
    conn: &mut DbConn,
    cx: &Ctx,
    c: &Case,
    person: &mut Option<Person>,
    label: MeasureLabel,
    measure: Option<&Measure>,
    a: Activation,
) -> Result<ActivationOut, Error> {
    let (eligible, budget) = approval_facts(conn, cx, c, person, measure, &a)?;
    let facts = ActivationFacts {
        status: a.status,
        case_status: c.status,
        eligible,
        budget,
    };
    let (allowed_actions, blocked_actions) =
        cx.render(policy::activation_actions(cx.actor, &facts));
    Ok(ActivationOut {
        status: a.status,
        created_at: utc(a.created_at),
        updated_at: utc(a.updated_at),
        measure_code: label.code,
        measure_name: label.name,
        allowed_actions,
        blocked_actions,
        id: a.id.into(),
        case_id: a.case_id.into(),
        measure_id: a.measure_id.into(),
        threshold_id: a.threshold_id.map(Into::into),
        amount_cents: a.amount_cents,
        spent_cents: a.spent_cents,
        note: a.note,
    })
}

/// The activations of one case, with their measures' labels (`person`: the case's, when the
/// caller already read it). A measure is read whole only where an approval is possible.
pub fn outs(
    conn: &mut DbConn,
    cx: &Ctx,
    c: &Case,
    person: Option<&Person>,
    acts: Vec<(Activation, MeasureLabel)>,
) -> Result<Vec<ActivationOut>, Error> {
    let mut person = person.cloned();
    acts.into_iter()
        .map(|(a, label)| out_of(conn, cx, c, &mut person, label, None, a))
        .collect()
}

pub fn out(conn: &mut DbConn, cx: &Ctx, c: &Case, a: Activation) -> Result<ActivationOut, Error> {
    let m = Measure::find(conn, &a.measure_id)?;
    out_of(conn, cx, c, &mut None, MeasureLabel::from(&m), Some(&m), a)
}

pub fn insert_proposed(
    conn: &mut DbConn,
    by: By,
    c: &Case,
    m: &Measure,
    amount: Cents,
    note: Option<&str>,
) -> Result<Activation, Error> {
    let a = Activation {
        id: new_id(),
        case_id: c.id.clone(),
        measure_id: m.id.clone(),
        threshold_id: None,
        amount_cents: amount,
        spent_cents: None,
        status: ActivationStatus::Proposed,
        note: note.map(str::to_string),
        created_by: by.actor.into(),
        created_at: by.at,
        updated_at: by.at,
    };
    Activation::insert(conn, &a)?;
    audit::record(
        conn,
        Transition {
            entity_type: "activation",
            entity_id: a.id.as_str(),
            action: "propose",
            from: None,
            to: a.status.as_str(),
            reason: Some(&format!("{} ({})", m.name, m.code)),
            actor_id: Some(by.actor),
            at: by.at,
        },
    )?;
    Ok(a)
}

fn cents(field: &str, v: i64) -> Result<Cents, Error> {
    Cents::parse(field, v).map_err(|e| Error::Validation(vec![e]))
}

pub fn propose(
    conn: &mut DbConn,
    cx: &Ctx,
    case_id: &CaseId,
    i: ActivationInput,
) -> Result<ActivationOut, Error> {
    policy::may_work_on_cases(cx.actor)?;
    let amount = i
        .amount_cents
        .map(|v| cents("amount_cents", v))
        .transpose()?;
    write_tx(conn, |conn| {
        let c = cases::visible(conn, cx, case_id, &Expected::Any)?;
        c.status.propose_measure()?;
        let m = Measure::find(conn, &i.measure_id)
            .ok()
            .filter(|m| m.district_id == c.district_id && m.active)
            .ok_or_else(|| {
                Error::validation(
                    "measure_id",
                    "unknown",
                    text!(
                        "nessuna misura attiva dell'Ambito ha questo identificativo",
                        "no active measure of the district has this id"
                    ),
                )
            })?;
        let amount = amount.unwrap_or(m.default_amount_cents);
        if amount == Cents::ZERO {
            return Err(Error::validation(
                "amount_cents",
                "required",
                text!(
                    "indicare l'importo da riservare (la misura non ha un importo tipico)",
                    "give the amount to reserve (the measure has no typical amount)"
                ),
            ));
        }
        let a = insert_proposed(conn, cx.by(), &c, &m, amount, i.note.as_deref())?;
        out(conn, cx, &c, a)
    })
}

/// An activation whose case the caller may see, at the version the caller expects.
pub fn visible(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ActivationId,
    expected: &Expected,
) -> Result<(Activation, Case), Error> {
    policy::case_scope(cx.actor)?;
    let a = Activation::find(conn, id).map_err(|_| Error::hidden())?;
    let c = cases::visible(conn, cx, &a.case_id, &Expected::Any)?;
    expected.check(Version::of(a.updated_at))?;
    Ok((a, c))
}

pub fn read(conn: &mut DbConn, cx: &Ctx, id: &ActivationId) -> Result<ActivationOut, Error> {
    let (a, c) = visible(conn, cx, id, &Expected::Any)?;
    out(conn, cx, &c, a)
}

pub fn of_case(conn: &mut DbConn, cx: &Ctx, case_id: &CaseId) -> Result<Vec<ActivationOut>, Error> {
    let c = cases::visible(conn, cx, case_id, &Expected::Any)?;
    let acts = Activation::of_case_labelled(conn, &c.id)?;
    outs(conn, cx, &c, None, acts)
}

fn save(
    conn: &mut DbConn,
    by: By,
    a: &mut Activation,
    action: &str,
    to: ActivationStatus,
    reason: Option<&str>,
) -> Result<(), Error> {
    audit::move_to(conn, a, action, to, reason, by).map(drop)
}

/// [`save`], where a concurrent move that got there first (PostgreSQL, `READ COMMITTED`: the
/// row was read before the other committed) is the `409 invalid_transition` from the state it
/// left, as if this request had come second — never a `500`.
fn moved(
    conn: &mut DbConn,
    by: By,
    a: &mut Activation,
    action: &'static str,
    to: ActivationStatus,
    reason: Option<&str>,
) -> Result<(), Error> {
    match save(conn, by, a, action, to, reason) {
        Err(e) if e.code() == ErrorCode::ConcurrentUpdate => {
            let now = Activation::find(conn, &a.id)?;
            Err(Error::InvalidTransition {
                entity: "activation",
                action,
                from: now.status.as_str().into(),
            })
        }
        other => other,
    }
}

pub fn update(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ActivationId,
    expected: &Expected,
    p: ActivationPatch,
) -> Result<ActivationOut, Error> {
    policy::may_work_on_cases(cx.actor)?;
    let amount = p
        .amount_cents
        .map(|v| cents("amount_cents", v))
        .transpose()?;
    write_tx(conn, |conn| {
        let (mut a, c) = visible(conn, cx, id, expected)?;
        if a.status != ActivationStatus::Proposed {
            return Err(Error::InvalidTransition {
                entity: "activation",
                action: "edit",
                from: a.status.as_str().into(),
            });
        }
        // Measures are proposed only on open cases: neither are they edited on closed ones.
        c.status.propose_measure()?;
        let before = a.clone();
        if let Some(v) = amount {
            a.amount_cents = v;
        }
        if let Some(n) = p.note {
            a.note = n.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
        }
        let changed = audit::changed_fields(&before, &a);
        if changed.is_empty() {
            return out(conn, cx, &c, a);
        }
        a.updated_at = cx.now.at;
        // The amount is budget: the log keeps both figures.
        let note: Vec<String> = changed
            .iter()
            .map(|f| match f.as_str() {
                "amount_cents" => format!(
                    "amount_cents {} → {}",
                    before.amount_cents.get(),
                    a.amount_cents.get()
                ),
                other => other.to_string(),
            })
            .collect();
        audit::save_edit(conn, &a, &note, cx.by())?;
        out(conn, cx, &c, a)
    })
}

/// Approves: the person must be eligible today, and the amount must fit the agency's
/// threshold for the measure, where it is reserved.
pub fn approve(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ActivationId,
    expected: &Expected,
) -> Result<ActivationOut, Error> {
    policy::may_approve_measures(cx.actor)?;
    write_tx(conn, |conn| {
        let (mut a, c) = visible(conn, cx, id, expected)?;
        let to = a.status.approve()?;
        c.status.propose_measure()?;
        if a.amount_cents == Cents::ZERO {
            return Err(Error::validation(
                "amount_cents",
                "required",
                text!(
                    "indicare l'importo da riservare prima dell'approvazione",
                    "set the amount to reserve before approving"
                ),
            ));
        }
        let m = Measure::find(conn, &a.measure_id)?;
        let person = Person::find(conn, &c.person_id)?;
        let verdict = eligibility_of(conn, &m, &person, cx.now.today)?;
        if !verdict.eligible {
            let code = &m.code;
            return Err(Error::conflict(
                ErrorCode::NotEligible,
                verdict.unmet().map(|lang, why| match lang {
                    Lang::It => format!("la persona non ha i requisiti per {code}: {why}"),
                    Lang::En => format!("the person is not eligible for {code}: {why}"),
                }),
            ));
        }
        let t = Threshold::current(conn, &c.agency_id, &m.id, cx.now.today)?.ok_or_else(|| {
            Error::conflict(ErrorCode::NoThreshold, {
                let code = &m.code;
                text!(
                    "l'ente non ha una soglia per {code} valida oggi",
                    "the agency has no threshold for {code} covering today"
                )
            })
        })?;
        if !Threshold::reserve(conn, &t.id, a.amount_cents, cx.now.at)? {
            let now_t = Threshold::find(conn, &t.id)?;
            return Err(Error::conflict(ErrorCode::ThresholdExceeded, {
                let (amount, cap) = (a.amount_cents, now_t.cap_cents);
                let left = cap
                    .saturating_sub(now_t.reserved_cents)
                    .saturating_sub(now_t.spent_cents);
                let (a_, l_, c_) = (amount.get(), left.get(), cap.get());
                text!(
                    "l'importo di {amount} non rientra nella soglia: restano {left} su {cap}",
                    "{a_} cents do not fit the threshold: {l_} cents remain of {c_}"
                )
            }));
        }
        let before = t.cap_cents.get() - t.reserved_cents.get() - t.spent_cents.get();
        let after = Threshold::find(conn, &t.id)?;
        crate::notifications::produce::threshold_used(conn, cx.now, &after, before, &m.code)?;
        a.threshold_id = Some(t.id);
        save(conn, cx.by(), &mut a, "approve", to, None)?;
        events::emit(
            conn,
            cx.now,
            &c.district_id,
            EventType::ActivationApproved,
            events::data(&[
                ("activation_id", a.id.clone().into()),
                ("case_id", c.id.clone().into()),
                ("measure_id", a.measure_id.clone().into()),
                ("amount_cents", a.amount_cents.get().into()),
            ]),
            std::slice::from_ref(&c.agency_id),
        )?;
        out(conn, cx, &c, a)
    })
}

pub fn start(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ActivationId,
    expected: &Expected,
) -> Result<ActivationOut, Error> {
    policy::may_work_on_cases(cx.actor)?;
    write_tx(conn, |conn| {
        let (mut a, mut c) = visible(conn, cx, id, expected)?;
        let to = a.status.start()?;
        let case_to = c.status.measure_started()?;
        save(conn, cx.by(), &mut a, "start", to, None)?;
        if case_to != c.status {
            cases::transition(conn, cx, &mut c, "measure_started", case_to, None)?;
        }
        out(conn, cx, &c, a)
    })
}

/// Ends a running activation, settling the threshold and moving the case to monitoring when
/// it was the last running measure.
fn finish(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ActivationId,
    expected: &Expected,
    i: SettleInput,
    interrupted: bool,
) -> Result<ActivationOut, Error> {
    policy::may_work_on_cases(cx.actor)?;
    let spent = cents("spent_cents", i.spent_cents)?;
    write_tx(conn, |conn| {
        let (mut a, mut c) = visible(conn, cx, id, expected)?;
        let to = if interrupted {
            a.status.interrupt()?
        } else {
            a.status.complete()?
        };
        if spent > a.amount_cents {
            return Err(Error::validation("spent_cents", "range", {
                let (amount, cents) = (a.amount_cents, a.amount_cents.get());
                text!(
                    "non può superare l'importo riservato di {amount}",
                    "must be at most the reserved {cents} cents"
                )
            }));
        }
        a.spent_cents = Some(spent);
        // The state moves first (a conditional update): of two concurrent endings only one
        // moves it; the other finds it moved and is told so, before it touches the budget.
        moved(
            conn,
            cx.by(),
            &mut a,
            if interrupted { "interrupt" } else { "complete" },
            to,
            i.reason.as_deref(),
        )?;
        if let Some(t) = &a.threshold_id {
            if !Threshold::settle(conn, t, a.amount_cents, spent, cx.now.at)? {
                return Err(Error::Internal("threshold reservation missing".into()));
            }
        }
        let still_running = Activation::of_case(conn, &c.id)?
            .iter()
            .any(|x| x.status == ActivationStatus::Running);
        let after = c.status.measures_ended();
        if !still_running && after != c.status {
            cases::transition(conn, cx, &mut c, "measures_ended", after, None)?;
        }
        out(conn, cx, &c, a)
    })
}

pub fn complete(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ActivationId,
    expected: &Expected,
    i: SettleInput,
) -> Result<ActivationOut, Error> {
    finish(conn, cx, id, expected, i, false)
}

pub fn interrupt(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ActivationId,
    expected: &Expected,
    i: SettleInput,
) -> Result<ActivationOut, Error> {
    finish(conn, cx, id, expected, i, true)
}

/// Cancels a proposed or approved activation, releasing its reservation.
pub fn cancel_row(
    conn: &mut DbConn,
    by: By,
    mut a: Activation,
    reason: Option<&str>,
) -> Result<Activation, Error> {
    let from = a.status;
    let to = from.cancel()?;
    moved(conn, by, &mut a, "cancel", to, reason)?;
    if from == ActivationStatus::Approved {
        if let Some(t) = &a.threshold_id {
            if !Threshold::settle(conn, t, a.amount_cents, Cents::ZERO, by.at)? {
                return Err(Error::Internal("threshold reservation missing".into()));
            }
        }
    }
    Ok(a)
}

pub fn cancel(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ActivationId,
    expected: &Expected,
    reason: Option<String>,
) -> Result<ActivationOut, Error> {
    policy::may_work_on_cases(cx.actor)?;
    write_tx(conn, |conn| {
        let (a, c) = visible(conn, cx, id, expected)?;
        let a = cancel_row(conn, cx.by(), a, reason.as_deref())?;
        out(conn, cx, &c, a)
    })
}
