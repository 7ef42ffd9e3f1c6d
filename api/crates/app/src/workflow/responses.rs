//! The inclusion pact's answers by area (seed 003): a network's working groups — one active
//! per response area, with the members taking part, who joined and left when — and the shared
//! responses (risposte condivise) its members offer in an area, `offered → available →
//! withdrawn`, which whoever works a case proposes to its person.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::ids::{
    CaseId, MemberId, NetworkId, OrganizationId, SharedResponseId, WorkingGroupId,
};
use sistema_lavoro_domain::policy::{self, NetworkView};
use sistema_lavoro_domain::responses::{ResponseArea, SharedResponseStatus, WorkingGroupStatus};
use sistema_lavoro_domain::{text, Error, ErrorCode, Expected, FieldError, Version};
use sistema_lavoro_store::audit::{self, Transition};
use sistema_lavoro_store::networks::{Member, Network};
use sistema_lavoro_store::organizations::Organization;
pub use sistema_lavoro_store::responses::ResponseFilter;
use sistema_lavoro_store::responses::{
    self as store, GroupMember, Proposal, SharedResponse, WorkingGroup,
};
use sistema_lavoro_store::{new_id, utc, write_tx, DbConn};
use utoipa::ToSchema;
use validator::Validate;

use super::trimmed;
use super::{case_state, networks, OrgSummary, Page, PageRequest};
use crate::Ctx;

/// The most places a shared response may offer.
pub const MAX_CAPACITY: i32 = 100_000;

// ---------------------------------------------------------------------- inputs

/// A new working group of the network, on one response area (one active per area).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"area": "housing", "purpose": "Mappare gli sportelli casa e le soluzioni di emergenza abitativa"}))]
pub struct WorkingGroupInput {
    /// Area di risposta.
    pub area: ResponseArea,
    /// Denominazione (default "Gruppo di lavoro <area>").
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub name: Option<String>,
    /// Finalità: what the group works on.
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000)]
    pub purpose: Option<String>,
}

/// Changes to an active working group (JSON Merge Patch).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct WorkingGroupPatch {
    /// New name.
    #[validate(length(min = 2, max = 200))]
    #[schema(nullable = false, min_length = 2, max_length = 200)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub name: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000, value_type = Option<String>)]
    pub purpose: Option<Option<String>>,
}

/// A network member takes part in a working group.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"member_id": "0193…", "joined_on": "2026-12-03"}))]
pub struct GroupMemberInput {
    /// The membership (adesione) of the network, active today.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = String)]
    pub member_id: MemberId,
    /// Dal (default today; not in the future).
    pub joined_on: Option<NaiveDate>,
}

/// A member leaves a working group.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct LeaveGroupInput {
    /// Fino al (default today; not before it joined, not in the future).
    pub left_on: Option<NaiveDate>,
}

/// A shared response (risposta condivisa) a member offers in an area.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"member_id": "0193…", "area": "microcredit",
    "title": "Microcredito sociale fino a 3.000 €",
    "who_may_use": "Persone seguite dai servizi dell'Ambito senza accesso al credito bancario",
    "how_to_access": "Appuntamento allo sportello della Fondazione, tel. 035 000000, con il CV e l'ISEE",
    "capacity": 20, "valid_from": "2027-01-01", "valid_to": "2027-12-31"}))]
pub struct SharedResponseInput {
    /// The offering member (its membership of the network, active today). Default the
    /// caller's organization's membership; a member's users offer only for their own.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = Option<String>)]
    pub member_id: Option<MemberId>,
    /// Area di risposta.
    pub area: ResponseArea,
    /// Titolo: what it is, in a line.
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub title: String,
    /// Descrizione.
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000)]
    pub description: Option<String>,
    /// Chi può accedere: eligibility, in plain words.
    #[validate(length(min = 2, max = 2000))]
    #[schema(min_length = 2, max_length = 2000)]
    pub who_may_use: String,
    /// Come accedere: contacts and procedure.
    #[validate(length(min = 2, max = 2000))]
    #[schema(min_length = 2, max_length = 2000)]
    pub how_to_access: String,
    /// Posti disponibili (places), if limited.
    #[validate(range(min = 1, max = 100_000))]
    #[schema(minimum = 1, maximum = 100_000)]
    pub capacity: Option<i32>,
    /// Dal.
    pub valid_from: Option<NaiveDate>,
    /// Al (not before `valid_from`).
    pub valid_to: Option<NaiveDate>,
}

/// Changes to a shared response not withdrawn (JSON Merge Patch).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct SharedResponsePatch {
    /// New area.
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub area: Option<ResponseArea>,
    /// New title.
    #[validate(length(min = 2, max = 200))]
    #[schema(nullable = false, min_length = 2, max_length = 200)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub title: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000, value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// New eligibility, in plain words.
    #[validate(length(min = 2, max = 2000))]
    #[schema(nullable = false, min_length = 2, max_length = 2000)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub who_may_use: Option<String>,
    /// New contacts and procedure.
    #[validate(length(min = 2, max = 2000))]
    #[schema(nullable = false, min_length = 2, max_length = 2000)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub how_to_access: Option<String>,
    /// `null` clears it (no limit).
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(range(min = 1, max = 100_000))]
    #[schema(minimum = 1, maximum = 100_000, value_type = Option<i32>)]
    pub capacity: Option<Option<i32>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub valid_from: Option<Option<NaiveDate>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub valid_to: Option<Option<NaiveDate>>,
}

/// A shared response proposed to the person of a case.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"shared_response_id": "0193…", "note": "Proposto al colloquio: interessata allo sportello casa"}))]
pub struct ProposalInput {
    /// The shared response: `available` today, of a network of the case's district you read.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = String)]
    pub shared_response_id: SharedResponseId,
    /// Nota dell'operatore.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

// --------------------------------------------------------------------- outputs

/// A member's part in a working group, current or past.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct GroupMemberOut {
    /// Identifier of this participation.
    pub id: String,
    /// The network membership (adesione): leave with
    /// `POST /working-groups/{id}/members/{member_id}/leave`.
    pub member_id: String,
    /// The member organization.
    pub organization: OrgSummary,
    /// Dal.
    pub joined_on: NaiveDate,
    /// Fino al, once it left.
    pub left_on: Option<NaiveDate>,
    /// In the group today.
    pub active: bool,
    /// `leave`, for those who manage the network.
    pub allowed_actions: Vec<Action>,
    /// `leave` once left or the group closed, with the reason.
    pub blocked_actions: Vec<BlockedAction>,
}

/// A working group (gruppo di lavoro) of a network, on one response area.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct WorkingGroupOut {
    /// Identifier of the group, a UUID.
    pub id: String,
    /// The network.
    pub network_id: String,
    /// Area di risposta.
    pub area: ResponseArea,
    /// Denominazione.
    pub name: String,
    /// Finalità.
    pub purpose: Option<String>,
    /// `active` or `closed`.
    pub status: WorkingGroupStatus,
    /// Data di chiusura.
    pub closed_on: Option<NaiveDate>,
    /// Why it was closed.
    pub close_reason: Option<String>,
    /// Members in the group today.
    pub member_count: i64,
    /// Every participation, past and present, by id.
    pub members: Vec<GroupMemberOut>,
    /// What you may do with it now.
    pub allowed_actions: Vec<Action>,
    /// What your role could do, but its state forbids now, and why.
    pub blocked_actions: Vec<BlockedAction>,
    /// When it was created (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last changed; its version is the `ETag`.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// A shared response (risposta condivisa) offered by a member.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct SharedResponseOut {
    /// Identifier of the response, a UUID.
    pub id: String,
    /// The network.
    pub network_id: String,
    /// The offering membership.
    pub member_id: String,
    /// The offering organization.
    pub organization: OrgSummary,
    /// Area di risposta.
    pub area: ResponseArea,
    /// Titolo.
    pub title: String,
    /// Descrizione.
    pub description: Option<String>,
    /// Chi può accedere.
    pub who_may_use: String,
    /// Come accedere.
    pub how_to_access: String,
    /// Posti disponibili, if limited.
    pub capacity: Option<i32>,
    /// Dal.
    pub valid_from: Option<NaiveDate>,
    /// Al.
    pub valid_to: Option<NaiveDate>,
    /// `offered`, `available` (proposable on cases within its dates) or `withdrawn`.
    pub status: SharedResponseStatus,
    /// Why it was withdrawn.
    pub withdrawal_reason: Option<String>,
    /// How many times it was proposed on cases (a count: which cases, only their readers see).
    pub proposal_count: i64,
    /// What you may do with it now.
    pub allowed_actions: Vec<Action>,
    /// What your role could do, but its state forbids now, and why.
    pub blocked_actions: Vec<BlockedAction>,
    /// When it was offered (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last changed; its version is the `ETag`.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// The shared response a proposal is about, as the case's readers see it.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct ProposedResponse {
    /// Identifier of the shared response.
    pub id: String,
    /// Its network.
    pub network_id: String,
    /// Area di risposta.
    pub area: ResponseArea,
    /// Titolo.
    pub title: String,
    /// The offering organization.
    pub organization: OrgSummary,
    /// Come accedere.
    pub how_to_access: String,
    /// Its state today.
    pub status: SharedResponseStatus,
}

/// A shared response proposed to the person of a case.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct ProposalOut {
    /// Identifier of the proposal, a UUID.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// What was proposed.
    pub shared_response: ProposedResponse,
    /// Nota dell'operatore.
    pub note: Option<String>,
    /// Who proposed it: a user id, or `client:<id>`.
    pub proposed_by: String,
    /// When (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
}

// ------------------------------------------------------------------- helpers

fn names(
    conn: &mut DbConn,
    ids: &[&OrganizationId],
) -> Result<HashMap<OrganizationId, String>, Error> {
    Ok(Organization::names(conn, ids)?.into_iter().collect())
}

fn summary(names: &HashMap<OrganizationId, String>, id: &OrganizationId) -> OrgSummary {
    OrgSummary {
        id: id.to_string(),
        name: names.get(id).cloned().unwrap_or_default(),
    }
}

/// The network, if the caller reads its groups and responses (managers and members; the
/// observatory sees figures only: `403`; others `404`).
fn readable(conn: &mut DbConn, cx: &Ctx, id: &NetworkId) -> Result<(Network, NetworkView), Error> {
    let (n, view) = networks::visible(conn, cx, id, &Expected::Any)?;
    policy::may_read_members(view)?;
    Ok((n, view))
}

/// A membership of `network` active today, or the field error naming `field`.
fn active_member(
    conn: &mut DbConn,
    cx: &Ctx,
    network: &NetworkId,
    id: &MemberId,
    field: &str,
) -> Result<Member, Error> {
    let today = cx.now.today;
    match Member::find(conn, id) {
        Ok(m)
            if &m.network_id == network
                && m.joined_on <= today
                && m.withdrawn_on.is_none_or(|w| w > today) =>
        {
            Ok(m)
        }
        Ok(_) | Err(Error::NotFound) => Err(Error::validation(
            field,
            "not_a_member",
            text!(
                "non è un'adesione attiva di questa rete",
                "is not an active membership of this network"
            ),
        )),
        Err(e) => Err(e),
    }
}

fn dates_in_order(from: Option<NaiveDate>, to: Option<NaiveDate>, errors: &mut Vec<FieldError>) {
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            errors.push(FieldError::new(
                "valid_to",
                "before_valid_from",
                text!(
                    "non può precedere la data di inizio",
                    "cannot be before valid_from"
                ),
            ));
        }
    }
}

fn not_future(field: &str, day: NaiveDate, cx: &Ctx, errors: &mut Vec<FieldError>) {
    if day > cx.now.today {
        errors.push(FieldError::new(
            field,
            "future",
            text!("non può essere nel futuro", "cannot be in the future"),
        ));
    }
}

fn recorded(
    conn: &mut DbConn,
    cx: &Ctx,
    entity_type: &str,
    entity_id: &str,
    action: &str,
    from: Option<&str>,
    to: &str,
) -> Result<(), Error> {
    audit::record(
        conn,
        Transition {
            entity_type,
            entity_id,
            action,
            from,
            to,
            reason: None,
            actor_id: Some(&cx.actor.id),
            at: cx.now.at,
        },
    )
}

// -------------------------------------------------------------- working groups

fn group_outs(
    conn: &mut DbConn,
    cx: &Ctx,
    n: &Network,
    view: NetworkView,
    rows: Vec<WorkingGroup>,
) -> Result<Vec<WorkingGroupOut>, Error> {
    let ids: Vec<&WorkingGroupId> = rows.iter().map(|g| &g.id).collect();
    let members = GroupMember::of_groups(conn, &ids)?;
    let mids: Vec<&MemberId> = members.iter().map(|m| &m.member_id).collect();
    let orgs = store::member_organizations(conn, &mids)?;
    let oids: Vec<&OrganizationId> = orgs.values().collect();
    let names = names(conn, &oids)?;
    let mut by_group: HashMap<WorkingGroupId, Vec<GroupMember>> = HashMap::new();
    for m in members {
        by_group
            .entry(m.working_group_id.clone())
            .or_default()
            .push(m);
    }
    let open = n.status.edit().is_ok();
    let today = cx.now.today;
    Ok(rows
        .into_iter()
        .map(|g| {
            let (allowed_actions, blocked_actions) =
                cx.render(policy::working_group_actions(view, g.status, open));
            let members: Vec<GroupMemberOut> = by_group
                .remove(&g.id)
                .unwrap_or_default()
                .into_iter()
                .map(|m| {
                    let left = m.left_on.is_some();
                    let (allowed_actions, blocked_actions) =
                        cx.render(policy::group_member_actions(view, left, g.status, open));
                    let org = orgs
                        .get(&m.member_id)
                        .cloned()
                        .unwrap_or_else(|| OrganizationId::from(String::new()));
                    GroupMemberOut {
                        organization: summary(&names, &org),
                        active: m.joined_on <= today && m.left_on.is_none_or(|l| l > today),
                        id: m.id.into(),
                        member_id: m.member_id.into(),
                        joined_on: m.joined_on,
                        left_on: m.left_on,
                        allowed_actions,
                        blocked_actions,
                    }
                })
                .collect();
            WorkingGroupOut {
                member_count: members.iter().filter(|m| m.active).count() as i64,
                members,
                id: g.id.into(),
                network_id: g.network_id.into(),
                area: g.area,
                name: g.name,
                purpose: g.purpose,
                status: g.status,
                closed_on: g.closed_on,
                close_reason: g.close_reason,
                allowed_actions,
                blocked_actions,
                created_at: utc(g.created_at),
                updated_at: utc(g.updated_at),
            }
        })
        .collect())
}

fn group_out(
    conn: &mut DbConn,
    cx: &Ctx,
    n: &Network,
    view: NetworkView,
    g: WorkingGroup,
) -> Result<WorkingGroupOut, Error> {
    group_outs(conn, cx, n, view, vec![g])?
        .pop()
        .ok_or_else(|| Error::Internal("working group lost".into()))
}

/// The group and its network, if the caller reads it (else `404`), at the expected version.
fn visible_group(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &WorkingGroupId,
    expected: &Expected,
) -> Result<(WorkingGroup, Network, NetworkView), Error> {
    let g = WorkingGroup::find(conn, id).map_err(|_| Error::hidden())?;
    let (n, view) = networks::visible(conn, cx, &g.network_id, &Expected::Any)?;
    if view == NetworkView::Figures {
        return Err(Error::hidden());
    }
    expected.check(Version::of(g.updated_at))?;
    Ok((g, n, view))
}

/// Another active group of the network works on the area.
fn group_exists(existing: Option<&WorkingGroup>) -> Error {
    Error::Conflict {
        code: ErrorCode::WorkingGroupExists,
        detail: match existing {
            Some(g) => {
                let name = &g.name;
                text!(
                    "la rete ha già un gruppo di lavoro attivo su quest'area ({name}): chiuderlo prima",
                    "the network already has an active working group on this area ({name}): close it first"
                )
            }
            None => text!(
                "un altro gruppo di lavoro attivo su quest'area è stato creato nel frattempo",
                "another active working group on this area was created meanwhile"
            ),
        },
        existing_id: existing.map(|g| g.id.to_string()),
    }
}

/// A network's working groups, by id.
pub fn groups(
    conn: &mut DbConn,
    cx: &Ctx,
    network_id: &NetworkId,
    page: &PageRequest,
) -> Result<Page<WorkingGroupOut>, Error> {
    let (n, view) = readable(conn, cx, network_id)?;
    let mut rows = WorkingGroup::list(conn, &n.id, page.after(), page.limit)?;
    let more = rows.len() as i64 > page.limit;
    rows.truncate(usize::try_from(page.limit).unwrap_or(0));
    let next = if more {
        rows.last().map(|g| g.id.to_string())
    } else {
        None
    };
    Ok(Page {
        items: group_outs(conn, cx, &n, view, rows)?,
        next,
    })
}

pub fn read_group(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &WorkingGroupId,
) -> Result<WorkingGroupOut, Error> {
    let (g, n, view) = visible_group(conn, cx, id, &Expected::Any)?;
    group_out(conn, cx, &n, view, g)
}

/// Starts a working group on an area (those who manage the network); one active per area.
pub fn create_group(
    conn: &mut DbConn,
    cx: &Ctx,
    network_id: &NetworkId,
    i: WorkingGroupInput,
) -> Result<WorkingGroupOut, Error> {
    write_tx(conn, |conn| {
        let (n, view) = readable(conn, cx, network_id)?;
        policy::may_manage_network(view)?;
        n.status.edit()?;
        // One active group per area: checked here, in the transaction, and held by a partial
        // unique index when two creations race.
        if let Some(existing) = WorkingGroup::active_of(conn, &n.id, i.area)? {
            return Err(group_exists(Some(&existing)));
        }
        let at = cx.now.at;
        let g = WorkingGroup {
            id: new_id(),
            network_id: n.id.clone(),
            area: i.area,
            name: trimmed(i.name.clone()).unwrap_or_else(|| i.area.group_name()),
            purpose: trimmed(i.purpose.clone()),
            status: WorkingGroupStatus::Active,
            closed_on: None,
            close_reason: None,
            created_by: Some(cx.actor.id.clone()),
            created_at: at,
            updated_at: at,
        };
        WorkingGroup::insert(conn, &g).map_err(|e| match e {
            Error::Conflict {
                code: ErrorCode::Duplicate,
                ..
            } => group_exists(None),
            e => e,
        })?;
        recorded(
            conn,
            cx,
            "working_group",
            g.id.as_str(),
            "create",
            None,
            g.status.as_str(),
        )?;
        group_out(conn, cx, &n, view, g)
    })
}

pub fn update_group(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &WorkingGroupId,
    expected: &Expected,
    p: WorkingGroupPatch,
) -> Result<WorkingGroupOut, Error> {
    write_tx(conn, |conn| {
        let (mut g, n, view) = visible_group(conn, cx, id, expected)?;
        policy::may_manage_network(view)?;
        n.status.edit()?;
        g.status.edit()?;
        let before = g.clone();
        if let Some(name) = &p.name {
            g.name = name.trim().to_string();
        }
        if let Some(pu) = &p.purpose {
            g.purpose = trimmed(pu.clone());
        }
        let changed = audit::changed_fields(&before, &g);
        if !changed.is_empty() {
            g.updated_at = cx.now.at;
            audit::save_edit(conn, &g, &changed, cx.by())?;
        }
        group_out(conn, cx, &n, view, g)
    })
}

/// Closes an active group (its members' participation ends the same day); the area may then
/// get a new group.
pub fn close_group(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &WorkingGroupId,
    expected: &Expected,
    reason: Option<String>,
) -> Result<WorkingGroupOut, Error> {
    write_tx(conn, |conn| {
        let (mut g, n, view) = visible_group(conn, cx, id, expected)?;
        policy::may_manage_network(view)?;
        n.status.edit()?;
        let to = g.status.close()?;
        let today = cx.now.today;
        for mut m in GroupMember::of_groups(conn, &[&g.id])? {
            if m.left_on.is_none() {
                m.left_on = Some(today.max(m.joined_on));
                m.updated_at = cx.now.at;
                GroupMember::save_leaving(conn, &m)?;
                recorded(
                    conn,
                    cx,
                    "group_member",
                    m.id.as_str(),
                    "leave",
                    Some("active"),
                    "left",
                )?;
            }
        }
        let reason = trimmed(reason.clone());
        g.closed_on = Some(today);
        g.close_reason = reason.clone();
        audit::move_to(conn, &mut g, "close", to, reason.as_deref(), cx.by())?;
        group_out(conn, cx, &n, view, g)
    })
}

/// A member of the network (active today) takes part in an active group.
pub fn add_group_member(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &WorkingGroupId,
    i: GroupMemberInput,
) -> Result<WorkingGroupOut, Error> {
    write_tx(conn, |conn| {
        let (mut g, n, view) = visible_group(conn, cx, id, &Expected::Any)?;
        policy::may_manage_network(view)?;
        n.status.edit()?;
        g.status.edit()?;
        let m = active_member(conn, cx, &n.id, &i.member_id, "member_id")?;
        let on = i.joined_on.unwrap_or(cx.now.today);
        let mut errors = Vec::new();
        not_future("joined_on", on, cx, &mut errors);
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let already = |existing_id: Option<String>| Error::Conflict {
            code: ErrorCode::AlreadyMember,
            detail: text!(
                "l'aderente fa già parte del gruppo di lavoro",
                "the member is already in the working group"
            ),
            existing_id,
        };
        if let Some(existing) = GroupMember::active_of(conn, &g.id, &m.id)? {
            return Err(already(Some(existing.id.into())));
        }
        let at = cx.now.at;
        let gm = GroupMember {
            id: new_id(),
            working_group_id: g.id.clone(),
            member_id: m.id.clone(),
            joined_on: on,
            left_on: None,
            created_by: Some(cx.actor.id.clone()),
            created_at: at,
            updated_at: at,
        };
        GroupMember::insert(conn, &gm).map_err(|e| match e {
            Error::Conflict {
                code: ErrorCode::Duplicate,
                ..
            } => already(None),
            e => e,
        })?;
        recorded(
            conn,
            cx,
            "group_member",
            gm.id.as_str(),
            "join",
            None,
            "active",
        )?;
        // The group's version moves with its members (its ETag covers them).
        g.updated_at = at;
        audit::save_edit(conn, &g, &["members".to_string()], cx.by())?;
        group_out(conn, cx, &n, view, g)
    })
}

/// A member leaves an active group, on `left_on` (default today); the participation is kept.
pub fn leave_group(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &WorkingGroupId,
    member_id: &MemberId,
    expected: &Expected,
    i: LeaveGroupInput,
) -> Result<WorkingGroupOut, Error> {
    write_tx(conn, |conn| {
        let (mut g, n, view) = visible_group(conn, cx, id, expected)?;
        policy::may_manage_network(view)?;
        n.status.edit()?;
        g.status.edit()?;
        let mine: Vec<GroupMember> = GroupMember::of_groups(conn, &[&g.id])?
            .into_iter()
            .filter(|m| &m.member_id == member_id)
            .collect();
        let Some(mut gm) = mine.iter().find(|m| m.left_on.is_none()).cloned() else {
            return Err(match mine.is_empty() {
                true => Error::hidden(),
                false => Error::InvalidTransition {
                    entity: "group_member",
                    action: "leave",
                    from: "left".into(),
                },
            });
        };
        let on = i.left_on.unwrap_or(cx.now.today);
        let mut errors = Vec::new();
        if on < gm.joined_on {
            errors.push(FieldError::new(
                "left_on",
                "before_joined_on",
                text!(
                    "non può precedere la data di ingresso nel gruppo",
                    "cannot be before the day it joined the group"
                ),
            ));
        }
        not_future("left_on", on, cx, &mut errors);
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        gm.left_on = Some(on);
        gm.updated_at = cx.now.at;
        if !GroupMember::save_leaving(conn, &gm)? {
            return Err(Error::conflict(
                ErrorCode::ConcurrentUpdate,
                text!(
                    "la partecipazione è stata modificata nel frattempo; ricaricare e riprovare",
                    "the participation was changed meanwhile; reload it"
                ),
            ));
        }
        recorded(
            conn,
            cx,
            "group_member",
            gm.id.as_str(),
            "leave",
            Some("active"),
            "left",
        )?;
        g.updated_at = cx.now.at;
        audit::save_edit(conn, &g, &["members".to_string()], cx.by())?;
        group_out(conn, cx, &n, view, g)
    })
}

// ------------------------------------------------------------ shared responses

fn response_outs(
    conn: &mut DbConn,
    cx: &Ctx,
    n: &Network,
    view: NetworkView,
    rows: Vec<SharedResponse>,
) -> Result<Vec<SharedResponseOut>, Error> {
    let ids: Vec<&SharedResponseId> = rows.iter().map(|r| &r.id).collect();
    let counts = Proposal::counts(conn, &ids)?;
    let oids: Vec<&OrganizationId> = rows.iter().map(|r| &r.organization_id).collect();
    let names = names(conn, &oids)?;
    let open = n.status.edit().is_ok();
    Ok(rows
        .into_iter()
        .map(|r| {
            let (allowed_actions, blocked_actions) = cx.render(policy::shared_response_actions(
                cx.actor,
                view,
                &r.organization_id,
                r.status,
                open,
            ));
            SharedResponseOut {
                proposal_count: counts.get(r.id.as_str()).copied().unwrap_or(0),
                organization: summary(&names, &r.organization_id),
                id: r.id.into(),
                network_id: r.network_id.into(),
                member_id: r.member_id.into(),
                area: r.area,
                title: r.title,
                description: r.description,
                who_may_use: r.who_may_use,
                how_to_access: r.how_to_access,
                capacity: r.capacity,
                valid_from: r.valid_from,
                valid_to: r.valid_to,
                status: r.status,
                withdrawal_reason: r.withdrawal_reason,
                allowed_actions,
                blocked_actions,
                created_at: utc(r.created_at),
                updated_at: utc(r.updated_at),
            }
        })
        .collect())
}

fn response_out(
    conn: &mut DbConn,
    cx: &Ctx,
    n: &Network,
    view: NetworkView,
    r: SharedResponse,
) -> Result<SharedResponseOut, Error> {
    response_outs(conn, cx, n, view, vec![r])?
        .pop()
        .ok_or_else(|| Error::Internal("shared response lost".into()))
}

/// The response and its network, if the caller reads it (else `404`), at the expected version.
fn visible_response(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &SharedResponseId,
    expected: &Expected,
) -> Result<(SharedResponse, Network, NetworkView), Error> {
    let r = SharedResponse::find(conn, id).map_err(|_| Error::hidden())?;
    let (n, view) = networks::visible(conn, cx, &r.network_id, &Expected::Any)?;
    if view == NetworkView::Figures {
        return Err(Error::hidden());
    }
    expected.check(Version::of(r.updated_at))?;
    Ok((r, n, view))
}

/// A network's shared responses by id, filtered by area and state.
pub fn responses(
    conn: &mut DbConn,
    cx: &Ctx,
    network_id: &NetworkId,
    filter: ResponseFilter,
    page: &PageRequest,
) -> Result<Page<SharedResponseOut>, Error> {
    let (n, view) = readable(conn, cx, network_id)?;
    let mut rows = SharedResponse::list(conn, &n.id, filter, page.after(), page.limit)?;
    let more = rows.len() as i64 > page.limit;
    rows.truncate(usize::try_from(page.limit).unwrap_or(0));
    let next = if more {
        rows.last().map(|r| r.id.to_string())
    } else {
        None
    };
    Ok(Page {
        items: response_outs(conn, cx, &n, view, rows)?,
        next,
    })
}

pub fn read_response(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &SharedResponseId,
) -> Result<SharedResponseOut, Error> {
    let (r, n, view) = visible_response(conn, cx, id, &Expected::Any)?;
    response_out(conn, cx, &n, view, r)
}

/// A member offers a shared response (`offered`); those who manage the network may record
/// any member's, a member's users only their own organization's.
pub fn offer(
    conn: &mut DbConn,
    cx: &Ctx,
    network_id: &NetworkId,
    i: SharedResponseInput,
) -> Result<SharedResponseOut, Error> {
    write_tx(conn, |conn| {
        let (n, view) = readable(conn, cx, network_id)?;
        let member = match (&i.member_id, &cx.actor.organization_id) {
            (Some(m), _) => active_member(conn, cx, &n.id, m, "member_id")?,
            (None, Some(o)) => match Member::active_of(conn, &n.id, o)? {
                Some(m) => active_member(conn, cx, &n.id, &m.id, "member_id")?,
                None => return Err(Error::Validation(vec![FieldError::required("member_id")])),
            },
            (None, None) => return Err(Error::Validation(vec![FieldError::required("member_id")])),
        };
        policy::may_offer_for(cx.actor, view, &member.organization_id)?;
        n.status.edit()?;
        let mut errors = Vec::new();
        dates_in_order(i.valid_from, i.valid_to, &mut errors);
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let at = cx.now.at;
        let r = SharedResponse {
            id: new_id(),
            network_id: n.id.clone(),
            member_id: member.id.clone(),
            organization_id: member.organization_id.clone(),
            area: i.area,
            title: i.title.trim().to_string(),
            description: trimmed(i.description.clone()),
            who_may_use: i.who_may_use.trim().to_string(),
            how_to_access: i.how_to_access.trim().to_string(),
            capacity: i.capacity,
            valid_from: i.valid_from,
            valid_to: i.valid_to,
            status: SharedResponseStatus::Offered,
            withdrawal_reason: None,
            created_by: Some(cx.actor.id.clone()),
            created_at: at,
            updated_at: at,
        };
        SharedResponse::insert(conn, &r)?;
        recorded(
            conn,
            cx,
            "shared_response",
            r.id.as_str(),
            "offer",
            None,
            r.status.as_str(),
        )?;
        response_out(conn, cx, &n, view, r)
    })
}

pub fn update_response(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &SharedResponseId,
    expected: &Expected,
    p: SharedResponsePatch,
) -> Result<SharedResponseOut, Error> {
    write_tx(conn, |conn| {
        let (mut r, n, view) = visible_response(conn, cx, id, expected)?;
        policy::may_offer_for(cx.actor, view, &r.organization_id)?;
        n.status.edit()?;
        r.status.edit()?;
        let before = r.clone();
        if let Some(a) = p.area {
            r.area = a;
        }
        if let Some(t) = &p.title {
            r.title = t.trim().to_string();
        }
        if let Some(d) = &p.description {
            r.description = trimmed(d.clone());
        }
        if let Some(w) = &p.who_may_use {
            r.who_may_use = w.trim().to_string();
        }
        if let Some(h) = &p.how_to_access {
            r.how_to_access = h.trim().to_string();
        }
        if let Some(c) = p.capacity {
            r.capacity = c;
        }
        if let Some(f) = p.valid_from {
            r.valid_from = f;
        }
        if let Some(t) = p.valid_to {
            r.valid_to = t;
        }
        let mut errors = Vec::new();
        dates_in_order(r.valid_from, r.valid_to, &mut errors);
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let changed = audit::changed_fields(&before, &r);
        if !changed.is_empty() {
            r.updated_at = cx.now.at;
            audit::save_edit(conn, &r, &changed, cx.by())?;
        }
        response_out(conn, cx, &n, view, r)
    })
}

/// A move of a shared response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseMove {
    /// The network's coordinators make an offered response available to the network.
    MakeAvailable,
    /// The offering member (or the coordinators) withdraw it.
    Withdraw,
}

pub fn move_response(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &SharedResponseId,
    expected: &Expected,
    mv: ResponseMove,
    reason: Option<String>,
) -> Result<SharedResponseOut, Error> {
    write_tx(conn, |conn| {
        let (mut r, n, view) = visible_response(conn, cx, id, expected)?;
        match mv {
            ResponseMove::MakeAvailable => policy::may_manage_network(view)?,
            ResponseMove::Withdraw => policy::may_offer_for(cx.actor, view, &r.organization_id)?,
        }
        n.status.edit()?;
        let (to, action) = match mv {
            ResponseMove::MakeAvailable => (r.status.make_available()?, "make_available"),
            ResponseMove::Withdraw => (r.status.withdraw()?, "withdraw"),
        };
        let reason = trimmed(reason.clone());
        if mv == ResponseMove::Withdraw {
            r.withdrawal_reason = reason.clone();
        }
        audit::move_to(conn, &mut r, action, to, reason.as_deref(), cx.by())?;
        response_out(conn, cx, &n, view, r)
    })
}

// ------------------------------------------------------- proposed on a case

fn proposal_outs(conn: &mut DbConn, rows: Vec<Proposal>) -> Result<Vec<ProposalOut>, Error> {
    let ids: Vec<&SharedResponseId> = rows.iter().map(|p| &p.shared_response_id).collect();
    let responses: HashMap<SharedResponseId, SharedResponse> =
        SharedResponse::find_many(conn, &ids)?
            .into_iter()
            .map(|r| (r.id.clone(), r))
            .collect();
    let oids: Vec<&OrganizationId> = responses.values().map(|r| &r.organization_id).collect();
    let names = names(conn, &oids)?;
    rows.into_iter()
        .map(|p| {
            let r = responses
                .get(&p.shared_response_id)
                .ok_or_else(|| Error::Internal("proposed response lost".into()))?;
            Ok(ProposalOut {
                shared_response: ProposedResponse {
                    id: r.id.to_string(),
                    network_id: r.network_id.to_string(),
                    area: r.area,
                    title: r.title.clone(),
                    organization: summary(&names, &r.organization_id),
                    how_to_access: r.how_to_access.clone(),
                    status: r.status,
                },
                id: p.id.into(),
                case_id: p.case_id.into(),
                note: p.note,
                proposed_by: p.proposed_by,
                created_at: utc(p.created_at),
            })
        })
        .collect()
}

/// The shared responses proposed on a case, by id: whoever reads the case.
pub fn proposals(
    conn: &mut DbConn,
    cx: &Ctx,
    case_id: &CaseId,
    page: &PageRequest,
) -> Result<Page<ProposalOut>, Error> {
    let c = case_state::visible(conn, cx, case_id, &Expected::Any)?;
    let mut rows = Proposal::of_case(conn, &c.id, page.after(), page.limit)?;
    let more = rows.len() as i64 > page.limit;
    rows.truncate(usize::try_from(page.limit).unwrap_or(0));
    let next = if more {
        rows.last().map(|p| p.id.to_string())
    } else {
        None
    };
    Ok(Page {
        items: proposal_outs(conn, rows)?,
        next,
    })
}

/// Whoever works the case proposes an available shared response of a network it reads, in the
/// case's district, once per case.
pub fn propose(
    conn: &mut DbConn,
    cx: &Ctx,
    case_id: &CaseId,
    i: ProposalInput,
) -> Result<ProposalOut, Error> {
    policy::may_propose_on_case(cx.actor)?;
    write_tx(conn, |conn| {
        let c = case_state::visible(conn, cx, case_id, &Expected::Any)?;
        if !c.status.is_open() {
            return Err(Error::InvalidTransition {
                entity: "case",
                action: "propose",
                from: c.status.as_str().into(),
            });
        }
        let unknown = || {
            Error::validation(
                "shared_response_id",
                "unknown",
                text!(
                    "nessuna risposta condivisa visibile di una rete dell'Ambito del caso ha questo identificativo",
                    "no shared response you read, of a network of the case's district, has this id"
                ),
            )
        };
        let r = match SharedResponse::find(conn, &i.shared_response_id) {
            Ok(r) => r,
            Err(Error::NotFound) => return Err(unknown()),
            Err(e) => return Err(e),
        };
        let (n, view) = match networks::visible(conn, cx, &r.network_id, &Expected::Any) {
            Ok(v) => v,
            Err(Error::NotFound) => return Err(unknown()),
            Err(e) => return Err(e),
        };
        if view == NetworkView::Figures || n.district_id != c.district_id {
            return Err(unknown());
        }
        if !r.status.proposable(r.valid_from, r.valid_to, cx.now.today) {
            return Err(Error::validation(
                "shared_response_id",
                "not_available",
                text!(
                    "la risposta condivisa non è disponibile oggi (offerta, ritirata o fuori dal periodo di validità)",
                    "the shared response is not available today (offered, withdrawn or outside its dates)"
                ),
            ));
        }
        let twice = |existing_id: Option<String>| Error::Conflict {
            code: ErrorCode::Duplicate,
            detail: text!(
                "questa risposta condivisa è già stata proposta per il caso",
                "this shared response was already proposed on the case"
            ),
            existing_id,
        };
        if let Some(p) = Proposal::of(conn, &c.id, &r.id)? {
            return Err(twice(Some(p.id.into())));
        }
        let p = Proposal {
            id: new_id(),
            case_id: c.id.clone(),
            shared_response_id: r.id.clone(),
            note: trimmed(i.note.clone()),
            proposed_by: cx.actor.id.clone(),
            created_at: cx.now.at,
        };
        Proposal::insert(conn, &p).map_err(|e| match e {
            Error::Conflict {
                code: ErrorCode::Duplicate,
                ..
            } => twice(None),
            e => e,
        })?;
        recorded(
            conn,
            cx,
            "shared_response_proposal",
            p.id.as_str(),
            "propose",
            None,
            "proposed",
        )?;
        proposal_outs(conn, vec![p])?
            .pop()
            .ok_or_else(|| Error::Internal("proposal lost".into()))
    })
}
