//! The collective actions of a territorial partnership (azioni collettive, seed 001): what
//! they are and when, who takes part (members of the partnership), the employers they target,
//! their beneficiaries — cases followed by a participating agency, added and removed with the
//! history kept — and their results, computed from the cases' outcomes and six-month checks.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::collective::{
    self as rules, BeneficiaryFacts, CollectiveActionKind, CollectiveActionStatus,
};
use sistema_lavoro_domain::ids::{CaseId, CollectiveActionId, MemberId, NetworkId, OrganizationId};
use sistema_lavoro_domain::networks::NetworkKind;
use sistema_lavoro_domain::policy::{self, CollectiveView, NetworkView};
use sistema_lavoro_domain::{text, Error, ErrorCode, Expected, OrganizationKind, Version};
use sistema_lavoro_store::audit::{self, PersonRead, Transition};
use sistema_lavoro_store::cases::Case;
use sistema_lavoro_store::collective::{
    Beneficiary, CollectiveAction, Participant, TargetEmployer,
};
use sistema_lavoro_store::networks::{Member, Network};
use sistema_lavoro_store::organizations::Organization;
use sistema_lavoro_store::{new_id, utc, write_tx, DbConn};
use utoipa::ToSchema;
use validator::Validate;

use super::trimmed;
use super::{OrgSummary, Page, PageRequest, StateChangeOut};
use crate::Ctx;

// ---------------------------------------------------------------------- inputs

/// A new collective action of a partnership, planned.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"kind": "outplacement", "title": "Outplacement dei lavoratori della Tessitura Orobica",
    "description": "Bilancio di competenze, ricerca attiva e incontri con le imprese bersaglio",
    "starts_on": "2027-01-15", "ends_on": "2027-07-15"}))]
pub struct CollectiveActionInput {
    /// Tipo di azione collettiva.
    pub kind: CollectiveActionKind,
    /// Titolo.
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub title: String,
    /// Descrizione: what the action does, for whom.
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000)]
    pub description: Option<String>,
    /// Data di inizio.
    pub starts_on: Option<NaiveDate>,
    /// Data di fine (not before the start).
    pub ends_on: Option<NaiveDate>,
}

/// Changes to a planned or running action (JSON Merge Patch): absent fields stay, `null`
/// clears.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct CollectiveActionPatch {
    /// New kind.
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub kind: Option<CollectiveActionKind>,
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
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub starts_on: Option<Option<NaiveDate>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub ends_on: Option<Option<NaiveDate>>,
}

/// A member of the partnership takes part in the action.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct ParticipantInput {
    /// The membership (adesione) of an active member of the action's network.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = String)]
    pub member_id: MemberId,
}

/// An employer the action targets (impresa bersaglio).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct EmployerInput {
    /// An organization of kind `employer` of the district.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = String)]
    pub organization_id: OrganizationId,
}

/// A beneficiary of the action: a case followed by a participating agency.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct BeneficiaryInput {
    /// The case (presa in carico); its agency must take part in the action (a participant's
    /// users add only their own agency's cases).
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = String)]
    pub case_id: CaseId,
}

// --------------------------------------------------------------------- outputs

/// The results of an action, computed from its current beneficiaries' cases and outcome
/// checks (never typed in): counts only. Every hired beneficiary is in exactly one of the four
/// six-month counts.
#[derive(Debug, Serialize, ToSchema, PartialEq, Clone, Copy)]
pub struct CollectiveResults {
    /// Beneficiari attuali (removed ones are not counted).
    pub beneficiaries: i64,
    /// Assunti: cases closed with an employment outcome (`hired`).
    pub hired: i64,
    /// Ancora occupati a 6 mesi: hired, and employed at the six-month outcome check.
    pub employed_at_6_months: i64,
    /// Non più occupati a 6 mesi: hired, not employed at the six-month check.
    pub not_employed_at_6_months: i64,
    /// Hired, the six-month check not yet due.
    pub six_month_check_pending: i64,
    /// Hired, the six-month check due and not yet recorded.
    pub six_month_check_overdue: i64,
}

impl From<rules::Results> for CollectiveResults {
    fn from(r: rules::Results) -> Self {
        CollectiveResults {
            beneficiaries: r.beneficiaries,
            hired: r.hired,
            employed_at_6_months: r.employed_at_6_months,
            not_employed_at_6_months: r.not_employed_at_6_months,
            six_month_check_pending: r.check_pending,
            six_month_check_overdue: r.check_overdue,
        }
    }
}

/// The results of an action on a day.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct ResultsOut {
    /// The action.
    pub collective_action_id: String,
    /// The day they are computed on (today, Europe/Rome).
    pub as_of: NaiveDate,
    /// The counts.
    #[serde(flatten)]
    pub results: CollectiveResults,
    /// The current beneficiaries' case ids, for the district's coordinator only (the read is
    /// logged); absent for everyone else, who gets the counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beneficiary_case_ids: Option<Vec<String>>,
}

/// A member taking part in the action.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct ParticipantOut {
    /// The membership (adesione).
    pub member_id: String,
    /// The member organization.
    pub organization: OrgSummary,
    /// Its kind (tipologia di ente).
    pub organization_kind: OrganizationKind,
    /// When it was added (RFC 3339, UTC).
    pub added_at: chrono::DateTime<chrono::Utc>,
    /// `delete`, for those who manage the action.
    pub allowed_actions: Vec<Action>,
    /// `delete` once the action is completed or cancelled, with the reason.
    pub blocked_actions: Vec<BlockedAction>,
}

/// An employer the action targets.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct TargetEmployerOut {
    /// The employer (organization of kind `employer`).
    pub organization: OrgSummary,
    /// When it was added (RFC 3339, UTC).
    pub added_at: chrono::DateTime<chrono::Utc>,
    /// `delete`, for those who manage the action.
    pub allowed_actions: Vec<Action>,
    /// `delete` once the action is completed or cancelled, with the reason.
    pub blocked_actions: Vec<BlockedAction>,
}

/// A beneficiary of the action, current or past (a case id and its agency; no names).
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct BeneficiaryOut {
    /// Identifier of this entry, a UUID.
    pub id: String,
    /// The case (presa in carico).
    pub case_id: String,
    /// The agency following it.
    pub agency: OrgSummary,
    /// A beneficiary now (not removed).
    pub current: bool,
    /// When it was added (RFC 3339, UTC).
    pub added_at: chrono::DateTime<chrono::Utc>,
    /// Who added it (a user id, or `client:<id>`).
    pub added_by: Option<String>,
    /// When it was removed (RFC 3339, UTC).
    pub removed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Who removed it.
    pub removed_by: Option<String>,
    /// `delete` (remove it, keeping this entry) for who may.
    pub allowed_actions: Vec<Action>,
    /// `delete` once the action is completed or cancelled, with the reason.
    pub blocked_actions: Vec<BlockedAction>,
}

/// A collective action of a partnership.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct CollectiveActionOut {
    /// Identifier of the action, a UUID.
    pub id: String,
    /// The partnership.
    pub network_id: String,
    /// Tipo di azione collettiva.
    pub kind: CollectiveActionKind,
    /// Titolo.
    pub title: String,
    /// Descrizione.
    pub description: Option<String>,
    /// Data di inizio.
    pub starts_on: Option<NaiveDate>,
    /// Data di fine.
    pub ends_on: Option<NaiveDate>,
    /// Stato: `planned`, `running`, `completed`, `cancelled`.
    pub status: CollectiveActionStatus,
    /// The members taking part (empty for the observatory, which sees figures only).
    pub participants: Vec<ParticipantOut>,
    /// The employers it targets (empty for the observatory).
    pub target_employers: Vec<TargetEmployerOut>,
    /// Its results today, computed from the beneficiaries' cases: counts only.
    pub results: CollectiveResults,
    /// Its creation, edits and moves: who, when, from, to and why.
    pub history: Vec<StateChangeOut>,
    /// What you may do with it now.
    pub allowed_actions: Vec<Action>,
    /// What your role could do, but its state forbids now, and why.
    pub blocked_actions: Vec<BlockedAction>,
    /// When it was created (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last changed (RFC 3339, UTC); its version is the `ETag`.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

// ------------------------------------------------------------------ visibility

/// An action as the caller sees it.
struct Seen {
    action: CollectiveAction,
    network: Network,
    network_view: NetworkView,
    view: CollectiveView,
    participates: bool,
}

fn participates(
    conn: &mut DbConn,
    cx: &Ctx,
    ids: &[&CollectiveActionId],
) -> Result<HashSet<CollectiveActionId>, Error> {
    Ok(match &cx.actor.organization_id {
        Some(o) => Participant::actions_of(conn, o, ids)?.into_iter().collect(),
        None => HashSet::new(),
    })
}

/// The action if the caller sees its partnership (else `404`), at the expected version.
fn visible(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CollectiveActionId,
    expected: &Expected,
) -> Result<Seen, Error> {
    let action = CollectiveAction::find(conn, id).map_err(|_| Error::hidden())?;
    let (network, network_view) =
        super::networks::visible(conn, cx, &action.network_id, &Expected::Any)?;
    let participates = participates(conn, cx, &[&action.id])?.contains(&action.id);
    expected.check(Version::of(action.updated_at))?;
    Ok(Seen {
        view: policy::collective_view(network_view, participates),
        action,
        network,
        network_view,
        participates,
    })
}

fn summary(names: &HashMap<OrganizationId, String>, id: &OrganizationId) -> OrgSummary {
    OrgSummary {
        id: id.to_string(),
        name: names.get(id).cloned().unwrap_or_default(),
    }
}

/// The results of these actions today: two queries whatever the count.
fn results_of(
    conn: &mut DbConn,
    cx: &Ctx,
    ids: &[&CollectiveActionId],
) -> Result<HashMap<CollectiveActionId, CollectiveResults>, Error> {
    let mut facts: HashMap<CollectiveActionId, Vec<BeneficiaryFacts>> = HashMap::new();
    for b in Beneficiary::results_of(conn, ids)? {
        facts
            .entry(b.action_id)
            .or_default()
            .push(BeneficiaryFacts {
                outcome: b.outcome,
                six_month_check: b.six_month_check,
            });
    }
    Ok(ids
        .iter()
        .map(|id| {
            let list = facts.get(*id).map(Vec::as_slice).unwrap_or_default();
            ((*id).clone(), rules::results(list, cx.now.today).into())
        })
        .collect())
}

/// Actions as responses show them, with a bounded number of queries.
fn outs(
    conn: &mut DbConn,
    cx: &Ctx,
    network: &Network,
    network_view: NetworkView,
    rows: Vec<CollectiveAction>,
) -> Result<Vec<CollectiveActionOut>, Error> {
    let ids: Vec<&CollectiveActionId> = rows.iter().map(|a| &a.id).collect();
    let mine = participates(conn, cx, &ids)?;
    let parts = Participant::of_actions(conn, &ids)?;
    let emps = TargetEmployer::of_actions(conn, &ids)?;
    let mut results = results_of(conn, cx, &ids)?;
    let id_strings: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
    let mut history: HashMap<String, Vec<StateChangeOut>> = HashMap::new();
    for h in audit::history(conn, "collective_action", &id_strings)? {
        history
            .entry(h.entity_id.clone())
            .or_default()
            .push(h.into());
    }
    let orgs: Vec<&OrganizationId> = parts
        .iter()
        .map(|p| &p.organization_id)
        .chain(emps.iter().map(|e| &e.organization_id))
        .collect();
    let names: HashMap<OrganizationId, String> =
        Organization::names(conn, &orgs)?.into_iter().collect();
    let part_orgs: Vec<&OrganizationId> = parts.iter().map(|p| &p.organization_id).collect();
    let kinds: HashMap<OrganizationId, OrganizationKind> =
        Network::organization_kinds(conn, &part_orgs)?
            .into_iter()
            .collect();
    let network_open = network.status.edit().is_ok();
    Ok(rows
        .into_iter()
        .map(|a| {
            let participates = mine.contains(&a.id);
            let view = policy::collective_view(network_view, participates);
            let figures_only = view == CollectiveView::Figures;
            let manage = view == CollectiveView::Manage && network_open;
            let part_actions = || cx.render(policy::collective_part_actions(manage, a.status));
            let participants = parts
                .iter()
                .filter(|p| p.action_id == a.id && !figures_only)
                .map(|p| {
                    let (allowed_actions, blocked_actions) = part_actions();
                    ParticipantOut {
                        member_id: p.member_id.to_string(),
                        organization: summary(&names, &p.organization_id),
                        organization_kind: kinds
                            .get(&p.organization_id)
                            .copied()
                            .unwrap_or(OrganizationKind::Other),
                        added_at: utc(p.added_at),
                        allowed_actions,
                        blocked_actions,
                    }
                })
                .collect();
            let target_employers = emps
                .iter()
                .filter(|e| e.action_id == a.id && !figures_only)
                .map(|e| {
                    let (allowed_actions, blocked_actions) = part_actions();
                    TargetEmployerOut {
                        organization: summary(&names, &e.organization_id),
                        added_at: utc(e.added_at),
                        allowed_actions,
                        blocked_actions,
                    }
                })
                .collect();
            let (allowed_actions, blocked_actions) = cx.render(policy::collective_action_actions(
                cx.actor,
                view,
                participates,
                a.status,
                network_open,
            ));
            CollectiveActionOut {
                results: results
                    .remove(&a.id)
                    .unwrap_or(rules::Results::default().into()),
                history: history.remove(a.id.as_str()).unwrap_or_default(),
                participants,
                target_employers,
                id: a.id.into(),
                network_id: a.network_id.into(),
                kind: a.kind,
                title: a.title,
                description: a.description,
                starts_on: a.starts_on,
                ends_on: a.ends_on,
                status: a.status,
                allowed_actions,
                blocked_actions,
                created_at: utc(a.created_at),
                updated_at: utc(a.updated_at),
            }
        })
        .collect())
}

fn out(conn: &mut DbConn, cx: &Ctx, seen: Seen) -> Result<CollectiveActionOut, Error> {
    outs(
        conn,
        cx,
        &seen.network,
        seen.network_view,
        vec![seen.action],
    )?
    .pop()
    .ok_or_else(|| Error::Internal("collective action lost".into()))
}

/// Re-reads the action after a change, as the caller now sees it.
fn reread(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CollectiveActionId,
) -> Result<CollectiveActionOut, Error> {
    let seen = visible(conn, cx, id, &Expected::Any)?;
    out(conn, cx, seen)
}

fn dates_checked(starts: Option<NaiveDate>, ends: Option<NaiveDate>) -> Result<(), Error> {
    if let (Some(s), Some(e)) = (starts, ends) {
        if e < s {
            return Err(Error::validation(
                "ends_on",
                "before_starts_on",
                text!(
                    "la data di fine non può precedere quella di inizio",
                    "the end date cannot come before the start date"
                ),
            ));
        }
    }
    Ok(())
}

/// Records a change of one of the action's parts (participant, employer, beneficiary) in the
/// audit trail, under the part's own entity: the action's history (which members read) never
/// names a case.
fn record_part(
    conn: &mut DbConn,
    cx: &Ctx,
    entity: &str,
    id: &str,
    action: &str,
    to: &str,
) -> Result<(), Error> {
    audit::record(
        conn,
        Transition {
            entity_type: entity,
            entity_id: id,
            action,
            from: None,
            to,
            reason: None,
            actor_id: Some(&cx.actor.id),
            at: cx.now.at,
        },
    )
}

// -------------------------------------------------------------------- actions

/// A partnership's collective actions, by id; `status` narrows the list.
pub fn list(
    conn: &mut DbConn,
    cx: &Ctx,
    network: &NetworkId,
    status: Option<CollectiveActionStatus>,
    page: &PageRequest,
) -> Result<Page<CollectiveActionOut>, Error> {
    let (n, view) = super::networks::visible(conn, cx, network, &Expected::Any)?;
    let mut rows = CollectiveAction::list(conn, &n.id, status, page.after(), page.limit)?;
    let more = rows.len() as i64 > page.limit;
    rows.truncate(usize::try_from(page.limit).unwrap_or(0));
    let next = if more {
        rows.last().map(|a| a.id.to_string())
    } else {
        None
    };
    Ok(Page {
        items: outs(conn, cx, &n, view, rows)?,
        next,
    })
}

pub fn read(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CollectiveActionId,
) -> Result<CollectiveActionOut, Error> {
    let seen = visible(conn, cx, id, &Expected::Any)?;
    out(conn, cx, seen)
}

/// Plans a collective action of a partnership (`409 not_a_partnership` for other kinds).
pub fn create(
    conn: &mut DbConn,
    cx: &Ctx,
    network: &NetworkId,
    i: CollectiveActionInput,
) -> Result<CollectiveActionOut, Error> {
    dates_checked(i.starts_on, i.ends_on)?;
    write_tx(conn, |conn| {
        let (n, nview) = super::networks::visible(conn, cx, network, &Expected::Any)?;
        policy::may_manage_collective(policy::collective_view(nview, false))?;
        if n.kind != NetworkKind::TerritorialPartnership {
            return Err(Error::conflict(
                ErrorCode::NotAPartnership,
                text!(
                    "le azioni collettive sono proprie dei partenariati territoriali: questa rete \
                     non è un partenariato",
                    "collective actions belong to territorial partnerships: this network is not \
                     one"
                ),
            ));
        }
        n.status.edit()?;
        let at = cx.now.at;
        let a = CollectiveAction {
            id: new_id(),
            network_id: n.id.clone(),
            kind: i.kind,
            title: i.title.trim().to_string(),
            description: trimmed(i.description.clone()),
            starts_on: i.starts_on,
            ends_on: i.ends_on,
            status: CollectiveActionStatus::Planned,
            created_by: Some(cx.actor.id.clone()),
            created_at: at,
            updated_at: at,
        };
        CollectiveAction::insert(conn, &a)?;
        audit::record(
            conn,
            Transition {
                entity_type: "collective_action",
                entity_id: a.id.as_str(),
                action: "create",
                from: None,
                to: a.status.as_str(),
                reason: None,
                actor_id: Some(&cx.actor.id),
                at,
            },
        )?;
        reread(conn, cx, &a.id)
    })
}

pub fn update(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CollectiveActionId,
    expected: &Expected,
    p: CollectiveActionPatch,
) -> Result<CollectiveActionOut, Error> {
    write_tx(conn, |conn| {
        let mut seen = visible(conn, cx, id, expected)?;
        policy::may_manage_collective(seen.view)?;
        seen.network.status.edit()?;
        let a = &mut seen.action;
        a.status.edit()?;
        let before = a.clone();
        if let Some(k) = p.kind {
            a.kind = k;
        }
        if let Some(t) = &p.title {
            a.title = t.trim().to_string();
        }
        if let Some(d) = &p.description {
            a.description = trimmed(d.clone());
        }
        if let Some(d) = p.starts_on {
            a.starts_on = d;
        }
        if let Some(d) = p.ends_on {
            a.ends_on = d;
        }
        dates_checked(a.starts_on, a.ends_on)?;
        let changed = audit::changed_fields(&before, &*a);
        if !changed.is_empty() {
            a.updated_at = cx.now.at;
            audit::save_edit(conn, &*a, &changed, cx.by())?;
        }
        out(conn, cx, seen)
    })
}

/// A move of an action's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CollectiveMove {
    Start,
    Complete,
    Cancel,
}

/// Starts, completes or cancels an action, recording who, when and why.
pub fn transition(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CollectiveActionId,
    expected: &Expected,
    mv: CollectiveMove,
    reason: Option<String>,
) -> Result<CollectiveActionOut, Error> {
    write_tx(conn, |conn| {
        let mut seen = visible(conn, cx, id, expected)?;
        policy::may_manage_collective(seen.view)?;
        seen.network.status.edit()?;
        let s = seen.action.status;
        let (to, action) = match mv {
            CollectiveMove::Start => (s.start()?, "start"),
            CollectiveMove::Complete => (s.complete()?, "complete"),
            CollectiveMove::Cancel => (s.cancel()?, "cancel"),
        };
        let reason = trimmed(reason.clone());
        audit::move_to(
            conn,
            &mut seen.action,
            action,
            to,
            reason.as_deref(),
            cx.by(),
        )?;
        out(conn, cx, seen)
    })
}

// ------------------------------------------------------- participants, employers

/// An action that can change, for those who manage it.
fn managed(conn: &mut DbConn, cx: &Ctx, id: &CollectiveActionId) -> Result<Seen, Error> {
    let seen = visible(conn, cx, id, &Expected::Any)?;
    policy::may_manage_collective(seen.view)?;
    seen.network.status.edit()?;
    seen.action.status.edit()?;
    Ok(seen)
}

/// An active member of the partnership takes part in the action.
pub fn add_participant(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CollectiveActionId,
    i: ParticipantInput,
) -> Result<CollectiveActionOut, Error> {
    write_tx(conn, |conn| {
        let seen = managed(conn, cx, id)?;
        let today = cx.now.today;
        let member = Member::find(conn, &i.member_id).ok().filter(|m| {
            m.network_id == seen.network.id
                && m.joined_on <= today
                && m.withdrawn_on.is_none_or(|w| w > today)
        });
        let Some(member) = member else {
            return Err(Error::validation(
                "member_id",
                "not_an_active_member",
                text!(
                    "deve essere l'adesione di un aderente attivo di questo partenariato",
                    "must be the membership of an active member of this partnership"
                ),
            ));
        };
        if Participant::find(conn, &seen.action.id, &member.id)?.is_some() {
            return Err(Error::conflict(
                ErrorCode::Duplicate,
                text!(
                    "l'aderente partecipa già all'azione",
                    "the member already takes part in the action"
                ),
            ));
        }
        let p = Participant {
            id: new_id(),
            action_id: seen.action.id.clone(),
            member_id: member.id.clone(),
            organization_id: member.organization_id.clone(),
            added_by: Some(cx.actor.id.clone()),
            added_at: cx.now.at,
        };
        Participant::insert(conn, &p)?;
        record_part(
            conn,
            cx,
            "collective_action_participant",
            &p.id,
            "add",
            "added",
        )?;
        reread(conn, cx, id)
    })
}

/// A member stops taking part; the beneficiaries its agency brought stay (and count).
pub fn remove_participant(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CollectiveActionId,
    member: &MemberId,
) -> Result<CollectiveActionOut, Error> {
    write_tx(conn, |conn| {
        let seen = managed(conn, cx, id)?;
        let p = Participant::find(conn, &seen.action.id, member)?.ok_or_else(Error::hidden)?;
        if !Participant::delete(conn, &p.id)? {
            return Err(Error::hidden());
        }
        record_part(
            conn,
            cx,
            "collective_action_participant",
            &p.id,
            "remove",
            "removed",
        )?;
        reread(conn, cx, id)
    })
}

/// The action targets an employer (an organization of kind `employer` of the district).
pub fn add_employer(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CollectiveActionId,
    i: EmployerInput,
) -> Result<CollectiveActionOut, Error> {
    write_tx(conn, |conn| {
        let seen = managed(conn, cx, id)?;
        let org = match Organization::find(conn, &i.organization_id) {
            Ok(o) if o.district_id == seen.network.district_id => o,
            Ok(_) | Err(Error::NotFound) => {
                return Err(Error::validation(
                    "organization_id",
                    "unknown",
                    text!(
                        "nessun ente dell'Ambito ha questo identificativo",
                        "no organization of the district has this id"
                    ),
                ))
            }
            Err(e) => return Err(e),
        };
        if org.kind != OrganizationKind::Employer {
            return Err(Error::validation(
                "organization_id",
                "not_an_employer",
                text!(
                    "un'impresa bersaglio deve essere un ente di tipo «azienda / datore di lavoro»",
                    "a target employer must be an organization of kind employer"
                ),
            ));
        }
        if TargetEmployer::find(conn, &seen.action.id, &org.id)?.is_some() {
            return Err(Error::conflict(
                ErrorCode::Duplicate,
                text!(
                    "l'impresa è già tra quelle bersaglio dell'azione",
                    "the employer is already a target of the action"
                ),
            ));
        }
        let e = TargetEmployer {
            id: new_id(),
            action_id: seen.action.id.clone(),
            organization_id: org.id.clone(),
            added_by: Some(cx.actor.id.clone()),
            added_at: cx.now.at,
        };
        TargetEmployer::insert(conn, &e)?;
        record_part(
            conn,
            cx,
            "collective_action_employer",
            &e.id,
            "add",
            "added",
        )?;
        reread(conn, cx, id)
    })
}

pub fn remove_employer(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CollectiveActionId,
    organization: &OrganizationId,
) -> Result<CollectiveActionOut, Error> {
    write_tx(conn, |conn| {
        let seen = managed(conn, cx, id)?;
        let e =
            TargetEmployer::find(conn, &seen.action.id, organization)?.ok_or_else(Error::hidden)?;
        if !TargetEmployer::delete(conn, &e.id)? {
            return Err(Error::hidden());
        }
        record_part(
            conn,
            cx,
            "collective_action_employer",
            &e.id,
            "remove",
            "removed",
        )?;
        reread(conn, cx, id)
    })
}

// ---------------------------------------------------------------- beneficiaries

/// An action that can change, and whose cases the caller may add or remove.
fn for_beneficiaries(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CollectiveActionId,
) -> Result<(Seen, Option<OrganizationId>), Error> {
    let seen = visible(conn, cx, id, &Expected::Any)?;
    let scope = policy::beneficiary_scope(cx.actor, seen.view, seen.participates)?;
    seen.network.status.edit()?;
    seen.action.status.edit()?;
    Ok((seen, scope))
}

/// A case becomes a beneficiary: it must be of the partnership's district and followed by a
/// participating agency (for a participant's users: by their own agency).
pub fn add_beneficiary(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CollectiveActionId,
    i: BeneficiaryInput,
) -> Result<CollectiveActionOut, Error> {
    write_tx(conn, |conn| {
        let (seen, scope) = for_beneficiaries(conn, cx, id)?;
        let case = Case::find(conn, &i.case_id)
            .ok()
            .filter(|c| c.district_id == seen.network.district_id);
        let case = match (case, &scope) {
            (Some(c), Some(own)) if &c.agency_id == own => c,
            (_, Some(_)) => {
                return Err(Error::validation(
                    "case_id",
                    "not_followed_by_your_agency",
                    text!(
                        "deve essere un caso seguito dal tuo ente",
                        "must be a case your agency follows"
                    ),
                ))
            }
            (Some(c), None) => c,
            (None, None) => {
                return Err(Error::validation(
                    "case_id",
                    "unknown",
                    text!(
                        "nessun caso dell'Ambito ha questo identificativo",
                        "no case of the district has this id"
                    ),
                ))
            }
        };
        let agencies: HashSet<OrganizationId> = Participant::of_actions(conn, &[&seen.action.id])?
            .into_iter()
            .map(|p| p.organization_id)
            .collect();
        if !agencies.contains(&case.agency_id) {
            return Err(Error::validation(
                "case_id",
                "agency_not_participating",
                text!(
                    "il caso deve essere seguito da un ente che partecipa all'azione",
                    "the case must be followed by an organization taking part in the action"
                ),
            ));
        }
        if Beneficiary::current(conn, &seen.action.id, &case.id)?.is_some() {
            return Err(Error::conflict(
                ErrorCode::Duplicate,
                text!(
                    "il caso è già tra i beneficiari dell'azione",
                    "the case is already a beneficiary of the action"
                ),
            ));
        }
        let b = Beneficiary {
            id: new_id(),
            action_id: seen.action.id.clone(),
            case_id: case.id.clone(),
            agency_id: case.agency_id.clone(),
            added_by: Some(cx.actor.id.clone()),
            added_at: cx.now.at,
            removed_by: None,
            removed_at: None,
        };
        Beneficiary::insert(conn, &b)?;
        record_part(
            conn,
            cx,
            "collective_action_beneficiary",
            &b.id,
            "add",
            "current",
        )?;
        reread(conn, cx, id)
    })
}

/// A case stops being a beneficiary; its entry stays, with who removed it and when.
pub fn remove_beneficiary(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CollectiveActionId,
    case: &CaseId,
) -> Result<CollectiveActionOut, Error> {
    write_tx(conn, |conn| {
        let (seen, scope) = for_beneficiaries(conn, cx, id)?;
        let b = Beneficiary::current(conn, &seen.action.id, case)?
            .filter(|b| scope.as_ref().is_none_or(|own| &b.agency_id == own))
            .ok_or_else(Error::hidden)?;
        if !Beneficiary::remove(conn, &b.id, &cx.actor.id, cx.now.at)? {
            return Err(Error::conflict(
                ErrorCode::ConcurrentUpdate,
                text!(
                    "il beneficiario è stato tolto nel frattempo",
                    "the beneficiary was removed meanwhile"
                ),
            ));
        }
        record_part(
            conn,
            cx,
            "collective_action_beneficiary",
            &b.id,
            "remove",
            "removed",
        )?;
        reread(conn, cx, id)
    })
}

/// The action's beneficiaries ever, by id: for the district's coordinator every one, for a
/// participant's users its own agency's; each case's person read is logged.
pub fn beneficiaries(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CollectiveActionId,
    page: &PageRequest,
) -> Result<(Page<BeneficiaryOut>, Vec<PersonRead>), Error> {
    let seen = visible(conn, cx, id, &Expected::Any)?;
    let agency = policy::beneficiary_rows(cx.actor, seen.participates)?;
    let scope = policy::beneficiary_scope(cx.actor, seen.view, seen.participates).ok();
    let mut rows = Beneficiary::list(
        conn,
        &seen.action.id,
        agency.as_ref(),
        page.after(),
        page.limit,
    )?;
    let more = rows.len() as i64 > page.limit;
    rows.truncate(usize::try_from(page.limit).unwrap_or(0));
    let next = if more {
        rows.last().map(|(b, _)| b.id.clone())
    } else {
        None
    };
    let orgs: Vec<&OrganizationId> = rows.iter().map(|(b, _)| &b.agency_id).collect();
    let names: HashMap<OrganizationId, String> =
        Organization::names(conn, &orgs)?.into_iter().collect();
    let open = seen.network.status.edit().is_ok();
    let mut reads = Vec::new();
    let items =
        rows.into_iter()
            .map(|(b, person)| {
                reads.push(PersonRead::new(person, &cx.actor.id, cx.now.at, "list"));
                let current = b.removed_at.is_none();
                let may_remove = open
                    && current
                    && scope
                        .as_ref()
                        .is_some_and(|s| s.as_ref().is_none_or(|own| own == &b.agency_id));
                let (allowed_actions, blocked_actions) = cx.render(
                    policy::collective_part_actions(may_remove, seen.action.status),
                );
                BeneficiaryOut {
                    agency: summary(&names, &b.agency_id),
                    id: b.id,
                    case_id: b.case_id.into(),
                    current,
                    added_at: utc(b.added_at),
                    added_by: b.added_by,
                    removed_at: b.removed_at.map(utc),
                    removed_by: b.removed_by,
                    allowed_actions,
                    blocked_actions,
                }
            })
            .collect();
    Ok((Page { items, next }, reads))
}

/// The action's results today, computed; the district's coordinator also gets the current
/// beneficiaries' case ids (each case's person read is logged).
pub fn results(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CollectiveActionId,
) -> Result<(ResultsOut, Vec<PersonRead>), Error> {
    let seen = visible(conn, cx, id, &Expected::Any)?;
    let counts = results_of(conn, cx, &[&seen.action.id])?
        .remove(&seen.action.id)
        .unwrap_or(rules::Results::default().into());
    let coordinator = matches!(policy::beneficiary_rows(cx.actor, false), Ok(None));
    let (ids, reads) = if coordinator {
        let current = Beneficiary::current_cases(conn, &seen.action.id)?;
        let reads = current
            .iter()
            .map(|(_, person)| PersonRead::new(person.clone(), &cx.actor.id, cx.now.at, "list"))
            .collect();
        (
            Some(current.into_iter().map(|(c, _)| c.into()).collect()),
            reads,
        )
    } else {
        (None, Vec::new())
    };
    Ok((
        ResultsOut {
            collective_action_id: seen.action.id.into(),
            as_of: cx.now.today,
            results: counts,
            beneficiary_case_ids: ids,
        },
        reads,
    ))
}
