//! Monitoring computed, never typed: what a plan action or a funded project achieved, from the
//! activations of the measures it funds, the cases they belong to and their six-month checks —
//! totals and the same figures per month, so a chart shows the trend.

use crate::collective::{results, BeneficiaryFacts, SixMonthCheck};
use crate::ids::CaseId;
use crate::states::ActivationStatus;
use crate::string_enum;
use crate::vocabulary::Outcome;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use utoipa::ToSchema;

/// At most this many months are listed (twenty years), the most recent ones.
pub const MAX_MONTHS: usize = 240;

/// One activation of a measure being monitored: reserved money or ran (not proposed, not
/// cancelled).
#[derive(Debug, Clone)]
pub struct Activated {
    pub case_id: CaseId,
    pub person_id: String,
    pub status: ActivationStatus,
    pub amount_cents: i64,
    pub spent_cents: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A closed case among the monitored ones.
#[derive(Debug, Clone, Copy)]
pub struct Closed {
    pub outcome: Option<Outcome>,
    pub closed_on: Option<NaiveDate>,
}

/// Money on the thresholds (soglie) of the monitored measures, euro cents.
#[derive(Debug, Clone, Copy, Default)]
pub struct Money {
    pub cap: i64,
    pub reserved: i64,
    pub spent: i64,
}

/// Everything the figures are computed from.
pub struct Facts<'a> {
    pub activations: Vec<&'a Activated>,
    pub closed: &'a HashMap<CaseId, Closed>,
    pub checks: &'a HashMap<String, SixMonthCheck>,
    pub money: Money,
    /// The action's budget, or the project's grant plus co-financing.
    pub budget_cents: Option<i64>,
    /// Where the months start and end when there is nothing yet to count.
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub late: bool,
    pub today: NaiveDate,
}

/// Closed cases with one outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct OutcomeCount {
    /// The closing outcome (esito); `null` for a case closed without one.
    pub outcome: Option<Outcome>,
    /// How many cases.
    #[schema(minimum = 0, maximum = 1_000_000_000i64)]
    pub count: i64,
}

/// One month's figures.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MonthFigures {
    /// The month, `YYYY-MM`.
    #[schema(example = "2026-11", pattern = "^[0-9]{4}-[0-9]{2}$")]
    pub month: String,
    /// Persons reached for the first time this month (their first activation).
    #[schema(minimum = 0, maximum = 1_000_000_000i64)]
    pub new_persons: i64,
    /// Persons reached from the first month to the end of this one.
    #[schema(minimum = 0, maximum = 1_000_000_000i64)]
    pub persons_to_date: i64,
    /// Activations made this month.
    #[schema(minimum = 0, maximum = 1_000_000_000i64)]
    pub activations: i64,
    /// Amount committed by the activations made this month, euro cents.
    #[schema(minimum = 0, maximum = 9_000_000_000_000_000i64)]
    pub committed_cents: i64,
    /// Amount spent by the activations that ended this month (dated by their last change),
    /// euro cents.
    #[schema(minimum = 0, maximum = 9_000_000_000_000_000i64)]
    pub spent_cents: i64,
    /// Cases closed this month.
    #[schema(minimum = 0, maximum = 1_000_000_000i64)]
    pub cases_closed: i64,
    /// Of them, closed with a job (assunto).
    #[schema(minimum = 0, maximum = 1_000_000_000i64)]
    pub hired: i64,
}

/// What an action or a project achieved, computed from the records.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MonitoringFigures {
    /// Persons reached: with at least one activation on the measures.
    #[schema(minimum = 0, maximum = 1_000_000_000i64)]
    pub persons_reached: i64,
    /// Cases with at least one activation on the measures.
    #[schema(minimum = 0, maximum = 1_000_000_000i64)]
    pub cases: i64,
    /// Activations that reserved money or ran (proposed and cancelled ones left out).
    #[schema(minimum = 0, maximum = 1_000_000_000i64)]
    pub activations: i64,
    /// Sum of the measures' thresholds (soglie), euro cents.
    #[schema(minimum = 0, maximum = 9_000_000_000_000_000i64)]
    pub cap_cents: i64,
    /// Reserved today by approved or running activations, euro cents.
    #[schema(minimum = 0, maximum = 9_000_000_000_000_000i64)]
    pub reserved_cents: i64,
    /// Spent by ended activations, euro cents.
    #[schema(minimum = 0, maximum = 9_000_000_000_000_000i64)]
    pub spent_cents: i64,
    /// The budget the spending is read against: the action's budget, or the project's grant
    /// plus co-financing; `null` when not given.
    #[schema(minimum = 0, maximum = 9_000_000_000_000_000i64)]
    pub budget_cents: Option<i64>,
    /// Spent over budget, per cent with one decimal; `null` without a budget.
    #[schema(minimum = 0.0, maximum = 1.0e15)]
    pub budget_executed_percent: Option<f64>,
    /// Cases closed.
    #[schema(minimum = 0, maximum = 1_000_000_000i64)]
    pub cases_closed: i64,
    /// Cases closed, per outcome.
    pub cases_closed_by_outcome: Vec<OutcomeCount>,
    /// Cases closed with a job (assunto).
    #[schema(minimum = 0, maximum = 1_000_000_000i64)]
    pub hired: i64,
    /// Hired, and employed at the six-month check.
    #[schema(minimum = 0, maximum = 1_000_000_000i64)]
    pub employed_at_6_months: i64,
    /// Hired, and no longer employed at the six-month check.
    #[schema(minimum = 0, maximum = 1_000_000_000i64)]
    pub not_employed_at_6_months: i64,
    /// Hired, the six-month check not yet due.
    #[schema(minimum = 0, maximum = 1_000_000_000i64)]
    pub six_month_check_pending: i64,
    /// Hired, the six-month check due and not yet recorded.
    #[schema(minimum = 0, maximum = 1_000_000_000i64)]
    pub six_month_check_overdue: i64,
    /// Its end date has passed and it is not completed.
    pub late: bool,
    /// The same figures per month, oldest first, from the start (or the first activation) to
    /// this month (or the end, if earlier); months with nothing are listed with zeros.
    pub by_month: Vec<MonthFigures>,
}

fn month_of(d: NaiveDate) -> (i32, u32) {
    (d.year(), d.month())
}

fn next_month((y, m): (i32, u32)) -> (i32, u32) {
    if m == 12 {
        (y + 1, 1)
    } else {
        (y, m + 1)
    }
}

#[derive(Default)]
struct Month {
    new_persons: i64,
    activations: i64,
    committed: i64,
    spent: i64,
    closed: i64,
    hired: i64,
}

/// The figures of one action or project.
pub fn figures(f: &Facts) -> MonitoringFigures {
    let mut months: BTreeMap<(i32, u32), Month> = BTreeMap::new();
    // Each person counts once, in the month of their first activation.
    let mut first_seen: HashMap<&str, NaiveDateTime> = HashMap::new();
    let mut cases: HashSet<&CaseId> = HashSet::new();
    for a in &f.activations {
        cases.insert(&a.case_id);
        first_seen
            .entry(a.person_id.as_str())
            .and_modify(|t| *t = (*t).min(a.created_at))
            .or_insert(a.created_at);
        let m = months.entry(month_of(a.created_at.date())).or_default();
        m.activations += 1;
        m.committed += a.amount_cents;
        if matches!(
            a.status,
            ActivationStatus::Completed | ActivationStatus::Interrupted
        ) {
            if let Some(spent) = a.spent_cents {
                months
                    .entry(month_of(a.updated_at.date()))
                    .or_default()
                    .spent += spent;
            }
        }
    }
    for t in first_seen.values() {
        months.entry(month_of(t.date())).or_default().new_persons += 1;
    }
    let mut by_outcome: BTreeMap<Option<&str>, (Option<Outcome>, i64)> = BTreeMap::new();
    let mut beneficiaries = Vec::with_capacity(cases.len());
    let mut cases_closed = 0;
    for case in &cases {
        let closed = f.closed.get(*case);
        if let Some(c) = closed {
            cases_closed += 1;
            by_outcome
                .entry(c.outcome.map(|o| o.as_str()))
                .or_insert((c.outcome, 0))
                .1 += 1;
            if let Some(d) = c.closed_on {
                let m = months.entry(month_of(d)).or_default();
                m.closed += 1;
                if c.outcome.is_some_and(Outcome::is_employment) {
                    m.hired += 1;
                }
            }
        }
        beneficiaries.push(BeneficiaryFacts {
            outcome: closed.and_then(|c| c.outcome),
            six_month_check: closed.and_then(|_| f.checks.get(case.as_str()).copied()),
        });
    }
    let six = results(&beneficiaries, f.today);

    // The months listed: from the start (or the first figure) to this month, or the end if
    // earlier, or the last figure if later still.
    let first = [f.start.map(month_of), months.keys().next().copied()]
        .into_iter()
        .flatten()
        .min();
    let mut last_candidates = vec![month_of(f.end.map_or(f.today, |e| e.min(f.today)))];
    last_candidates.extend(months.keys().next_back().copied());
    let last = last_candidates.into_iter().max();
    let mut by_month = Vec::new();
    if let (Some(first), Some(last)) = (first, last) {
        let mut cur = first;
        let mut to_date = 0;
        while cur <= last {
            let m = months.get(&cur);
            to_date += m.map_or(0, |m| m.new_persons);
            by_month.push(MonthFigures {
                month: format!("{:04}-{:02}", cur.0, cur.1),
                new_persons: m.map_or(0, |m| m.new_persons),
                persons_to_date: to_date,
                activations: m.map_or(0, |m| m.activations),
                committed_cents: m.map_or(0, |m| m.committed),
                spent_cents: m.map_or(0, |m| m.spent),
                cases_closed: m.map_or(0, |m| m.closed),
                hired: m.map_or(0, |m| m.hired),
            });
            cur = next_month(cur);
        }
    }
    if by_month.len() > MAX_MONTHS {
        by_month.drain(..by_month.len() - MAX_MONTHS);
    }
    MonitoringFigures {
        persons_reached: first_seen.len() as i64,
        cases: cases.len() as i64,
        activations: f.activations.len() as i64,
        cap_cents: f.money.cap,
        reserved_cents: f.money.reserved,
        spent_cents: f.money.spent,
        budget_cents: f.budget_cents,
        budget_executed_percent: f
            .budget_cents
            .filter(|b| *b > 0)
            .map(|b| (f.money.spent as f64 * 1000.0 / b as f64).round() / 10.0),
        cases_closed,
        cases_closed_by_outcome: by_outcome
            .into_values()
            .map(|(outcome, count)| OutcomeCount { outcome, count })
            .collect(),
        hired: six.hired,
        employed_at_6_months: six.employed_at_6_months,
        not_employed_at_6_months: six.not_employed_at_6_months,
        six_month_check_pending: six.check_pending,
        six_month_check_overdue: six.check_overdue,
        late: f.late,
        by_month,
    }
}

string_enum! {
    /// A figure of monitoring an indicator can take its value from, instead of a typed one.
    IndicatorMetric {
        /// Persone raggiunte.
        PersonsReached => "persons_reached",
        /// Attivazioni.
        Activations => "activations",
        /// Casi chiusi.
        CasesClosed => "cases_closed",
        /// Assunti.
        Hired => "hired",
        /// Ancora occupati a 6 mesi.
        EmployedAt6Months => "employed_at_6_months",
        /// Euro spesi.
        SpentEuros => "spent_euros",
        /// Budget eseguito (%).
        BudgetExecutedPercent => "budget_executed_percent",
    }
}

impl IndicatorMetric {
    /// The metric's value in these figures (`None`: budget execution without a budget).
    pub fn value(self, f: &MonitoringFigures) -> Option<f64> {
        Some(match self {
            Self::PersonsReached => f.persons_reached as f64,
            Self::Activations => f.activations as f64,
            Self::CasesClosed => f.cases_closed as f64,
            Self::Hired => f.hired as f64,
            Self::EmployedAt6Months => f.employed_at_6_months as f64,
            Self::SpentEuros => f.spent_cents as f64 / 100.0,
            Self::BudgetExecutedPercent => return f.budget_executed_percent,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::OutcomeCheckStatus;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn at(y: i32, m: u32, day: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(10, 0, 0).unwrap_or_default()
    }

    fn act(case: &str, person: &str, status: ActivationStatus, on: NaiveDateTime) -> Activated {
        Activated {
            case_id: CaseId::from(case),
            person_id: person.into(),
            status,
            amount_cents: 100_000,
            spent_cents: matches!(status, ActivationStatus::Completed).then_some(80_000),
            created_at: on,
            updated_at: on + chrono::Duration::days(40),
        }
    }

    #[test]
    fn figures_count_persons_once_and_fill_the_months_between() {
        use ActivationStatus::*;
        let acts = [
            act("c1", "p1", Completed, at(2026, 9, 10)),
            act("c1", "p1", Running, at(2026, 11, 2)),
            act("c2", "p2", Approved, at(2026, 11, 20)),
        ];
        let closed = HashMap::from([(
            CaseId::from("c1"),
            Closed {
                outcome: Some(Outcome::Hired),
                closed_on: Some(d(2026, 11, 25)),
            },
        )]);
        let checks = HashMap::from([(
            "c1".to_string(),
            SixMonthCheck {
                due_date: d(2027, 5, 25),
                status: OutcomeCheckStatus::Due,
                employed: None,
            },
        )]);
        let f = figures(&Facts {
            activations: acts.iter().collect(),
            closed: &closed,
            checks: &checks,
            money: Money {
                cap: 1_000_000,
                reserved: 200_000,
                spent: 80_000,
            },
            budget_cents: Some(1_000_000),
            start: Some(d(2026, 8, 1)),
            end: Some(d(2027, 6, 30)),
            late: false,
            today: d(2026, 12, 2),
        });
        assert_eq!(f.persons_reached, 2);
        assert_eq!(f.cases, 2);
        assert_eq!(f.activations, 3);
        assert_eq!(f.cases_closed, 1);
        assert_eq!(f.hired, 1);
        assert_eq!(f.six_month_check_pending, 1);
        assert_eq!(f.budget_executed_percent, Some(8.0));
        let months: Vec<&str> = f.by_month.iter().map(|m| m.month.as_str()).collect();
        assert_eq!(
            months,
            ["2026-08", "2026-09", "2026-10", "2026-11", "2026-12"]
        );
        let sep = &f.by_month[1];
        assert_eq!((sep.new_persons, sep.activations), (1, 1));
        let oct = &f.by_month[2];
        assert_eq!((oct.spent_cents, oct.persons_to_date), (80_000, 1));
        let nov = &f.by_month[3];
        assert_eq!(
            (nov.new_persons, nov.persons_to_date, nov.activations),
            (1, 2, 2)
        );
        assert_eq!((nov.cases_closed, nov.hired), (1, 1));
        assert_eq!(
            IndicatorMetric::SpentEuros.value(&f),
            Some(800.0),
            "cents read as euros"
        );
    }

    #[test]
    fn nothing_to_count_and_no_dates_lists_no_months() {
        let f = figures(&Facts {
            activations: Vec::new(),
            closed: &HashMap::new(),
            checks: &HashMap::new(),
            money: Money::default(),
            budget_cents: Some(0),
            start: None,
            end: None,
            late: true,
            today: d(2026, 12, 2),
        });
        assert!(f.by_month.is_empty());
        assert_eq!(f.budget_executed_percent, None, "no division by zero");
        assert!(f.late);
    }
}
