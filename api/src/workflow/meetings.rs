//! The monthly table (Tavolo Sistema Lavoro): agenda, decisions, closing, minutes.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::referrals::{self as refs, OrgSummary, ReferralOut};
use super::{check_agency, from_json, hidden, org_name, same_district, to_json, today};
use crate::domain::states::{CaseStatus, DecisionKind, MeetingStatus, ReferralStatus};
use crate::domain::vocabulary::Need;
use crate::domain::Role;
use crate::http::extract::AuthUser;
use crate::http::problem::ApiError;
use crate::integration::events::{self, EventType};
use crate::store::activations::Activation;
use crate::store::audit::{self, Transition};
use crate::store::cases::Case;
use crate::store::measures::Measure;
use crate::store::meetings::{AgendaItem, Decision, Meeting};
use crate::store::persons::Person;
use crate::store::referrals::Referral;
use crate::store::users::User;
use crate::store::{new_id, now, utc, write_tx, DbConn};

/// A new meeting (seduta) of the table.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"scheduled_for": "2026-12-10", "location": "Ufficio di Piano, via Roma 1",
    "participants": ["Chiara Colombo (Ufficio di Piano)", "Carla Pesenti (CPI Bergamo)"]}))]
pub struct MeetingInput {
    /// Default "Tavolo Sistema Lavoro – <date>".
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub title: Option<String>,
    pub scheduled_for: NaiveDate,
    #[validate(length(max = 300))]
    #[schema(max_length = 300)]
    pub location: Option<String>,
    /// Partecipanti, as they appear in the minutes.
    #[serde(default)]
    #[validate(length(max = 100))]
    #[schema(max_items = 100)]
    pub participants: Vec<String>,
}

/// Changes to a meeting not yet closed.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct MeetingPatch {
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub title: Option<String>,
    pub scheduled_for: Option<NaiveDate>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::domain::values::clearable")]
    #[validate(length(max = 300))]
    #[schema(max_length = 300, value_type = Option<String>)]
    pub location: Option<Option<String>>,
    #[validate(length(max = 100))]
    #[schema(max_items = 100)]
    pub participants: Option<Vec<String>>,
}

/// A meeting.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingOut {
    pub id: String,
    pub title: String,
    pub scheduled_for: NaiveDate,
    pub location: Option<String>,
    pub status: MeetingStatus,
    pub participants: Vec<String>,
    /// Items on the agenda.
    pub agenda_count: i64,
    /// Decisions recorded.
    pub decision_count: i64,
    pub opened_at: Option<chrono::DateTime<chrono::Utc>>,
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

pub fn out(conn: &mut DbConn, m: Meeting) -> Result<MeetingOut, ApiError> {
    let agenda = AgendaItem::of_meeting(conn, &m.id)?.len() as i64;
    let decisions = Decision::of_meeting(conn, &m.id)?.len() as i64;
    Ok(MeetingOut {
        status: MeetingStatus::from_db(&m.status)?,
        participants: from_json(&m.participants)?,
        agenda_count: agenda,
        decision_count: decisions,
        opened_at: m.opened_at.map(utc),
        closed_at: m.closed_at.map(utc),
        created_at: utc(m.created_at),
        updated_at: utc(m.updated_at),
        id: m.id,
        title: m.title,
        scheduled_for: m.scheduled_for,
        location: m.location,
    })
}

fn require_coordinator(user: &AuthUser) -> Result<&str, ApiError> {
    if user.role != Role::Coordinator {
        return Err(ApiError::Forbidden(
            "only the coordinator (Ufficio di Piano) runs the table".into(),
        ));
    }
    user.district()
}

/// Meetings are seen by the coordinator only (agencies learn decisions through their cases).
pub fn visible(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<Meeting, ApiError> {
    let m = visible_unchecked(conn, user, id)?;
    crate::http::precondition::check(&m.id, m.updated_at)?;
    Ok(m)
}

fn visible_unchecked(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<Meeting, ApiError> {
    let m = Meeting::find(conn, id).map_err(|_| hidden())?;
    same_district(user, &m.district_id)?;
    if user.role != Role::Coordinator {
        return Err(hidden());
    }
    Ok(m)
}

fn clean_participants(p: &[String]) -> Vec<String> {
    p.iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

pub fn create(conn: &mut DbConn, user: &AuthUser, i: MeetingInput) -> Result<MeetingOut, ApiError> {
    let district = require_coordinator(user)?.to_string();
    write_tx(conn, |conn| {
        let at = now();
        let m = Meeting {
            id: new_id(),
            district_id: district.clone(),
            title: i.title.clone().unwrap_or_else(|| {
                format!(
                    "Tavolo Sistema Lavoro – {}",
                    i.scheduled_for.format("%d/%m/%Y")
                )
            }),
            scheduled_for: i.scheduled_for,
            location: i.location.clone(),
            status: MeetingStatus::Planned.as_str().into(),
            participants: to_json(&clean_participants(&i.participants)),
            minutes_md: None,
            minutes_html: None,
            opened_at: None,
            closed_at: None,
            created_by: Some(user.id.clone()),
            created_at: at,
            updated_at: at,
        };
        Meeting::insert(conn, &m)?;
        audit::record(
            conn,
            Transition {
                entity_type: "meeting",
                entity_id: &m.id,
                action: "create",
                from: None,
                to: &m.status,
                reason: None,
                actor_id: Some(&user.id),
            },
        )?;
        out(conn, m)
    })
}

pub fn update(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    p: MeetingPatch,
) -> Result<MeetingOut, ApiError> {
    require_coordinator(user)?;
    write_tx(conn, |conn| {
        let mut m = visible(conn, user, id)?;
        MeetingStatus::from_db(&m.status)?.edit()?;
        let before = m.clone();
        if let Some(t) = p.title {
            m.title = t.trim().into();
        }
        if let Some(d) = p.scheduled_for {
            m.scheduled_for = d;
        }
        if let Some(l) = p.location {
            m.location = l.map(|l| l.trim().to_string()).filter(|l| !l.is_empty());
        }
        if let Some(ps) = &p.participants {
            m.participants = to_json(&clean_participants(ps));
        }
        let changed = audit::changed_fields(&before, &m);
        if changed.is_empty() {
            return out(conn, m);
        }
        m.updated_at = now();
        let status = m.status.clone();
        if !Meeting::save_if(conn, &m, &status)? {
            return Err(ApiError::conflict(
                "concurrent_update",
                "the meeting was changed meanwhile; reload it",
            ));
        }
        audit::record_update(
            conn,
            "meeting",
            &m.id,
            Some(&status),
            &changed.join(", "),
            &user.id,
        )?;
        out(conn, m)
    })
}

fn move_meeting(
    conn: &mut DbConn,
    m: &mut Meeting,
    action: &str,
    to: MeetingStatus,
    actor: &str,
) -> Result<(), ApiError> {
    audit::move_to(conn, m, action, to.as_str(), None, actor).map(drop)
}

fn schedule_referral(
    conn: &mut DbConn,
    meeting_id: &str,
    r: &mut Referral,
    actor: &str,
) -> Result<(), ApiError> {
    let to = ReferralStatus::from_db(&r.status)?.schedule()?;
    r.meeting_id = Some(meeting_id.to_string());
    r.status_note = None;
    refs::transition(conn, r, "schedule", to, None, actor)?;
    AgendaItem::insert(
        conn,
        &AgendaItem {
            id: new_id(),
            meeting_id: meeting_id.into(),
            kind: "referral".into(),
            referral_id: Some(r.id.clone()),
            case_id: None,
            created_at: now(),
        },
    )?;
    Ok(())
}

/// Opens the meeting: every waiting referral (submitted, or deferred by a past meeting)
/// goes on its agenda and becomes `scheduled`.
pub fn open(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<MeetingOut, ApiError> {
    let district = require_coordinator(user)?.to_string();
    write_tx(conn, |conn| {
        let mut m = visible(conn, user, id)?;
        let to = MeetingStatus::from_db(&m.status)?.open()?;
        if let Some(other) = Meeting::open_in(conn, &district)? {
            return Err(ApiError::conflict(
                "meeting_already_open",
                format!(
                    "meeting {} ({}) is still open: close it first",
                    other.title, other.id
                ),
            ));
        }
        m.opened_at = Some(now());
        move_meeting(conn, &mut m, "open", to, &user.id)?;
        for mut r in Referral::waiting(conn, &district)? {
            schedule_referral(conn, &m.id, &mut r, &user.id)?;
        }
        out(conn, m)
    })
}

/// What to add to an open meeting's agenda: a waiting referral, or an open case to review.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct AgendaInput {
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub referral_id: Option<String>,
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub case_id: Option<String>,
}

/// A case under review, as the agenda shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseReview {
    pub id: String,
    pub status: CaseStatus,
    pub agency: OrgSummary,
    pub person: refs::PersonSummary,
    pub next_due_date: Option<NaiveDate>,
}

/// A decision of the table.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionOut {
    pub id: String,
    pub referral_id: Option<String>,
    pub case_id: Option<String>,
    pub decision: DecisionKind,
    pub agency: Option<OrgSummary>,
    pub measure_ids: Vec<String>,
    pub reason: Option<String>,
    pub decided_by: String,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// One agenda item with what the table needs to decide it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgendaItemOut {
    pub id: String,
    /// `referral` or `case_review`.
    pub kind: String,
    pub referral: Option<ReferralOut>,
    pub case: Option<CaseReview>,
    pub decision: Option<DecisionOut>,
}

/// The agenda (ordine del giorno).
#[derive(Debug, Serialize, ToSchema)]
pub struct Agenda {
    pub meeting: MeetingOut,
    pub items: Vec<AgendaItemOut>,
}

fn decision_out(conn: &mut DbConn, d: Decision) -> Result<DecisionOut, ApiError> {
    let agency = match &d.agency_id {
        Some(a) => Some(OrgSummary {
            id: a.clone(),
            name: org_name(conn, a)?,
        }),
        None => None,
    };
    Ok(DecisionOut {
        decision: DecisionKind::from_db(&d.decision)?,
        measure_ids: from_json(&d.measure_ids)?,
        updated_at: utc(d.updated_at),
        agency,
        id: d.id,
        referral_id: d.referral_id,
        case_id: d.case_id,
        reason: d.reason,
        decided_by: d.decided_by,
    })
}

pub fn agenda(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<Agenda, ApiError> {
    let m = visible(conn, user, id)?;
    let decisions = Decision::of_meeting(conn, &m.id)?;
    let mut items = Vec::new();
    for item in AgendaItem::of_meeting(conn, &m.id)? {
        let decision = decisions
            .iter()
            .find(|d| {
                (item.referral_id.is_some() && d.referral_id == item.referral_id)
                    || (item.case_id.is_some() && d.case_id == item.case_id)
            })
            .cloned();
        let referral = match &item.referral_id {
            Some(r) => {
                let r = Referral::find(conn, r)?;
                Some(refs::out(conn, r, false)?)
            }
            None => None,
        };
        let case = match &item.case_id {
            Some(c) => {
                let c = Case::find(conn, c)?;
                let person = Person::find(conn, &c.person_id)?;
                Some(CaseReview {
                    status: CaseStatus::from_db(&c.status)?,
                    agency: OrgSummary {
                        name: org_name(conn, &c.agency_id)?,
                        id: c.agency_id.clone(),
                    },
                    person: (&person).into(),
                    next_due_date: c.next_due_date,
                    id: c.id,
                })
            }
            None => None,
        };
        items.push(AgendaItemOut {
            decision: decision.map(|d| decision_out(conn, d)).transpose()?,
            id: item.id,
            kind: item.kind,
            referral,
            case,
        });
    }
    Ok(Agenda {
        meeting: out(conn, m)?,
        items,
    })
}

fn open_meeting(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<Meeting, ApiError> {
    let m = visible(conn, user, id)?;
    MeetingStatus::from_db(&m.status)?.record()?;
    Ok(m)
}

pub fn add_item(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    i: AgendaInput,
) -> Result<Agenda, ApiError> {
    require_coordinator(user)?;
    write_tx(conn, |conn| {
        let m = open_meeting(conn, user, id)?;
        match (&i.referral_id, &i.case_id) {
            (Some(rid), None) => {
                let mut r = refs::visible(conn, user, rid).map_err(|_| {
                    ApiError::validation(
                        "referral_id",
                        "unknown",
                        "no referral of the district has this id",
                    )
                })?;
                schedule_referral(conn, &m.id, &mut r, &user.id)?;
            }
            (None, Some(cid)) => {
                let c = Case::find(conn, cid)
                    .ok()
                    .filter(|c| Some(c.district_id.as_str()) == user.district_id.as_deref())
                    .ok_or_else(|| {
                        ApiError::validation(
                            "case_id",
                            "unknown",
                            "no case of the district has this id",
                        )
                    })?;
                if !CaseStatus::from_db(&c.status)?.is_open() {
                    return Err(ApiError::InvalidTransition {
                        entity: "case",
                        action: "review",
                        from: c.status,
                    });
                }
                let exists = AgendaItem::of_meeting(conn, &m.id)?
                    .iter()
                    .any(|it| it.case_id.as_deref() == Some(cid));
                if exists {
                    return Err(ApiError::conflict(
                        "duplicate",
                        "the case is already on the agenda",
                    ));
                }
                AgendaItem::insert(
                    conn,
                    &AgendaItem {
                        id: new_id(),
                        meeting_id: m.id.clone(),
                        kind: "case_review".into(),
                        referral_id: None,
                        case_id: Some(cid.clone()),
                        created_at: now(),
                    },
                )?;
            }
            _ => {
                return Err(ApiError::validation(
                    "referral_id",
                    "one_of",
                    "give exactly one of referral_id and case_id",
                ))
            }
        }
        agenda(conn, user, &m.id)
    })
}

/// Removes an item: a referral goes back to `submitted`, waiting for the next meeting.
pub fn remove_item(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    item_id: &str,
) -> Result<Agenda, ApiError> {
    require_coordinator(user)?;
    write_tx(conn, |conn| {
        let m = open_meeting(conn, user, id)?;
        let item = AgendaItem::find(conn, &m.id, item_id).map_err(|_| hidden())?;
        Decision::delete_for_item(
            conn,
            &m.id,
            item.referral_id.as_deref(),
            item.case_id.as_deref(),
        )?;
        AgendaItem::delete(conn, &item.id)?;
        if let Some(rid) = &item.referral_id {
            let mut r = Referral::find(conn, rid)?;
            let to = ReferralStatus::from_db(&r.status)?.unschedule()?;
            r.meeting_id = None;
            refs::transition(
                conn,
                &mut r,
                "unschedule",
                to,
                Some("rimossa dall'ordine del giorno"),
                &user.id,
            )?;
        }
        agenda(conn, user, &m.id)
    })
}

/// A decision on one agenda item; recording it again replaces it.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"referral_id": "0193...", "decision": "accept", "agency_id": "0193...",
    "measure_ids": ["0193..."], "reason": "Profilo adatto a DUL fascia 2"}))]
pub struct DecisionInput {
    /// The referral decided (for referral items).
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub referral_id: Option<String>,
    /// The case reviewed (for case-review items).
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub case_id: Option<String>,
    /// `accept`, `reject`, `redirect`, `defer`, `request_info` for referrals;
    /// `reassign`, `confirm` for case reviews.
    pub decision: DecisionKind,
    /// The agency that takes the case (`accept`, `reassign`).
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub agency_id: Option<String>,
    /// Measures to activate (`accept`); proposed to the agency when the meeting closes.
    #[serde(default)]
    #[validate(length(max = 10))]
    #[schema(max_items = 10)]
    pub measure_ids: Vec<String>,
    /// Motivazione: required except for `accept` and `confirm`.
    #[validate(length(min = 1, max = 4000))]
    #[schema(min_length = 1, max_length = 4000)]
    pub reason: Option<String>,
}

pub fn decide(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    i: DecisionInput,
) -> Result<Agenda, ApiError> {
    let district = require_coordinator(user)?.to_string();
    write_tx(conn, |conn| {
        let m = open_meeting(conn, user, id)?;
        let items = AgendaItem::of_meeting(conn, &m.id)?;
        let mut errors = Vec::new();
        match (&i.referral_id, &i.case_id) {
            (Some(rid), None) => {
                if !items
                    .iter()
                    .any(|it| it.referral_id.as_deref() == Some(rid))
                {
                    errors.push(crate::http::problem::FieldError::new(
                        "referral_id",
                        "not_on_agenda",
                        "the referral is not on this meeting's agenda",
                    ));
                }
                if !i.decision.for_referrals() {
                    errors.push(crate::http::problem::FieldError::new(
                        "decision",
                        "enum",
                        "for a referral: accept, reject, redirect, defer or request_info",
                    ));
                }
            }
            (None, Some(cid)) => {
                if !items.iter().any(|it| it.case_id.as_deref() == Some(cid)) {
                    errors.push(crate::http::problem::FieldError::new(
                        "case_id",
                        "not_on_agenda",
                        "the case is not on this meeting's agenda",
                    ));
                }
                if i.decision.for_referrals() {
                    errors.push(crate::http::problem::FieldError::new(
                        "decision",
                        "enum",
                        "for a case review: reassign or confirm",
                    ));
                }
            }
            _ => errors.push(crate::http::problem::FieldError::new(
                "referral_id",
                "one_of",
                "give exactly one of referral_id and case_id",
            )),
        }
        let needs_agency = matches!(i.decision, DecisionKind::Accept | DecisionKind::Reassign);
        match (&i.agency_id, needs_agency) {
            (None, true) => errors.push(crate::http::problem::FieldError::new(
                "agency_id",
                "required",
                "is required to assign the case",
            )),
            (Some(_), false) => errors.push(crate::http::problem::FieldError::new(
                "agency_id",
                "not_allowed",
                "only accept and reassign take an agency",
            )),
            (Some(a), true) => {
                if let Err(ApiError::Validation(mut e)) =
                    check_agency(conn, &district, a, "agency_id")
                {
                    errors.append(&mut e);
                }
            }
            (None, false) => {}
        }
        if !i.measure_ids.is_empty() && i.decision != DecisionKind::Accept {
            errors.push(crate::http::problem::FieldError::new(
                "measure_ids",
                "not_allowed",
                "only accept takes measures",
            ));
        }
        for (n, mid) in i.measure_ids.iter().enumerate() {
            let ok = Measure::find(conn, mid)
                .ok()
                .is_some_and(|ms| ms.district_id == district && ms.active);
            if !ok {
                errors.push(crate::http::problem::FieldError::new(
                    format!("measure_ids[{n}]"),
                    "unknown",
                    "no active measure of the district has this id",
                ));
            }
        }
        let reason = i.reason.as_deref().map(str::trim).filter(|s| !s.is_empty());
        if reason.is_none() && !matches!(i.decision, DecisionKind::Accept | DecisionKind::Confirm) {
            errors.push(crate::http::problem::FieldError::new(
                "reason",
                "required",
                "give the reason for this decision: it goes in the minutes",
            ));
        }
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        if let (Some(cid), DecisionKind::Reassign) = (&i.case_id, i.decision) {
            let c = Case::find(conn, cid)?;
            if i.agency_id.as_deref() == Some(c.agency_id.as_str()) {
                return Err(ApiError::validation(
                    "agency_id",
                    "same_agency",
                    "the case is already with this agency",
                ));
            }
            if Activation::of_case(conn, cid)?
                .iter()
                .any(|a| a.status == "running")
            {
                return Err(ApiError::conflict(
                    "activations_running",
                    "the case has running measures: complete or interrupt them before reassigning",
                ));
            }
        }
        let at = now();
        let existing =
            Decision::for_item(conn, &m.id, i.referral_id.as_deref(), i.case_id.as_deref())?;
        let d = Decision {
            id: existing
                .as_ref()
                .map(|d| d.id.clone())
                .unwrap_or_else(new_id),
            meeting_id: m.id.clone(),
            referral_id: i.referral_id.clone(),
            case_id: i.case_id.clone(),
            decision: i.decision.as_str().into(),
            agency_id: i.agency_id.clone(),
            measure_ids: to_json(&i.measure_ids),
            reason: reason.map(str::to_string),
            decided_by: user.id.clone(),
            created_at: existing.as_ref().map(|d| d.created_at).unwrap_or(at),
            updated_at: at,
        };
        if existing.is_some() {
            Decision::save(conn, &d)?;
        } else {
            Decision::insert(conn, &d)?;
        }
        agenda(conn, user, &m.id)
    })
}

/// Applies one decision; any error aborts the whole close.
fn apply(
    conn: &mut DbConn,
    m: &Meeting,
    d: &Decision,
    actor: &str,
    overdue_days: i64,
) -> Result<(), ApiError> {
    let kind = DecisionKind::from_db(&d.decision)?;
    let reason = d.reason.as_deref();
    if let Some(rid) = &d.referral_id {
        let mut r = Referral::find(conn, rid)?;
        let to = ReferralStatus::from_db(&r.status)?.decide(kind)?;
        if kind != DecisionKind::Accept {
            r.status_note = d.reason.clone();
        }
        refs::transition(conn, &mut r, kind.as_str(), to, reason, actor)?;
        let mut case_id = None;
        if kind == DecisionKind::Accept {
            let agency = d
                .agency_id
                .clone()
                .ok_or_else(|| ApiError::Internal("accept without agency".into()))?;
            let at = now();
            let c = Case {
                id: new_id(),
                district_id: r.district_id.clone(),
                person_id: r.person_id.clone(),
                referral_id: r.id.clone(),
                agency_id: agency,
                case_manager_id: None,
                status: CaseStatus::Assigned.as_str().into(),
                suspended_from: None,
                first_meeting_date: None,
                plan_goals: None,
                outcome: None,
                outcome_details: None,
                closed_at: None,
                next_due_date: Some(today() + chrono::Duration::days(overdue_days)),
                created_at: at,
                updated_at: at,
            };
            Case::insert(conn, &c)?;
            audit::record(
                conn,
                Transition {
                    entity_type: "case",
                    entity_id: &c.id,
                    action: "assign",
                    from: None,
                    to: &c.status,
                    reason: Some(&format!(
                        "decisione del tavolo del {}",
                        m.scheduled_for.format("%d/%m/%Y")
                    )),
                    actor_id: Some(actor),
                },
            )?;
            for mid in from_json::<String>(&d.measure_ids)? {
                let measure = Measure::find(conn, &mid)?;
                super::activations::insert_proposed(
                    conn,
                    &c,
                    &measure,
                    measure.default_amount_cents,
                    Some("proposta dal tavolo"),
                    actor,
                )?;
            }
            events::emit(
                conn,
                &c.district_id,
                EventType::CaseAssigned,
                events::data(&[
                    ("case_id", c.id.clone().into()),
                    ("referral_id", r.id.clone().into()),
                    ("agency_id", c.agency_id.clone().into()),
                    ("status", c.status.clone().into()),
                ]),
                &[c.agency_id.clone(), r.organization_id.clone()],
            )?;
            case_id = Some(c.id.clone());
        }
        events::emit(
            conn,
            &r.district_id,
            EventType::ReferralDecided,
            events::data(&[
                ("referral_id", r.id.clone().into()),
                ("status", r.status.clone().into()),
                ("decision", kind.as_str().into()),
                ("reason", d.reason.clone().into()),
                ("case_id", case_id.into()),
            ]),
            std::slice::from_ref(&r.organization_id),
        )?;
    }
    if let Some(cid) = &d.case_id {
        let mut c = Case::find(conn, cid)?;
        if kind == DecisionKind::Reassign {
            let agency = d
                .agency_id
                .clone()
                .ok_or_else(|| ApiError::Internal("reassign without agency".into()))?;
            super::cases::reassign(conn, &mut c, &agency, reason, actor)?;
        } else {
            audit::record(
                conn,
                Transition {
                    entity_type: "case",
                    entity_id: &c.id,
                    action: "review",
                    from: Some(&c.status),
                    to: &c.status,
                    reason,
                    actor_id: Some(actor),
                },
            )?;
        }
    }
    Ok(())
}

/// Closes the meeting: applies every decision in one transaction (cases created, referrals
/// moved, undecided referrals deferred to the next meeting) and freezes the minutes.
pub fn close(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    overdue_days: i64,
) -> Result<MeetingOut, ApiError> {
    require_coordinator(user)?;
    write_tx(conn, |conn| {
        let mut m = visible(conn, user, id)?;
        let to = MeetingStatus::from_db(&m.status)?.close()?;
        let items = AgendaItem::of_meeting(conn, &m.id)?;
        let mut decisions = Decision::of_meeting(conn, &m.id)?;
        // Referrals the table did not get to: deferred, and the minutes say so.
        for item in &items {
            if let Some(rid) = &item.referral_id {
                if !decisions
                    .iter()
                    .any(|d| d.referral_id.as_deref() == Some(rid))
                {
                    let at = now();
                    let d = Decision {
                        id: new_id(),
                        meeting_id: m.id.clone(),
                        referral_id: Some(rid.clone()),
                        case_id: None,
                        decision: DecisionKind::Defer.as_str().into(),
                        agency_id: None,
                        measure_ids: "[]".into(),
                        reason: Some("non trattata nella seduta: rinviata d'ufficio".into()),
                        decided_by: user.id.clone(),
                        created_at: at,
                        updated_at: at,
                    };
                    Decision::insert(conn, &d)?;
                    decisions.push(d);
                }
            }
        }
        for d in &decisions {
            apply(conn, &m, d, &user.id, overdue_days)?;
        }
        m.closed_at = Some(now());
        let (md, html) = minutes(conn, &m, &decisions, true)?;
        m.minutes_md = Some(md);
        m.minutes_html = Some(html);
        move_meeting(conn, &mut m, "close", to, &user.id)?;
        out(conn, m)
    })
}

/// The minutes: frozen once closed, a draft before.
pub fn get_minutes(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
) -> Result<(String, String), ApiError> {
    let m = visible(conn, user, id)?;
    match (&m.minutes_md, &m.minutes_html) {
        (Some(md), Some(html)) => Ok((md.clone(), html.clone())),
        _ => {
            let decisions = Decision::of_meeting(conn, &m.id)?;
            minutes(conn, &m, &decisions, false)
        }
    }
}

fn decision_label(k: DecisionKind) -> &'static str {
    match k {
        DecisionKind::Accept => "Accolta – presa in carico",
        DecisionKind::Reject => "Respinta",
        DecisionKind::Redirect => "Reindirizzata ad altro servizio",
        DecisionKind::Defer => "Rinviata alla seduta successiva",
        DecisionKind::RequestInfo => "Richiesta di integrazioni",
        DecisionKind::Reassign => "Riassegnazione ad altro ente",
        DecisionKind::Confirm => "Confermato il percorso in corso",
    }
}

fn need_label(n: Need) -> &'static str {
    match n {
        Need::Work => "lavoro",
        Need::Training => "formazione",
        Need::Housing => "casa",
        Need::Transport => "trasporti",
        Need::Income => "reddito",
        Need::FamilyCare => "conciliazione e cura",
        Need::Health => "salute",
        Need::Relational => "vita relazionale",
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One decision's lines for the minutes.
struct MinuteEntry {
    heading: String,
    lines: Vec<(String, String)>,
}

/// Il verbale: Markdown and printable HTML from the same entries.
fn minutes(
    conn: &mut DbConn,
    m: &Meeting,
    decisions: &[Decision],
    frozen: bool,
) -> Result<(String, String), ApiError> {
    let participants: Vec<String> = from_json(&m.participants)?;
    let mut entries = Vec::new();
    for (n, d) in decisions.iter().enumerate() {
        let kind = DecisionKind::from_db(&d.decision)?;
        let mut lines = vec![("Esito".to_string(), decision_label(kind).to_string())];
        let heading;
        if let Some(rid) = &d.referral_id {
            let r = Referral::find(conn, rid)?;
            let p = Person::find(conn, &r.person_id)?;
            let needs: Vec<Need> = from_json(&r.needs)?;
            heading = format!(
                "{}. Segnalazione – {} {} ({})",
                n + 1,
                p.last_name,
                p.first_name,
                p.tax_code
            );
            lines.insert(
                0,
                (
                    "Ente segnalante".into(),
                    org_name(conn, &r.organization_id)?,
                ),
            );
            lines.insert(
                1,
                (
                    "Bisogni".into(),
                    needs
                        .iter()
                        .map(|x| need_label(*x))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            );
        } else if let Some(cid) = &d.case_id {
            let c = Case::find(conn, cid)?;
            let p = Person::find(conn, &c.person_id)?;
            heading = format!(
                "{}. Verifica caso – {} {} ({})",
                n + 1,
                p.last_name,
                p.first_name,
                p.tax_code
            );
        } else {
            continue;
        }
        if let Some(a) = &d.agency_id {
            lines.push(("Ente assegnatario".into(), org_name(conn, a)?));
        }
        let measures = Measure::find_many(conn, &from_json::<String>(&d.measure_ids)?)?;
        if !measures.is_empty() {
            lines.push((
                "Misure".into(),
                measures
                    .iter()
                    .map(|x| format!("{} ({})", x.name, x.code))
                    .collect::<Vec<_>>()
                    .join(", "),
            ));
        }
        if let Some(reason) = &d.reason {
            lines.push(("Motivazione".into(), reason.clone()));
        }
        entries.push(MinuteEntry { heading, lines });
    }
    let chair = match &m.created_by {
        Some(u) => User::find(conn, u).map(|u| u.full_name).unwrap_or_default(),
        None => String::new(),
    };
    let state = if frozen {
        "Verbale"
    } else {
        "Bozza di verbale"
    };
    let date = m.scheduled_for.format("%d/%m/%Y").to_string();

    let mut md = format!("# {state} – {}\n\n", m.title);
    md.push_str(&format!("- **Data:** {date}\n"));
    if let Some(l) = &m.location {
        md.push_str(&format!("- **Luogo:** {l}\n"));
    }
    if !chair.is_empty() {
        md.push_str(&format!("- **Presiede:** {chair} (Ufficio di Piano)\n"));
    }
    md.push_str("\n## Partecipanti\n\n");
    if participants.is_empty() {
        md.push_str("_Nessun partecipante registrato._\n");
    }
    for p in &participants {
        md.push_str(&format!("- {p}\n"));
    }
    md.push_str(&format!("\n## Decisioni ({})\n\n", entries.len()));
    if entries.is_empty() {
        md.push_str("_Nessuna decisione._\n");
    }
    for e in &entries {
        md.push_str(&format!("### {}\n\n", e.heading));
        for (k, v) in &e.lines {
            md.push_str(&format!("- **{k}:** {v}\n"));
        }
        md.push('\n');
    }
    if let Some(c) = m.closed_at {
        md.push_str(&format!(
            "_Seduta chiusa il {}._\n",
            utc(c)
                .with_timezone(&chrono_tz::Europe::Rome)
                .format("%d/%m/%Y alle %H:%M")
        ));
    }

    let mut html =
        String::from("<!doctype html>\n<html lang=\"it\"><head><meta charset=\"utf-8\">");
    html.push_str(&format!("<title>{state} – {}</title>", escape(&m.title)));
    html.push_str("<style>body{font-family:'Titillium Web',Arial,sans-serif;max-width:48rem;margin:2rem auto;color:#1a1a1a;line-height:1.5}h1{font-size:1.6rem;border-bottom:2px solid #06c;padding-bottom:.3rem}h2{font-size:1.25rem;margin-top:1.5rem}h3{font-size:1.05rem;margin-bottom:.3rem}dl{display:grid;grid-template-columns:12rem 1fr;gap:.2rem .8rem;margin:0 0 1rem}dt{font-weight:600}dd{margin:0}@media print{body{margin:0}}</style></head><body>");
    html.push_str(&format!(
        "<h1>{state} – {}</h1><dl><dt>Data</dt><dd>{date}</dd>",
        escape(&m.title)
    ));
    if let Some(l) = &m.location {
        html.push_str(&format!("<dt>Luogo</dt><dd>{}</dd>", escape(l)));
    }
    if !chair.is_empty() {
        html.push_str(&format!(
            "<dt>Presiede</dt><dd>{} (Ufficio di Piano)</dd>",
            escape(&chair)
        ));
    }
    html.push_str("</dl><h2>Partecipanti</h2>");
    if participants.is_empty() {
        html.push_str("<p><em>Nessun partecipante registrato.</em></p>");
    } else {
        html.push_str("<ul>");
        for p in &participants {
            html.push_str(&format!("<li>{}</li>", escape(p)));
        }
        html.push_str("</ul>");
    }
    html.push_str(&format!("<h2>Decisioni ({})</h2>", entries.len()));
    if entries.is_empty() {
        html.push_str("<p><em>Nessuna decisione.</em></p>");
    }
    for e in &entries {
        html.push_str(&format!("<section><h3>{}</h3><dl>", escape(&e.heading)));
        for (k, v) in &e.lines {
            html.push_str(&format!("<dt>{}</dt><dd>{}</dd>", escape(k), escape(v)));
        }
        html.push_str("</dl></section>");
    }
    if let Some(c) = m.closed_at {
        html.push_str(&format!(
            "<p><em>Seduta chiusa il {}.</em></p>",
            utc(c)
                .with_timezone(&chrono_tz::Europe::Rome)
                .format("%d/%m/%Y alle %H:%M")
        ));
    }
    html.push_str("</body></html>\n");
    Ok((md, html))
}
