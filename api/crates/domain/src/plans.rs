//! The district's integrated local plan (Piano Locale Integrato, seed 004): its states, the
//! seed's four axes, the funding sources of its actions, and what the seed asks the decision
//! makers for each action — "Data / Fonte / Budget / Dipartimento" — checked as completeness.

pub use crate::error::{RuleCheck, RuleOut};
use crate::states::Refused;
use crate::{string_enum, text};

string_enum! {
    /// State of a plan.
    PlanStatus {
        /// Bozza: being written by the Ufficio di Piano.
        Draft => "draft",
        /// Approvato, with the date and reference of the act.
        Approved => "approved",
        /// Chiuso: its period is over; kept for the record.
        Closed => "closed",
    }
}

impl PlanStatus {
    fn refuse(self, action: &'static str) -> Refused {
        Refused {
            entity: "plan",
            action,
            from: self.as_str(),
        }
    }

    pub fn approve(self) -> Result<PlanStatus, Refused> {
        match self {
            Self::Draft => Ok(Self::Approved),
            s => Err(s.refuse("approve")),
        }
    }

    pub fn close(self) -> Result<PlanStatus, Refused> {
        match self {
            Self::Draft | Self::Approved => Ok(Self::Closed),
            s => Err(s.refuse("close")),
        }
    }

    /// Details, axes and actions change until the plan is closed (an approved plan's edits are
    /// recorded in its history).
    pub fn edit(self) -> Result<PlanStatus, Refused> {
        match self {
            Self::Closed => Err(self.refuse("edit")),
            s => Ok(s),
        }
    }
}

string_enum! {
    /// The seed's four axes (assi), each with its expected results.
    AxisCode {
        /// (1) Buona governance.
        Governance => "governance",
        /// (2) Attenzione verso il territorio.
        Territory => "territory",
        /// (3) Capacità di programmare e progettare.
        Planning => "planning",
        /// (4) Rete tra operatori e servizi.
        Network => "network",
    }
}

impl AxisCode {
    /// The seed's title of the axis.
    pub fn title(self) -> &'static str {
        match self {
            Self::Governance => "Buona governance",
            Self::Territory => "Attenzione verso il territorio",
            Self::Planning => "Capacità di programmare e progettare",
            Self::Network => "Rete tra operatori e servizi",
        }
    }

    /// The seed's expected results (risultati attesi) of the axis, in short.
    pub fn expected_results(self) -> &'static str {
        match self {
            Self::Governance => {
                "Trasparenza e condivisione del processo decisionale, supportate da metodi e \
                 strumenti che migliorino la coscienza della crescita collettiva, la \
                 partecipazione alla programmazione, l'interesse dei giovani alla vita politica e \
                 la programmazione dei servizi basata su coordinamento, monitoraggio e verifica \
                 dei risultati."
            }
            Self::Territory => {
                "Conoscenza e consapevolezza di bisogni, proposte, richieste, opportunità, \
                 attività, organismi e servizi da erogare e potenziare."
            }
            Self::Planning => {
                "Programmi strategici e progetti innovatori con precisione degli obiettivi, \
                 coinvolgimento degli stakeholders e razionale organizzazione delle attività, \
                 affinché aumentino rispetto delle diversità, opportunità per i giovani, qualità \
                 e stabilità dell'occupazione."
            }
            Self::Network => {
                "Rete tra operatori e servizi, eterogenea, flessibile e continuativa nel tempo, \
                 per un uso sinergico delle risorse, la soluzione dei problemi, la diffusione di \
                 risultati positivi e buone prassi."
            }
        }
    }
}

string_enum! {
    /// State of a plan's action.
    PlanActionStatus {
        /// Prevista.
        Planned => "planned",
        /// In corso.
        Running => "running",
        /// Conclusa.
        Completed => "completed",
        /// Abbandonata: it will not be done.
        Dropped => "dropped",
    }
}

impl PlanActionStatus {
    fn refuse(self, action: &'static str) -> Refused {
        Refused {
            entity: "plan_action",
            action,
            from: self.as_str(),
        }
    }

    pub fn start(self) -> Result<PlanActionStatus, Refused> {
        match self {
            Self::Planned => Ok(Self::Running),
            s => Err(s.refuse("start")),
        }
    }

    pub fn complete(self) -> Result<PlanActionStatus, Refused> {
        match self {
            Self::Running => Ok(Self::Completed),
            s => Err(s.refuse("complete")),
        }
    }

    pub fn drop_it(self) -> Result<PlanActionStatus, Refused> {
        match self {
            Self::Planned | Self::Running => Ok(Self::Dropped),
            s => Err(s.refuse("drop")),
        }
    }

    /// Planned and running actions change; completed and dropped ones are the record.
    pub fn edit(self) -> Result<PlanActionStatus, Refused> {
        match self {
            Self::Planned | Self::Running => Ok(self),
            s => Err(s.refuse("edit")),
        }
    }
}

string_enum! {
    /// Where an action's money comes from (fonte di finanziamento).
    FundingSource {
        /// Fondo Sociale Europeo Plus.
        EsfPlus => "esf_plus",
        /// Piano Nazionale di Ripresa e Resilienza.
        Pnrr => "pnrr",
        /// Un fondo nazionale (Fondo Povertà, Fondo Politiche Sociali…).
        NationalFund => "national_fund",
        /// Risorse regionali.
        Regional => "regional",
        /// Bilancio dell'Ambito.
        DistrictBudget => "district_budget",
        /// Risorse comunali.
        Municipal => "municipal",
        /// Fondazioni o privati.
        FoundationPrivate => "foundation_private",
        /// Raccolta fondi (fund raising).
        FundRaising => "fund_raising",
        /// Risorse proprie di una rete (pledged by its members).
        NetworkResources => "network_resources",
        /// Altro: named in `funding_note`.
        Other => "other",
    }
}

impl FundingSource {
    /// How the source reads in a printed plan.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        let (it, en) = match self {
            Self::EsfPlus => ("FSE+", "ESF+"),
            Self::Pnrr => ("PNRR", "NRRP (PNRR)"),
            Self::NationalFund => ("Fondo nazionale", "National fund"),
            Self::Regional => ("Risorse regionali", "Regional funds"),
            Self::DistrictBudget => ("Bilancio dell'Ambito", "District budget"),
            Self::Municipal => ("Risorse comunali", "Municipal funds"),
            Self::FoundationPrivate => ("Fondazioni e privati", "Foundations and private donors"),
            Self::FundRaising => ("Raccolta fondi", "Fund raising"),
            Self::NetworkResources => ("Risorse di una rete", "A network's own resources"),
            Self::Other => ("Altro", "Other"),
        };
        match lang {
            crate::i18n::Lang::It => it,
            crate::i18n::Lang::En => en,
        }
    }
}

/// An indicator of an action: what is measured, from where to where, and the value reached
/// (entered with its date).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Indicator {
    /// Nome dell'indicatore, e.g. "Persone prese in carico".
    pub name: String,
    /// Unità di misura, e.g. "persone", "%", "euro".
    pub unit: Option<String>,
    /// Valore di partenza.
    pub baseline: Option<f64>,
    /// Valore obiettivo.
    pub target: Option<f64>,
    /// Valore rilevato.
    pub value: Option<f64>,
    /// Data della rilevazione (required with `value`).
    pub value_date: Option<chrono::NaiveDate>,
    /// Calcolato dal monitoraggio: the figure the value is read from (then no `value` is
    /// typed); `GET /plans/{id}/monitoring` gives it.
    #[serde(default)]
    pub metric: Option<crate::monitoring::IndicatorMetric>,
}

/// What the seed asks of an action, as completeness sees it.
#[derive(Debug, Clone, Copy, Default)]
pub struct ActionFacts {
    pub has_start: bool,
    pub has_end: bool,
    pub has_source: bool,
    pub has_budget: bool,
    pub has_department: bool,
}

/// The rule names of completeness, in the order they are listed.
pub const COMPLETENESS_RULES: [&str; 4] = ["dates", "funding_source", "budget", "department"];

/// What an action still lacks of what the seed asks the decision makers: duration (dates),
/// funding source, budget and the responsible department — each rule met or not, with why.
pub fn completeness(f: &ActionFacts) -> Vec<RuleCheck> {
    let dates = match (f.has_start, f.has_end) {
        (true, true) => text!(
            "date di inizio e fine indicate",
            "start and end dates given"
        ),
        (false, true) => text!("manca la data di inizio", "the start date is missing"),
        (true, false) => text!("manca la data di fine", "the end date is missing"),
        (false, false) => text!(
            "mancano le date: quanto dura l'azione?",
            "the dates are missing: how long does the action last?"
        ),
    };
    vec![
        RuleCheck {
            rule: "dates",
            met: f.has_start && f.has_end,
            message: dates,
        },
        RuleCheck {
            rule: "funding_source",
            met: f.has_source,
            message: if f.has_source {
                text!("fonte di finanziamento indicata", "funding source given")
            } else {
                text!(
                    "manca la fonte di finanziamento",
                    "the funding source is missing"
                )
            },
        },
        RuleCheck {
            rule: "budget",
            met: f.has_budget,
            message: if f.has_budget {
                text!("budget indicato", "budget given")
            } else {
                text!(
                    "manca il budget: quante risorse servono?",
                    "the budget is missing: how much does it need?"
                )
            },
        },
        RuleCheck {
            rule: "department",
            met: f.has_department,
            message: if f.has_department {
                text!(
                    "dipartimento o ente responsabile indicato",
                    "responsible department or organization given"
                )
            } else {
                text!(
                    "manca il dipartimento o l'ente responsabile della gestione",
                    "the department or organization responsible is missing"
                )
            },
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_moves() {
        assert_eq!(PlanStatus::Draft.approve(), Ok(PlanStatus::Approved));
        assert!(PlanStatus::Approved.approve().is_err());
        assert_eq!(PlanStatus::Approved.close(), Ok(PlanStatus::Closed));
        assert!(PlanStatus::Closed.edit().is_err());
        assert!(PlanStatus::Approved.edit().is_ok());
    }

    #[test]
    fn action_moves() {
        use PlanActionStatus::*;
        assert_eq!(Planned.start(), Ok(Running));
        assert!(Planned.complete().is_err());
        assert_eq!(Running.complete(), Ok(Completed));
        assert_eq!(Running.drop_it(), Ok(Dropped));
        assert!(Completed.drop_it().is_err());
        assert!(Dropped.edit().is_err());
    }

    #[test]
    fn completeness_names_each_missing_item() {
        let none = completeness(&ActionFacts::default());
        assert_eq!(
            none.iter().map(|r| r.rule).collect::<Vec<_>>(),
            COMPLETENESS_RULES
        );
        assert!(none.iter().all(|r| !r.met));
        let half = completeness(&ActionFacts {
            has_start: true,
            has_source: true,
            ..Default::default()
        });
        assert!(!half[0].met);
        assert_eq!(
            half[0].message.get(crate::i18n::Lang::It),
            "manca la data di fine"
        );
        assert!(half[1].met);
        let all = completeness(&ActionFacts {
            has_start: true,
            has_end: true,
            has_source: true,
            has_budget: true,
            has_department: true,
        });
        assert!(all.iter().all(|r| r.met));
    }
}
