//! Opportunities told to the territory (seed 002): what members publish — courses, job
//! offers, internships, services, events — and, beside them, the catalogue's open measures and
//! granted projects, each told plainly to the district's operators. Their states, when the
//! clock expires them, and the sentence saying who each is for.

use chrono::NaiveDate;

use crate::i18n::{employment_status_it, target_group_it, Lang};
use crate::states::Refused;
use crate::string_enum;
use crate::vocabulary::{EmploymentStatus, TargetGroup};

string_enum! {
    /// What a member publishes.
    OpportunityKind {
        /// Corso di formazione.
        TrainingCourse => "training_course",
        /// Offerta di lavoro.
        JobOffer => "job_offer",
        /// Tirocinio.
        Internship => "internship",
        /// Servizio (a shared response of a network, told to the territory).
        Service => "service",
        /// Evento (an open day, a job fair, an information meeting).
        Event => "event",
    }
}

impl OpportunityKind {
    /// The kind as a board or a flyer names it.
    pub fn label(self, lang: Lang) -> &'static str {
        let (it, en) = match self {
            Self::TrainingCourse => ("Corso di formazione", "Training course"),
            Self::JobOffer => ("Offerta di lavoro", "Job offer"),
            Self::Internship => ("Tirocinio", "Internship"),
            Self::Service => ("Servizio", "Service"),
            Self::Event => ("Evento", "Event"),
        };
        match lang {
            Lang::It => it,
            Lang::En => en,
        }
    }
}

string_enum! {
    /// Where an item of the board comes from.
    OpportunitySource {
        /// Published by a member organization (`/opportunities`).
        Published => "published",
        /// An open measure of the catalogue, from its own record.
        Measure => "measure",
        /// A granted project, from its own record.
        Project => "project",
    }
}

impl OpportunitySource {
    /// The source as a board names an item of it (a published one by its kind instead).
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Published, Lang::It) => "Opportunità",
            (Self::Published, Lang::En) => "Opportunity",
            (Self::Measure, Lang::It) => "Misura",
            (Self::Measure, Lang::En) => "Measure",
            (Self::Project, Lang::It) => "Progetto",
            (Self::Project, Lang::En) => "Project",
        }
    }
}

string_enum! {
    /// State of a published opportunity.
    OpportunityStatus {
        /// Bozza: seen by its publisher and the coordinator only.
        Draft => "draft",
        /// Pubblicata: every role of the district reads it, and the territory without an account.
        Published => "published",
        /// Scaduta: its deadline (or its last day) passed; the clock moved it.
        Expired => "expired",
        /// Ritirata by the coordinator, with a reason.
        Withdrawn => "withdrawn",
    }
}

impl OpportunityStatus {
    fn refuse(self, action: &'static str) -> Refused {
        Refused {
            entity: "opportunity",
            action,
            from: self.as_str(),
        }
    }

    pub fn publish(self) -> Result<OpportunityStatus, Refused> {
        match self {
            Self::Draft => Ok(Self::Published),
            s => Err(s.refuse("publish")),
        }
    }

    pub fn withdraw(self) -> Result<OpportunityStatus, Refused> {
        match self {
            Self::Published => Ok(Self::Withdrawn),
            s => Err(s.refuse("withdraw")),
        }
    }

    pub fn expire(self) -> Result<OpportunityStatus, Refused> {
        match self {
            Self::Published => Ok(Self::Expired),
            s => Err(s.refuse("expire")),
        }
    }

    /// A draft or a published opportunity can be corrected.
    pub fn edit(self) -> Result<OpportunityStatus, Refused> {
        match self {
            Self::Draft | Self::Published => Ok(self),
            s => Err(s.refuse("edit")),
        }
    }
}

string_enum! {
    /// The person's answer to a proposed opportunity.
    ProposalAnswer {
        /// Ha accettato.
        Accepted => "accepted",
        /// Ha rifiutato.
        Declined => "declined",
        /// Nessuna risposta.
        NoAnswer => "no_answer",
    }
}

/// The last day an opportunity is open: its deadline, else its last day, else its first.
/// `None`: open until withdrawn.
pub fn last_day(
    apply_by: Option<NaiveDate>,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
) -> Option<NaiveDate> {
    apply_by.or(ends_on).or(starts_on)
}

/// Is an opportunity open on `today` by its dates? (Expiry happens the day after the last.)
pub fn open_on(last: Option<NaiveDate>, today: NaiveDate) -> bool {
    last.is_none_or(|d| today <= d)
}

/// Who an opportunity is for, in one sentence of `lang` ("Per persone tra 16 e 29 anni,
/// disoccupate o inattive, residenti nell'Ambito."), from the same rules eligibility checks.
pub fn who_for(
    min_age: Option<i32>,
    max_age: Option<i32>,
    statuses: &[EmploymentStatus],
    groups: &[TargetGroup],
    residence_required: bool,
    lang: Lang,
) -> String {
    let mut parts: Vec<String> = Vec::new();
    match (min_age, max_age, lang) {
        (Some(a), Some(b), Lang::It) => parts.push(format!("tra {a} e {b} anni")),
        (Some(a), Some(b), Lang::En) => parts.push(format!("aged {a} to {b}")),
        (Some(a), None, Lang::It) => parts.push(format!("di almeno {a} anni")),
        (Some(a), None, Lang::En) => parts.push(format!("aged {a} or more")),
        (None, Some(b), Lang::It) => parts.push(format!("fino a {b} anni")),
        (None, Some(b), Lang::En) => parts.push(format!("aged up to {b}")),
        (None, None, _) => {}
    }
    let or = match lang {
        Lang::It => " o ",
        Lang::En => " or ",
    };
    if !statuses.is_empty() {
        let names: Vec<String> = statuses
            .iter()
            .map(|s| match lang {
                Lang::It => employment_status_it(*s).to_string(),
                Lang::En => s.as_str().replace('_', " "),
            })
            .collect();
        parts.push(names.join(or));
    }
    if !groups.is_empty() {
        let names: Vec<String> = groups
            .iter()
            .map(|g| match lang {
                Lang::It => target_group_it(*g).to_string(),
                Lang::En => g.as_str().replace('_', " "),
            })
            .collect();
        parts.push(match lang {
            Lang::It => format!("dei gruppi: {}", names.join(", ")),
            Lang::En => format!("in the groups: {}", names.join(", ")),
        });
    }
    if residence_required {
        parts.push(
            match lang {
                Lang::It => "residenti nell'Ambito",
                Lang::En => "living in the district",
            }
            .into(),
        );
    }
    match (parts.is_empty(), lang) {
        (true, Lang::It) => "Per tutte le persone seguite dalla rete.".into(),
        (true, Lang::En) => "For everyone the network follows.".into(),
        (false, Lang::It) => format!("Per persone {}.", parts.join(", ")),
        (false, Lang::En) => format!("For people {}.", parts.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn states_move_as_the_issue_says() {
        use OpportunityStatus::*;
        assert_eq!(Draft.publish(), Ok(Published));
        assert!(Published.publish().is_err());
        assert_eq!(Published.withdraw(), Ok(Withdrawn));
        assert!(Draft.withdraw().is_err());
        assert_eq!(Published.expire(), Ok(Expired));
        assert!(Draft.expire().is_err() && Withdrawn.expire().is_err());
        assert!(Draft.edit().is_ok() && Published.edit().is_ok());
        assert!(Expired.edit().is_err() && Withdrawn.edit().is_err());
    }

    #[test]
    fn the_deadline_comes_first_then_the_last_day_then_the_first() {
        let (a, s, e) = (d("2026-12-10"), d("2026-12-15"), d("2026-12-20"));
        assert_eq!(last_day(Some(a), Some(s), Some(e)), Some(a));
        assert_eq!(last_day(None, Some(s), Some(e)), Some(e));
        assert_eq!(last_day(None, Some(s), None), Some(s));
        assert_eq!(last_day(None, None, None), None);
        assert!(open_on(Some(a), a));
        assert!(!open_on(Some(a), d("2026-12-11")));
        assert!(open_on(None, d("2030-01-01")));
    }

    #[test]
    fn who_it_is_for_reads_as_a_sentence() {
        let s = who_for(
            Some(16),
            Some(29),
            &[EmploymentStatus::Unemployed],
            &[],
            true,
            Lang::It,
        );
        assert!(s.starts_with("Per persone tra 16 e 29 anni, "), "{s}");
        assert!(s.ends_with("residenti nell'Ambito."), "{s}");
        assert_eq!(
            who_for(None, None, &[], &[], false, Lang::It),
            "Per tutte le persone seguite dalla rete."
        );
        let en = who_for(Some(18), None, &[], &[], false, Lang::En);
        assert_eq!(en, "For people aged 18 or more.");
    }
}
