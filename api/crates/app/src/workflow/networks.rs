//! The territory's networks (reti): pacts, partnerships, the inclusion forum and the monthly
//! table itself — their details and states, their members' adhesions with the full history,
//! the rules of each kind (compliance), and the resources members pledge in the open.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::ids::{
    DistrictId, DocumentId, MemberId, NetworkId, OrganizationId, ResourceId,
};
use sistema_lavoro_domain::networks::{
    self as rules, MemberFacts, MemberRole, NetworkFacts, NetworkKind, NetworkObjective,
    NetworkStatus, ResourceKind, ResourceStatus, RuleCheck, RuleOut,
};
use sistema_lavoro_domain::policy::{self, NetworkAccess, NetworkFactsForActions, NetworkView};
use sistema_lavoro_domain::{
    text, Error, ErrorCode, Expected, FieldError, OrganizationKind, Version,
};
use sistema_lavoro_store::audit::{self, Transition};
use sistema_lavoro_store::networks::{Member, MembersOn, Network, Resource};
use sistema_lavoro_store::organizations::Organization;
use sistema_lavoro_store::{new_id, utc, write_tx, DbConn};
use utoipa::ToSchema;
use validator::Validate;

use super::trimmed;
use super::{OrgSummary, Page, PageRequest};
use crate::Ctx;

// ---------------------------------------------------------------------- inputs

/// A new network (rete), in formation: only `kind` and `name` are required.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"kind": "territorial_partnership", "name": "Partenariato per la ricollocazione – Valle Seriana",
    "purpose": "Azioni collettive per il ricollocamento dei lavoratori", "objectives": ["outplacement", "reinsertion"]}))]
pub struct NetworkInput {
    /// Tipo di rete. `coordination_table` is not created: every district has its own.
    pub kind: NetworkKind,
    /// Denominazione.
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub name: String,
    /// Finalità: what the network is for.
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000)]
    pub purpose: Option<String>,
    /// Obiettivi, from the vocabulary.
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub objectives: Vec<NetworkObjective>,
    /// Altri obiettivi, in free text.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub objectives_other: Option<String>,
    /// Ente promotore, an organization of the district.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = Option<String>)]
    pub promoter_organization_id: Option<OrganizationId>,
    /// Ente coordinatore (e.g. the Agenzia Sociale), an organization of the district. A
    /// network coordinator may only name its own organization (the default for it).
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = Option<String>)]
    pub coordinating_organization_id: Option<OrganizationId>,
    /// Whether the public may ask to join (default `true`; honoured while forming or active).
    pub accepts_join_requests: Option<bool>,
}

/// Changes to a network not yet closed (JSON Merge Patch).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct NetworkPatch {
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
    /// Replaces the objectives.
    #[validate(length(max = 20))]
    #[schema(nullable = false, max_items = 20)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub objectives: Option<Vec<NetworkObjective>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000, value_type = Option<String>)]
    pub objectives_other: Option<Option<String>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[schema(max_length = 64, value_type = Option<String>)]
    pub promoter_organization_id: Option<Option<OrganizationId>>,
    /// `null` clears it. Only the district's coordinator changes it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[schema(max_length = 64, value_type = Option<String>)]
    pub coordinating_organization_id: Option<Option<OrganizationId>>,
    /// Whether the public may ask to join.
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub accepts_join_requests: Option<bool>,
}

/// The act that approved an adhesion (a municipality's delibera).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema, Serialize, PartialEq)]
pub struct ApprovalAct {
    /// Numero dell'atto (delibera).
    #[validate(length(min = 1, max = 50))]
    #[schema(min_length = 1, max_length = 50, example = "45/2026")]
    pub number: String,
    /// Data dell'atto.
    pub date: NaiveDate,
    /// The act's document in the document store, if filed.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = Option<String>)]
    pub document_id: Option<DocumentId>,
}

/// An organization adheres to a network (adesione), at any time.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"organization_id": "0193…", "role": "member", "joined_on": "2026-12-01",
    "approval_act": {"number": "45/2026", "date": "2026-11-20"}}))]
pub struct MemberInput {
    /// The adhering organization, of the network's district.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = String)]
    pub organization_id: OrganizationId,
    /// Ruolo nella rete (default `member`).
    pub role: Option<MemberRole>,
    /// Data di adesione (default today).
    pub joined_on: Option<NaiveDate>,
    /// The act that approved it, where there is one.
    #[validate(nested)]
    pub approval_act: Option<ApprovalAct>,
}

/// A member leaves the network.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct WithdrawInput {
    /// Data di recesso (default today; not before the adhesion, not in the future).
    pub withdrawn_on: Option<NaiveDate>,
    /// Motivazione, recorded with the withdrawal.
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// The largest amount a resource may have: ten million euro.
pub const MAX_AMOUNT_CENTS: i64 = 1_000_000_000;
/// The most hours a resource may have.
pub const MAX_HOURS: i64 = 1_000_000;

/// A member pledges its own resources (risorse proprie): an amount in euro cents or hours,
/// exactly one.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"kind": "training", "description": "Corso di lingua italiana, 40 ore",
    "hours": 40, "valid_from": "2027-01-01", "valid_to": "2027-06-30"}))]
pub struct ResourceInput {
    /// The pledging member organization (default the caller's own).
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = Option<String>)]
    pub organization_id: Option<OrganizationId>,
    /// Tipo di risorsa.
    pub kind: ResourceKind,
    /// What it is.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// Importo in centesimi di euro (or `hours`).
    #[validate(range(min = 1, max = 1_000_000_000))]
    #[schema(minimum = 1, maximum = 1_000_000_000)]
    pub amount_cents: Option<i64>,
    /// Ore (or `amount_cents`).
    #[validate(range(min = 1, max = 1_000_000))]
    #[schema(minimum = 1, maximum = 1_000_000)]
    pub hours: Option<i64>,
    /// Dal.
    pub valid_from: Option<NaiveDate>,
    /// Al (not before `valid_from`).
    pub valid_to: Option<NaiveDate>,
}

// --------------------------------------------------------------------- outputs

/// The rules of the network's kind, each met or not, in the caller's language.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct Compliance {
    /// `true` only if every rule is met (conforme).
    pub compliant: bool,
    /// Every rule checked, met or not, with its reason.
    pub reasons: Vec<RuleOut>,
}

impl Compliance {
    fn of(rules: &[RuleCheck], cx: &Ctx) -> Compliance {
        Compliance {
            compliant: rules::compliant(rules),
            reasons: rules.iter().map(|r| r.render(cx.lang)).collect(),
        }
    }
}

/// A network (rete).
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct NetworkOut {
    /// Identifier of the network, a UUID (`table-<district>` for a district's table).
    pub id: String,
    /// The district (Ambito) it belongs to.
    pub district_id: String,
    /// Tipo di rete.
    pub kind: NetworkKind,
    /// Denominazione.
    pub name: String,
    /// Finalità.
    pub purpose: Option<String>,
    /// Obiettivi.
    pub objectives: Vec<NetworkObjective>,
    /// Altri obiettivi, in free text.
    pub objectives_other: Option<String>,
    /// Ente promotore.
    pub promoter_organization: Option<OrgSummary>,
    /// Ente coordinatore.
    pub coordinating_organization: Option<OrgSummary>,
    /// Stato: `forming`, `active`, `suspended`, `closed`.
    pub status: NetworkStatus,
    /// Whether the public may ask to join (honoured while forming or active).
    pub accepts_join_requests: bool,
    /// Aderenti today.
    pub member_count: i64,
    /// The rules of its kind, now: checked at activation, shown always (a withdrawal that
    /// breaks one shows here).
    pub compliance: Compliance,
    /// What you may do with it now.
    pub allowed_actions: Vec<Action>,
    /// What your role could do, but the network's state or rules forbid now, and why.
    pub blocked_actions: Vec<BlockedAction>,
    /// When it was created (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last changed (RFC 3339, UTC); its version is the `ETag`.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// A membership (adesione), current or past.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct MemberOut {
    /// Identifier of the membership, a UUID (used to withdraw it).
    pub id: String,
    /// The network.
    pub network_id: String,
    /// The adhering organization.
    pub organization: OrgSummary,
    /// Its kind (tipologia di ente).
    pub organization_kind: OrganizationKind,
    /// Ruolo nella rete.
    pub role: MemberRole,
    /// Data di adesione.
    pub joined_on: NaiveDate,
    /// The act that approved it, where there is one.
    pub approval_act: Option<ApprovalAct>,
    /// Data di recesso, once withdrawn.
    pub withdrawn_on: Option<NaiveDate>,
    /// Why it withdrew.
    pub withdrawal_reason: Option<String>,
    /// A member today.
    pub active: bool,
    /// `withdraw`, for those who manage the network.
    pub allowed_actions: Vec<Action>,
    /// `withdraw` once withdrawn, with the reason.
    pub blocked_actions: Vec<BlockedAction>,
    /// When it was recorded (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last changed (RFC 3339, UTC); its version is the `ETag`.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// A pledged resource.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct ResourceOut {
    /// Identifier of the resource, a UUID.
    pub id: String,
    /// The network.
    pub network_id: String,
    /// The pledging member organization.
    pub organization: OrgSummary,
    /// Tipo di risorsa.
    pub kind: ResourceKind,
    /// What it is.
    pub description: Option<String>,
    /// Importo in centesimi di euro (exactly one of this and `hours`).
    pub amount_cents: Option<i64>,
    /// Ore.
    pub hours: Option<i64>,
    /// Dal.
    pub valid_from: Option<NaiveDate>,
    /// Al.
    pub valid_to: Option<NaiveDate>,
    /// Stato: `pledged`, `available`, `used`, `withdrawn`.
    pub status: ResourceStatus,
    /// What you may do with it now.
    pub allowed_actions: Vec<Action>,
    /// What you could do, but its state forbids now, and why.
    pub blocked_actions: Vec<BlockedAction>,
    /// When it was pledged (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last changed (RFC 3339, UTC); its version is the `ETag`.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// A sum of resources (withdrawn ones left out).
#[derive(Debug, Default, Serialize, ToSchema, PartialEq, Clone, Copy)]
pub struct Amounts {
    /// Euro cents pledged, available or used.
    pub amount_cents: i64,
    /// Hours pledged, available or used.
    pub hours: i64,
    /// How many resources.
    pub count: i64,
}

impl Amounts {
    fn add(&mut self, cents: Option<i64>, hours: Option<i64>) {
        self.amount_cents = self.amount_cents.saturating_add(cents.unwrap_or(0));
        self.hours = self.hours.saturating_add(hours.unwrap_or(0));
        self.count += 1;
    }
}

/// One member's resources, summed.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct MemberAmounts {
    /// The member organization.
    pub organization: OrgSummary,
    /// Its sums.
    #[serde(flatten)]
    pub amounts: Amounts,
}

/// One kind's resources, summed.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct KindAmounts {
    /// Tipo di risorsa.
    pub kind: ResourceKind,
    /// Its sums.
    #[serde(flatten)]
    pub amounts: Amounts,
}

/// The network's resources in the open: totals for the network, per member, per kind.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct ResourceTotals {
    /// The whole network.
    pub network: Amounts,
    /// Per member, by organization name.
    pub by_member: Vec<MemberAmounts>,
    /// Per kind, in the vocabulary's order.
    pub by_kind: Vec<KindAmounts>,
}

/// A page of a network's resources, with the totals of all of them.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct ResourceList {
    /// The resources of this page (empty for the observatory, which sees the totals only).
    pub items: Vec<ResourceOut>,
    /// Cursor for the next page (pass it as `after`), or null on the last page.
    pub next: Option<String>,
    /// Totals of every resource of the network, whatever the page.
    pub totals: ResourceTotals,
}

// ------------------------------------------------------------------ visibility

/// The network if the caller may see it (else `404`), how it sees it, at the expected version.
pub(crate) fn visible(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &NetworkId,
    expected: &Expected,
) -> Result<(Network, NetworkView), Error> {
    let n = Network::find(conn, id).map_err(|_| Error::hidden())?;
    let member = match &cx.actor.organization_id {
        Some(o) => !Member::member_of(conn, o, &[&n.id], cx.now.today)?.is_empty(),
        None => false,
    };
    let view = policy::network_view(
        cx.actor,
        &NetworkAccess {
            district_id: &n.district_id,
            coordinating_organization_id: n.coordinating_organization_id.as_ref(),
            caller_is_member: member,
        },
    )
    .ok_or_else(Error::hidden)?;
    expected.check(Version::of(n.updated_at))?;
    Ok((n, view))
}

/// The rules of each network, from its members today: two queries whatever the count.
fn compliance_of(
    conn: &mut DbConn,
    cx: &Ctx,
    networks: &[&Network],
) -> Result<HashMap<NetworkId, Vec<RuleCheck>>, Error> {
    Ok(checked(conn, cx, networks)?
        .into_iter()
        .map(|(id, c)| (id, c.checks))
        .collect())
}

/// A network's rules as checked today, and how many active members it has.
struct Checked {
    checks: Vec<RuleCheck>,
    members: usize,
}

/// The rules of each network, from one load of their active members (grouped once, so a page
/// of 50 networks with 250 members each costs one pass over 12,500 rows, not 50).
fn checked(
    conn: &mut DbConn,
    cx: &Ctx,
    networks: &[&Network],
) -> Result<HashMap<NetworkId, Checked>, Error> {
    let ids: Vec<&NetworkId> = networks.iter().map(|n| &n.id).collect();
    let members = Member::kinds_on(conn, &ids, cx.now.today)?;
    let mut took_charge: HashSet<OrganizationId> = HashSet::new();
    let districts: HashSet<&DistrictId> = networks.iter().map(|n| &n.district_id).collect();
    let agencies: Vec<&OrganizationId> = members
        .iter()
        .filter(|m| m.kind == OrganizationKind::AccreditedAgency)
        .map(|m| &m.organization_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    for d in districts {
        took_charge.extend(Member::agencies_that_took_charge(conn, d, &agencies)?);
    }
    let coordinators: Vec<&OrganizationId> = networks
        .iter()
        .filter_map(|n| n.coordinating_organization_id.as_ref())
        .collect();
    let kinds: HashMap<OrganizationId, OrganizationKind> =
        Network::organization_kinds(conn, &coordinators)?
            .into_iter()
            .collect();
    let mut by_network: HashMap<&NetworkId, Vec<MemberFacts>> = HashMap::new();
    for m in &members {
        by_network
            .entry(&m.network_id)
            .or_default()
            .push(MemberFacts {
                organization_id: m.organization_id.to_string(),
                kind: m.kind,
                took_charge: took_charge.contains(&m.organization_id),
            });
    }
    let mut out = HashMap::new();
    for n in networks {
        let facts = by_network.remove(&n.id).unwrap_or_default();
        let coord = n.coordinating_organization_id.as_ref();
        let checks = rules::compliance(&NetworkFacts {
            kind: n.kind,
            coordinating_organization_id: coord.map(|c| c.as_str()),
            coordinating_kind: coord.and_then(|c| kinds.get(c).copied()),
            members: &facts,
        });
        out.insert(
            n.id.clone(),
            Checked {
                checks,
                members: facts.len(),
            },
        );
    }
    Ok(out)
}

fn summaries(
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

/// Networks as responses show them, with a bounded number of queries.
fn outs(
    conn: &mut DbConn,
    cx: &Ctx,
    rows: Vec<(Network, NetworkView)>,
) -> Result<Vec<NetworkOut>, Error> {
    let nets: Vec<&Network> = rows.iter().map(|(n, _)| n).collect();
    let mut checks = checked(conn, cx, &nets)?;
    let orgs: Vec<&OrganizationId> = nets
        .iter()
        .flat_map(|n| {
            n.promoter_organization_id
                .iter()
                .chain(n.coordinating_organization_id.iter())
        })
        .collect();
    let names = summaries(conn, &orgs)?;
    Ok(rows
        .into_iter()
        .map(|(n, view)| {
            let (c, member_count) = checks
                .remove(&n.id)
                .map_or((Vec::new(), 0), |c| (c.checks, c.members));
            let compliance = Compliance::of(&c, cx);
            let (allowed_actions, blocked_actions) = cx.render(policy::network_actions(
                cx.actor,
                view,
                &NetworkFactsForActions {
                    kind: n.kind,
                    status: n.status,
                    compliant: compliance.compliant,
                },
            ));
            NetworkOut {
                member_count: i64::try_from(member_count).unwrap_or(i64::MAX),
                promoter_organization: n
                    .promoter_organization_id
                    .as_ref()
                    .map(|o| summary(&names, o)),
                coordinating_organization: n
                    .coordinating_organization_id
                    .as_ref()
                    .map(|o| summary(&names, o)),
                id: n.id.into(),
                district_id: n.district_id.into(),
                kind: n.kind,
                name: n.name,
                purpose: n.purpose,
                objectives: n.objectives,
                objectives_other: n.objectives_other,
                status: n.status,
                accepts_join_requests: n.accepts_join_requests,
                compliance,
                allowed_actions,
                blocked_actions,
                created_at: utc(n.created_at),
                updated_at: utc(n.updated_at),
            }
        })
        .collect())
}

fn out(conn: &mut DbConn, cx: &Ctx, n: Network, view: NetworkView) -> Result<NetworkOut, Error> {
    outs(conn, cx, vec![(n, view)])?
        .pop()
        .ok_or_else(|| Error::Internal("network lost".into()))
}

/// An organization named in a request must be of the network's district.
fn org_of_district(
    conn: &mut DbConn,
    district_id: &DistrictId,
    id: &OrganizationId,
    field: &str,
) -> Result<Organization, Error> {
    match Organization::find(conn, id) {
        Ok(o) if &o.district_id == district_id => Ok(o),
        Ok(_) | Err(Error::NotFound) => Err(Error::validation(
            field,
            "unknown",
            text!(
                "nessun ente dell'Ambito ha questo identificativo",
                "no organization of the district has this id"
            ),
        )),
        Err(e) => Err(e),
    }
}

// -------------------------------------------------------------------- networks

/// Filters of the network list.
#[derive(Debug, Clone, Default)]
pub struct NetworkQuery {
    pub kind: Option<NetworkKind>,
    pub status: Option<NetworkStatus>,
}

/// The networks the caller sees, by id.
pub fn list(
    conn: &mut DbConn,
    cx: &Ctx,
    q: NetworkQuery,
    page: &PageRequest,
) -> Result<Page<NetworkOut>, Error> {
    let scope = policy::network_scope(cx.actor)?;
    let district = cx.actor.district()?;
    let org = match &scope {
        policy::NetworkScope::District => None,
        policy::NetworkScope::Organization(o) => Some(o),
    };
    let mut rows = Network::list(
        conn,
        district,
        org,
        q.kind,
        q.status,
        page.after(),
        page.limit,
    )?;
    let more = rows.len() as i64 > page.limit;
    rows.truncate(usize::try_from(page.limit).unwrap_or(0));
    let next = if more {
        rows.last().map(|n| n.id.to_string())
    } else {
        None
    };
    let ids: Vec<&NetworkId> = rows.iter().map(|n| &n.id).collect();
    let member_of: HashSet<NetworkId> = match org {
        Some(o) => Member::member_of(conn, o, &ids, cx.now.today)?
            .into_iter()
            .collect(),
        None => HashSet::new(),
    };
    let viewed: Vec<(Network, NetworkView)> = rows
        .into_iter()
        .filter_map(|n| {
            let view = policy::network_view(
                cx.actor,
                &NetworkAccess {
                    district_id: &n.district_id,
                    coordinating_organization_id: n.coordinating_organization_id.as_ref(),
                    caller_is_member: member_of.contains(&n.id),
                },
            );
            view.map(|v| (n, v))
        })
        .collect();
    Ok(Page {
        items: outs(conn, cx, viewed)?,
        next,
    })
}

pub fn read(conn: &mut DbConn, cx: &Ctx, id: &NetworkId) -> Result<NetworkOut, Error> {
    let (n, view) = visible(conn, cx, id, &Expected::Any)?;
    out(conn, cx, n, view)
}

pub fn compliance(conn: &mut DbConn, cx: &Ctx, id: &NetworkId) -> Result<Compliance, Error> {
    let (n, _) = visible(conn, cx, id, &Expected::Any)?;
    let checks = compliance_of(conn, cx, &[&n])?
        .remove(&n.id)
        .unwrap_or_default();
    Ok(Compliance::of(&checks, cx))
}

pub fn create(conn: &mut DbConn, cx: &Ctx, i: NetworkInput) -> Result<NetworkOut, Error> {
    let own = policy::may_create_network(cx.actor)?.cloned();
    let district = cx.actor.district()?.clone();
    if i.kind == NetworkKind::CoordinationTable {
        return Err(Error::validation(
            "kind",
            "one_per_district",
            text!(
                "ogni Ambito ha già il suo Tavolo Sistema Lavoro, creato con l'Ambito",
                "every district already has its monthly table, created with the district"
            ),
        ));
    }
    let coordinating = match (&own, i.coordinating_organization_id) {
        (Some(o), Some(c)) if &c != o => {
            return Err(Error::Forbidden(text!(
                "un coordinatore di rete costituisce solo reti coordinate dal proprio ente",
                "a network coordinator starts only networks its own organization coordinates"
            )))
        }
        (Some(o), _) => Some(o.clone()),
        (None, c) => c,
    };
    write_tx(conn, |conn| {
        if let Some(p) = &i.promoter_organization_id {
            org_of_district(conn, &district, p, "promoter_organization_id")?;
        }
        if let Some(c) = &coordinating {
            org_of_district(conn, &district, c, "coordinating_organization_id")?;
        }
        let at = cx.now.at;
        let mut objectives = i.objectives.clone();
        objectives.sort();
        objectives.dedup();
        let n = Network {
            id: new_id(),
            district_id: district.clone(),
            kind: i.kind,
            name: i.name.trim().to_string(),
            purpose: trimmed(i.purpose.clone()),
            objectives,
            objectives_other: trimmed(i.objectives_other.clone()),
            promoter_organization_id: i.promoter_organization_id.clone(),
            coordinating_organization_id: coordinating.clone(),
            status: NetworkStatus::Forming,
            accepts_join_requests: i.accepts_join_requests.unwrap_or(true),
            created_by: Some(cx.actor.id.clone()),
            created_at: at,
            updated_at: at,
        };
        Network::insert(conn, &n)?;
        audit::record(
            conn,
            Transition {
                entity_type: "network",
                entity_id: n.id.as_str(),
                action: "create",
                from: None,
                to: n.status.as_str(),
                reason: None,
                actor_id: Some(&cx.actor.id),
                at,
            },
        )?;
        let (n, view) = visible(conn, cx, &n.id, &Expected::Any)?;
        out(conn, cx, n, view)
    })
}

pub fn update(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &NetworkId,
    expected: &Expected,
    p: NetworkPatch,
) -> Result<NetworkOut, Error> {
    write_tx(conn, |conn| {
        let (mut n, view) = visible(conn, cx, id, expected)?;
        policy::may_manage_network(view)?;
        n.status.edit()?;
        let before = n.clone();
        if let Some(c) = &p.coordinating_organization_id {
            let coordinator_person =
                cx.actor.role == sistema_lavoro_domain::Role::Coordinator && !cx.actor.is_client();
            if c != &n.coordinating_organization_id && !coordinator_person {
                return Err(Error::Forbidden(text!(
                    "l'ente coordinatore di una rete è cambiato solo dall'Ufficio di Piano",
                    "only the coordinator (Ufficio di Piano) changes a network's coordinating organization"
                )));
            }
            if let Some(o) = c {
                org_of_district(conn, &n.district_id, o, "coordinating_organization_id")?;
            }
            n.coordinating_organization_id = c.clone();
        }
        if let Some(pr) = &p.promoter_organization_id {
            if let Some(o) = pr {
                org_of_district(conn, &n.district_id, o, "promoter_organization_id")?;
            }
            n.promoter_organization_id = pr.clone();
        }
        if let Some(name) = &p.name {
            n.name = name.trim().to_string();
        }
        if let Some(pu) = &p.purpose {
            n.purpose = trimmed(pu.clone());
        }
        if let Some(o) = &p.objectives {
            let mut o = o.clone();
            o.sort();
            o.dedup();
            n.objectives = o;
        }
        if let Some(o) = &p.objectives_other {
            n.objectives_other = trimmed(o.clone());
        }
        if let Some(a) = p.accepts_join_requests {
            n.accepts_join_requests = a;
        }
        let changed = audit::changed_fields(&before, &n);
        if !changed.is_empty() {
            n.updated_at = cx.now.at;
            audit::save_edit(conn, &n, &changed, cx.by())?;
        }
        out(conn, cx, n, view)
    })
}

/// A move of a network's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Activate,
    Suspend,
    Resume,
    Close,
}

/// Activates (if every rule of its kind is met: else `409 network_not_compliant` with the
/// reasons), suspends, resumes or closes a network, recording who, when and why.
pub fn transition(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &NetworkId,
    expected: &Expected,
    mv: Move,
    reason: Option<String>,
) -> Result<NetworkOut, Error> {
    write_tx(conn, |conn| {
        let (mut n, view) = visible(conn, cx, id, expected)?;
        policy::may_manage_network(view)?;
        let s = n.status;
        let (to, action) = match mv {
            Move::Activate => (s.activate()?, "activate"),
            Move::Suspend => (s.suspend()?, "suspend"),
            Move::Resume => (s.resume()?, "resume"),
            Move::Close => {
                if n.kind == NetworkKind::CoordinationTable {
                    return Err(Error::Forbidden(text!(
                        "il Tavolo Sistema Lavoro dell'Ambito non si chiude: si può sospendere",
                        "the district's monthly table is not closed: it can be suspended"
                    )));
                }
                (s.close()?, "close")
            }
        };
        if mv == Move::Activate {
            let checks = compliance_of(conn, cx, &[&n])?
                .remove(&n.id)
                .unwrap_or_default();
            if !rules::compliant(&checks) {
                return Err(Error::NotCompliant(checks));
            }
        }
        let reason = trimmed(reason.clone());
        audit::move_to(conn, &mut n, action, to, reason.as_deref(), cx.by())?;
        out(conn, cx, n, view)
    })
}

// --------------------------------------------------------------------- members

/// Which memberships a member list holds.
#[derive(Debug, Clone, Copy, Default)]
pub struct MembersQuery {
    /// Members on this date (default today).
    pub on: Option<NaiveDate>,
    /// Every adhesion ever, withdrawn ones included (`on` is then ignored).
    pub history: bool,
}

fn member_outs(
    conn: &mut DbConn,
    cx: &Ctx,
    network_open: bool,
    view: NetworkView,
    rows: Vec<Member>,
) -> Result<Vec<MemberOut>, Error> {
    let ids: Vec<&OrganizationId> = rows.iter().map(|m| &m.organization_id).collect();
    let names = summaries(conn, &ids)?;
    let kinds: HashMap<OrganizationId, OrganizationKind> = Network::organization_kinds(conn, &ids)?
        .into_iter()
        .collect();
    let today = cx.now.today;
    Ok(rows
        .into_iter()
        .map(|m| {
            let withdrawn = m.withdrawn_on.is_some();
            let (allowed_actions, blocked_actions) =
                cx.render(policy::member_actions(view, withdrawn, network_open));
            MemberOut {
                organization: summary(&names, &m.organization_id),
                organization_kind: kinds
                    .get(&m.organization_id)
                    .copied()
                    .unwrap_or(OrganizationKind::Other),
                active: m.joined_on <= today && m.withdrawn_on.is_none_or(|w| w > today),
                approval_act: match (m.approval_act_number, m.approval_act_date) {
                    (Some(number), Some(date)) => Some(ApprovalAct {
                        number,
                        date,
                        document_id: m.approval_document_id.map(DocumentId::from),
                    }),
                    _ => None,
                },
                id: m.id.into(),
                network_id: m.network_id.into(),
                role: m.role,
                joined_on: m.joined_on,
                withdrawn_on: m.withdrawn_on,
                withdrawal_reason: m.withdrawal_reason,
                allowed_actions,
                blocked_actions,
                created_at: utc(m.created_at),
                updated_at: utc(m.updated_at),
            }
        })
        .collect())
}

/// A network's members on a date (default today), or its whole history.
pub fn members(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &NetworkId,
    q: MembersQuery,
    page: &PageRequest,
) -> Result<Page<MemberOut>, Error> {
    let (n, view) = visible(conn, cx, id, &Expected::Any)?;
    policy::may_read_members(view)?;
    let on = if q.history {
        MembersOn::History
    } else {
        MembersOn::Date(q.on.unwrap_or(cx.now.today))
    };
    let mut rows = Member::list(conn, &n.id, on, page.after(), page.limit)?;
    let more = rows.len() as i64 > page.limit;
    rows.truncate(usize::try_from(page.limit).unwrap_or(0));
    let next = if more {
        rows.last().map(|m| m.id.to_string())
    } else {
        None
    };
    Ok(Page {
        items: member_outs(conn, cx, n.status.edit().is_ok(), view, rows)?,
        next,
    })
}

/// An organization of the district adheres to the network (at any time, once at a time).
pub fn add_member(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &NetworkId,
    i: MemberInput,
) -> Result<MemberOut, Error> {
    write_tx(conn, |conn| {
        let (n, view) = visible(conn, cx, id, &Expected::Any)?;
        policy::may_manage_network(view)?;
        n.status.edit()?;
        org_of_district(conn, &n.district_id, &i.organization_id, "organization_id")?;
        if let Some(existing) = Member::active_of(conn, &n.id, &i.organization_id)? {
            return Err(Error::Conflict {
                code: ErrorCode::AlreadyMember,
                detail: text!(
                    "l'ente aderisce già alla rete",
                    "the organization is already a member of the network"
                ),
                existing_id: Some(existing.id.into()),
            });
        }
        if let Some(doc) = i.approval_act.as_ref().and_then(|a| a.document_id.as_ref()) {
            if !sistema_lavoro_store::documents::of_network(conn, doc, &n.id)? {
                return Err(Error::validation(
                    "approval_act.document_id",
                    "unknown",
                    text!(
                        "deve essere un documento di questa rete",
                        "must be a document of this network"
                    ),
                ));
            }
        }
        let at = cx.now.at;
        let act = i.approval_act.clone();
        let m = Member {
            id: new_id(),
            network_id: n.id.clone(),
            organization_id: i.organization_id.clone(),
            role: i.role.unwrap_or(MemberRole::Member),
            joined_on: i.joined_on.unwrap_or(cx.now.today),
            approval_act_number: act.as_ref().map(|a| a.number.trim().to_string()),
            approval_act_date: act.as_ref().map(|a| a.date),
            approval_document_id: act.and_then(|a| a.document_id).map(String::from),
            withdrawn_on: None,
            withdrawal_reason: None,
            created_by: Some(cx.actor.id.clone()),
            created_at: at,
            updated_at: at,
        };
        Member::insert(conn, &m)?;
        audit::record(
            conn,
            Transition {
                entity_type: "member",
                entity_id: m.id.as_str(),
                action: "join",
                from: None,
                to: "active",
                reason: None,
                actor_id: Some(&cx.actor.id),
                at,
            },
        )?;
        member_outs(conn, cx, true, view, vec![m])?
            .pop()
            .ok_or_else(|| Error::Internal("member lost".into()))
    })
}

/// A member leaves the network; a withdrawal that breaks a rule of the network's kind is
/// allowed, and the network's compliance then says so.
pub fn withdraw_member(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &MemberId,
    expected: &Expected,
    i: WithdrawInput,
) -> Result<MemberOut, Error> {
    write_tx(conn, |conn| {
        let mut m = Member::find(conn, id).map_err(|_| Error::hidden())?;
        let (n, view) = visible(conn, cx, &m.network_id, &Expected::Any)?;
        if view == NetworkView::Figures {
            return Err(Error::hidden());
        }
        policy::may_manage_network(view)?;
        expected.check(Version::of(m.updated_at))?;
        if m.withdrawn_on.is_some() {
            return Err(Error::InvalidTransition {
                entity: "member",
                action: "withdraw",
                from: "withdrawn".into(),
            });
        }
        n.status.edit()?;
        let on = i.withdrawn_on.unwrap_or(cx.now.today);
        let mut errors = Vec::new();
        if on < m.joined_on {
            errors.push(FieldError::new(
                "withdrawn_on",
                "before_joined_on",
                text!(
                    "non può precedere la data di adesione",
                    "cannot be before the adhesion date"
                ),
            ));
        }
        if on > cx.now.today {
            errors.push(FieldError::new(
                "withdrawn_on",
                "future",
                text!("non può essere nel futuro", "cannot be in the future"),
            ));
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        m.withdrawn_on = Some(on);
        m.withdrawal_reason = trimmed(Some(i.reason.clone()));
        m.updated_at = cx.now.at;
        if !Member::save_withdrawal(conn, &m)? {
            return Err(Error::conflict(
                ErrorCode::ConcurrentUpdate,
                text!(
                    "l'adesione è stata modificata nel frattempo; ricaricare e riprovare",
                    "the membership was changed meanwhile; reload it"
                ),
            ));
        }
        audit::record(
            conn,
            Transition {
                entity_type: "member",
                entity_id: m.id.as_str(),
                action: "withdraw",
                from: Some("active"),
                to: "withdrawn",
                reason: m.withdrawal_reason.as_deref(),
                actor_id: Some(&cx.actor.id),
                at: cx.now.at,
            },
        )?;
        member_outs(conn, cx, true, view, vec![m])?
            .pop()
            .ok_or_else(|| Error::Internal("member lost".into()))
    })
}

// ------------------------------------------------------------------- resources

fn resource_outs(
    conn: &mut DbConn,
    cx: &Ctx,
    view: NetworkView,
    rows: Vec<Resource>,
) -> Result<Vec<ResourceOut>, Error> {
    let ids: Vec<&OrganizationId> = rows.iter().map(|r| &r.organization_id).collect();
    let names = summaries(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let (allowed_actions, blocked_actions) = cx.render(policy::resource_actions(
                cx.actor,
                view,
                &r.organization_id,
                r.status,
            ));
            ResourceOut {
                organization: summary(&names, &r.organization_id),
                id: r.id.into(),
                network_id: r.network_id.into(),
                kind: r.kind,
                description: r.description,
                amount_cents: r.amount_cents,
                hours: r.hours,
                valid_from: r.valid_from,
                valid_to: r.valid_to,
                status: r.status,
                allowed_actions,
                blocked_actions,
                created_at: utc(r.created_at),
                updated_at: utc(r.updated_at),
            }
        })
        .collect())
}

fn totals(conn: &mut DbConn, id: &NetworkId) -> Result<ResourceTotals, Error> {
    let rows = Resource::totals_of(conn, id)?;
    let mut network = Amounts::default();
    let mut by_member: HashMap<OrganizationId, Amounts> = HashMap::new();
    let mut by_kind: HashMap<ResourceKind, Amounts> = HashMap::new();
    for (org, kind, cents, hours) in rows {
        network.add(cents, hours);
        by_member.entry(org).or_default().add(cents, hours);
        by_kind.entry(kind).or_default().add(cents, hours);
    }
    let ids: Vec<&OrganizationId> = by_member.keys().collect();
    let names = summaries(conn, &ids)?;
    let mut by_member: Vec<MemberAmounts> = by_member
        .iter()
        .map(|(o, a)| MemberAmounts {
            organization: summary(&names, o),
            amounts: *a,
        })
        .collect();
    by_member.sort_by(|a, b| {
        (&a.organization.name, &a.organization.id).cmp(&(&b.organization.name, &b.organization.id))
    });
    let by_kind = ResourceKind::ALL
        .iter()
        .filter_map(|k| {
            by_kind.get(k).map(|a| KindAmounts {
                kind: *k,
                amounts: *a,
            })
        })
        .collect();
    Ok(ResourceTotals {
        network,
        by_member,
        by_kind,
    })
}

/// A network's resources, a page at a time, with the totals of all of them; readable by
/// every member (the observatory sees the totals only).
pub fn resources(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &NetworkId,
    page: &PageRequest,
) -> Result<ResourceList, Error> {
    let (n, view) = visible(conn, cx, id, &Expected::Any)?;
    let totals = totals(conn, &n.id)?;
    if view == NetworkView::Figures {
        return Ok(ResourceList {
            items: Vec::new(),
            next: None,
            totals,
        });
    }
    let mut rows = Resource::list(conn, &n.id, page.after(), page.limit)?;
    let more = rows.len() as i64 > page.limit;
    rows.truncate(usize::try_from(page.limit).unwrap_or(0));
    let next = if more {
        rows.last().map(|r| r.id.to_string())
    } else {
        None
    };
    Ok(ResourceList {
        items: resource_outs(conn, cx, view, rows)?,
        next,
        totals,
    })
}

/// A member pledges its own resources (the network's managers may record any member's).
pub fn pledge(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &NetworkId,
    i: ResourceInput,
) -> Result<ResourceOut, Error> {
    write_tx(conn, |conn| {
        let (n, view) = visible(conn, cx, id, &Expected::Any)?;
        let org = match i
            .organization_id
            .clone()
            .or_else(|| cx.actor.organization_id.clone())
        {
            Some(o) => o,
            None => {
                return Err(Error::Validation(vec![FieldError::required(
                    "organization_id",
                )]))
            }
        };
        policy::may_pledge_for(cx.actor, view, &org)?;
        n.status.edit()?;
        let mut errors = Vec::new();
        if i.amount_cents.is_some() == i.hours.is_some() {
            for f in ["amount_cents", "hours"] {
                errors.push(FieldError::new(
                    f,
                    "exactly_one",
                    text!(
                        "indicare l'importo in centesimi oppure le ore, uno solo dei due",
                        "give the amount in cents or the hours, exactly one of them"
                    ),
                ));
            }
        }
        if let (Some(f), Some(t)) = (i.valid_from, i.valid_to) {
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
        if Member::member_of(conn, &org, &[&n.id], cx.now.today)?.is_empty() {
            errors.push(FieldError::new(
                "organization_id",
                "not_a_member",
                text!(
                    "l'ente non aderisce oggi alla rete",
                    "the organization is not a member of the network today"
                ),
            ));
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let at = cx.now.at;
        let r = Resource {
            id: new_id(),
            network_id: n.id.clone(),
            organization_id: org,
            kind: i.kind,
            description: trimmed(i.description.clone()),
            amount_cents: i.amount_cents,
            hours: i.hours,
            valid_from: i.valid_from,
            valid_to: i.valid_to,
            status: ResourceStatus::Pledged,
            created_by: Some(cx.actor.id.clone()),
            created_at: at,
            updated_at: at,
        };
        Resource::insert(conn, &r)?;
        audit::record(
            conn,
            Transition {
                entity_type: "resource",
                entity_id: r.id.as_str(),
                action: "pledge",
                from: None,
                to: r.status.as_str(),
                reason: None,
                actor_id: Some(&cx.actor.id),
                at,
            },
        )?;
        resource_outs(conn, cx, view, vec![r])?
            .pop()
            .ok_or_else(|| Error::Internal("resource lost".into()))
    })
}

/// A move of a pledged resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceMove {
    MakeAvailable,
    Use,
    Withdraw,
}

pub fn move_resource(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ResourceId,
    expected: &Expected,
    mv: ResourceMove,
) -> Result<ResourceOut, Error> {
    write_tx(conn, |conn| {
        let mut r = Resource::find(conn, id).map_err(|_| Error::hidden())?;
        let (n, view) = visible(conn, cx, &r.network_id, &Expected::Any)?;
        if view == NetworkView::Figures {
            return Err(Error::hidden());
        }
        policy::may_pledge_for(cx.actor, view, &r.organization_id)?;
        expected.check(Version::of(r.updated_at))?;
        n.status.edit()?;
        let s = r.status;
        let (to, action) = match mv {
            ResourceMove::MakeAvailable => (s.make_available()?, "make_available"),
            ResourceMove::Use => (s.use_up()?, "use"),
            ResourceMove::Withdraw => (s.withdraw()?, "withdraw"),
        };
        audit::move_to(conn, &mut r, action, to, None, cx.by())?;
        resource_outs(conn, cx, view, vec![r])?
            .pop()
            .ok_or_else(|| Error::Internal("resource lost".into()))
    })
}

// ------------------------------------------------- the table of every district

/// The organizations that sit at the monthly table (seed 002): the Ufficio di Piano (which
/// coordinates it), the accredited agencies, the CPI and the SIL.
fn sits_at_the_table(kind: OrganizationKind) -> bool {
    matches!(
        kind,
        OrganizationKind::PlanningOffice
            | OrganizationKind::AccreditedAgency
            | OrganizationKind::Cpi
            | OrganizationKind::Sil
    )
}

/// A new district gets its monthly table (Tavolo Sistema Lavoro), in the caller's transaction.
pub fn create_table(
    conn: &mut DbConn,
    cx: &Ctx,
    district_id: &DistrictId,
    district_name: &str,
) -> Result<Network, Error> {
    let at = cx.now.at;
    let n = Network {
        id: NetworkId::from(format!("table-{district_id}")),
        district_id: district_id.clone(),
        kind: NetworkKind::CoordinationTable,
        name: format!("Tavolo Sistema Lavoro – {district_name}"),
        purpose: Some(
            "Presa in carico mensile delle persone segnalate e attivazione delle misure".into(),
        ),
        objectives: vec![
            NetworkObjective::Reinsertion,
            NetworkObjective::LabourMatching,
        ],
        objectives_other: None,
        promoter_organization_id: None,
        coordinating_organization_id: None,
        status: NetworkStatus::Active,
        accepts_join_requests: false,
        created_by: Some(cx.actor.id.clone()),
        created_at: at,
        updated_at: at,
    };
    Network::insert(conn, &n)?;
    audit::record(
        conn,
        Transition {
            entity_type: "network",
            entity_id: n.id.as_str(),
            action: "create",
            from: None,
            to: n.status.as_str(),
            reason: None,
            actor_id: Some(&cx.actor.id),
            at,
        },
    )?;
    Ok(n)
}

/// A new organization that sits at the table joins it (the first Ufficio di Piano also
/// coordinates it), in the caller's transaction.
pub fn seat_at_the_table(
    conn: &mut DbConn,
    cx: &Ctx,
    district_id: &DistrictId,
    organization_id: &OrganizationId,
    kind: OrganizationKind,
) -> Result<(), Error> {
    if !sits_at_the_table(kind) {
        return Ok(());
    }
    let Some(mut table) = Network::table_of(conn, district_id)? else {
        return Ok(());
    };
    let planning = kind == OrganizationKind::PlanningOffice;
    if planning && table.coordinating_organization_id.is_none() {
        let before = table.clone();
        table.coordinating_organization_id = Some(organization_id.clone());
        table.updated_at = cx.now.at;
        let changed = audit::changed_fields(&before, &table);
        audit::save_edit(conn, &table, &changed, cx.by())?;
    }
    let m = Member {
        id: new_id(),
        network_id: table.id.clone(),
        organization_id: organization_id.clone(),
        role: if planning {
            MemberRole::Coordinator
        } else {
            MemberRole::Member
        },
        joined_on: cx.now.today,
        approval_act_number: None,
        approval_act_date: None,
        approval_document_id: None,
        withdrawn_on: None,
        withdrawal_reason: None,
        created_by: Some(cx.actor.id.clone()),
        created_at: cx.now.at,
        updated_at: cx.now.at,
    };
    Member::insert(conn, &m)?;
    audit::record(
        conn,
        Transition {
            entity_type: "member",
            entity_id: m.id.as_str(),
            action: "join",
            from: None,
            to: "active",
            reason: None,
            actor_id: Some(&cx.actor.id),
            at: cx.now.at,
        },
    )
}

/// The network a meeting list is about: the one named (of the caller's district), or the
/// district's table.
pub fn meeting_network(
    conn: &mut DbConn,
    district_id: &DistrictId,
    requested: Option<&NetworkId>,
) -> Result<Option<NetworkId>, Error> {
    match requested {
        Some(id) => match Network::find(conn, id) {
            Ok(n) if &n.district_id == district_id => Ok(Some(n.id)),
            Ok(_) | Err(Error::NotFound) => Ok(None),
            Err(e) => Err(e),
        },
        None => Ok(Network::table_of(conn, district_id)?.map(|n| n.id)),
    }
}
