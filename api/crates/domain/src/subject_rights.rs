//! Rights of the data subject beyond access: anonymisation (GDPR art. 17) — its request's
//! states and legal grounds, and what of a person statistics keep — and retention.

use chrono::{Datelike, NaiveDate};

use crate::{string_enum, Error};

string_enum! {
    /// Where a request to anonymise a person stands.
    AnonymisationStatus {
        /// In attesa: requested by a coordinator, waiting for the DPO.
        Pending => "pending",
        /// Approvata: the person was anonymised (irreversible).
        Approved => "approved",
        /// Respinta by the DPO.
        Rejected => "rejected",
    }
}

impl AnonymisationStatus {
    fn refuse(self, action: &'static str) -> Error {
        Error::InvalidTransition {
            entity: "anonymisation_request",
            action,
            from: self.to_string(),
        }
    }

    /// Only a pending request is approved: a second approval is refused.
    pub fn approve(self) -> Result<AnonymisationStatus, Error> {
        match self {
            Self::Pending => Ok(Self::Approved),
            s => Err(s.refuse("approve")),
        }
    }

    pub fn reject(self) -> Result<AnonymisationStatus, Error> {
        match self {
            Self::Pending => Ok(Self::Rejected),
            s => Err(s.refuse("reject")),
        }
    }
}

string_enum! {
    /// Why the person may be anonymised (GDPR art. 17(1), or the district's retention period).
    LegalGround {
        /// Art. 17(1)(a): the data are no longer necessary for the purposes collected.
        NoLongerNecessary => "no_longer_necessary",
        /// Art. 17(1)(b): the person withdrew the consent the processing rested on.
        ConsentWithdrawn => "consent_withdrawn",
        /// Art. 17(1)(c): the person objected and no overriding legitimate ground remains.
        Objection => "objection",
        /// Art. 17(1)(d): the data were processed unlawfully.
        UnlawfulProcessing => "unlawful_processing",
        /// Art. 17(1)(e): a legal obligation requires erasure.
        LegalObligation => "legal_obligation",
        /// The district's retention period after the last case closed has passed.
        RetentionExpired => "retention_expired",
    }
}

/// The name an anonymised person shows with.
pub const ANONYMISED_FIRST_NAME: &str = "Persona";
pub const ANONYMISED_LAST_NAME: &str = "anonimizzata";

/// Default retention period after the last case closed, in years.
pub const DEFAULT_RETENTION_YEARS: i32 = 10;

/// What statistics keep of a birth date: its year (the age band follows from it), as the
/// first of January.
pub fn birth_year_only(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap_or(d)
}

/// The ISO 3166 alpha-2 codes of the European Union's members but Italy.
const EU: [&str; 26] = [
    "at", "be", "bg", "cy", "cz", "de", "dk", "ee", "es", "fi", "fr", "gr", "hr", "hu", "ie", "lt",
    "lu", "lv", "mt", "nl", "pl", "pt", "ro", "se", "si", "sk",
];

/// The Italian names of the same countries (folded: lower case, no accents).
const EU_IT: [&str; 26] = [
    "austria",
    "belgio",
    "bulgaria",
    "cipro",
    "repubblica ceca",
    "germania",
    "danimarca",
    "estonia",
    "spagna",
    "finlandia",
    "francia",
    "grecia",
    "croazia",
    "ungheria",
    "irlanda",
    "lituania",
    "lussemburgo",
    "lettonia",
    "malta",
    "paesi bassi",
    "polonia",
    "portogallo",
    "romania",
    "svezia",
    "slovenia",
    "slovacchia",
];

/// The citizenship group statistics keep: `IT`, `UE` (another member of the European Union)
/// or `extra_UE`; unknown stays unknown.
pub fn citizenship_group(citizenship: Option<&str>) -> Option<&'static str> {
    let c = citizenship?.trim().to_lowercase();
    if c.is_empty() {
        return None;
    }
    if matches!(
        c.as_str(),
        "it" | "ita" | "italia" | "italy" | "italiana" | "italiano" | "italian"
    ) {
        return Some("IT");
    }
    if matches!(c.as_str(), "ue" | "eu" | "extra_ue") {
        return Some(if c == "extra_ue" { "extra_UE" } else { "UE" });
    }
    if EU.contains(&c.as_str()) || EU_IT.contains(&c.as_str()) {
        return Some("UE");
    }
    Some("extra_UE")
}

/// The day a person falls due for anonymisation: `years` after her last case closed (none
/// while a case is open or she has none).
pub fn due_on(last_closed: Option<NaiveDate>, any_open: bool, years: i32) -> Option<NaiveDate> {
    if any_open {
        return None;
    }
    let closed = last_closed?;
    let months = u32::try_from(years.max(0)).unwrap_or(0) * 12;
    closed.checked_add_months(chrono::Months::new(months))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn a_request_is_decided_once() {
        let s = AnonymisationStatus::Pending;
        assert_eq!(s.approve().ok(), Some(AnonymisationStatus::Approved));
        assert!(AnonymisationStatus::Approved.approve().is_err());
        assert!(AnonymisationStatus::Rejected.approve().is_err());
        assert!(AnonymisationStatus::Approved.reject().is_err());
    }

    #[test]
    fn citizenship_is_kept_as_a_group() {
        assert_eq!(citizenship_group(Some("Italiana")), Some("IT"));
        assert_eq!(citizenship_group(Some("FR")), Some("UE"));
        assert_eq!(citizenship_group(Some("Francia")), Some("UE"));
        assert_eq!(citizenship_group(Some("Marocco")), Some("extra_UE"));
        assert_eq!(citizenship_group(None), None);
    }

    #[test]
    fn a_person_falls_due_the_period_after_her_last_case_closed() {
        assert_eq!(
            due_on(Some(d("2020-03-31")), false, 10),
            Some(d("2030-03-31"))
        );
        assert_eq!(due_on(Some(d("2020-03-31")), true, 10), None);
        assert_eq!(due_on(None, false, 10), None);
        assert_eq!(birth_year_only(d("1985-12-10")), d("1985-01-01"));
    }
}
