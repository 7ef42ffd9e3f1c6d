//! The monthly table (Tavolo Sistema Lavoro): its meetings. The agenda, the decisions,
//! closing and the minutes each have their module.

pub mod agenda;
pub mod close;
pub mod decisions;
pub mod minutes;
pub mod view;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::ids::MeetingId;
use sistema_lavoro_domain::policy::{self, MeetingFacts};
use sistema_lavoro_domain::states::MeetingStatus;
use sistema_lavoro_domain::{Error, Expected, FieldError, Version};
use sistema_lavoro_store::audit::{self, Transition};
use sistema_lavoro_store::meetings::{AgendaItem, Decision, Meeting};
use sistema_lavoro_store::{new_id, utc, write_tx, DbConn};
use utoipa::ToSchema;
use validator::Validate;

use super::{Page, PageRequest};
use crate::Ctx;

/// A new meeting (seduta) of the table.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"scheduled_for": "2026-12-10", "location": "Ufficio di Piano, via Roma 1",
    "participants": ["Chiara Colombo (Ufficio di Piano)", "Carla Pesenti (CPI Bergamo)"]}))]
pub struct MeetingInput {
    /// Default "Tavolo Sistema Lavoro – <date>".
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub title: Option<String>,
    /// Data della seduta (ISO 8601 date).
    pub scheduled_for: NaiveDate,
    /// Luogo: where the meeting is held.
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
    /// New title.
    #[validate(length(min = 2, max = 200))]
    #[schema(nullable = false, min_length = 2, max_length = 200)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub title: Option<String>,
    /// New date of the session (ISO 8601 date).
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub scheduled_for: Option<NaiveDate>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(length(max = 300))]
    #[schema(max_length = 300, value_type = Option<String>)]
    pub location: Option<Option<String>>,
    /// Replaces the participants (partecipanti), as they appear in the minutes.
    #[validate(length(max = 100))]
    #[schema(nullable = false, max_items = 100)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub participants: Option<Vec<String>>,
}

/// A meeting.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct MeetingOut {
    /// Identifier of the session (seduta), a UUID.
    pub id: String,
    /// The network it is a session of (the district's Tavolo Sistema Lavoro so far).
    pub network_id: Option<String>,
    /// Title, e.g. "Tavolo Sistema Lavoro – 2026-12-10".
    pub title: String,
    /// Data della seduta (ISO 8601 date).
    pub scheduled_for: NaiveDate,
    /// Luogo.
    pub location: Option<String>,
    /// Stato: `planned`, `open` or `closed`.
    pub status: MeetingStatus,
    /// Partecipanti, as they appear in the minutes.
    pub participants: Vec<String>,
    /// Items on the agenda.
    pub agenda_count: i64,
    /// Decisions recorded.
    pub decision_count: i64,
    /// When it was opened (RFC 3339, UTC).
    pub opened_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When it was closed and its minutes (verbale) frozen (RFC 3339, UTC).
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// What you may do with it now.
    pub allowed_actions: Vec<Action>,
    /// What your role could do, but the meeting's state forbids now, and why.
    pub blocked_actions: Vec<BlockedAction>,
    /// When it was planned (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last changed (RFC 3339, UTC); its version is the `ETag`.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// Meetings as lists show them: counts and the district's open meeting loaded once.
pub fn outs(conn: &mut DbConn, cx: &Ctx, meetings: Vec<Meeting>) -> Result<Vec<MeetingOut>, Error> {
    let ids: Vec<&MeetingId> = meetings.iter().map(|m| &m.id).collect();
    let agenda = AgendaItem::counts(conn, &ids)?;
    let decisions = Decision::counts(conn, &ids)?;
    let open = match meetings.first() {
        Some(m) => Meeting::open_in(conn, &m.district_id)?.map(|o| o.id),
        None => None,
    };
    Ok(meetings
        .into_iter()
        .map(|m| {
            let facts = MeetingFacts {
                status: m.status,
                other_open: open.as_ref().is_some_and(|o| o != &m.id),
            };
            let (allowed_actions, blocked_actions) =
                cx.render(policy::meeting_actions(cx.actor, &facts));
            MeetingOut {
                agenda_count: agenda.get(&m.id).copied().unwrap_or(0),
                decision_count: decisions.get(&m.id).copied().unwrap_or(0),
                status: m.status,
                participants: m.participants,
                opened_at: m.opened_at.map(utc),
                closed_at: m.closed_at.map(utc),
                created_at: utc(m.created_at),
                updated_at: utc(m.updated_at),
                allowed_actions,
                blocked_actions,
                id: m.id.into(),
                network_id: m.network_id.map(Into::into),
                title: m.title,
                scheduled_for: m.scheduled_for,
                location: m.location,
            }
        })
        .collect())
}

pub fn out(conn: &mut DbConn, cx: &Ctx, m: Meeting) -> Result<MeetingOut, Error> {
    outs(conn, cx, vec![m])?
        .pop()
        .ok_or_else(|| Error::Internal("meeting lost".into()))
}

/// Meetings are seen by the coordinator only (agencies learn decisions through their
/// cases); at the version the caller expects.
pub fn visible(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &MeetingId,
    expected: &Expected,
) -> Result<Meeting, Error> {
    let m = Meeting::find(conn, id).map_err(|_| Error::hidden())?;
    if !cx.actor.in_district(&m.district_id) || policy::may_run_the_table(cx.actor).is_err() {
        return Err(Error::hidden());
    }
    expected.check(Version::of(m.updated_at))?;
    Ok(m)
}

/// The longest name of a participant, as the minutes print it.
pub const PARTICIPANT_MAX_LEN: usize = 200;

/// Every participant named too long, at once.
fn check_participants(p: &[String]) -> Result<(), Error> {
    let errors: Vec<FieldError> = p
        .iter()
        .enumerate()
        .filter(|(_, s)| s.trim().chars().count() > PARTICIPANT_MAX_LEN)
        .map(|(n, _)| {
            FieldError::new(
                format!("participants[{n}]"),
                "length",
                sistema_lavoro_domain::text!(
                    "deve avere al massimo {} caratteri",
                    "must be at most {} characters",
                    PARTICIPANT_MAX_LEN
                ),
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(errors))
    }
}

fn clean_participants(p: &[String]) -> Vec<String> {
    p.iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Filters of the meeting list.
#[derive(Debug, Clone, Default)]
pub struct MeetingQuery {
    pub status: Option<MeetingStatus>,
    /// The network whose meetings are listed (default: the district's table).
    pub network_id: Option<sistema_lavoro_domain::ids::NetworkId>,
}

/// The district's meetings, by id.
pub fn list(
    conn: &mut DbConn,
    cx: &Ctx,
    q: MeetingQuery,
    page: &PageRequest,
) -> Result<Page<MeetingOut>, Error> {
    policy::may_run_the_table(cx.actor)?;
    let district = cx.actor.district()?;
    let Some(network) =
        crate::workflow::networks::meeting_network(conn, district, q.network_id.as_ref())?
    else {
        return Ok(Page::whole(Vec::new()));
    };
    let mut rows = Meeting::list(conn, district, &network, q.status, page.after(), page.limit)?;
    let more = rows.len() as i64 > page.limit;
    rows.truncate(usize::try_from(page.limit).unwrap_or(0));
    let next = if more {
        rows.last().map(|m| m.id.clone())
    } else {
        None
    };
    Ok(Page {
        items: outs(conn, cx, rows)?,
        next: next.map(Into::into),
    })
}

pub fn read(conn: &mut DbConn, cx: &Ctx, id: &MeetingId) -> Result<MeetingOut, Error> {
    let m = visible(conn, cx, id, &Expected::Any)?;
    out(conn, cx, m)
}

pub fn create(conn: &mut DbConn, cx: &Ctx, i: MeetingInput) -> Result<MeetingOut, Error> {
    policy::may_run_the_table(cx.actor)?;
    check_participants(&i.participants)?;
    let district = cx.actor.district()?.clone();
    write_tx(conn, |conn| {
        let at = cx.now.at;
        let network_id = crate::workflow::networks::meeting_network(conn, &district, None)?;
        let m = Meeting {
            network_id,
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
            status: MeetingStatus::Planned,
            participants: clean_participants(&i.participants),
            minutes_md: None,
            minutes_html: None,
            opened_at: None,
            closed_at: None,
            created_by: Some(cx.actor.id.clone()),
            created_at: at,
            updated_at: at,
        };
        Meeting::insert(conn, &m)?;
        crate::notifications::produce::meeting_scheduled(conn, cx.now, &m)?;
        audit::record(
            conn,
            Transition {
                entity_type: "meeting",
                entity_id: m.id.as_str(),
                action: "create",
                from: None,
                to: m.status.as_str(),
                reason: None,
                actor_id: Some(&cx.actor.id),
                at,
            },
        )?;
        out(conn, cx, m)
    })
}

pub fn update(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &MeetingId,
    expected: &Expected,
    p: MeetingPatch,
) -> Result<MeetingOut, Error> {
    policy::may_run_the_table(cx.actor)?;
    check_participants(p.participants.as_deref().unwrap_or_default())?;
    write_tx(conn, |conn| {
        let mut m = visible(conn, cx, id, expected)?;
        m.status.edit()?;
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
            m.participants = clean_participants(ps);
        }
        let changed = audit::changed_fields(&before, &m);
        if changed.is_empty() {
            return out(conn, cx, m);
        }
        m.updated_at = cx.now.at;
        audit::save_edit(conn, &m, &changed, cx.by())?;
        out(conn, cx, m)
    })
}

/// The meeting, if the caller may see it and it is open (agenda and decisions change only
/// then).
pub(crate) fn open_meeting(conn: &mut DbConn, cx: &Ctx, id: &MeetingId) -> Result<Meeting, Error> {
    let m = visible(conn, cx, id, &Expected::Any)?;
    m.status.record()?;
    Ok(m)
}
