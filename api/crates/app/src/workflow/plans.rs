//! The district's integrated local plan (Piano Locale Integrato, seed 004): the plan with its
//! axes (the seed's four by default), its actions with dates, funding source, budget and the
//! responsible department — "Data / Fonte / Budget / Dipartimento" — and indicators, and what
//! each action still lacks of those (completeness), so the Ufficio di Piano sees what to decide.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::ids::{
    DistrictId, NetworkId, OrganizationId, PlanActionId, PlanAxisId, PlanId,
};
use sistema_lavoro_domain::monitoring::IndicatorMetric;
use sistema_lavoro_domain::plans::{
    self as rules, ActionFacts, AxisCode, FundingSource, Indicator, PlanActionStatus, PlanStatus,
    RuleOut, COMPLETENESS_RULES,
};
use sistema_lavoro_domain::policy::{self, PlanView};
use sistema_lavoro_domain::{text, Error, Expected, FieldError, Version};
use sistema_lavoro_store::audit::{self, Transition};
use sistema_lavoro_store::networks::Network;
use sistema_lavoro_store::organizations::Organization;
use sistema_lavoro_store::plans::{Plan, PlanAction, PlanAxis};
use sistema_lavoro_store::{new_id, utc, write_tx, DbConn};
use utoipa::ToSchema;
use validator::Validate;

use super::trimmed;
use super::{OrgSummary, Page, PageRequest};
use crate::Ctx;

// ---------------------------------------------------------------------- inputs

/// An axis of a plan (asse): one of the seed's four by `code`, or one the plan adds.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"title": "Inclusione abitativa", "expected_results": "Persone fragili con una casa e un lavoro"}))]
pub struct AxisInput {
    /// One of the seed's axes (at most once per plan); absent for an axis the plan adds.
    pub code: Option<AxisCode>,
    /// Titolo (default: the seed's title of `code`).
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub title: Option<String>,
    /// Risultati attesi (default: the seed's, for `code`).
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000)]
    pub expected_results: Option<String>,
}

/// A new plan, in draft.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"title": "Piano Locale Integrato 2027–2029", "period_start": "2027-01-01", "period_end": "2029-12-31"}))]
pub struct PlanInput {
    /// Titolo, e.g. "Piano Locale Integrato 2027–2029" or "Piano di Zona – sezione lavoro".
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub title: String,
    /// Inizio del periodo.
    pub period_start: NaiveDate,
    /// Fine del periodo (not before the start).
    pub period_end: NaiveDate,
    /// The axes, in order; absent: the seed's four (governance, territory, planning, network)
    /// with their expected results.
    #[validate(length(min = 1, max = 12), nested)]
    #[schema(min_items = 1, max_items = 12)]
    pub axes: Option<Vec<AxisInput>>,
}

/// Changes to a plan not yet closed (JSON Merge Patch).
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct PlanPatch {
    /// New title.
    #[validate(length(min = 2, max = 200))]
    #[schema(nullable = false, min_length = 2, max_length = 200)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub title: Option<String>,
    /// New start of the period.
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub period_start: Option<NaiveDate>,
    /// New end of the period.
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub period_end: Option<NaiveDate>,
}

/// The act approving a plan.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"approved_on": "2026-11-30", "reference": "Delibera dell'Assemblea dei Sindaci n. 12/2026"}))]
pub struct ApproveInput {
    /// Data dell'atto (not in the future).
    pub approved_on: NaiveDate,
    /// Estremi dell'atto, e.g. "Delibera dell'Assemblea dei Sindaci n. 12/2026".
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub reference: String,
}

/// An indicator of an action: what is measured, baseline and target, and the value reached.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"name": "Persone prese in carico", "unit": "persone", "baseline": 0, "target": 40, "value": 12, "value_date": "2026-11-30"}))]
pub struct IndicatorInput {
    /// Nome.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// Unità di misura.
    #[validate(length(max = 50))]
    #[schema(max_length = 50)]
    pub unit: Option<String>,
    /// Valore di partenza.
    pub baseline: Option<f64>,
    /// Valore obiettivo.
    pub target: Option<f64>,
    /// Valore rilevato (with its `value_date`).
    pub value: Option<f64>,
    /// Data della rilevazione: required with `value`, not in the future.
    pub value_date: Option<NaiveDate>,
    /// Calcolato dal monitoraggio: the figure of `GET /plans/{id}/monitoring` the value is read
    /// from; then neither `value` nor `value_date` is given.
    pub metric: Option<IndicatorMetric>,
}

/// A new action of a plan, under one of its axes. Only `axis_id` and `title` are required:
/// what is still missing of dates, funding source, budget and department is listed as the
/// action's completeness.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"axis_id": "…", "title": "Consultazione degli stakeholders",
    "description": "Almeno 2 volte l'anno, in assemblee pubbliche nei luoghi di aggregazione",
    "start_date": "2027-03-01", "end_date": "2027-12-31", "funding_source": "district_budget",
    "budget_cents": 500000, "responsible_department": "Ufficio di Piano"}))]
pub struct PlanActionInput {
    /// The plan's axis it belongs to.
    #[schema(max_length = 64, value_type = String)]
    pub axis_id: PlanAxisId,
    /// Titolo.
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub title: String,
    /// Descrizione.
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000)]
    pub description: Option<String>,
    /// Risultati attesi.
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000)]
    pub expected_results: Option<String>,
    /// Data di inizio.
    pub start_date: Option<NaiveDate>,
    /// Data di fine (not before the start).
    pub end_date: Option<NaiveDate>,
    /// Fonte di finanziamento; `other` needs `funding_note`.
    pub funding_source: Option<FundingSource>,
    /// The source named further (the call, the fund), or what `other` is.
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub funding_note: Option<String>,
    /// Budget in euro cents (0 or more).
    #[validate(range(min = 0, max = 100_000_000_000i64))]
    #[schema(minimum = 0, maximum = 100_000_000_000i64)]
    pub budget_cents: Option<i64>,
    /// Dipartimento (ufficio, agenzia) responsabile della gestione.
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub responsible_department: Option<String>,
    /// The responsible organization, of the district.
    #[schema(max_length = 64, value_type = Option<String>)]
    pub responsible_organization_id: Option<OrganizationId>,
    /// Partner networks, of the district.
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20, value_type = Vec<String>)]
    pub network_ids: Vec<NetworkId>,
    /// Indicatori.
    #[serde(default)]
    #[validate(length(max = 20), nested)]
    #[schema(max_items = 20)]
    pub indicators: Vec<IndicatorInput>,
}

/// Changes to an action (JSON Merge Patch): absent fields stay, `null` clears.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct PlanActionPatch {
    /// Move it under another axis of the plan.
    #[schema(nullable = false, max_length = 64, value_type = Option<String>)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub axis_id: Option<PlanAxisId>,
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
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000, value_type = Option<String>)]
    pub expected_results: Option<Option<String>>,
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
    #[schema(value_type = Option<FundingSource>)]
    pub funding_source: Option<Option<FundingSource>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(length(max = 500))]
    #[schema(max_length = 500, value_type = Option<String>)]
    pub funding_note: Option<Option<String>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(range(min = 0, max = 100_000_000_000i64))]
    #[schema(minimum = 0, maximum = 100_000_000_000i64, value_type = Option<i64>)]
    pub budget_cents: Option<Option<i64>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(length(max = 200))]
    #[schema(max_length = 200, value_type = Option<String>)]
    pub responsible_department: Option<Option<String>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[schema(max_length = 64, value_type = Option<String>)]
    pub responsible_organization_id: Option<Option<OrganizationId>>,
    /// Replaces the partner networks.
    #[validate(length(max = 20))]
    #[schema(nullable = false, max_items = 20, value_type = Option<Vec<String>>)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub network_ids: Option<Vec<NetworkId>>,
    /// Replaces the indicators.
    #[validate(length(max = 20), nested)]
    #[schema(nullable = false, max_items = 20)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub indicators: Option<Vec<IndicatorInput>>,
}

// --------------------------------------------------------------------- outputs

/// An axis of a plan.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct AxisOut {
    /// Identifier of the axis, a UUID.
    pub id: String,
    /// The seed's axis it is, or null for one the plan added.
    pub code: Option<AxisCode>,
    /// Titolo.
    pub title: String,
    /// Risultati attesi.
    pub expected_results: Option<String>,
    /// Position in the plan, from 1.
    pub position: i32,
    /// How many actions it holds.
    pub action_count: i64,
}

/// How many actions lack one thing the seed asks.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct MissingCount {
    /// `dates`, `funding_source`, `budget`, `department`.
    pub rule: String,
    /// Actions (planned or running) that lack it.
    pub count: i64,
    /// E.g. "3 azioni senza fonte di finanziamento".
    pub message: String,
}

/// What the plan's open actions still lack: the Ufficio di Piano's list of decisions to take.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct PlanCompleteness {
    /// Every planned or running action has dates, source, budget and department.
    pub complete: bool,
    /// Planned and running actions (completed and dropped ones are the record).
    pub actions_open: i64,
    /// Of those, the ones with nothing missing.
    pub actions_complete: i64,
    /// Per rule, the actions that lack it (rules no action lacks are left out).
    pub missing: Vec<MissingCount>,
}

/// The district's integrated local plan.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct PlanOut {
    /// Identifier of the plan, a UUID.
    pub id: String,
    /// The district (Ambito).
    pub district_id: String,
    /// Titolo.
    pub title: String,
    /// Inizio del periodo.
    pub period_start: NaiveDate,
    /// Fine del periodo.
    pub period_end: NaiveDate,
    /// Stato: `draft`, `approved`, `closed`.
    pub status: PlanStatus,
    /// Data dell'atto di approvazione.
    pub approved_on: Option<NaiveDate>,
    /// Estremi dell'atto di approvazione.
    pub approval_reference: Option<String>,
    /// The axes, in order.
    pub axes: Vec<AxisOut>,
    /// Sum of the budgets of its planned, running and completed actions, in euro cents.
    pub budget_total_cents: i64,
    /// What its open actions still lack.
    pub completeness: PlanCompleteness,
    /// What you may do with it now.
    pub allowed_actions: Vec<Action>,
    /// What your role could do, but the plan's state forbids now, and why.
    pub blocked_actions: Vec<BlockedAction>,
    /// When it was created (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last changed (RFC 3339, UTC); its version is the `ETag`.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// What an action lacks of what the seed asks, each rule met or not with why.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct ActionCompleteness {
    /// Nothing is missing.
    pub complete: bool,
    /// `dates`, `funding_source`, `budget`, `department`: met or not, in the caller's language.
    pub reasons: Vec<RuleOut>,
}

/// An action of a plan.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct PlanActionOut {
    /// Identifier of the action, a UUID.
    pub id: String,
    /// Its plan.
    pub plan_id: String,
    /// Its axis.
    pub axis_id: String,
    /// Titolo.
    pub title: String,
    /// Descrizione.
    pub description: Option<String>,
    /// Risultati attesi.
    pub expected_results: Option<String>,
    /// Data di inizio.
    pub start_date: Option<NaiveDate>,
    /// Data di fine.
    pub end_date: Option<NaiveDate>,
    /// Fonte di finanziamento.
    pub funding_source: Option<FundingSource>,
    /// The source named further.
    pub funding_note: Option<String>,
    /// Budget in euro cents.
    pub budget_cents: Option<i64>,
    /// Dipartimento responsabile.
    pub responsible_department: Option<String>,
    /// Ente responsabile.
    pub responsible_organization: Option<OrgSummary>,
    /// Partner networks (ids).
    pub network_ids: Vec<String>,
    /// Indicatori.
    pub indicators: Vec<Indicator>,
    /// Stato: `planned`, `running`, `completed`, `dropped`.
    pub status: PlanActionStatus,
    /// In ritardo: its end date has passed and it is not completed (nor dropped).
    pub late: bool,
    /// What it still lacks of dates, source, budget and department.
    pub completeness: ActionCompleteness,
    /// What you may do with it now.
    pub allowed_actions: Vec<Action>,
    /// What your role could do, but the state forbids now, and why.
    pub blocked_actions: Vec<BlockedAction>,
    /// When it was created (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last changed (RFC 3339, UTC); its version is the `ETag`.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

// ----------------------------------------------------------------------- plans

pub(super) fn visible(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &PlanId,
    expected: &Expected,
) -> Result<(Plan, PlanView), Error> {
    let p = Plan::find(conn, id).map_err(|_| Error::hidden())?;
    let view = policy::plan_view(cx.actor, &p.district_id).ok_or_else(Error::hidden)?;
    expected.check(Version::of(p.updated_at))?;
    Ok((p, view))
}

fn facts(a: &PlanAction) -> ActionFacts {
    ActionFacts {
        has_start: a.start_date.is_some(),
        has_end: a.end_date.is_some(),
        has_source: a.funding_source.is_some(),
        has_budget: a.budget_cents.is_some(),
        has_department: a.responsible_department.is_some()
            || a.responsible_organization_id.is_some(),
    }
}

fn missing_message(rule: &str, n: i64) -> sistema_lavoro_domain::i18n::Text {
    let one = n == 1;
    match (rule, one) {
        ("dates", true) => text!("1 azione senza date", "1 action without dates"),
        ("dates", false) => text!("{n} azioni senza date", "{n} actions without dates"),
        ("funding_source", true) => text!(
            "1 azione senza fonte di finanziamento",
            "1 action without a funding source"
        ),
        ("funding_source", false) => text!(
            "{n} azioni senza fonte di finanziamento",
            "{n} actions without a funding source"
        ),
        ("budget", true) => text!("1 azione senza budget", "1 action without a budget"),
        ("budget", false) => text!("{n} azioni senza budget", "{n} actions without a budget"),
        (_, true) => text!(
            "1 azione senza dipartimento responsabile",
            "1 action without a responsible department"
        ),
        (_, false) => text!(
            "{n} azioni senza dipartimento responsabile",
            "{n} actions without a responsible department"
        ),
    }
}

fn plan_outs(
    conn: &mut DbConn,
    cx: &Ctx,
    rows: Vec<(Plan, PlanView)>,
) -> Result<Vec<PlanOut>, Error> {
    let ids: Vec<&PlanId> = rows.iter().map(|(p, _)| &p.id).collect();
    let axes = PlanAxis::of(conn, &ids)?;
    let actions = PlanAction::all_of(conn, &ids)?;
    let mut per_axis: HashMap<&PlanAxisId, i64> = HashMap::new();
    let mut budget: HashMap<&PlanId, i64> = HashMap::new();
    let mut open: HashMap<&PlanId, (i64, i64, [i64; 4])> = HashMap::new();
    for a in &actions {
        *per_axis.entry(&a.axis_id).or_default() += 1;
        if a.status != PlanActionStatus::Dropped {
            *budget.entry(&a.plan_id).or_default() += a.budget_cents.unwrap_or(0);
        }
        if a.status.edit().is_ok() {
            let e = open.entry(&a.plan_id).or_default();
            e.0 += 1;
            let checks = rules::completeness(&facts(a));
            if checks.iter().all(|c| c.met) {
                e.1 += 1;
            }
            for (i, c) in checks.iter().enumerate() {
                if !c.met {
                    e.2[i] += 1;
                }
            }
        }
    }
    let mut by_plan: HashMap<&PlanId, Vec<AxisOut>> = HashMap::new();
    for a in &axes {
        by_plan.entry(&a.plan_id).or_default().push(AxisOut {
            id: a.id.to_string(),
            code: a.code,
            title: a.title.clone(),
            expected_results: a.expected_results.clone(),
            position: a.position,
            action_count: per_axis.get(&a.id).copied().unwrap_or(0),
        });
    }
    let mut out = Vec::with_capacity(rows.len());
    for (p, view) in &rows {
        let (actions_open, actions_complete, missing) =
            open.get(&p.id).copied().unwrap_or_default();
        let (allowed_actions, blocked_actions) = cx.render(policy::plan_actions(*view, p.status));
        out.push(PlanOut {
            id: p.id.to_string(),
            district_id: p.district_id.to_string(),
            title: p.title.clone(),
            period_start: p.period_start,
            period_end: p.period_end,
            status: p.status,
            approved_on: p.approved_on,
            approval_reference: p.approval_reference.clone(),
            axes: by_plan.remove(&p.id).unwrap_or_default(),
            budget_total_cents: budget.get(&p.id).copied().unwrap_or(0),
            completeness: PlanCompleteness {
                complete: actions_open == actions_complete,
                actions_open,
                actions_complete,
                missing: COMPLETENESS_RULES
                    .iter()
                    .zip(missing)
                    .filter(|(_, n)| *n > 0)
                    .map(|(rule, n)| MissingCount {
                        rule: (*rule).to_string(),
                        count: n,
                        message: missing_message(rule, n).get(cx.lang).to_string(),
                    })
                    .collect(),
            },
            allowed_actions,
            blocked_actions,
            created_at: utc(p.created_at),
            updated_at: utc(p.updated_at),
        });
    }
    Ok(out)
}

fn plan_out(conn: &mut DbConn, cx: &Ctx, p: Plan, view: PlanView) -> Result<PlanOut, Error> {
    plan_outs(conn, cx, vec![(p, view)])?
        .pop()
        .ok_or_else(|| Error::Internal("plan lost".into()))
}

/// The district's plans, by id.
pub fn list(
    conn: &mut DbConn,
    cx: &Ctx,
    status: Option<PlanStatus>,
    page: &PageRequest,
) -> Result<Page<PlanOut>, Error> {
    let district = policy::may_read_plans(cx.actor)?.clone();
    let view = policy::plan_view(cx.actor, &district).ok_or_else(Error::hidden)?;
    let mut rows = Plan::list(conn, &district, status, page.after(), page.limit)?;
    let more = rows.len() as i64 > page.limit;
    rows.truncate(usize::try_from(page.limit).unwrap_or(0));
    let next = if more {
        rows.last().map(|p| p.id.to_string())
    } else {
        None
    };
    let items = plan_outs(conn, cx, rows.into_iter().map(|p| (p, view)).collect())?;
    Ok(Page { items, next })
}

pub fn read(conn: &mut DbConn, cx: &Ctx, id: &PlanId) -> Result<PlanOut, Error> {
    let (p, view) = visible(conn, cx, id, &Expected::Any)?;
    plan_out(conn, cx, p, view)
}

fn period_checked(start: NaiveDate, end: NaiveDate) -> Result<(), Error> {
    if end < start {
        return Err(Error::validation(
            "period_end",
            "before_start",
            text!(
                "la fine del periodo non può precedere l'inizio",
                "the period cannot end before it starts"
            ),
        ));
    }
    Ok(())
}

fn axis_row(plan: &PlanId, i: &AxisInput, position: i32, at: chrono::NaiveDateTime) -> PlanAxis {
    PlanAxis {
        id: new_id(),
        plan_id: plan.clone(),
        code: i.code,
        title: trimmed(i.title.clone())
            .or_else(|| i.code.map(|c| c.title().to_string()))
            .unwrap_or_default(),
        expected_results: trimmed(i.expected_results.clone())
            .or_else(|| i.code.map(|c| c.expected_results().to_string())),
        position,
        created_at: at,
    }
}

/// An axis needs a title unless it is one of the seed's (which has its own).
fn axis_checked(i: &AxisInput, field: &str) -> Result<(), Error> {
    if i.code.is_none() && trimmed(i.title.clone()).is_none() {
        return Err(Error::Validation(vec![FieldError::required(format!(
            "{field}.title"
        ))]));
    }
    Ok(())
}

pub fn create(conn: &mut DbConn, cx: &Ctx, i: PlanInput) -> Result<PlanOut, Error> {
    policy::may_manage_plans(cx.actor)?;
    let district: DistrictId = cx.actor.district()?.clone();
    period_checked(i.period_start, i.period_end)?;
    let axes: Vec<AxisInput> = i.axes.clone().unwrap_or_else(|| {
        AxisCode::ALL
            .iter()
            .map(|c| AxisInput {
                code: Some(*c),
                title: None,
                expected_results: None,
            })
            .collect()
    });
    let mut seen = Vec::new();
    for (n, a) in axes.iter().enumerate() {
        axis_checked(a, &format!("axes[{n}]"))?;
        if let Some(c) = a.code {
            if seen.contains(&c) {
                return Err(Error::validation(
                    &format!("axes[{n}].code"),
                    "duplicate",
                    text!(
                        "questo asse è già nel piano",
                        "this axis is already in the plan"
                    ),
                ));
            }
            seen.push(c);
        }
    }
    write_tx(conn, |conn| {
        let at = cx.now.at;
        let p = Plan {
            id: new_id(),
            district_id: district.clone(),
            title: i.title.trim().to_string(),
            period_start: i.period_start,
            period_end: i.period_end,
            status: PlanStatus::Draft,
            approved_on: None,
            approval_reference: None,
            created_by: Some(cx.actor.id.clone()),
            created_at: at,
            updated_at: at,
        };
        let rows: Vec<PlanAxis> = axes
            .iter()
            .enumerate()
            .map(|(n, a)| axis_row(&p.id, a, n as i32 + 1, at))
            .collect();
        Plan::insert(conn, &p, &rows)?;
        audit::record(
            conn,
            Transition {
                entity_type: "plan",
                entity_id: p.id.as_str(),
                action: "create",
                from: None,
                to: p.status.as_str(),
                reason: None,
                actor_id: Some(&cx.actor.id),
                at,
            },
        )?;
        plan_out(conn, cx, p, PlanView::Manage)
    })
}

pub fn update(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &PlanId,
    expected: &Expected,
    patch: PlanPatch,
) -> Result<PlanOut, Error> {
    write_tx(conn, |conn| {
        let (mut p, view) = visible(conn, cx, id, expected)?;
        policy::may_manage_plans(cx.actor)?;
        p.status.edit()?;
        let before = p.clone();
        if let Some(t) = &patch.title {
            p.title = t.trim().to_string();
        }
        if let Some(s) = patch.period_start {
            p.period_start = s;
        }
        if let Some(e) = patch.period_end {
            p.period_end = e;
        }
        period_checked(p.period_start, p.period_end)?;
        let changed = audit::changed_fields(&before, &p);
        if !changed.is_empty() {
            p.updated_at = cx.now.at;
            audit::save_edit(conn, &p, &changed, cx.by())?;
        }
        plan_out(conn, cx, p, view)
    })
}

/// Approves a draft plan with the date and reference of the act.
pub fn approve(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &PlanId,
    expected: &Expected,
    i: ApproveInput,
) -> Result<PlanOut, Error> {
    write_tx(conn, |conn| {
        let (mut p, view) = visible(conn, cx, id, expected)?;
        policy::may_manage_plans(cx.actor)?;
        let to = p.status.approve()?;
        if i.approved_on > cx.now.today {
            return Err(Error::validation(
                "approved_on",
                "future",
                text!(
                    "la data dell'atto non può essere futura",
                    "the act's date cannot be in the future"
                ),
            ));
        }
        p.approved_on = Some(i.approved_on);
        p.approval_reference = Some(i.reference.trim().to_string());
        let reason = p.approval_reference.clone();
        audit::move_to(conn, &mut p, "approve", to, reason.as_deref(), cx.by())?;
        plan_out(conn, cx, p, view)
    })
}

/// Closes a plan (its period is over): nothing of it changes any more.
pub fn close(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &PlanId,
    expected: &Expected,
    reason: Option<String>,
) -> Result<PlanOut, Error> {
    write_tx(conn, |conn| {
        let (mut p, view) = visible(conn, cx, id, expected)?;
        policy::may_manage_plans(cx.actor)?;
        let to = p.status.close()?;
        let reason = trimmed(reason.clone());
        audit::move_to(conn, &mut p, "close", to, reason.as_deref(), cx.by())?;
        plan_out(conn, cx, p, view)
    })
}

/// Adds an axis at the end of an open plan.
pub fn add_axis(conn: &mut DbConn, cx: &Ctx, id: &PlanId, i: AxisInput) -> Result<PlanOut, Error> {
    axis_checked(&i, "").map_err(|_| Error::Validation(vec![FieldError::required("title")]))?;
    write_tx(conn, |conn| {
        let (mut p, view) = visible(conn, cx, id, &Expected::Any)?;
        policy::may_manage_plans(cx.actor)?;
        p.status.edit()?;
        let axes = PlanAxis::of(conn, &[&p.id])?;
        if let Some(c) = i.code {
            if axes.iter().any(|a| a.code == Some(c)) {
                return Err(Error::validation(
                    "code",
                    "duplicate",
                    text!(
                        "questo asse è già nel piano",
                        "this axis is already in the plan"
                    ),
                ));
            }
        }
        let position = axes.iter().map(|a| a.position).max().unwrap_or(0) + 1;
        let row = axis_row(&p.id, &i, position, cx.now.at);
        PlanAxis::insert(conn, &row)?;
        p.updated_at = cx.now.at;
        audit::save_edit(conn, &p, &["axes".to_string()], cx.by())?;
        plan_out(conn, cx, p, view)
    })
}

// --------------------------------------------------------------------- actions

fn action_visible(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &PlanActionId,
    expected: &Expected,
) -> Result<(PlanAction, Plan, PlanView), Error> {
    let a = PlanAction::find(conn, id).map_err(|_| Error::hidden())?;
    let (p, view) = visible(conn, cx, &a.plan_id, &Expected::Any)?;
    expected.check(Version::of(a.updated_at))?;
    Ok((a, p, view))
}

fn action_outs(
    conn: &mut DbConn,
    cx: &Ctx,
    plan: &Plan,
    view: PlanView,
    rows: Vec<PlanAction>,
) -> Result<Vec<PlanActionOut>, Error> {
    let orgs: Vec<&OrganizationId> = rows
        .iter()
        .filter_map(|a| a.responsible_organization_id.as_ref())
        .collect();
    let names: HashMap<OrganizationId, String> =
        Organization::names(conn, &orgs)?.into_iter().collect();
    Ok(rows
        .into_iter()
        .map(|a| {
            let checks = rules::completeness(&facts(&a));
            let (allowed_actions, blocked_actions) =
                cx.render(policy::plan_action_actions(view, plan.status, a.status));
            PlanActionOut {
                late: a.status.edit().is_ok() && a.end_date.is_some_and(|e| e < cx.now.today),
                completeness: ActionCompleteness {
                    complete: checks.iter().all(|c| c.met),
                    reasons: checks.iter().map(|c| c.render(cx.lang)).collect(),
                },
                responsible_organization: a.responsible_organization_id.as_ref().map(|o| {
                    OrgSummary {
                        id: o.to_string(),
                        name: names.get(o).cloned().unwrap_or_default(),
                    }
                }),
                id: a.id.into(),
                plan_id: a.plan_id.into(),
                axis_id: a.axis_id.into(),
                title: a.title,
                description: a.description,
                expected_results: a.expected_results,
                start_date: a.start_date,
                end_date: a.end_date,
                funding_source: a.funding_source,
                funding_note: a.funding_note,
                budget_cents: a.budget_cents,
                responsible_department: a.responsible_department,
                network_ids: a.network_ids.into_iter().map(Into::into).collect(),
                indicators: a.indicators,
                status: a.status,
                allowed_actions,
                blocked_actions,
                created_at: utc(a.created_at),
                updated_at: utc(a.updated_at),
            }
        })
        .collect())
}

fn action_out(
    conn: &mut DbConn,
    cx: &Ctx,
    plan: &Plan,
    view: PlanView,
    a: PlanAction,
) -> Result<PlanActionOut, Error> {
    action_outs(conn, cx, plan, view, vec![a])?
        .pop()
        .ok_or_else(|| Error::Internal("plan action lost".into()))
}

/// Every action of a plan, as responses show them (for exports).
pub(super) fn all_actions(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &PlanId,
) -> Result<(PlanOut, Vec<PlanActionOut>), Error> {
    let (p, view) = visible(conn, cx, id, &Expected::Any)?;
    let rows = PlanAction::all_of(conn, &[&p.id])?;
    let actions = action_outs(conn, cx, &p, view, rows)?;
    Ok((plan_out(conn, cx, p, view)?, actions))
}

/// A plan's actions, by id; `axis_id` narrows to one axis.
pub fn actions(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &PlanId,
    axis: Option<PlanAxisId>,
    page: &PageRequest,
) -> Result<Page<PlanActionOut>, Error> {
    let (p, view) = visible(conn, cx, id, &Expected::Any)?;
    let mut rows = PlanAction::list(conn, &p.id, axis.as_ref(), page.after(), page.limit)?;
    let more = rows.len() as i64 > page.limit;
    rows.truncate(usize::try_from(page.limit).unwrap_or(0));
    let next = if more {
        rows.last().map(|a| a.id.to_string())
    } else {
        None
    };
    Ok(Page {
        items: action_outs(conn, cx, &p, view, rows)?,
        next,
    })
}

pub fn read_action(conn: &mut DbConn, cx: &Ctx, id: &PlanActionId) -> Result<PlanActionOut, Error> {
    let (a, p, view) = action_visible(conn, cx, id, &Expected::Any)?;
    action_out(conn, cx, &p, view, a)
}

fn indicators(list: &[IndicatorInput], today: NaiveDate) -> Result<Vec<Indicator>, Error> {
    let mut errors = Vec::new();
    for (n, i) in list.iter().enumerate() {
        if i.metric.is_some() && (i.value.is_some() || i.value_date.is_some()) {
            errors.push(FieldError::new(
                format!("indicators[{n}].value"),
                "computed",
                text!(
                    "il valore di un indicatore calcolato viene dal monitoraggio: non va inserito",
                    "a computed indicator's value comes from monitoring: it is not typed"
                ),
            ));
            continue;
        }
        match (i.value, i.value_date) {
            (Some(_), None) => errors.push(FieldError::new(
                format!("indicators[{n}].value_date"),
                "required",
                text!(
                    "un valore rilevato va datato",
                    "a measured value needs its date"
                ),
            )),
            (_, Some(d)) if d > today => errors.push(FieldError::new(
                format!("indicators[{n}].value_date"),
                "future",
                text!(
                    "la data della rilevazione non può essere futura",
                    "the date of the measurement cannot be in the future"
                ),
            )),
            _ => {}
        }
        for (field, v) in [
            ("baseline", i.baseline),
            ("target", i.target),
            ("value", i.value),
        ] {
            if v.is_some_and(|v| !v.is_finite()) {
                errors.push(FieldError::new(
                    format!("indicators[{n}].{field}"),
                    "number",
                    text!("serve un numero", "a number is needed"),
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    Ok(list
        .iter()
        .map(|i| Indicator {
            name: i.name.trim().to_string(),
            unit: trimmed(i.unit.clone()),
            baseline: i.baseline,
            target: i.target,
            value: i.value,
            value_date: i.value_date,
            metric: i.metric,
        })
        .collect())
}

/// The rules an action's values must meet together: its axis is of its plan, the end is not
/// before the start, `other` is named, organization and networks are of the district.
fn action_checked(conn: &mut DbConn, plan: &Plan, a: &PlanAction) -> Result<(), Error> {
    match PlanAxis::find(conn, &a.axis_id) {
        Ok(x) if x.plan_id == plan.id => {}
        Ok(_) | Err(Error::NotFound) => {
            return Err(Error::validation(
                "axis_id",
                "unknown",
                text!(
                    "il piano non ha un asse con questo identificativo",
                    "the plan has no axis with this id"
                ),
            ))
        }
        Err(e) => return Err(e),
    }
    if let (Some(s), Some(e)) = (a.start_date, a.end_date) {
        if e < s {
            return Err(Error::validation(
                "end_date",
                "before_start",
                text!(
                    "la data di fine non può precedere quella di inizio",
                    "the end date cannot come before the start date"
                ),
            ));
        }
    }
    if a.funding_source == Some(FundingSource::Other) && a.funding_note.is_none() {
        return Err(Error::validation(
            "funding_note",
            "required",
            text!(
                "con la fonte «altro» va indicata quale",
                "with the source \"other\", say which it is"
            ),
        ));
    }
    if let Some(o) = &a.responsible_organization_id {
        match Organization::find(conn, o) {
            Ok(org) if org.district_id == plan.district_id => {}
            Ok(_) | Err(Error::NotFound) => {
                return Err(Error::validation(
                    "responsible_organization_id",
                    "unknown",
                    text!(
                        "nessun ente dell'Ambito ha questo identificativo",
                        "no organization of the district has this id"
                    ),
                ))
            }
            Err(e) => return Err(e),
        }
    }
    for (n, id) in a.network_ids.iter().enumerate() {
        match Network::find(conn, id) {
            Ok(net) if net.district_id == plan.district_id => {}
            Ok(_) | Err(Error::NotFound) => {
                return Err(Error::validation(
                    &format!("network_ids[{n}]"),
                    "unknown",
                    text!(
                        "nessuna rete dell'Ambito ha questo identificativo",
                        "no network of the district has this id"
                    ),
                ))
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn dedup(mut ids: Vec<NetworkId>) -> Vec<NetworkId> {
    ids.sort();
    ids.dedup();
    ids
}

pub fn add_action(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &PlanId,
    i: PlanActionInput,
) -> Result<PlanActionOut, Error> {
    let indicators = indicators(&i.indicators, cx.now.today)?;
    write_tx(conn, |conn| {
        let (p, view) = visible(conn, cx, id, &Expected::Any)?;
        policy::may_manage_plans(cx.actor)?;
        p.status.edit()?;
        let at = cx.now.at;
        let a = PlanAction {
            id: new_id(),
            plan_id: p.id.clone(),
            axis_id: i.axis_id.clone(),
            title: i.title.trim().to_string(),
            description: trimmed(i.description.clone()),
            expected_results: trimmed(i.expected_results.clone()),
            start_date: i.start_date,
            end_date: i.end_date,
            funding_source: i.funding_source,
            funding_note: trimmed(i.funding_note.clone()),
            budget_cents: i.budget_cents,
            responsible_department: trimmed(i.responsible_department.clone()),
            responsible_organization_id: i.responsible_organization_id.clone(),
            network_ids: dedup(i.network_ids.clone()),
            indicators: indicators.clone(),
            status: PlanActionStatus::Planned,
            created_by: Some(cx.actor.id.clone()),
            created_at: at,
            updated_at: at,
        };
        action_checked(conn, &p, &a)?;
        PlanAction::insert(conn, &a)?;
        audit::record(
            conn,
            Transition {
                entity_type: "plan_action",
                entity_id: a.id.as_str(),
                action: "create",
                from: None,
                to: a.status.as_str(),
                reason: None,
                actor_id: Some(&cx.actor.id),
                at,
            },
        )?;
        action_out(conn, cx, &p, view, a)
    })
}

pub fn update_action(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &PlanActionId,
    expected: &Expected,
    patch: PlanActionPatch,
) -> Result<PlanActionOut, Error> {
    let new_indicators = match &patch.indicators {
        Some(list) => Some(indicators(list, cx.now.today)?),
        None => None,
    };
    write_tx(conn, |conn| {
        let (mut a, p, view) = action_visible(conn, cx, id, expected)?;
        policy::may_manage_plans(cx.actor)?;
        p.status.edit()?;
        a.status.edit()?;
        let before = a.clone();
        if let Some(x) = &patch.axis_id {
            a.axis_id = x.clone();
        }
        if let Some(t) = &patch.title {
            a.title = t.trim().to_string();
        }
        if let Some(v) = &patch.description {
            a.description = trimmed(v.clone());
        }
        if let Some(v) = &patch.expected_results {
            a.expected_results = trimmed(v.clone());
        }
        if let Some(v) = patch.start_date {
            a.start_date = v;
        }
        if let Some(v) = patch.end_date {
            a.end_date = v;
        }
        if let Some(v) = patch.funding_source {
            a.funding_source = v;
        }
        if let Some(v) = &patch.funding_note {
            a.funding_note = trimmed(v.clone());
        }
        if let Some(v) = patch.budget_cents {
            a.budget_cents = v;
        }
        if let Some(v) = &patch.responsible_department {
            a.responsible_department = trimmed(v.clone());
        }
        if let Some(v) = &patch.responsible_organization_id {
            a.responsible_organization_id = v.clone();
        }
        if let Some(v) = &patch.network_ids {
            a.network_ids = dedup(v.clone());
        }
        if let Some(v) = &new_indicators {
            a.indicators = v.clone();
        }
        action_checked(conn, &p, &a)?;
        let changed = audit::changed_fields(&before, &a);
        if !changed.is_empty() {
            a.updated_at = cx.now.at;
            audit::save_edit(conn, &a, &changed, cx.by())?;
        }
        action_out(conn, cx, &p, view, a)
    })
}

/// A move of an action's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionMove {
    Start,
    Complete,
    Drop,
}

/// Starts, completes or drops an action of an open plan, recording who, when and why.
pub fn move_action(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &PlanActionId,
    expected: &Expected,
    mv: ActionMove,
    reason: Option<String>,
) -> Result<PlanActionOut, Error> {
    write_tx(conn, |conn| {
        let (mut a, p, view) = action_visible(conn, cx, id, expected)?;
        policy::may_manage_plans(cx.actor)?;
        p.status.edit()?;
        let (to, action) = match mv {
            ActionMove::Start => (a.status.start()?, "start"),
            ActionMove::Complete => (a.status.complete()?, "complete"),
            ActionMove::Drop => (a.status.drop_it()?, "drop"),
        };
        let reason = trimmed(reason.clone());
        audit::move_to(conn, &mut a, action, to, reason.as_deref(), cx.by())?;
        action_out(conn, cx, &p, view, a)
    })
}
