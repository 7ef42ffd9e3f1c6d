//! Funded projects (progettualità, seeds 000 and 002): from the idea to the closing report,
//! with funder and call, the CUP, amounts requested, granted (by year) and co-financed, the
//! deadlines the clock raises, lead and partners, the plan actions they fund — and, once
//! granted, their measures in the catalogue with thresholds per agency, so their money is
//! spent through activations like DUL and GG.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::ids::{NetworkId, OrganizationId, PlanActionId, ProjectId};
use sistema_lavoro_domain::plans::FundingSource;
use sistema_lavoro_domain::policy::{self, PlanView};
use sistema_lavoro_domain::projects::{
    self as rules, Cup, Deadlines, Due, ProjectStatus, YearShare,
};
use sistema_lavoro_domain::vocabulary::{Cluster, EmploymentStatus, MeasureKind, TargetGroup};
use sistema_lavoro_domain::{text, Error, ErrorCode, Expected, FieldError, Version};
use sistema_lavoro_store::audit::{self, Transition};
use sistema_lavoro_store::measures::Measure;
use sistema_lavoro_store::networks::Network;
use sistema_lavoro_store::organizations::Organization;
use sistema_lavoro_store::plans::{Plan, PlanAction};
use sistema_lavoro_store::projects::{self as pstore, Project};
use sistema_lavoro_store::thresholds::Threshold;
use sistema_lavoro_store::{new_id, utc, write_tx, DbConn};
use utoipa::ToSchema;
use validator::Validate;

use super::catalogue::{self, MeasureInput, ThresholdInput};
use super::{dedup, trimmed};
use super::{OrgSummary, Page, PageRequest};
use crate::Ctx;

const MAX_CENTS: i64 = 100_000_000_000;

// ---------------------------------------------------------------------- inputs

/// A new project, as an idea. Only `title` and `funder` are required.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"title": "Un Ponte per il lavoro", "funder": "Regione Lombardia",
    "call_title": "Bando inclusione attiva 2027", "funding_source": "regional",
    "requested_cents": 12000000, "cofinanced_cents": 1500000,
    "submission_deadline": "2027-02-28", "start_date": "2027-05-01", "end_date": "2028-04-30",
    "reporting_deadline": "2028-06-30"}))]
pub struct ProjectInput {
    /// Titolo del progetto.
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub title: String,
    /// Descrizione.
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000)]
    pub description: Option<String>,
    /// Ente finanziatore, e.g. "Regione Lombardia", "Fondazione Cariplo".
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub funder: String,
    /// Il bando (call) it answers.
    #[validate(length(max = 300))]
    #[schema(max_length = 300)]
    pub call_title: Option<String>,
    /// Fonte di finanziamento, the plan's vocabulary.
    pub funding_source: Option<FundingSource>,
    /// Codice unico di progetto, once assigned: 15 characters (a letter, two digits, a letter,
    /// eleven digits), unique.
    #[validate(length(max = 40))]
    #[schema(
        max_length = 40,
        pattern = r"^[ \t\n\r\u00a0]*(?:[A-Za-z][ \t\n\r\u00a0]*(?:[0-9][ \t\n\r\u00a0]*){2}[A-Za-z][ \t\n\r\u00a0]*(?:[0-9][ \t\n\r\u00a0]*){11})?$",
        example = "C11G06000000001"
    )]
    pub cup: Option<String>,
    /// Importo richiesto, euro cents.
    #[validate(range(min = 0, max = 100_000_000_000i64))]
    #[schema(minimum = 0, maximum = 100_000_000_000i64)]
    pub requested_cents: Option<i64>,
    /// Cofinanziamento (the district's or partners' share), euro cents.
    #[validate(range(min = 0, max = 100_000_000_000i64))]
    #[schema(minimum = 0, maximum = 100_000_000_000i64)]
    pub cofinanced_cents: Option<i64>,
    /// Scadenza di presentazione.
    pub submission_deadline: Option<NaiveDate>,
    /// Avvio previsto delle attività.
    pub start_date: Option<NaiveDate>,
    /// Fine prevista delle attività (not before the start).
    pub end_date: Option<NaiveDate>,
    /// Scadenza della rendicontazione (not before the end).
    pub reporting_deadline: Option<NaiveDate>,
    /// Capofila: an organization of the district…
    #[schema(max_length = 64, value_type = Option<String>)]
    pub lead_organization_id: Option<OrganizationId>,
    /// …or a network of the district (one of the two).
    #[schema(max_length = 64, value_type = Option<String>)]
    pub lead_network_id: Option<NetworkId>,
    /// Partner organizations, of the district.
    #[serde(default)]
    #[validate(length(max = 50))]
    #[schema(max_items = 50, value_type = Vec<String>)]
    pub partner_organization_ids: Vec<OrganizationId>,
    /// Partner networks, of the district.
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20, value_type = Vec<String>)]
    pub partner_network_ids: Vec<NetworkId>,
    /// The district's plan actions it funds.
    #[serde(default)]
    #[validate(length(max = 50))]
    #[schema(max_items = 50, value_type = Vec<String>)]
    pub plan_action_ids: Vec<PlanActionId>,
    /// Per gli operatori: who it is for, what it gives, how to refer — in plain Italian; the
    /// opportunity board shows it once the project is granted.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub for_operators: Option<String>,
}

/// Changes to a project not rejected nor closed (JSON Merge Patch): absent fields stay, `null`
/// clears.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct ProjectPatch {
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
    /// New funder.
    #[validate(length(min = 2, max = 200))]
    #[schema(nullable = false, min_length = 2, max_length = 200)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub funder: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(length(max = 300))]
    #[schema(max_length = 300, value_type = Option<String>)]
    pub call_title: Option<Option<String>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[schema(value_type = Option<FundingSource>)]
    pub funding_source: Option<Option<FundingSource>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(length(max = 40))]
    #[schema(max_length = 40, pattern = r"^[ \t\n\r\u00a0]*(?:[A-Za-z][ \t\n\r\u00a0]*(?:[0-9][ \t\n\r\u00a0]*){2}[A-Za-z][ \t\n\r\u00a0]*(?:[0-9][ \t\n\r\u00a0]*){11})?$", value_type = Option<String>)]
    pub cup: Option<Option<String>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(range(min = 0, max = 100_000_000_000i64))]
    #[schema(minimum = 0, maximum = 100_000_000_000i64, value_type = Option<i64>)]
    pub requested_cents: Option<Option<i64>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(range(min = 0, max = 100_000_000_000i64))]
    #[schema(minimum = 0, maximum = 100_000_000_000i64, value_type = Option<i64>)]
    pub cofinanced_cents: Option<Option<i64>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub submission_deadline: Option<Option<NaiveDate>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub start_date: Option<Option<NaiveDate>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub end_date: Option<Option<NaiveDate>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub reporting_deadline: Option<Option<NaiveDate>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[schema(max_length = 64, value_type = Option<String>)]
    pub lead_organization_id: Option<Option<OrganizationId>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[schema(max_length = 64, value_type = Option<String>)]
    pub lead_network_id: Option<Option<NetworkId>>,
    /// Replaces the partner organizations.
    #[validate(length(max = 50))]
    #[schema(nullable = false, max_items = 50, value_type = Option<Vec<String>>)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub partner_organization_ids: Option<Vec<OrganizationId>>,
    /// Replaces the partner networks.
    #[validate(length(max = 20))]
    #[schema(nullable = false, max_items = 20, value_type = Option<Vec<String>>)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub partner_network_ids: Option<Vec<NetworkId>>,
    /// Replaces the plan actions it funds.
    #[validate(length(max = 50))]
    #[schema(nullable = false, max_items = 50, value_type = Option<Vec<String>>)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub plan_action_ids: Option<Vec<PlanActionId>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000, value_type = Option<String>)]
    pub for_operators: Option<Option<String>>,
}

/// Submitting a project to its call.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct SubmitInput {
    /// Data di presentazione (default today; not in the future).
    pub submitted_on: Option<NaiveDate>,
}

/// The funder's yes, with the amount granted and, where the grant says so, its split by year.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"decided_on": "2026-11-20", "granted_cents": 10000000,
    "granted_by_year": [{"year": 2027, "cents": 6000000}, {"year": 2028, "cents": 4000000}],
    "cup": "C11G06000000001"}))]
pub struct GrantInput {
    /// Data del decreto di finanziamento (not in the future).
    pub decided_on: NaiveDate,
    /// Importo concesso, euro cents.
    #[validate(range(min = 1, max = 100_000_000_000i64))]
    #[schema(minimum = 1, maximum = 100_000_000_000i64)]
    pub granted_cents: i64,
    /// The grant by year: years once each, summing to `granted_cents` (empty: no split).
    #[serde(default)]
    #[validate(length(max = 10))]
    #[schema(max_items = 10)]
    pub granted_by_year: Vec<YearShare>,
    /// The CUP, if assigned with the grant.
    #[validate(length(max = 40))]
    #[schema(
        max_length = 40,
        pattern = r"^[ \t\n\r\u00a0]*(?:[A-Za-z][ \t\n\r\u00a0]*(?:[0-9][ \t\n\r\u00a0]*){2}[A-Za-z][ \t\n\r\u00a0]*(?:[0-9][ \t\n\r\u00a0]*){11})?$"
    )]
    pub cup: Option<String>,
    /// Estremi del decreto o nota.
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

/// The funder's no.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"decided_on": "2026-11-20", "reason": "Graduatoria: non finanziabile per esaurimento fondi"}))]
pub struct RejectInput {
    /// Data della comunicazione (not in the future).
    pub decided_on: NaiveDate,
    /// Perché (as the funder said).
    #[validate(length(min = 2, max = 500))]
    #[schema(min_length = 2, max_length = 500)]
    pub reason: String,
}

/// A cap for one agency on a project's measure.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
pub struct ProjectThresholdInput {
    /// The accredited agency of the district.
    #[schema(max_length = 64, value_type = String)]
    pub agency_id: OrganizationId,
    /// Cap in euro cents.
    #[validate(range(min = 0, max = 100_000_000_000i64))]
    #[schema(minimum = 0, maximum = 100_000_000_000i64)]
    pub cap_cents: i64,
}

/// A measure of the catalogue made from a granted project: a district project whose funding
/// source is the project's (`other` when the project names none) with "funder – call" as its
/// `funding_note`, valid over the project's dates unless said otherwise, with a
/// threshold per agency. The caps of all the project's thresholds stay within what was
/// granted plus the co-financing.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"code": "PONTE27", "name": "Un Ponte per il lavoro 2027",
    "description": "Tirocini e accompagnamento per persone dell'area penale e care leavers",
    "target_groups": ["criminal_justice", "care_leaver"], "residence_required": true,
    "default_amount_cents": 250000,
    "thresholds": [{"agency_id": "…", "cap_cents": 5000000}]}))]
pub struct ProjectMeasureInput {
    /// Short unique code in the district.
    #[validate(length(min = 1, max = 40))]
    #[schema(min_length = 1, max_length = 40)]
    pub code: String,
    /// Name (default: the project's title).
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub name: Option<String>,
    /// Description.
    #[serde(default)]
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000)]
    pub description: String,
    /// First day of validity (default: the project's start, else today).
    pub valid_from: Option<NaiveDate>,
    /// Last day of validity (default: the project's end).
    pub valid_to: Option<NaiveDate>,
    /// Minimum age.
    #[validate(range(min = 14, max = 100))]
    #[schema(minimum = 14, maximum = 100)]
    pub min_age: Option<i32>,
    /// Maximum age.
    #[validate(range(min = 14, max = 100))]
    #[schema(minimum = 14, maximum = 100)]
    pub max_age: Option<i32>,
    /// Allowed employment statuses (empty: any).
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub employment_statuses: Vec<EmploymentStatus>,
    /// Target groups (empty: any).
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub target_groups: Vec<TargetGroup>,
    /// Allowed clusters (empty: any).
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub clusters: Vec<Cluster>,
    /// The person must live in the district.
    #[serde(default)]
    pub residence_required: bool,
    /// Typical cost of one activation, euro cents.
    #[serde(default)]
    #[validate(range(min = 0, max = 100_000_000))]
    #[schema(minimum = 0, maximum = 100_000_000)]
    pub default_amount_cents: i64,
    /// A threshold per agency over the measure's validity.
    #[serde(default)]
    #[validate(length(max = 20), nested)]
    #[schema(max_items = 20)]
    pub thresholds: Vec<ProjectThresholdInput>,
}

// --------------------------------------------------------------------- outputs

/// A network named by a project.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct NetworkSummary {
    /// Identifier of the network.
    pub id: String,
    /// Name.
    pub name: String,
}

/// A plan action a project funds.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct FundedAction {
    /// Identifier of the plan action.
    pub id: String,
    /// Its plan.
    pub plan_id: String,
    /// Title.
    pub title: String,
}

/// A measure of the catalogue made from a project.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct ProjectMeasure {
    /// Identifier of the measure.
    pub id: String,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Still taking activations.
    pub active: bool,
}

/// A deadline falling due, with its sentence.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct DueOut {
    #[serde(flatten)]
    pub due: Due,
    /// E.g. "La scadenza per la rendicontazione è tra 12 giorni (30/06/2028)".
    pub message: String,
}

/// A funded project (progettualità).
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct ProjectOut {
    /// Identifier of the project, a UUID.
    pub id: String,
    /// The district (Ambito).
    pub district_id: String,
    /// Titolo.
    pub title: String,
    /// Descrizione.
    pub description: Option<String>,
    /// Ente finanziatore.
    pub funder: String,
    /// Bando.
    pub call_title: Option<String>,
    /// Fonte di finanziamento.
    pub funding_source: Option<FundingSource>,
    /// Codice unico di progetto.
    pub cup: Option<String>,
    /// Importo richiesto, euro cents.
    pub requested_cents: Option<i64>,
    /// Importo concesso, euro cents.
    pub granted_cents: Option<i64>,
    /// Cofinanziamento, euro cents.
    pub cofinanced_cents: Option<i64>,
    /// The grant by year.
    pub granted_by_year: Vec<YearShare>,
    /// Stato: `idea`, `submitted`, `granted`, `rejected`, `running`, `reported`, `closed`.
    pub status: ProjectStatus,
    /// Scadenza di presentazione.
    pub submission_deadline: Option<NaiveDate>,
    /// Avvio delle attività.
    pub start_date: Option<NaiveDate>,
    /// Fine delle attività.
    pub end_date: Option<NaiveDate>,
    /// Scadenza della rendicontazione.
    pub reporting_deadline: Option<NaiveDate>,
    /// Data di presentazione.
    pub submitted_on: Option<NaiveDate>,
    /// Data della decisione del finanziatore.
    pub decided_on: Option<NaiveDate>,
    /// Estremi del decreto, or why it was not granted.
    pub decision_note: Option<String>,
    /// Capofila (organization).
    pub lead_organization: Option<OrgSummary>,
    /// Capofila (network).
    pub lead_network: Option<NetworkSummary>,
    /// Partner organizations.
    pub partner_organizations: Vec<OrgSummary>,
    /// Partner networks.
    pub partner_networks: Vec<NetworkSummary>,
    /// The plan actions it funds.
    pub plan_actions: Vec<FundedAction>,
    /// Its measures in the catalogue.
    pub measures: Vec<ProjectMeasure>,
    /// Per gli operatori: who it is for, what it gives, how to refer.
    pub for_operators: Option<String>,
    /// What falls due (within 30 days, or passed) for its next step, by the clock.
    pub due: Vec<DueOut>,
    /// What you may do with it now.
    pub allowed_actions: Vec<Action>,
    /// What your role could do, but the project's state forbids now, and why.
    pub blocked_actions: Vec<BlockedAction>,
    /// When it was created (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last changed (RFC 3339, UTC); its version is the `ETag`.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

pub fn deadlines(p: &Project) -> Deadlines {
    Deadlines {
        submission: p.submission_deadline,
        start: p.start_date,
        end: p.end_date,
        reporting: p.reporting_deadline,
    }
}

fn due_message(d: &Due) -> sistema_lavoro_domain::i18n::Text {
    let (it, en) = d.kind.words();
    let date = d.date.format("%d/%m/%Y").to_string();
    let n = d.days.abs();
    match d.days {
        x if x < 0 => text!(
            "La scadenza per {it} era il {date}: passata da {n} giorni",
            "The deadline for {en} was {date}: {n} days ago"
        ),
        0 => text!(
            "La scadenza per {it} è oggi ({date})",
            "The deadline for {en} is today ({date})"
        ),
        _ => text!(
            "La scadenza per {it} è tra {n} giorni ({date})",
            "The deadline for {en} is in {n} days ({date})"
        ),
    }
}

pub(super) fn visible(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ProjectId,
    expected: &Expected,
) -> Result<(Project, PlanView), Error> {
    let p = Project::find(conn, id).map_err(|_| Error::hidden())?;
    let view = policy::plan_view(cx.actor, &p.district_id).ok_or_else(Error::hidden)?;
    expected.check(Version::of(p.updated_at))?;
    Ok((p, view))
}

fn project_outs(
    conn: &mut DbConn,
    cx: &Ctx,
    rows: Vec<(Project, PlanView)>,
) -> Result<Vec<ProjectOut>, Error> {
    let ids: Vec<&ProjectId> = rows.iter().map(|(p, _)| &p.id).collect();
    let links = pstore::actions_of(conn, &ids)?;
    let action_ids: Vec<PlanActionId> = links.iter().map(|(_, a)| a.clone()).collect();
    let mut actions: HashMap<PlanActionId, PlanAction> = HashMap::new();
    for a in &action_ids {
        if !actions.contains_key(a) {
            actions.insert(a.clone(), PlanAction::find(conn, a)?);
        }
    }
    let measures = Measure::of_projects(conn, &ids)?;
    let mut orgs: Vec<&OrganizationId> = Vec::new();
    let mut nets: Vec<&NetworkId> = Vec::new();
    for (p, _) in &rows {
        orgs.extend(p.lead_organization_id.iter());
        orgs.extend(p.partner_organization_ids.iter());
        nets.extend(p.lead_network_id.iter());
        nets.extend(p.partner_network_ids.iter());
    }
    let org_names: HashMap<OrganizationId, String> =
        Organization::names(conn, &orgs)?.into_iter().collect();
    let mut net_names: HashMap<NetworkId, String> = HashMap::new();
    for n in nets {
        if !net_names.contains_key(n) {
            net_names.insert(n.clone(), Network::find(conn, n)?.name);
        }
    }
    let org = |o: &OrganizationId| OrgSummary {
        id: o.to_string(),
        name: org_names.get(o).cloned().unwrap_or_default(),
    };
    let net = |n: &NetworkId| NetworkSummary {
        id: n.to_string(),
        name: net_names.get(n).cloned().unwrap_or_default(),
    };
    let mut out = Vec::with_capacity(rows.len());
    for (p, view) in rows {
        let (allowed_actions, blocked_actions) = cx.render(policy::project_actions(view, p.status));
        out.push(ProjectOut {
            due: rules::due(p.status, &deadlines(&p), cx.now.today)
                .into_iter()
                .map(|d| DueOut {
                    message: due_message(&d).get(cx.lang).to_string(),
                    due: d,
                })
                .collect(),
            lead_organization: p.lead_organization_id.as_ref().map(org),
            lead_network: p.lead_network_id.as_ref().map(net),
            partner_organizations: p.partner_organization_ids.iter().map(org).collect(),
            partner_networks: p.partner_network_ids.iter().map(net).collect(),
            plan_actions: links
                .iter()
                .filter(|(pid, _)| *pid == p.id)
                .filter_map(|(_, a)| actions.get(a))
                .map(|a| FundedAction {
                    id: a.id.to_string(),
                    plan_id: a.plan_id.to_string(),
                    title: a.title.clone(),
                })
                .collect(),
            measures: measures
                .iter()
                .filter(|m| m.project_id.as_ref() == Some(&p.id))
                .map(|m| ProjectMeasure {
                    id: m.id.to_string(),
                    code: m.code.clone(),
                    name: m.name.clone(),
                    active: m.active,
                })
                .collect(),
            id: p.id.to_string(),
            district_id: p.district_id.to_string(),
            title: p.title,
            description: p.description,
            funder: p.funder,
            call_title: p.call_title,
            funding_source: p.funding_source,
            cup: p.cup,
            requested_cents: p.requested_cents,
            granted_cents: p.granted_cents,
            cofinanced_cents: p.cofinanced_cents,
            granted_by_year: p.granted_by_year,
            status: p.status,
            submission_deadline: p.submission_deadline,
            start_date: p.start_date,
            end_date: p.end_date,
            reporting_deadline: p.reporting_deadline,
            submitted_on: p.submitted_on,
            decided_on: p.decided_on,
            decision_note: p.decision_note,
            for_operators: p.for_operators,
            allowed_actions,
            blocked_actions,
            created_at: utc(p.created_at),
            updated_at: utc(p.updated_at),
        });
    }
    Ok(out)
}

fn project_out(
    conn: &mut DbConn,
    cx: &Ctx,
    p: Project,
    view: PlanView,
) -> Result<ProjectOut, Error> {
    project_outs(conn, cx, vec![(p, view)])?
        .pop()
        .ok_or_else(|| Error::Internal("project lost".into()))
}

// ------------------------------------------------------------------- use cases

/// The district's projects, by id; `status` narrows to some states.
pub fn list(
    conn: &mut DbConn,
    cx: &Ctx,
    status: &[ProjectStatus],
    page: &PageRequest,
) -> Result<Page<ProjectOut>, Error> {
    let district = policy::may_read_plans(cx.actor)?.clone();
    let view = policy::plan_view(cx.actor, &district).ok_or_else(Error::hidden)?;
    let mut rows = Project::list(conn, &district, status, page.after(), page.limit)?;
    let more = rows.len() as i64 > page.limit;
    rows.truncate(usize::try_from(page.limit).unwrap_or(0));
    let next = if more {
        rows.last().map(|p| p.id.to_string())
    } else {
        None
    };
    let items = project_outs(conn, cx, rows.into_iter().map(|p| (p, view)).collect())?;
    Ok(Page { items, next })
}

pub fn read(conn: &mut DbConn, cx: &Ctx, id: &ProjectId) -> Result<ProjectOut, Error> {
    let (p, view) = visible(conn, cx, id, &Expected::Any)?;
    project_out(conn, cx, p, view)
}

fn cup_of(field: &str, raw: Option<String>) -> Result<Option<String>, Error> {
    match raw {
        None => Ok(None),
        Some(s) => Ok(Cup::parse_optional(field, &s)?.map(Cup::into_string)),
    }
}

fn not_future(field: &str, d: NaiveDate, today: NaiveDate) -> Result<(), Error> {
    if d > today {
        return Err(Error::validation(
            field,
            "future",
            text!(
                "la data non può essere futura",
                "the date cannot be in the future"
            ),
        ));
    }
    Ok(())
}

/// The rules a project's values meet together: dates in order, lead one of the two, lead,
/// partners and actions of the district, the CUP held by no other project.
fn checked(conn: &mut DbConn, p: &Project, actions: &[PlanActionId]) -> Result<(), Error> {
    let mut errors = Vec::new();
    if let (Some(s), Some(e)) = (p.start_date, p.end_date) {
        if e < s {
            errors.push(FieldError::new(
                "end_date",
                "before_start",
                text!(
                    "la fine delle attività non può precedere l'avvio",
                    "the end cannot come before the start"
                ),
            ));
        }
    }
    if let (Some(e), Some(r)) = (p.end_date, p.reporting_deadline) {
        if r < e {
            errors.push(FieldError::new(
                "reporting_deadline",
                "before_end",
                text!(
                    "la rendicontazione non può scadere prima della fine delle attività",
                    "the report cannot be due before the activities end"
                ),
            ));
        }
    }
    if p.lead_organization_id.is_some() && p.lead_network_id.is_some() {
        errors.push(FieldError::new(
            "lead_network_id",
            "one_lead",
            text!(
                "il capofila è un ente oppure una rete, non entrambi",
                "the lead is an organization or a network, not both"
            ),
        ));
    }
    let unknown_org = || {
        text!(
            "nessun ente dell'Ambito ha questo identificativo",
            "no organization of the district has this id"
        )
    };
    let unknown_net = || {
        text!(
            "nessuna rete dell'Ambito ha questo identificativo",
            "no network of the district has this id"
        )
    };
    let mut orgs: Vec<(String, &OrganizationId)> = Vec::new();
    if let Some(o) = &p.lead_organization_id {
        orgs.push(("lead_organization_id".into(), o));
    }
    for (n, o) in p.partner_organization_ids.iter().enumerate() {
        orgs.push((format!("partner_organization_ids[{n}]"), o));
    }
    for (field, o) in orgs {
        match Organization::find(conn, o) {
            Ok(org) if org.district_id == p.district_id => {}
            Ok(_) | Err(Error::NotFound) => {
                errors.push(FieldError::new(field, "unknown", unknown_org()))
            }
            Err(e) => return Err(e),
        }
    }
    let mut nets: Vec<(String, &NetworkId)> = Vec::new();
    if let Some(n) = &p.lead_network_id {
        nets.push(("lead_network_id".into(), n));
    }
    for (i, n) in p.partner_network_ids.iter().enumerate() {
        nets.push((format!("partner_network_ids[{i}]"), n));
    }
    for (field, n) in nets {
        match Network::find(conn, n) {
            Ok(net) if net.district_id == p.district_id => {}
            Ok(_) | Err(Error::NotFound) => {
                errors.push(FieldError::new(field, "unknown", unknown_net()))
            }
            Err(e) => return Err(e),
        }
    }
    for (n, a) in actions.iter().enumerate() {
        let ok = match PlanAction::find(conn, a) {
            Ok(action) => Plan::find(conn, &action.plan_id)?.district_id == p.district_id,
            Err(Error::NotFound) => false,
            Err(e) => return Err(e),
        };
        if !ok {
            errors.push(FieldError::new(
                format!("plan_action_ids[{n}]"),
                "unknown",
                text!(
                    "nessuna azione del piano dell'Ambito ha questo identificativo",
                    "no plan action of the district has this id"
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    if let Some(cup) = &p.cup {
        if let Some(other) = Project::with_cup(conn, cup)? {
            if other != p.id {
                return Err(Error::Conflict {
                    code: ErrorCode::Duplicate,
                    detail: text!(
                        "un altro progetto ha già questo CUP",
                        "another project already has this CUP"
                    ),
                    existing_id: Some(other.to_string()),
                });
            }
        }
    }
    Ok(())
}

/// The unique index on the CUP says the same as [`checked`] when two requests race.
fn cup_taken(e: Error) -> Error {
    match e {
        Error::Conflict { .. } => Error::conflict(
            ErrorCode::Duplicate,
            text!(
                "un altro progetto ha già questo CUP",
                "another project already has this CUP"
            ),
        ),
        other => other,
    }
}

pub fn create(conn: &mut DbConn, cx: &Ctx, i: ProjectInput) -> Result<ProjectOut, Error> {
    policy::may_manage_plans(cx.actor)?;
    let district = cx.actor.district()?.clone();
    let cup = cup_of("cup", i.cup.clone())?;
    write_tx(conn, |conn| {
        let at = cx.now.at;
        let p = Project {
            id: new_id(),
            district_id: district.clone(),
            title: i.title.trim().to_string(),
            description: trimmed(i.description.clone()),
            funder: i.funder.trim().to_string(),
            call_title: trimmed(i.call_title.clone()),
            funding_source: i.funding_source,
            cup: cup.clone(),
            requested_cents: i.requested_cents,
            granted_cents: None,
            cofinanced_cents: i.cofinanced_cents,
            granted_by_year: Vec::new(),
            status: ProjectStatus::Idea,
            submission_deadline: i.submission_deadline,
            start_date: i.start_date,
            end_date: i.end_date,
            reporting_deadline: i.reporting_deadline,
            submitted_on: None,
            decided_on: None,
            decision_note: None,
            lead_organization_id: i.lead_organization_id.clone(),
            lead_network_id: i.lead_network_id.clone(),
            partner_organization_ids: dedup(i.partner_organization_ids.clone()),
            partner_network_ids: dedup(i.partner_network_ids.clone()),
            created_by: Some(cx.actor.id.clone()),
            created_at: at,
            updated_at: at,
            for_operators: trimmed(i.for_operators.clone()),
        };
        let actions = dedup(i.plan_action_ids.clone());
        checked(conn, &p, &actions)?;
        Project::insert(conn, &p).map_err(cup_taken)?;
        pstore::set_actions(conn, &p.id, &actions)?;
        audit::record(
            conn,
            Transition {
                entity_type: "project",
                entity_id: p.id.as_str(),
                action: "create",
                from: None,
                to: p.status.as_str(),
                reason: None,
                actor_id: Some(&cx.actor.id),
                at,
            },
        )?;
        project_out(conn, cx, p, PlanView::Manage)
    })
}

pub fn update(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ProjectId,
    expected: &Expected,
    patch: ProjectPatch,
) -> Result<ProjectOut, Error> {
    let cup = match &patch.cup {
        Some(v) => Some(cup_of("cup", v.clone())?),
        None => None,
    };
    write_tx(conn, |conn| {
        let (mut p, view) = visible(conn, cx, id, expected)?;
        policy::may_manage_plans(cx.actor)?;
        p.status.edit()?;
        let before = p.clone();
        if let Some(v) = &patch.title {
            p.title = v.trim().to_string();
        }
        if let Some(v) = &patch.description {
            p.description = trimmed(v.clone());
        }
        if let Some(v) = &patch.funder {
            p.funder = v.trim().to_string();
        }
        if let Some(v) = &patch.call_title {
            p.call_title = trimmed(v.clone());
        }
        if let Some(v) = patch.funding_source {
            p.funding_source = v;
        }
        if let Some(v) = &cup {
            p.cup = v.clone();
        }
        if let Some(v) = patch.requested_cents {
            p.requested_cents = v;
        }
        if let Some(v) = patch.cofinanced_cents {
            p.cofinanced_cents = v;
        }
        if let Some(v) = patch.submission_deadline {
            p.submission_deadline = v;
        }
        if let Some(v) = patch.start_date {
            p.start_date = v;
        }
        if let Some(v) = patch.end_date {
            p.end_date = v;
        }
        if let Some(v) = patch.reporting_deadline {
            p.reporting_deadline = v;
        }
        if let Some(v) = &patch.lead_organization_id {
            p.lead_organization_id = v.clone();
        }
        if let Some(v) = &patch.lead_network_id {
            p.lead_network_id = v.clone();
        }
        if let Some(v) = &patch.partner_organization_ids {
            p.partner_organization_ids = dedup(v.clone());
        }
        if let Some(v) = &patch.partner_network_ids {
            p.partner_network_ids = dedup(v.clone());
        }
        if let Some(v) = &patch.for_operators {
            p.for_operators = trimmed(v.clone());
        }
        let current: Vec<PlanActionId> = pstore::actions_of(conn, &[&p.id])?
            .into_iter()
            .map(|(_, a)| a)
            .collect();
        let actions = match &patch.plan_action_ids {
            Some(v) => dedup(v.clone()),
            None => current.clone(),
        };
        checked(conn, &p, &actions)?;
        let mut changed = audit::changed_fields(&before, &p);
        if actions != current {
            pstore::set_actions(conn, &p.id, &actions)?;
            changed.push("plan_action_ids".into());
        }
        if !changed.is_empty() {
            p.updated_at = cx.now.at;
            audit::save_edit(conn, &p, &changed, cx.by()).map_err(cup_taken)?;
        }
        project_out(conn, cx, p, view)
    })
}

/// A move of a project that carries no data of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectMove {
    Start,
    Report,
    Close,
}

pub fn submit(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ProjectId,
    expected: &Expected,
    i: SubmitInput,
) -> Result<ProjectOut, Error> {
    write_tx(conn, |conn| {
        let (mut p, view) = visible(conn, cx, id, expected)?;
        policy::may_manage_plans(cx.actor)?;
        let to = p.status.submit()?;
        let on = i.submitted_on.unwrap_or(cx.now.today);
        not_future("submitted_on", on, cx.now.today)?;
        p.submitted_on = Some(on);
        audit::move_to(conn, &mut p, "submit", to, None, cx.by())?;
        project_out(conn, cx, p, view)
    })
}

pub fn grant(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ProjectId,
    expected: &Expected,
    i: GrantInput,
) -> Result<ProjectOut, Error> {
    let cup = cup_of("cup", i.cup.clone())?;
    let mut errors = Vec::new();
    let mut years: Vec<i32> = Vec::new();
    for (n, y) in i.granted_by_year.iter().enumerate() {
        if !(2000..=2100).contains(&y.year) {
            errors.push(FieldError::new(
                format!("granted_by_year[{n}].year"),
                "range",
                text!("anno tra 2000 e 2100", "a year between 2000 and 2100"),
            ));
        }
        if years.contains(&y.year) {
            errors.push(FieldError::new(
                format!("granted_by_year[{n}].year"),
                "duplicate",
                text!("anno ripetuto", "year repeated"),
            ));
        }
        years.push(y.year);
        if !(0..=MAX_CENTS).contains(&y.cents) {
            errors.push(FieldError::new(
                format!("granted_by_year[{n}].cents"),
                "range",
                text!("importo non valido", "invalid amount"),
            ));
        }
    }
    if !i.granted_by_year.is_empty() && errors.is_empty() {
        let sum: i64 = i.granted_by_year.iter().map(|y| y.cents).sum();
        if sum != i.granted_cents {
            errors.push(FieldError::new(
                "granted_by_year",
                "sum",
                text!(
                    "la ripartizione per anno deve sommare all'importo concesso",
                    "the split by year must add up to the amount granted"
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    write_tx(conn, |conn| {
        let (mut p, view) = visible(conn, cx, id, expected)?;
        policy::may_manage_plans(cx.actor)?;
        let to = p.status.grant()?;
        not_future("decided_on", i.decided_on, cx.now.today)?;
        p.decided_on = Some(i.decided_on);
        p.granted_cents = Some(i.granted_cents);
        let mut split = i.granted_by_year.clone();
        split.sort_by_key(|y| y.year);
        p.granted_by_year = split;
        if cup.is_some() {
            p.cup = cup.clone();
        }
        p.decision_note = trimmed(i.note.clone());
        let actions: Vec<PlanActionId> = pstore::actions_of(conn, &[&p.id])?
            .into_iter()
            .map(|(_, a)| a)
            .collect();
        checked(conn, &p, &actions)?;
        let reason = p.decision_note.clone();
        audit::move_to(conn, &mut p, "grant", to, reason.as_deref(), cx.by()).map_err(cup_taken)?;
        project_out(conn, cx, p, view)
    })
}

pub fn reject(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ProjectId,
    expected: &Expected,
    i: RejectInput,
) -> Result<ProjectOut, Error> {
    write_tx(conn, |conn| {
        let (mut p, view) = visible(conn, cx, id, expected)?;
        policy::may_manage_plans(cx.actor)?;
        let to = p.status.reject()?;
        not_future("decided_on", i.decided_on, cx.now.today)?;
        p.decided_on = Some(i.decided_on);
        p.decision_note = Some(i.reason.trim().to_string());
        let reason = p.decision_note.clone();
        audit::move_to(conn, &mut p, "reject", to, reason.as_deref(), cx.by())?;
        project_out(conn, cx, p, view)
    })
}

pub fn move_project(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ProjectId,
    expected: &Expected,
    mv: ProjectMove,
    reason: Option<String>,
) -> Result<ProjectOut, Error> {
    write_tx(conn, |conn| {
        let (mut p, view) = visible(conn, cx, id, expected)?;
        policy::may_manage_plans(cx.actor)?;
        let (to, action) = match mv {
            ProjectMove::Start => (p.status.start()?, "start"),
            ProjectMove::Report => (p.status.report()?, "report"),
            ProjectMove::Close => (p.status.close()?, "close"),
        };
        let reason = trimmed(reason.clone());
        audit::move_to(conn, &mut p, action, to, reason.as_deref(), cx.by())?;
        project_out(conn, cx, p, view)
    })
}

/// Makes a measure of the catalogue from a granted (or running) project, with a threshold
/// per agency, all in one transaction: the caps of every threshold of the project's measures
/// stay within the amount granted plus the co-financing (`409 grant_exceeded`).
pub fn add_measure(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ProjectId,
    i: ProjectMeasureInput,
) -> Result<ProjectOut, Error> {
    write_tx(conn, |conn| {
        let (mut p, view) = visible(conn, cx, id, &Expected::Any)?;
        policy::may_manage_plans(cx.actor)?;
        policy::may_run_the_table(cx.actor)?;
        p.status.make_measure()?;
        let valid_from = i.valid_from.or(p.start_date).unwrap_or(cx.now.today);
        let valid_to = i.valid_to.or(p.end_date);
        let measure = catalogue::insert_measure(
            conn,
            cx,
            MeasureInput {
                code: i.code.clone(),
                name: trimmed(i.name.clone()).unwrap_or_else(|| p.title.clone()),
                kind: MeasureKind::DistrictProject,
                funding_source: p.funding_source.unwrap_or(FundingSource::Other),
                // Within the note's 300 characters (a funder and a call may be longer).
                funding_note: Some(
                    match &p.call_title {
                        Some(call) => format!("{} – {call}", p.funder),
                        None => p.funder.clone(),
                    }
                    .chars()
                    .take(300)
                    .collect(),
                ),
                description: i.description.clone(),
                valid_from,
                valid_to,
                min_age: i.min_age,
                max_age: i.max_age,
                employment_statuses: i.employment_statuses.clone(),
                target_groups: i.target_groups.clone(),
                clusters: i.clusters.clone(),
                residence_required: i.residence_required,
                default_amount_cents: i.default_amount_cents,
                for_operators: p.for_operators.clone(),
            },
            Some(p.id.clone()),
        )?;
        let period_end = valid_to
            .unwrap_or(NaiveDate::from_ymd_opt(valid_from.year(), 12, 31).unwrap_or(valid_from));
        for (n, t) in i.thresholds.iter().enumerate() {
            catalogue::create_threshold(
                conn,
                cx,
                ThresholdInput {
                    agency_id: t.agency_id.clone(),
                    measure_id: measure.id.clone(),
                    period_start: valid_from,
                    period_end,
                    cap_cents: t.cap_cents,
                },
            )
            .map_err(|e| e.under(&format!("thresholds[{n}]")))?;
        }
        let measures = Measure::of_projects(conn, &[&p.id])?;
        let ids: Vec<_> = measures.iter().map(|m| &m.id).collect();
        let caps: i64 = Threshold::of_measures(conn, &ids)?
            .iter()
            .map(|t| t.cap_cents.get())
            .sum();
        let budget = p.granted_cents.unwrap_or(0) + p.cofinanced_cents.unwrap_or(0);
        if caps > budget {
            return Err(Error::conflict(
                ErrorCode::GrantExceeded,
                text!(
                    "le soglie delle misure del progetto ({caps_eur} €) superano il concesso più il cofinanziamento ({budget_eur} €)",
                    "the thresholds of the project's measures ({caps_eur} €) exceed what was granted plus the co-financing ({budget_eur} €)",
                    caps_eur = caps / 100,
                    budget_eur = budget / 100
                ),
            ));
        }
        p.updated_at = cx.now.at;
        audit::save_edit(conn, &p, &["measures".to_string()], cx.by())?;
        project_out(conn, cx, p, view)
    })
}

/// The measures of the projects funding these plan actions (monitoring follows their money).
pub fn measures_of_actions(
    conn: &mut DbConn,
    actions: &[&PlanActionId],
) -> Result<Vec<(PlanActionId, Measure)>, Error> {
    let links = pstore::projects_of(conn, actions)?;
    let projects: Vec<&ProjectId> = links.iter().map(|(_, p)| p).collect();
    let measures = Measure::of_projects(conn, &projects)?;
    let mut out = Vec::new();
    for (a, p) in &links {
        for m in measures.iter().filter(|m| m.project_id.as_ref() == Some(p)) {
            out.push((a.clone(), m.clone()));
        }
    }
    Ok(out)
}
