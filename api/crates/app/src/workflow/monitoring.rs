//! Monitoring of the plan and of funded projects, computed from the records: a plan action is
//! followed through the granted projects linked to it and the catalogue measures those made;
//! their thresholds give the money, their activations the persons, the cases and the months.
//! Counts only: no person is named, so reading it is not a read of personal data.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;
use sistema_lavoro_domain::collective::SixMonthCheck;
use sistema_lavoro_domain::ids::{CaseId, MeasureId, PlanActionId, PlanId, ProjectId};
use sistema_lavoro_domain::monitoring::{
    figures, Activated, Closed, Facts, IndicatorMetric, Money, MonitoringFigures,
};
use sistema_lavoro_domain::plans::PlanActionStatus;
use sistema_lavoro_domain::projects::ProjectStatus;
use sistema_lavoro_domain::{Error, Expected};
use sistema_lavoro_store::measures::Measure;
use sistema_lavoro_store::monitoring as mstore;
use sistema_lavoro_store::plans::PlanAction;
use sistema_lavoro_store::thresholds::Threshold;
use sistema_lavoro_store::DbConn;
use utoipa::ToSchema;

use crate::Ctx;

/// An indicator with its value: typed (with its date), or computed from the figures today.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorReading {
    /// Nome.
    pub name: String,
    /// Unità di misura.
    pub unit: Option<String>,
    /// Valore di partenza.
    pub baseline: Option<f64>,
    /// Valore obiettivo.
    pub target: Option<f64>,
    /// Valore: typed, or computed from `metric`.
    pub value: Option<f64>,
    /// Data della rilevazione (today for a computed value).
    pub value_date: Option<NaiveDate>,
    /// The figure a computed value is read from.
    pub metric: Option<IndicatorMetric>,
    /// Whether the value was computed now.
    pub computed: bool,
}

/// A measure of the catalogue a project made.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonitoredMeasure {
    pub id: String,
    /// Codice.
    pub code: String,
    /// Nome.
    pub name: String,
    /// The project that made it.
    pub project_id: Option<String>,
}

/// One plan action's figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActionMonitoring {
    pub action_id: String,
    pub axis_id: String,
    /// Titolo.
    pub title: String,
    pub status: PlanActionStatus,
    /// The granted projects' measures it is followed through (empty: nothing to count yet).
    pub measures: Vec<MonitoredMeasure>,
    pub figures: MonitoringFigures,
    /// Its indicators, computed ones with today's value.
    pub indicators: Vec<IndicatorReading>,
}

/// A plan's monitoring: each action, and the plan's totals (persons and cases counted once).
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanMonitoring {
    pub plan_id: String,
    /// The day the figures were computed.
    pub as_of: NaiveDate,
    /// Actions whose end has passed and that are not completed.
    #[schema(minimum = 0, maximum = 1_000_000_000i64)]
    pub late_actions: i64,
    /// Over every action's measures; the budget is the sum of the actions' budgets.
    pub totals: MonitoringFigures,
    pub actions: Vec<ActionMonitoring>,
}

/// A project's monitoring.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectMonitoring {
    pub project_id: String,
    /// The day the figures were computed.
    pub as_of: NaiveDate,
    /// The catalogue measures it made.
    pub measures: Vec<MonitoredMeasure>,
    /// The budget is the grant plus the co-financing.
    pub figures: MonitoringFigures,
}

/// What the figures of a set of measures are computed from, loaded once for all of them.
struct Loaded {
    activations: HashMap<MeasureId, Vec<Activated>>,
    money: HashMap<MeasureId, Money>,
    closed: HashMap<CaseId, Closed>,
    checks: HashMap<String, SixMonthCheck>,
}

fn load(conn: &mut DbConn, measures: &[&MeasureId]) -> Result<Loaded, Error> {
    let mut activations: HashMap<MeasureId, Vec<Activated>> = HashMap::new();
    for (m, a) in mstore::activations_of(conn, measures)? {
        activations.entry(m).or_default().push(a);
    }
    let mut money: HashMap<MeasureId, Money> = HashMap::new();
    for t in Threshold::of_measures(conn, measures)? {
        let m = money.entry(t.measure_id.clone()).or_default();
        m.cap += i64::from(t.cap_cents);
        m.reserved += i64::from(t.reserved_cents);
        m.spent += i64::from(t.spent_cents);
    }
    let cases: HashSet<&CaseId> = activations.values().flatten().map(|a| &a.case_id).collect();
    let cases: Vec<&CaseId> = cases.into_iter().collect();
    let closed = mstore::closed_cases(conn, &cases)?;
    let closed_ids: Vec<&str> = closed.keys().map(|c| c.as_str()).collect();
    let checks = mstore::six_month_checks(conn, &closed_ids)?;
    Ok(Loaded {
        activations,
        money,
        closed,
        checks,
    })
}

struct Scope<'a> {
    measures: Vec<&'a MeasureId>,
    budget_cents: Option<i64>,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    late: bool,
}

impl Loaded {
    fn figures(&self, s: &Scope, today: NaiveDate) -> MonitoringFigures {
        let mut money = Money::default();
        let mut activations = Vec::new();
        for m in &s.measures {
            if let Some(x) = self.money.get(*m) {
                money.cap += x.cap;
                money.reserved += x.reserved;
                money.spent += x.spent;
            }
            activations.extend(self.activations.get(*m).into_iter().flatten());
        }
        figures(&Facts {
            activations,
            closed: &self.closed,
            checks: &self.checks,
            money,
            budget_cents: s.budget_cents,
            start: s.start,
            end: s.end,
            late: s.late,
            today,
        })
    }
}

fn monitored(m: &Measure) -> MonitoredMeasure {
    MonitoredMeasure {
        id: m.id.to_string(),
        code: m.code.clone(),
        name: m.name.clone(),
        project_id: m.project_id.as_ref().map(ToString::to_string),
    }
}

fn late_action(a: &PlanAction, today: NaiveDate) -> bool {
    a.status.edit().is_ok() && a.end_date.is_some_and(|e| e < today)
}

/// `GET /plans/{id}/monitoring`: a bounded number of queries whatever the number of actions.
pub fn plan(conn: &mut DbConn, cx: &Ctx, id: &PlanId) -> Result<PlanMonitoring, Error> {
    let (p, _) = super::plans::visible(conn, cx, id, &Expected::Any)?;
    let today = cx.now.today;
    let actions = PlanAction::all_of(conn, &[&p.id])?;
    let ids: Vec<&PlanActionId> = actions.iter().map(|a| &a.id).collect();
    let links = super::projects::measures_of_actions(conn, &ids)?;
    let mut of_action: HashMap<&PlanActionId, Vec<&Measure>> = HashMap::new();
    for (a, m) in &links {
        let list = of_action.entry(a).or_default();
        if !list.iter().any(|x| x.id == m.id) {
            list.push(m);
        }
    }
    let all: HashSet<&MeasureId> = links.iter().map(|(_, m)| &m.id).collect();
    let all: Vec<&MeasureId> = all.into_iter().collect();
    let loaded = load(conn, &all)?;
    let mut out = Vec::with_capacity(actions.len());
    for a in &actions {
        let measures = of_action.get(&a.id).cloned().unwrap_or_default();
        let f = loaded.figures(
            &Scope {
                measures: measures.iter().map(|m| &m.id).collect(),
                budget_cents: a.budget_cents,
                start: a.start_date,
                end: a.end_date,
                late: late_action(a, today),
            },
            today,
        );
        let indicators = a
            .indicators
            .iter()
            .map(|i| {
                let computed = i.metric.map(|m| m.value(&f));
                IndicatorReading {
                    name: i.name.clone(),
                    unit: i.unit.clone(),
                    baseline: i.baseline,
                    target: i.target,
                    value: computed.unwrap_or(i.value),
                    value_date: if computed.is_some() {
                        Some(today)
                    } else {
                        i.value_date
                    },
                    metric: i.metric,
                    computed: computed.is_some(),
                }
            })
            .collect();
        out.push(ActionMonitoring {
            action_id: a.id.to_string(),
            axis_id: a.axis_id.to_string(),
            title: a.title.clone(),
            status: a.status,
            measures: measures.iter().map(|m| monitored(m)).collect(),
            figures: f,
            indicators,
        });
    }
    let late_actions = actions.iter().filter(|a| late_action(a, today)).count() as i64;
    let budgets: Vec<i64> = actions.iter().filter_map(|a| a.budget_cents).collect();
    let totals = loaded.figures(
        &Scope {
            measures: all.clone(),
            budget_cents: (!budgets.is_empty()).then(|| budgets.iter().sum()),
            start: Some(p.period_start),
            end: Some(p.period_end),
            late: late_actions > 0,
        },
        today,
    );
    Ok(PlanMonitoring {
        plan_id: p.id.to_string(),
        as_of: today,
        late_actions,
        totals,
        actions: out,
    })
}

/// `GET /projects/{id}/monitoring`.
pub fn project(conn: &mut DbConn, cx: &Ctx, id: &ProjectId) -> Result<ProjectMonitoring, Error> {
    let (p, _) = super::projects::visible(conn, cx, id, &Expected::Any)?;
    let today = cx.now.today;
    let measures = Measure::of_projects(conn, &[&p.id])?;
    let ids: Vec<&MeasureId> = measures.iter().map(|m| &m.id).collect();
    let loaded = load(conn, &ids)?;
    let budget = p
        .granted_cents
        .map(|g| g.saturating_add(p.cofinanced_cents.unwrap_or(0)));
    let late = matches!(p.status, ProjectStatus::Granted | ProjectStatus::Running)
        && p.end_date.is_some_and(|e| e < today);
    let figures = loaded.figures(
        &Scope {
            measures: ids.clone(),
            budget_cents: budget,
            start: p.start_date,
            end: p.end_date,
            late,
        },
        today,
    );
    Ok(ProjectMonitoring {
        project_id: p.id.to_string(),
        as_of: today,
        measures: measures.iter().map(monitored).collect(),
        figures,
    })
}
