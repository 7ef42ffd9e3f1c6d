//! The legal basis of processing (GDPR art. 6, 7, 13): purposes, the notices given and the
//! consents collected, and the lifecycle of a consent (`given → withdrawn | expired`).

use chrono::NaiveDate;

use crate::i18n::Lang;
use crate::string_enum;

string_enum! {
    /// Finalità del trattamento: what the district processes a person's data for.
    PrivacyPurpose {
        /// Servizi di inclusione socio-lavorativa: the referral, the table's decision, the case
        /// and its measures (public task, art. 6.1.e and 9.2.g; a notice, no consent).
        ReferralAndCase => "referral_and_case",
        /// Condivisione con gli aderenti di un partenariato for a collective action (consent).
        PartnershipSharing => "partnership_sharing",
        /// Essere contattati per opportunità di lavoro e formazione (consent).
        OpportunityContact => "opportunity_contact",
    }
}

impl PrivacyPurpose {
    /// Whether consent is the legal basis (else a notice alone suffices).
    pub fn needs_consent(self) -> bool {
        !matches!(self, Self::ReferralAndCase)
    }

    /// The purpose as a notice or an export names it.
    pub fn label(self, lang: Lang) -> &'static str {
        let (it, en) = match self {
            Self::ReferralAndCase => (
                "Servizi di inclusione socio-lavorativa (segnalazione, presa in carico, misure)",
                "Social and work inclusion services (referral, case, measures)",
            ),
            Self::PartnershipSharing => (
                "Condivisione con gli aderenti del partenariato per un'azione collettiva",
                "Sharing with the partnership's members for a collective action",
            ),
            Self::OpportunityContact => (
                "Contatto per opportunità di lavoro e formazione",
                "Being contacted about work and training opportunities",
            ),
        };
        match lang {
            Lang::It => it,
            Lang::En => en,
        }
    }
}

string_enum! {
    /// What a record of the legal basis is.
    ConsentKind {
        /// Informativa resa: the person was given a notice (art. 13).
        Notice => "notice",
        /// Consenso: the person consented to a purpose whose basis is consent (art. 7).
        Consent => "consent",
    }
}

string_enum! {
    /// How the notice was given or the consent collected.
    ConsentMethod {
        /// Di persona, at a desk or an interview.
        InPerson => "in_person",
        /// Modulo cartaceo firmato (attach it as a document).
        SignedPaper => "signed_paper",
        /// Per telefono.
        Phone => "phone",
        /// Online (e-mail, portal).
        Online => "online",
        /// Tramite il tutore o l'amministratore di sostegno.
        ByGuardian => "by_guardian",
    }
}

string_enum! {
    /// Where a notice or consent stands.
    ConsentStatus {
        /// Resa / prestato, and in force.
        Given => "given",
        /// Revocato by the person (art. 7.3).
        Withdrawn => "withdrawn",
        /// Scaduto: its end date passed.
        Expired => "expired",
    }
}

impl ConsentStatus {
    /// The status on `today`: withdrawn stays withdrawn; a given one expires by the clock
    /// once its last day (`expires_on`) has passed.
    pub fn on(withdrawn: bool, expires_on: Option<NaiveDate>, today: NaiveDate) -> ConsentStatus {
        if withdrawn {
            ConsentStatus::Withdrawn
        } else if expires_on.is_some_and(|d| d < today) {
            ConsentStatus::Expired
        } else {
            ConsentStatus::Given
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn a_consent_expires_the_day_after_its_last_day_and_a_withdrawal_wins() {
        let last = Some(d("2026-06-30"));
        assert_eq!(ConsentStatus::on(false, last, d("2026-06-30")), ConsentStatus::Given);
        assert_eq!(ConsentStatus::on(false, last, d("2026-07-01")), ConsentStatus::Expired);
        assert_eq!(ConsentStatus::on(true, last, d("2026-07-01")), ConsentStatus::Withdrawn);
        assert_eq!(ConsentStatus::on(false, None, d("2099-01-01")), ConsentStatus::Given);
    }

    #[test]
    fn only_the_services_purpose_rests_on_a_notice_alone() {
        assert!(!PrivacyPurpose::ReferralAndCase.needs_consent());
        assert!(PrivacyPurpose::PartnershipSharing.needs_consent());
        assert!(PrivacyPurpose::OpportunityContact.needs_consent());
    }
}
