//! Meetings (sedute) of every network — the monthly table (Tavolo Sistema Lavoro) with its
//! referrals and case reviews, forum sessions, assemblies, consultations, working groups. The
//! agenda, the decisions, closing, the minutes and the networks' side (attendees, topics,
//! action items) each have their module.

pub mod agenda;
pub mod close;
pub mod decisions;
pub mod minutes;
pub mod network;
pub mod view;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::ids::{MeetingId, NetworkId, OrganizationId};
use sistema_lavoro_domain::meetings::MeetingKind;
use sistema_lavoro_domain::policy::{self, MeetingFacts, MeetingView};
use sistema_lavoro_domain::states::MeetingStatus;
use sistema_lavoro_domain::{Error, Expected, FieldError};
use sistema_lavoro_store::audit::{self, Transition};
use sistema_lavoro_store::meetings::{AgendaItem, Decision, Meeting};
use sistema_lavoro_store::organizations::Organization;
use sistema_lavoro_store::{new_id, utc, write_tx, DbConn};
use std::collections::HashMap;

use network::{
    access, attendee_outs, clean_topics, resolve_attendees, topic_outs, AttendeeInput, AttendeeOut,
    TopicInput, TopicOut,
};
pub use network::{visible_as, PARTICIPANT_MAX_LEN};
use utoipa::ToSchema;
use validator::Validate;

use super::{Page, PageRequest};
use crate::Ctx;

/// A new meeting (seduta) of a network: the district's table unless `network_id` names
/// another.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"scheduled_for": "2026-12-10", "location": "Ufficio di Piano, via Roma 1",
    "participants": ["Chiara Colombo (Ufficio di Piano)", "Carla Pesenti (CPI Bergamo)"]}))]
pub struct MeetingInput {
    /// The network this is a session of (default: the district's Tavolo Sistema Lavoro). The
    /// coordinator, or a network coordinator for a network its organization coordinates.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = Option<String>)]
    pub network_id: Option<NetworkId>,
    /// Kind of session; default `monthly_table` for the table, `forum_session` for an
    /// inclusion pact, `pact_assembly` otherwise. `monthly_table` is the table's only kind.
    pub kind: Option<MeetingKind>,
    /// Default "Tavolo Sistema Lavoro – <date>" (the table), "<kind> – <network> – <date>".
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
    /// The members attending (organization + the people on its behalf) with their attendance:
    /// active members of the meeting's network, each once.
    #[serde(default)]
    #[validate(length(max = 200), nested)]
    #[schema(max_items = 200)]
    pub attendees: Vec<AttendeeInput>,
    /// The topics on the agenda (any network; the table also has referrals and case reviews).
    #[serde(default)]
    #[validate(length(max = 50), nested)]
    #[schema(max_items = 50)]
    pub topics: Vec<TopicInput>,
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
    /// Replaces the members attending.
    #[validate(length(max = 200), nested)]
    #[schema(nullable = false, max_items = 200)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub attendees: Option<Vec<AttendeeInput>>,
    /// Replaces the topics on the agenda.
    #[validate(length(max = 50), nested)]
    #[schema(nullable = false, max_items = 50)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub topics: Option<Vec<TopicInput>>,
}

/// A meeting.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct MeetingOut {
    /// Identifier of the session (seduta), a UUID.
    pub id: String,
    /// The network it is a session of.
    pub network_id: Option<String>,
    /// Kind of session (`monthly_table` for the table's).
    pub kind: MeetingKind,
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
    /// The members attending, with the people on their behalf and attendance.
    pub attendees: Vec<AttendeeOut>,
    /// The topics on the agenda.
    pub topics: Vec<TopicOut>,
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

/// Meetings as lists show them (all seen as `view`): counts, attendees' names and the open
/// meeting of each network loaded once.
pub fn outs(
    conn: &mut DbConn,
    cx: &Ctx,
    meetings: Vec<Meeting>,
    view: MeetingView,
) -> Result<Vec<MeetingOut>, Error> {
    let ids: Vec<&MeetingId> = meetings.iter().map(|m| &m.id).collect();
    let agenda = AgendaItem::counts(conn, &ids)?;
    let decisions = Decision::counts(conn, &ids)?;
    let mut networks: Vec<&NetworkId> = meetings
        .iter()
        .filter_map(|m| m.network_id.as_ref())
        .collect();
    networks.sort();
    networks.dedup();
    let open: HashMap<NetworkId, MeetingId> = Meeting::open_of_networks(conn, &networks)?
        .into_iter()
        .filter_map(|o| o.network_id.map(|n| (n, o.id)))
        .collect();
    let org_ids: Vec<&OrganizationId> = meetings
        .iter()
        .flat_map(|m| m.attendees.iter().map(|a| &a.organization_id))
        .collect();
    let names: HashMap<OrganizationId, String> =
        Organization::names(conn, &org_ids)?.into_iter().collect();
    Ok(meetings
        .into_iter()
        .map(|m| {
            let facts = MeetingFacts {
                status: m.status,
                other_open: m
                    .network_id
                    .as_ref()
                    .and_then(|n| open.get(n))
                    .is_some_and(|o| o != &m.id),
                view,
                table: m.kind == MeetingKind::MonthlyTable,
            };
            let (allowed_actions, blocked_actions) =
                cx.render(policy::meeting_actions(cx.actor, &facts));
            MeetingOut {
                agenda_count: agenda.get(&m.id).copied().unwrap_or(0),
                decision_count: decisions.get(&m.id).copied().unwrap_or(0),
                status: m.status,
                kind: m.kind,
                attendees: attendee_outs(&m.attendees, &names),
                topics: topic_outs(&m.topics),
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
    let view = access(conn, cx, &m)?;
    outs(conn, cx, vec![m], view)?
        .pop()
        .ok_or_else(|| Error::Internal("meeting lost".into()))
}

/// A meeting the caller runs, at the version the caller expects: the table's are the
/// coordinator's (agencies learn decisions through their cases), another network's are run by
/// those who manage it (its members only read them: `403`); anyone else `404`.
pub fn visible(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &MeetingId,
    expected: &Expected,
) -> Result<Meeting, Error> {
    let (m, view) = visible_as(conn, cx, id, expected)?;
    policy::may_manage_meeting(view)?;
    Ok(m)
}

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
    if q.network_id.is_none() {
        policy::may_run_the_table(cx.actor)?;
    }
    let district = cx.actor.district()?.clone();
    let Some(network) =
        crate::workflow::networks::meeting_network(conn, &district, q.network_id.as_ref())?
    else {
        return Ok(Page::whole(Vec::new()));
    };
    let view = match q.network_id.as_ref() {
        None => MeetingView::Manage,
        Some(id) => match crate::workflow::networks::visible(conn, cx, id, &Expected::Any) {
            Ok((n, v)) => {
                let table =
                    n.kind == sistema_lavoro_domain::networks::NetworkKind::CoordinationTable;
                match policy::meeting_view(cx.actor, table, Some(v)) {
                    Some(v) => v,
                    None => return Ok(Page::whole(Vec::new())),
                }
            }
            Err(Error::NotFound) => return Ok(Page::whole(Vec::new())),
            Err(e) => return Err(e),
        },
    };
    let mut rows = Meeting::list(
        conn,
        &district,
        &network,
        q.status,
        page.after(),
        page.limit,
    )?;
    let more = rows.len() as i64 > page.limit;
    rows.truncate(usize::try_from(page.limit).unwrap_or(0));
    let next = if more {
        rows.last().map(|m| m.id.clone())
    } else {
        None
    };
    Ok(Page {
        items: outs(conn, cx, rows, view)?,
        next: next.map(Into::into),
    })
}

pub fn read(conn: &mut DbConn, cx: &Ctx, id: &MeetingId) -> Result<MeetingOut, Error> {
    let (m, view) = visible_as(conn, cx, id, &Expected::Any)?;
    outs(conn, cx, vec![m], view)?
        .pop()
        .ok_or_else(|| Error::Internal("meeting lost".into()))
}

pub fn create(conn: &mut DbConn, cx: &Ctx, i: MeetingInput) -> Result<MeetingOut, Error> {
    policy::may_hold_meetings(cx.actor)?;
    check_participants(&i.participants)?;
    let district = cx.actor.district()?.clone();
    write_tx(conn, |conn| {
        let at = cx.now.at;
        let network = network::network_for_new(conn, cx, i.network_id.as_ref())?;
        let network_kind = network.as_ref().map_or(
            sistema_lavoro_domain::networks::NetworkKind::CoordinationTable,
            |n| n.kind,
        );
        let kind = i.kind.unwrap_or(MeetingKind::default_for(network_kind));
        if !kind.fits(network_kind) {
            return Err(Error::validation(
                "kind",
                "network_kind",
                sistema_lavoro_domain::text!(
                    "la seduta mensile è solo del Tavolo, e il Tavolo tiene solo sedute mensili",
                    "monthly_table is the table's only kind, and the table's only"
                ),
            ));
        }
        let network_id = network.as_ref().map(|n| n.id.clone());
        let attendees = resolve_attendees(conn, cx, network_id.as_ref(), &i.attendees)?;
        let date = i.scheduled_for.format("%d/%m/%Y");
        let default_title = match (&network, kind) {
            (Some(n), k) if k != MeetingKind::MonthlyTable => {
                format!("{} – {} – {date}", k.label(), n.name)
            }
            _ => format!("Tavolo Sistema Lavoro – {date}"),
        };
        let m = Meeting {
            network_id,
            kind,
            attendees,
            topics: clean_topics(&i.topics),
            id: new_id(),
            district_id: district.clone(),
            title: i.title.clone().unwrap_or(default_title),
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
        if m.kind == MeetingKind::MonthlyTable {
            crate::notifications::produce::meeting_scheduled(conn, cx.now, &m)?;
        }
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
    policy::may_hold_meetings(cx.actor)?;
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
        if let Some(a) = &p.attendees {
            m.attendees = resolve_attendees(conn, cx, m.network_id.as_ref(), a)?;
        }
        if let Some(t) = &p.topics {
            m.topics = clean_topics(t);
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
    if m.kind != MeetingKind::MonthlyTable {
        // Referrals and case reviews are the table's business only.
        return Err(Error::InvalidTransition {
            entity: "meeting",
            action: "put referrals or case reviews on the agenda of",
            from: m.kind.as_str().into(),
        });
    }
    m.status.record()?;
    Ok(m)
}
