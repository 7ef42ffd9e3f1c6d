//! Meetings of any network: who sees them (`policy::meeting_view`), the members attending,
//! the topics on the agenda, and the action items (impegni) recorded at a meeting and
//! followed up at the next meetings of the same network.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::ids::{ActionItemId, MeetingId, MemberId, NetworkId, OrganizationId};
use sistema_lavoro_domain::meetings::{ActionItemStatus, Attendance, Attendee, MeetingKind, Topic};
use sistema_lavoro_domain::policy::{self, MeetingView};
use sistema_lavoro_domain::{text, Error, Expected, FieldError, Version};
use sistema_lavoro_store::audit::{self, Transition};
use sistema_lavoro_store::meetings::Meeting;
use sistema_lavoro_store::network_meetings::ActionItem;
use sistema_lavoro_store::networks::{Member, Network};
use sistema_lavoro_store::organizations::Organization;
use sistema_lavoro_store::{new_id, utc, write_tx, DbConn};
use utoipa::ToSchema;
use validator::Validate;

use crate::workflow::OrgSummary;
use crate::Ctx;

/// The longest name of a participant, as the minutes print it.
pub const PARTICIPANT_MAX_LEN: usize = 200;

/// Each name of the people attending is at most [`PARTICIPANT_MAX_LEN`] characters: refused
/// with the body's other rules, before the edit's `If-Match` is looked at.
fn people_within_length(people: &[String]) -> Result<(), validator::ValidationError> {
    if people
        .iter()
        .any(|p| p.chars().count() > PARTICIPANT_MAX_LEN)
    {
        let mut e = validator::ValidationError::new("length");
        e.add_param("max".into(), &PARTICIPANT_MAX_LEN);
        return Err(e);
    }
    Ok(())
}

/// A member at a meeting: its membership, the people who came on its behalf, attendance.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[schema(example = json!({"member_id": "0193…", "people": ["Anna Rota"], "attendance": "present"}))]
pub struct AttendeeInput {
    /// The membership (adesione) of the organization in the meeting's network, active today.
    #[validate(length(min = 1, max = 64))]
    #[schema(value_type = String, min_length = 1, max_length = 64)]
    pub member_id: MemberId,
    /// The people attending on the member's behalf, as the minutes name them.
    #[serde(default)]
    #[validate(length(max = 20), custom(function = "people_within_length"))]
    #[schema(max_items = 20)]
    pub people: Vec<String>,
    /// Presenza: `present` (default), `absent` or `excused`.
    pub attendance: Option<Attendance>,
}

/// A topic on the agenda (punto all'ordine del giorno).
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
pub struct TopicInput {
    /// What is discussed.
    #[validate(length(min = 2, max = 300))]
    #[schema(min_length = 2, max_length = 300)]
    pub title: String,
    /// Notes for the minutes.
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000)]
    pub notes: Option<String>,
}

/// A member at a meeting.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct AttendeeOut {
    /// The membership (adesione).
    pub member_id: String,
    /// The member organization (ente aderente).
    pub organization: OrgSummary,
    /// Who attended on its behalf.
    pub people: Vec<String>,
    /// Presenza.
    pub attendance: Attendance,
}

/// A topic on the agenda.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct TopicOut {
    /// What is discussed.
    pub title: String,
    /// Notes for the minutes.
    pub notes: Option<String>,
}

pub(crate) fn topic_outs(topics: &[Topic]) -> Vec<TopicOut> {
    topics
        .iter()
        .map(|t| TopicOut {
            title: t.title.clone(),
            notes: t.notes.clone(),
        })
        .collect()
}

pub(crate) fn attendee_outs(
    attendees: &[Attendee],
    names: &HashMap<OrganizationId, String>,
) -> Vec<AttendeeOut> {
    attendees
        .iter()
        .map(|a| AttendeeOut {
            member_id: a.member_id.to_string(),
            organization: OrgSummary {
                id: a.organization_id.to_string(),
                name: names.get(&a.organization_id).cloned().unwrap_or_default(),
            },
            people: a.people.clone(),
            attendance: a.attendance,
        })
        .collect()
}

/// The topics as stored: trimmed, notes empty as none.
pub(crate) fn clean_topics(t: &[TopicInput]) -> Vec<Topic> {
    t.iter()
        .map(|t| Topic {
            title: t.title.trim().to_string(),
            notes: t
                .notes
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(Into::into),
        })
        .collect()
}

/// The attendees as stored: every member active in `network` today (each once), every name
/// within its limit — all the fields that do not fit named at once.
pub(crate) fn resolve_attendees(
    conn: &mut DbConn,
    cx: &Ctx,
    network: Option<&NetworkId>,
    inputs: &[AttendeeInput],
) -> Result<Vec<Attendee>, Error> {
    let mut errors = Vec::new();
    let mut out: Vec<Attendee> = Vec::new();
    for (n, a) in inputs.iter().enumerate() {
        let member = Member::find(conn, &a.member_id).ok().filter(|m| {
            Some(&m.network_id) == network
                && m.joined_on <= cx.now.today
                && m.withdrawn_on.is_none_or(|w| w > cx.now.today)
        });
        let Some(member) = member else {
            errors.push(FieldError::new(
                format!("attendees[{n}].member_id"),
                "unknown",
                text!(
                    "non è un aderente attivo della rete della seduta",
                    "not an active member of the meeting's network"
                ),
            ));
            continue;
        };
        if out.iter().any(|o| o.member_id == member.id) {
            errors.push(FieldError::new(
                format!("attendees[{n}].member_id"),
                "duplicate",
                text!(
                    "l'aderente è già tra i presenti",
                    "the member is already listed"
                ),
            ));
            continue;
        }
        for (k, p) in a.people.iter().enumerate() {
            if p.trim().chars().count() > PARTICIPANT_MAX_LEN {
                errors.push(FieldError::new(
                    format!("attendees[{n}].people[{k}]"),
                    "length",
                    text!(
                        "deve avere al massimo {} caratteri",
                        "must be at most {} characters",
                        PARTICIPANT_MAX_LEN
                    ),
                ));
            }
        }
        out.push(Attendee {
            member_id: member.id,
            organization_id: member.organization_id,
            people: a
                .people
                .iter()
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect(),
            attendance: a.attendance.unwrap_or(Attendance::Present),
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Error::Validation(errors))
    }
}

/// How the caller sees meeting `m` (else `404`): the monthly table's sessions are the
/// coordinator's; another network's are run by those who manage it and read by its members.
pub(crate) fn access(conn: &mut DbConn, cx: &Ctx, m: &Meeting) -> Result<MeetingView, Error> {
    if !cx.actor.in_district(&m.district_id) {
        return Err(Error::hidden());
    }
    let table = m.kind == MeetingKind::MonthlyTable;
    let network = match (&m.network_id, table) {
        (Some(id), false) => match crate::workflow::networks::visible(conn, cx, id, &Expected::Any)
        {
            Ok((_, v)) => Some(v),
            Err(Error::NotFound) => None,
            Err(e) => return Err(e),
        },
        _ => None,
    };
    policy::meeting_view(cx.actor, table, network).ok_or_else(Error::hidden)
}

/// The meeting and how the caller sees it, at the version the caller expects.
pub fn visible_as(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &MeetingId,
    expected: &Expected,
) -> Result<(Meeting, MeetingView), Error> {
    let m = Meeting::find(conn, id).map_err(|_| Error::hidden())?;
    let view = access(conn, cx, &m)?;
    expected.check(Version::of(m.updated_at))?;
    Ok((m, view))
}

/// The network a new meeting belongs to, if the caller runs its meetings: the district's
/// table when none is named (the coordinator's), else a network it manages.
pub(crate) fn network_for_new(
    conn: &mut DbConn,
    cx: &Ctx,
    requested: Option<&NetworkId>,
) -> Result<Option<Network>, Error> {
    let district = cx.actor.district()?.clone();
    let Some(id) = requested else {
        policy::may_run_the_table(cx.actor)?;
        return Network::table_of(conn, &district);
    };
    let unknown = || {
        Error::validation(
            "network_id",
            "unknown",
            text!(
                "nessuna rete dell'Ambito ha questo identificativo",
                "no network of the district has this id"
            ),
        )
    };
    let (n, view) = match crate::workflow::networks::visible(conn, cx, id, &Expected::Any) {
        Ok(found) => found,
        Err(Error::NotFound) => return Err(unknown()),
        Err(e) => return Err(e),
    };
    let table = n.kind == sistema_lavoro_domain::networks::NetworkKind::CoordinationTable;
    let mv = policy::meeting_view(cx.actor, table, Some(view)).ok_or_else(unknown)?;
    policy::may_manage_meeting(mv)?;
    if n.status == sistema_lavoro_domain::networks::NetworkStatus::Closed {
        return Err(Error::InvalidTransition {
            entity: "network",
            action: "hold a meeting of",
            from: n.status.as_str().into(),
        });
    }
    Ok(Some(n))
}

// ------------------------------------------------------------------ action items

/// An outcome of a meeting to follow up (impegno).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"title": "Mappare gli sportelli casa dei Comuni", "owner_member_id": "0193…", "due_on": "2027-01-31"}))]
pub struct ActionItemInput {
    /// What is to be done.
    #[validate(length(min = 2, max = 300))]
    #[schema(min_length = 2, max_length = 300)]
    pub title: String,
    /// The member responsible (an active membership of the meeting's network).
    #[validate(length(min = 1, max = 64))]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 64)]
    pub owner_member_id: Option<MemberId>,
    /// By when (ISO 8601 date).
    pub due_on: Option<NaiveDate>,
}

/// Changes to an action item: while open, its title, owner and due date; its state `open →
/// done | dropped` (a reason is required to drop it).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct ActionItemPatch {
    /// New title.
    #[validate(length(min = 2, max = 300))]
    #[schema(nullable = false, min_length = 2, max_length = 300)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub title: Option<String>,
    /// New owner (an active membership of the network); `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(length(min = 1, max = 64))]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 64)]
    pub owner_member_id: Option<Option<MemberId>>,
    /// New due date; `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub due_on: Option<Option<NaiveDate>>,
    /// `done` or `dropped` (from `open` only).
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub status: Option<ActionItemStatus>,
    /// Why (required for `dropped`).
    #[validate(length(min = 2, max = 4000))]
    #[schema(min_length = 2, max_length = 4000)]
    pub reason: Option<String>,
}

/// An action item.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct ActionItemOut {
    /// Identifier, a UUID.
    pub id: String,
    /// The meeting that recorded it.
    pub meeting_id: String,
    /// The network of that meeting.
    pub network_id: String,
    /// What is to be done.
    pub title: String,
    /// The member responsible.
    pub owner_member_id: Option<String>,
    /// The member organization responsible.
    pub owner: Option<OrgSummary>,
    /// By when.
    pub due_on: Option<NaiveDate>,
    /// `open`, `done` or `dropped`.
    pub status: ActionItemStatus,
    /// Why it was done or dropped.
    pub status_reason: Option<String>,
    /// What you may do with it now.
    pub allowed_actions: Vec<Action>,
    /// What your role could do, but its state forbids now, and why.
    pub blocked_actions: Vec<BlockedAction>,
    /// When it was recorded (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last changed (RFC 3339, UTC); its version is the `ETag`.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// A meeting's action items: those it recorded, and the open ones of earlier meetings of the
/// network it follows up.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct ActionItemList {
    /// Recorded at this meeting, by id.
    pub items: Vec<ActionItemOut>,
    /// Still open, recorded at other meetings of the same network: to follow up.
    pub follow_up: Vec<ActionItemOut>,
}

/// The owners' names, resolved once for a list.
pub(crate) fn owners(
    conn: &mut DbConn,
    items: &[&ActionItem],
) -> Result<HashMap<MemberId, (OrganizationId, String)>, Error> {
    let mut members: HashMap<MemberId, OrganizationId> = HashMap::new();
    for id in items.iter().filter_map(|a| a.owner_member_id.as_ref()) {
        if !members.contains_key(id) {
            members.insert(id.clone(), Member::find(conn, id)?.organization_id);
        }
    }
    let org_ids: Vec<&OrganizationId> = members.values().collect();
    let names: HashMap<OrganizationId, String> =
        Organization::names(conn, &org_ids)?.into_iter().collect();
    Ok(members
        .into_iter()
        .map(|(m, o)| {
            let n = names.get(&o).cloned().unwrap_or_default();
            (m, (o, n))
        })
        .collect())
}

fn item_outs(
    conn: &mut DbConn,
    cx: &Ctx,
    view: MeetingView,
    items: Vec<ActionItem>,
) -> Result<Vec<ActionItemOut>, Error> {
    let refs: Vec<&ActionItem> = items.iter().collect();
    let names = owners(conn, &refs)?;
    Ok(items
        .into_iter()
        .map(|a| {
            let (allowed_actions, blocked_actions) =
                cx.render(policy::action_item_actions(view, a.status));
            let owner = a
                .owner_member_id
                .as_ref()
                .and_then(|m| names.get(m))
                .map(|(o, n)| OrgSummary {
                    id: o.to_string(),
                    name: n.clone(),
                });
            ActionItemOut {
                id: a.id.into(),
                meeting_id: a.meeting_id.into(),
                network_id: a.network_id.into(),
                title: a.title,
                owner_member_id: a.owner_member_id.map(Into::into),
                owner,
                due_on: a.due_on,
                status: a.status,
                status_reason: a.status_reason,
                allowed_actions,
                blocked_actions,
                created_at: utc(a.created_at),
                updated_at: utc(a.updated_at),
            }
        })
        .collect())
}

fn item_out(
    conn: &mut DbConn,
    cx: &Ctx,
    view: MeetingView,
    a: ActionItem,
) -> Result<ActionItemOut, Error> {
    item_outs(conn, cx, view, vec![a])?
        .pop()
        .ok_or_else(|| Error::Internal("action item lost".into()))
}

/// The owner, if it is an active member of the network today.
fn owner_in(
    conn: &mut DbConn,
    cx: &Ctx,
    network_id: &NetworkId,
    owner: &MemberId,
) -> Result<MemberId, Error> {
    Member::find(conn, owner)
        .ok()
        .filter(|m| {
            &m.network_id == network_id
                && m.joined_on <= cx.now.today
                && m.withdrawn_on.is_none_or(|w| w > cx.now.today)
        })
        .map(|m| m.id)
        .ok_or_else(|| {
            Error::validation(
                "owner_member_id",
                "unknown",
                text!(
                    "non è un aderente attivo della rete",
                    "not an active member of the network"
                ),
            )
        })
}

/// The action items of a meeting, and those it follows up.
pub fn action_items(conn: &mut DbConn, cx: &Ctx, id: &MeetingId) -> Result<ActionItemList, Error> {
    let (m, view) = visible_as(conn, cx, id, &Expected::Any)?;
    let items = ActionItem::of_meeting(conn, &m.id)?;
    let follow_up = match &m.network_id {
        Some(n) => ActionItem::open_elsewhere(conn, n, &m.id)?,
        None => Vec::new(),
    };
    Ok(ActionItemList {
        items: item_outs(conn, cx, view, items)?,
        follow_up: item_outs(conn, cx, view, follow_up)?,
    })
}

/// One action item, with its version (for `If-Match`): who reads its meeting reads it.
pub fn action_item(conn: &mut DbConn, cx: &Ctx, id: &ActionItemId) -> Result<ActionItemOut, Error> {
    let a = ActionItem::find(conn, id).map_err(|_| Error::hidden())?;
    let (_, view) = visible_as(conn, cx, &a.meeting_id, &Expected::Any)?;
    item_out(conn, cx, view, a)
}

/// Records an action item at an open meeting.
pub fn add_action_item(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &MeetingId,
    i: ActionItemInput,
) -> Result<ActionItemOut, Error> {
    policy::may_hold_meetings(cx.actor)?;
    write_tx(conn, |conn| {
        let (m, view) = visible_as(conn, cx, id, &Expected::Any)?;
        policy::may_manage_meeting(view)?;
        m.status.record()?;
        let network_id = m
            .network_id
            .clone()
            .ok_or_else(|| Error::Internal("meeting without a network".into()))?;
        let owner = match &i.owner_member_id {
            Some(o) => Some(owner_in(conn, cx, &network_id, o)?),
            None => None,
        };
        let at = cx.now.at;
        let a = ActionItem {
            id: new_id(),
            meeting_id: m.id.clone(),
            network_id,
            title: i.title.trim().into(),
            owner_member_id: owner,
            due_on: i.due_on,
            status: ActionItemStatus::Open,
            status_reason: None,
            created_by: Some(cx.actor.id.clone()),
            created_at: at,
            updated_at: at,
        };
        ActionItem::insert(conn, &a)?;
        audit::record(
            conn,
            Transition {
                entity_type: "action_item",
                entity_id: a.id.as_str(),
                action: "create",
                from: None,
                to: a.status.as_str(),
                reason: None,
                actor_id: Some(&cx.actor.id),
                at,
            },
        )?;
        item_out(conn, cx, view, a)
    })
}

/// Changes an action item (If-Match on its version): title, owner, due date while open; the
/// state move with its reason, recorded.
pub fn update_action_item(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ActionItemId,
    expected: &Expected,
    p: ActionItemPatch,
) -> Result<ActionItemOut, Error> {
    policy::may_hold_meetings(cx.actor)?;
    write_tx(conn, |conn| {
        let mut a = ActionItem::find(conn, id).map_err(|_| Error::hidden())?;
        let m = Meeting::find(conn, &a.meeting_id)?;
        let view = access(conn, cx, &m)?;
        expected.check(Version::of(a.updated_at))?;
        policy::may_manage_meeting(view)?;
        let from = a.status;
        let edits = p.title.is_some() || p.owner_member_id.is_some() || p.due_on.is_some();
        if edits {
            from.edit()?;
        }
        if let Some(t) = &p.title {
            a.title = t.trim().into();
        }
        if let Some(o) = &p.owner_member_id {
            a.owner_member_id = match o {
                Some(o) => Some(owner_in(conn, cx, &a.network_id, o)?),
                None => None,
            };
        }
        if let Some(d) = p.due_on {
            a.due_on = d;
        }
        let reason = p.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
        let to = match p.status {
            Some(to) => {
                let to = from.move_to(to)?;
                if to == ActionItemStatus::Dropped && reason.is_none() {
                    return Err(Error::validation(
                        "reason",
                        "required",
                        text!(
                            "indicare perché l'impegno viene abbandonato",
                            "say why the action item is dropped"
                        ),
                    ));
                }
                a.status_reason = reason.map(Into::into);
                Some(to)
            }
            None => None,
        };
        if !edits && to.is_none() {
            return item_out(conn, cx, view, a);
        }
        a.status = to.unwrap_or(from);
        a.updated_at = cx.now.at;
        if !ActionItem::save_if(conn, &a, from)? {
            return Err(Error::InvalidTransition {
                entity: "action_item",
                action: "change",
                from: "changed concurrently".into(),
            });
        }
        audit::record(
            conn,
            Transition {
                entity_type: "action_item",
                entity_id: a.id.as_str(),
                action: match to {
                    Some(ActionItemStatus::Done) => "complete",
                    Some(ActionItemStatus::Dropped) => "drop",
                    _ => "update",
                },
                from: Some(from.as_str()),
                to: a.status.as_str(),
                reason,
                actor_id: Some(&cx.actor.id),
                at: a.updated_at,
            },
        )?;
        item_out(conn, cx, view, a)
    })
}
