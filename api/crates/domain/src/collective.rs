//! The collective actions of a territorial partnership (azioni collettive, seed 001): their
//! kinds, their states, and their results — computed from the beneficiaries' cases (outcome)
//! and outcome checks (still employed six months on), never typed in.

use chrono::NaiveDate;

use crate::states::Refused;
use crate::string_enum;
use crate::vocabulary::{Outcome, OutcomeCheckStatus};

string_enum! {
    /// What kind of collective action (seed 001: "azioni di accompagnamento per il
    /// ricollocamento per gruppi di lavoratori").
    CollectiveActionKind {
        /// Outplacement.
        Outplacement => "outplacement",
        /// Analisi di skills shortage.
        SkillsShortageAnalysis => "skills_shortage_analysis",
        /// Aggregazione dei lavoratori coinvolti, anche in assistenza alle imprese in crisi.
        WorkerAggregation => "worker_aggregation",
        /// Analisi dei fabbisogni occupazionali del territorio o del settore.
        LabourNeedsAnalysis => "labour_needs_analysis",
        /// Marketing territoriale o settoriale dei lavoratori.
        TerritorialMarketing => "territorial_marketing",
        /// Identificazione di imprese "bersaglio" in cui ricollocare i lavoratori.
        TargetEmployers => "target_employers",
    }
}

string_enum! {
    /// State of a collective action.
    CollectiveActionStatus {
        /// Prevista.
        Planned => "planned",
        /// In corso.
        Running => "running",
        /// Conclusa.
        Completed => "completed",
        /// Annullata.
        Cancelled => "cancelled",
    }
}

impl CollectiveActionStatus {
    fn refuse(self, action: &'static str) -> Refused {
        Refused {
            entity: "collective_action",
            action,
            from: self.as_str(),
        }
    }

    pub fn start(self) -> Result<CollectiveActionStatus, Refused> {
        match self {
            Self::Planned => Ok(Self::Running),
            s => Err(s.refuse("start")),
        }
    }

    pub fn complete(self) -> Result<CollectiveActionStatus, Refused> {
        match self {
            Self::Running => Ok(Self::Completed),
            s => Err(s.refuse("complete")),
        }
    }

    pub fn cancel(self) -> Result<CollectiveActionStatus, Refused> {
        match self {
            Self::Planned | Self::Running => Ok(Self::Cancelled),
            s => Err(s.refuse("cancel")),
        }
    }

    /// Details, participants, target employers and beneficiaries change while the action is
    /// planned or running; a completed or cancelled one is the record.
    pub fn edit(self) -> Result<CollectiveActionStatus, Refused> {
        match self {
            Self::Planned | Self::Running => Ok(self),
            s => Err(s.refuse("edit")),
        }
    }
}

/// The months after closing at which "still employed" is read (stabilizzazione).
pub const STILL_EMPLOYED_MONTHS: i32 = 6;

/// The six-month outcome check of a beneficiary's case, as the results read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SixMonthCheck {
    pub due_date: NaiveDate,
    pub status: OutcomeCheckStatus,
    pub employed: Option<bool>,
}

/// One current beneficiary, as the results read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BeneficiaryFacts {
    /// The case's closing outcome, if closed.
    pub outcome: Option<Outcome>,
    /// Its outcome check at six months, once the case is closed.
    pub six_month_check: Option<SixMonthCheck>,
}

/// The results of an action: counts only. Every hired beneficiary is in exactly one of the
/// four six-month counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Results {
    /// Current beneficiaries (removed ones left out).
    pub beneficiaries: i64,
    /// Of them, cases closed with an employment outcome.
    pub hired: i64,
    /// Hired, and employed at the six-month check.
    pub employed_at_6_months: i64,
    /// Hired, and no longer employed at the six-month check.
    pub not_employed_at_6_months: i64,
    /// Hired, the six-month check not yet due.
    pub check_pending: i64,
    /// Hired, the six-month check due and not yet recorded.
    pub check_overdue: i64,
}

/// The results of an action from its current beneficiaries, on `today`.
pub fn results(beneficiaries: &[BeneficiaryFacts], today: NaiveDate) -> Results {
    let mut r = Results {
        beneficiaries: beneficiaries.len() as i64,
        ..Results::default()
    };
    for b in beneficiaries {
        if !b.outcome.is_some_and(Outcome::is_employment) {
            continue;
        }
        r.hired += 1;
        match b.six_month_check {
            Some(SixMonthCheck {
                status: OutcomeCheckStatus::Done,
                employed: Some(true),
                ..
            }) => r.employed_at_6_months += 1,
            Some(SixMonthCheck {
                status: OutcomeCheckStatus::Done,
                ..
            }) => r.not_employed_at_6_months += 1,
            Some(c) if c.due_date > today => r.check_pending += 1,
            // Due and not recorded (or, for a case closed before checks existed, never made).
            _ => r.check_overdue += 1,
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn states_move_as_the_brief_says() {
        use CollectiveActionStatus as S;
        assert_eq!(S::Planned.start(), Ok(S::Running));
        assert_eq!(S::Running.complete(), Ok(S::Completed));
        assert!(S::Planned.complete().is_err());
        assert_eq!(S::Planned.cancel(), Ok(S::Cancelled));
        assert_eq!(S::Running.cancel(), Ok(S::Cancelled));
        assert!(S::Completed.cancel().is_err() && S::Cancelled.start().is_err());
        assert!(S::Completed.edit().is_err() && S::Running.edit().is_ok());
    }

    #[test]
    fn results_count_hired_and_still_employed_from_outcomes_and_checks() {
        let today = d("2027-06-01");
        let check = |due: &str, status, employed| {
            Some(SixMonthCheck {
                due_date: d(due),
                status,
                employed,
            })
        };
        let bs = [
            // Open case.
            BeneficiaryFacts {
                outcome: None,
                six_month_check: None,
            },
            // Closed, not an employment outcome.
            BeneficiaryFacts {
                outcome: Some(Outcome::DroppedOut),
                six_month_check: check("2027-01-01", OutcomeCheckStatus::Due, None),
            },
            // Hired, employed at six months.
            BeneficiaryFacts {
                outcome: Some(Outcome::Hired),
                six_month_check: check("2027-01-01", OutcomeCheckStatus::Done, Some(true)),
            },
            // Hired, not employed at six months.
            BeneficiaryFacts {
                outcome: Some(Outcome::Hired),
                six_month_check: check("2027-02-01", OutcomeCheckStatus::Done, Some(false)),
            },
            // Hired, check not yet due.
            BeneficiaryFacts {
                outcome: Some(Outcome::Hired),
                six_month_check: check("2027-09-01", OutcomeCheckStatus::Due, None),
            },
            // Hired, check due and not recorded.
            BeneficiaryFacts {
                outcome: Some(Outcome::Hired),
                six_month_check: check("2027-05-01", OutcomeCheckStatus::Due, None),
            },
        ];
        let r = results(&bs, today);
        assert_eq!(
            r,
            Results {
                beneficiaries: 6,
                hired: 4,
                employed_at_6_months: 1,
                not_employed_at_6_months: 1,
                check_pending: 1,
                check_overdue: 1,
            }
        );
        assert_eq!(results(&[], today), Results::default());
    }
}
