//! Cases: take-charge, suspension, closing with an outcome, follow-ups, outcome checks and
//! the timeline.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::activations::{self, ActivationOut};
use super::referrals::{OrgSummary, PersonSummary, StateChangeOut};
use super::{agency_of, hidden, org_name, same_district, today, Related};
use crate::domain::states::{ActivationStatus, CaseStatus};
use crate::domain::vocabulary::{ContractType, FollowUpKind, Outcome, OutcomeCheckStatus};
use crate::domain::Role;
use crate::http::extract::AuthUser;
use crate::http::problem::{ApiError, FieldError};
use crate::integration::events::{self, EventType};
use crate::store::activations::Activation;
use crate::store::audit;
use crate::store::cases::{Case, OutcomeCheck};
use crate::store::follow_ups::FollowUp;
use crate::store::persons::Person;
use crate::store::{new_id, now, utc, write_tx, DbConn};

/// Details of a job found (`outcome = hired`).
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
pub struct HiredDetails {
    pub contract_type: ContractType,
    /// Ore settimanali.
    #[validate(range(min = 1, max = 60))]
    #[schema(minimum = 1, maximum = 60)]
    pub hours_per_week: i32,
    /// Datore di lavoro.
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub employer: String,
}

/// A case (presa in carico).
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseOut {
    pub id: String,
    pub person: PersonSummary,
    pub referral_id: String,
    /// The agency following the person.
    pub agency: OrgSummary,
    pub status: CaseStatus,
    /// The state to go back to when resumed (suspended cases only).
    pub suspended_from: Option<CaseStatus>,
    /// Date of the first meeting with the person.
    pub first_meeting_date: Option<NaiveDate>,
    /// Goals of the individual plan (patto di servizio).
    pub plan_goals: Option<String>,
    pub outcome: Option<Outcome>,
    pub hired: Option<HiredDetails>,
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When the next follow-up is due.
    pub next_due_date: Option<NaiveDate>,
    /// Open, and its next follow-up date has passed.
    pub overdue: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// A case with its measures and outcome checks.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDetail {
    #[serde(flatten)]
    pub case: CaseOut,
    pub activations: Vec<ActivationOut>,
    pub outcome_checks: Vec<OutcomeCheckOut>,
}

pub fn is_overdue(c: &Case, day: NaiveDate) -> bool {
    let status = CaseStatus::parse(&c.status);
    status.is_some_and(|s| s.is_open() && s != CaseStatus::Suspended)
        && c.next_due_date.is_some_and(|d| d < day)
}

pub fn out(conn: &mut DbConn, c: Case) -> Result<CaseOut, ApiError> {
    let related = Related::for_cases(conn, std::slice::from_ref(&c))?;
    out_with(&related, c)
}

/// `out` with the person and agency already loaded (for pages: see [`Related`]).
pub fn out_with(related: &Related, c: Case) -> Result<CaseOut, ApiError> {
    let person = related.person(&c.person_id)?;
    let hired = match (&c.outcome, &c.outcome_details) {
        (Some(o), Some(details)) if o == "hired" => serde_json::from_str(details).ok(),
        _ => None,
    };
    Ok(CaseOut {
        person: person.into(),
        agency: OrgSummary {
            name: related.org_name(&c.agency_id)?,
            id: c.agency_id.clone(),
        },
        status: CaseStatus::from_db(&c.status)?,
        suspended_from: c
            .suspended_from
            .as_deref()
            .map(CaseStatus::from_db)
            .transpose()?,
        outcome: c.outcome.as_deref().map(Outcome::from_db).transpose()?,
        overdue: is_overdue(&c, today()),
        closed_at: c.closed_at.map(utc),
        created_at: utc(c.created_at),
        updated_at: utc(c.updated_at),
        hired,
        id: c.id,
        referral_id: c.referral_id,
        first_meeting_date: c.first_meeting_date,
        plan_goals: c.plan_goals,
        next_due_date: c.next_due_date,
    })
}

pub fn detail(conn: &mut DbConn, c: Case) -> Result<CaseDetail, ApiError> {
    let acts = Activation::of_case(conn, &c.id)?
        .into_iter()
        .map(|a| activations::out(conn, a))
        .collect::<Result<Vec<_>, _>>()?;
    let checks = OutcomeCheck::of_case(conn, &c.id)?
        .into_iter()
        .map(check_out)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CaseDetail {
        case: out(conn, c)?,
        activations: acts,
        outcome_checks: checks,
    })
}

/// A case the caller may see: the coordinator all of the district, an agency operator its
/// agency's. Referrers see the case only through their referral. Everyone else: `404`.
pub fn visible(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<Case, ApiError> {
    let c = visible_unchecked(conn, user, id)?;
    crate::http::precondition::check(&c.id, c.updated_at)?;
    Ok(c)
}

fn visible_unchecked(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<Case, ApiError> {
    let c = Case::find(conn, id).map_err(|_| hidden())?;
    same_district(user, &c.district_id)?;
    match user.role {
        Role::Coordinator => Ok(c),
        Role::AgencyOperator if agency_of(user) == Some(c.agency_id.as_str()) => Ok(c),
        _ => Err(hidden()),
    }
}

/// Saves a case moved to `to` (if nobody moved it first) and records the transition.
pub fn transition(
    conn: &mut DbConn,
    c: &mut Case,
    action: &str,
    to: CaseStatus,
    reason: Option<&str>,
    actor: &str,
) -> Result<(), ApiError> {
    let from = audit::move_to(conn, c, action, to.as_str(), reason, actor)?;
    notify(conn, c, Some(&from))
}

/// Take-charge: the first meeting with the person was held and the individual plan signed.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"first_meeting_date": "2026-11-20", "plan_goals": "Bilancio di competenze; corso carrellista; ricerca attiva."}))]
pub struct TakeChargeInput {
    pub first_meeting_date: NaiveDate,
    /// Obiettivi del patto di servizio.
    #[validate(length(min = 3, max = 4000))]
    #[schema(min_length = 3, max_length = 4000)]
    pub plan_goals: String,
}

/// Why (required).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct ReasonInput {
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// Why (optional).
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct OptionalReason {
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

/// Closing a case with its outcome.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"outcome": "hired", "hired": {"contract_type": "fixed_term", "hours_per_week": 30, "employer": "Logistica Orobica srl"}, "note": "Assunto dopo il tirocinio"}))]
pub struct CloseInput {
    pub outcome: Outcome,
    /// Required when `outcome` is `hired`.
    #[validate(nested)]
    pub hired: Option<HiredDetails>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

fn require_casework(user: &AuthUser) -> Result<(), ApiError> {
    match user.role {
        Role::Coordinator | Role::AgencyOperator => Ok(()),
        _ => Err(ApiError::Forbidden(format!(
            "the {} role does not work on cases",
            user.role
        ))),
    }
}

pub fn take_charge(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    i: TakeChargeInput,
) -> Result<CaseDetail, ApiError> {
    require_casework(user)?;
    if i.first_meeting_date > today() {
        return Err(ApiError::validation(
            "first_meeting_date",
            "future",
            "the first meeting must already have taken place",
        ));
    }
    write_tx(conn, |conn| {
        let mut c = visible(conn, user, id)?;
        let to = CaseStatus::from_db(&c.status)?.take_charge()?;
        if i.first_meeting_date < c.created_at.date() {
            return Err(ApiError::validation(
                "first_meeting_date",
                "range",
                "cannot be before the case was assigned",
            ));
        }
        c.first_meeting_date = Some(i.first_meeting_date);
        c.plan_goals = Some(i.plan_goals.trim().into());
        c.case_manager_id = Some(user.id.clone());
        transition(conn, &mut c, "take_charge", to, None, &user.id)?;
        detail(conn, c)
    })
}

pub fn suspend(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    i: ReasonInput,
) -> Result<CaseDetail, ApiError> {
    require_casework(user)?;
    write_tx(conn, |conn| {
        let mut c = visible(conn, user, id)?;
        let from = CaseStatus::from_db(&c.status)?;
        let to = from.suspend()?;
        c.suspended_from = Some(from.as_str().into());
        transition(conn, &mut c, "suspend", to, Some(&i.reason), &user.id)?;
        detail(conn, c)
    })
}

pub fn resume(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    i: OptionalReason,
) -> Result<CaseDetail, ApiError> {
    require_casework(user)?;
    write_tx(conn, |conn| {
        let mut c = visible(conn, user, id)?;
        let previous = c
            .suspended_from
            .as_deref()
            .map(CaseStatus::from_db)
            .transpose()?
            .unwrap_or(CaseStatus::InCharge);
        let to = CaseStatus::from_db(&c.status)?.resume(previous)?;
        c.suspended_from = None;
        transition(conn, &mut c, "resume", to, i.reason.as_deref(), &user.id)?;
        detail(conn, c)
    })
}

pub fn close(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    i: CloseInput,
) -> Result<CaseDetail, ApiError> {
    require_casework(user)?;
    match (i.outcome, &i.hired) {
        (Outcome::Hired, None) => {
            return Err(ApiError::Validation(vec![FieldError::new(
                "hired",
                "required",
                "contract type, weekly hours and employer are required when the outcome is hired",
            )]))
        }
        (o, Some(_)) if o != Outcome::Hired => {
            return Err(ApiError::validation(
                "hired",
                "not_allowed",
                "only the hired outcome takes job details",
            ))
        }
        _ => {}
    }
    write_tx(conn, |conn| {
        let mut c = visible(conn, user, id)?;
        let to = CaseStatus::from_db(&c.status)?.close()?;
        let open: Vec<Activation> = Activation::of_case(conn, &c.id)?
            .into_iter()
            .filter(|a| ActivationStatus::parse(&a.status).is_some_and(ActivationStatus::is_open))
            .collect();
        if !open.is_empty() {
            return Err(ApiError::conflict(
                "activations_open",
                format!("{} measure(s) are still proposed, approved or running: complete, interrupt or cancel them first", open.len()),
            ));
        }
        let at = now();
        c.outcome = Some(i.outcome.as_str().into());
        c.outcome_details = i.hired.as_ref().and_then(|h| serde_json::to_string(h).ok());
        c.closed_at = Some(at);
        c.suspended_from = None;
        c.next_due_date = None;
        transition(
            conn,
            &mut c,
            "close",
            to,
            i.note.as_deref().or(Some(i.outcome.as_str())),
            &user.id,
        )?;
        // Stabilizzazione degli inserimenti: checks at 3, 6 and 12 months.
        let closed_on = today();
        for months in [3, 6, 12] {
            OutcomeCheck::insert(
                conn,
                &OutcomeCheck {
                    id: new_id(),
                    case_id: c.id.clone(),
                    months,
                    due_date: closed_on
                        .checked_add_months(chrono::Months::new(months as u32))
                        .unwrap_or(closed_on),
                    status: OutcomeCheckStatus::Due.as_str().into(),
                    employed: None,
                    note: None,
                    recorded_by: None,
                    recorded_at: None,
                    created_at: at,
                    notified_at: None,
                },
            )?;
        }
        detail(conn, c)
    })
}

/// Moves a case to another agency (a meeting decision): open measures not yet running are
/// cancelled and their reservations released; the case starts again from `assigned`.
pub fn reassign(
    conn: &mut DbConn,
    c: &mut Case,
    agency_id: &str,
    reason: Option<&str>,
    actor: &str,
) -> Result<(), ApiError> {
    let to = CaseStatus::from_db(&c.status)?.reassign()?;
    for a in Activation::of_case(conn, &c.id)? {
        let status = ActivationStatus::from_db(&a.status)?;
        if status == ActivationStatus::Running {
            return Err(ApiError::conflict(
                "activations_running",
                "the case has running measures: complete or interrupt them before reassigning",
            ));
        }
        if status.is_open() {
            activations::cancel_row(conn, a, Some("caso riassegnato"), actor)?;
        }
    }
    let from_agency = c.agency_id.clone();
    c.agency_id = agency_id.into();
    c.case_manager_id = None;
    c.suspended_from = None;
    c.first_meeting_date = None;
    c.next_due_date = Some(today() + chrono::Duration::days(30));
    let why = format!(
        "riassegnato da {} a {}{}",
        org_name(conn, &from_agency)?,
        org_name(conn, agency_id)?,
        reason.map(|r| format!(": {r}")).unwrap_or_default()
    );
    transition(conn, c, "reassign", to, Some(&why), actor)?;
    notify(conn, c, None)
}

// --------------------------------------------------------------- follow-ups

/// A diary entry (monitoraggio).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"kind": "meeting", "date": "2026-11-20", "note": "Colloquio di verifica: frequenta il corso.", "next_due_date": "2026-12-04"}))]
pub struct FollowUpInput {
    pub kind: FollowUpKind,
    /// When it happened (not in the future).
    pub date: NaiveDate,
    #[validate(length(min = 1, max = 4000))]
    #[schema(min_length = 1, max_length = 4000)]
    pub note: String,
    /// When the next follow-up is due; default: `date` + the overdue period.
    pub next_due_date: Option<NaiveDate>,
}

/// A diary entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpOut {
    pub id: String,
    pub case_id: String,
    pub kind: FollowUpKind,
    pub date: NaiveDate,
    pub note: String,
    pub next_due_date: Option<NaiveDate>,
    pub created_by: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

pub fn follow_up_out(f: FollowUp) -> Result<FollowUpOut, ApiError> {
    Ok(FollowUpOut {
        kind: FollowUpKind::from_db(&f.kind)?,
        created_at: utc(f.created_at),
        id: f.id,
        case_id: f.case_id,
        date: f.date,
        note: f.note,
        next_due_date: f.next_due_date,
        created_by: f.created_by,
    })
}

pub fn add_follow_up(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    i: FollowUpInput,
    overdue_days: i64,
) -> Result<FollowUpOut, ApiError> {
    require_casework(user)?;
    let mut errors = Vec::new();
    if i.date > today() {
        errors.push(FieldError::new("date", "future", "cannot be in the future"));
    }
    if i.next_due_date.is_some_and(|n| n < i.date) {
        errors.push(FieldError::new(
            "next_due_date",
            "range",
            "must not be before date",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    write_tx(conn, |conn| {
        let mut c = visible(conn, user, id)?;
        CaseStatus::from_db(&c.status)?.follow_up()?;
        let f = FollowUp {
            id: new_id(),
            case_id: c.id.clone(),
            kind: i.kind.as_str().into(),
            date: i.date,
            note: i.note.trim().into(),
            next_due_date: i.next_due_date,
            created_by: user.id.clone(),
            created_at: now(),
        };
        FollowUp::insert(conn, &f)?;
        c.next_due_date = Some(
            i.next_due_date
                .unwrap_or(i.date + chrono::Duration::days(overdue_days)),
        );
        c.updated_at = now();
        let status = c.status.clone();
        if !Case::save_if(conn, &c, &status)? {
            return Err(ApiError::conflict(
                "concurrent_update",
                "the case was changed meanwhile; reload it",
            ));
        }
        follow_up_out(f)
    })
}

// ----------------------------------------------------------- outcome checks

/// A check of how the outcome held, 3, 6 or 12 months after closing.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeCheckOut {
    pub id: String,
    pub case_id: String,
    /// 3, 6 or 12.
    pub months: i32,
    pub due_date: NaiveDate,
    pub status: OutcomeCheckStatus,
    /// Still employed (or in training/traineeship) at the check.
    pub employed: Option<bool>,
    pub note: Option<String>,
    pub recorded_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn check_out(c: OutcomeCheck) -> Result<OutcomeCheckOut, ApiError> {
    Ok(OutcomeCheckOut {
        status: OutcomeCheckStatus::from_db(&c.status)?,
        recorded_at: c.recorded_at.map(utc),
        id: c.id,
        case_id: c.case_id,
        months: c.months,
        due_date: c.due_date,
        employed: c.employed,
        note: c.note,
    })
}

/// The result of an outcome check.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct OutcomeCheckInput {
    pub employed: bool,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

pub fn record_check(
    conn: &mut DbConn,
    user: &AuthUser,
    case_id: &str,
    check_id: &str,
    i: OutcomeCheckInput,
) -> Result<OutcomeCheckOut, ApiError> {
    require_casework(user)?;
    write_tx(conn, |conn| {
        let c = visible(conn, user, case_id)?;
        let mut check = OutcomeCheck::find(conn, check_id)
            .ok()
            .filter(|k| k.case_id == c.id)
            .ok_or_else(hidden)?;
        if check.status != OutcomeCheckStatus::Due.as_str() {
            return Err(ApiError::InvalidTransition {
                entity: "outcome check",
                action: "record",
                from: check.status,
            });
        }
        check.status = OutcomeCheckStatus::Done.as_str().into();
        check.employed = Some(i.employed);
        check.note = i.note.clone();
        check.recorded_by = Some(user.id.clone());
        check.recorded_at = Some(now());
        if !OutcomeCheck::save_if_due(conn, &check)? {
            return Err(ApiError::conflict(
                "concurrent_update",
                "the check was recorded meanwhile",
            ));
        }
        check_out(check)
    })
}

// ----------------------------------------------------------------- timeline

/// One moment in a case's story.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEntry {
    pub at: chrono::DateTime<chrono::Utc>,
    /// `referral`, `case`, `activation`, `person` (edits of the person's data), `follow_up`,
    /// `outcome_check`.
    pub kind: String,
    /// What happened, e.g. `submit`, `take_charge`, `approve`, `meeting`.
    pub action: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub note: Option<String>,
    pub actor_id: Option<String>,
    /// The record concerned (activation, follow-up … id).
    pub ref_id: String,
}

/// The case's story: transitions of its referral, itself and its activations, follow-ups
/// and outcome checks, oldest first.
pub fn timeline(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
) -> Result<Vec<TimelineEntry>, ApiError> {
    let c = visible(conn, user, id)?;
    let mut entries = Vec::new();
    let mut push_changes = |kind: &str, changes: Vec<audit::StateChange>| {
        for s in changes {
            let s: StateChangeOut = {
                let ref_id = s.entity_id.clone();
                let out: StateChangeOut = s.into();
                entries.push(TimelineEntry {
                    at: out.at,
                    kind: kind.into(),
                    action: out.action.clone(),
                    from: out.from.clone(),
                    to: Some(out.to.clone()),
                    note: out.reason.clone(),
                    actor_id: out.actor_id.clone(),
                    ref_id,
                });
                out
            };
            let _ = s;
        }
    };
    push_changes(
        "referral",
        audit::history(conn, "referral", std::slice::from_ref(&c.referral_id))?,
    );
    push_changes(
        "case",
        audit::history(conn, "case", std::slice::from_ref(&c.id))?,
    );
    let act_ids: Vec<String> = Activation::of_case(conn, &c.id)?
        .into_iter()
        .map(|a| a.id)
        .collect();
    push_changes("activation", audit::history(conn, "activation", &act_ids)?);
    // Corrections of the person's data: which fields, by whom, when.
    push_changes(
        "person",
        audit::history(conn, "person", std::slice::from_ref(&c.person_id))?,
    );
    for f in FollowUp::all_of_case(conn, &c.id)? {
        entries.push(TimelineEntry {
            at: utc(f.created_at),
            kind: "follow_up".into(),
            action: f.kind,
            from: None,
            to: None,
            note: Some(format!("{}: {}", f.date, f.note)),
            actor_id: Some(f.created_by),
            ref_id: f.id,
        });
    }
    for k in OutcomeCheck::of_case(conn, &c.id)? {
        if let Some(at) = k.recorded_at {
            entries.push(TimelineEntry {
                at: utc(at),
                kind: "outcome_check".into(),
                action: format!("check_{}_months", k.months),
                from: None,
                to: Some(
                    if k.employed == Some(true) {
                        "employed"
                    } else {
                        "not_employed"
                    }
                    .into(),
                ),
                note: k.note,
                actor_id: k.recorded_by,
                ref_id: k.id,
            });
        }
    }
    entries.sort_by(|a, b| a.at.cmp(&b.at).then(a.ref_id.cmp(&b.ref_id)));
    Ok(entries)
}

pub fn outcome_checks(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
) -> Result<Vec<OutcomeCheckOut>, ApiError> {
    let c = visible(conn, user, id)?;
    OutcomeCheck::of_case(conn, &c.id)?
        .into_iter()
        .map(check_out)
        .collect()
}

pub fn person_of(conn: &mut DbConn, c: &Case) -> Result<Person, ApiError> {
    Ok(Person::find(conn, &c.person_id)?)
}

/// Tells the agency and the referring organization what happened to the case.
pub fn notify(conn: &mut DbConn, c: &Case, previous: Option<&str>) -> Result<(), ApiError> {
    let referrer = crate::store::referrals::Referral::find(conn, &c.referral_id)?.organization_id;
    let to = [c.agency_id.clone(), referrer];
    let base = |extra: &[(&str, serde_json::Value)]| {
        let mut pairs: Vec<(&str, serde_json::Value)> = vec![
            ("case_id", c.id.clone().into()),
            ("referral_id", c.referral_id.clone().into()),
            ("agency_id", c.agency_id.clone().into()),
            ("status", c.status.clone().into()),
        ];
        pairs.extend_from_slice(extra);
        events::data(&pairs)
    };
    match previous {
        None => events::emit(
            conn,
            &c.district_id,
            EventType::CaseAssigned,
            base(&[]),
            &to,
        )?,
        Some(prev) => {
            events::emit(
                conn,
                &c.district_id,
                EventType::CaseStatusChanged,
                base(&[("previous_status", prev.into())]),
                &to,
            )?;
            if c.status == CaseStatus::Closed.as_str() {
                events::emit(
                    conn,
                    &c.district_id,
                    EventType::CaseClosed,
                    base(&[("outcome", c.outcome.clone().into())]),
                    &to,
                )?;
            }
        }
    }
    Ok(())
}
