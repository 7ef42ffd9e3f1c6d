//! The data-breach register (GDPR art. 33.5): what a breach touched, and the 72 hours the
//! controller has from its discovery to notify the Garante — computed from the injected clock.

use chrono::{DateTime, Duration, Utc};

use crate::string_enum;

/// Hours from discovery within which the Garante must be notified (art. 33.1).
pub const NOTIFICATION_HOURS: i64 = 72;

string_enum! {
    /// Categoria di dati personali coinvolti in una violazione.
    BreachDataCategory {
        /// Dati anagrafici e codice fiscale.
        Identity => "identity",
        /// Recapiti (e-mail, telefono, indirizzo).
        Contacts => "contacts",
        /// Condizione occupazionale, istruzione, profilazione.
        WorkProfile => "work_profile",
        /// Dati relativi alla salute e disabilità (art. 9).
        Health => "health",
        /// Dati giudiziari, area penale (art. 10).
        CriminalJustice => "criminal_justice",
        /// Casi, diario, misure, esiti.
        CaseRecords => "case_records",
        /// Documenti allegati.
        Documents => "documents",
        /// Credenziali e account degli operatori.
        Credentials => "credentials",
    }
}

string_enum! {
    /// Categoria di interessati coinvolti in una violazione.
    BreachSubjectCategory {
        /// Persone segnalate o prese in carico.
        Beneficiaries => "beneficiaries",
        /// Operatori e utenti del sistema.
        Operators => "operators",
        /// Referenti degli enti e degli aderenti alle reti.
        OrganizationContacts => "organization_contacts",
    }
}

string_enum! {
    /// Notifica al Garante per la protezione dei dati personali (art. 33).
    GaranteNotification {
        /// Da decidere: not notified yet, nor decided that it need not be.
        Pending => "pending",
        /// Notificata, at `garante_notified_at`.
        Notified => "notified",
        /// Non dovuta: the breach is unlikely to result in a risk to persons (art. 33.1);
        /// the reason is recorded.
        NotRequired => "not_required",
    }
}

/// Where a breach stands against the 72 hours, on `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    /// Discovery + 72 h.
    pub deadline: DateTime<Utc>,
    /// Notified after the deadline.
    pub notified_late: bool,
    /// Still pending and the deadline has passed.
    pub overdue: bool,
}

impl Deadline {
    pub fn of(
        discovered_at: DateTime<Utc>,
        notification: GaranteNotification,
        notified_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Deadline {
        let deadline = discovered_at + Duration::hours(NOTIFICATION_HOURS);
        Deadline {
            deadline,
            notified_late: notification == GaranteNotification::Notified
                && notified_at.is_some_and(|n| n > deadline),
            overdue: notification == GaranteNotification::Pending && now > deadline,
        }
    }

    /// Whether the record must say why: the Garante is not notified, or was notified late
    /// (art. 33.1: "accompagnata dai motivi del ritardo").
    pub fn needs_reason(self, notification: GaranteNotification) -> bool {
        notification == GaranteNotification::NotRequired || self.notified_late
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn the_garante_has_72_hours_from_discovery() {
        let found = t("2026-12-01T10:00:00Z");
        let pending = |now| Deadline::of(found, GaranteNotification::Pending, None, now);
        assert_eq!(pending(found).deadline, t("2026-12-04T10:00:00Z"));
        assert!(!pending(t("2026-12-04T10:00:00Z")).overdue);
        assert!(pending(t("2026-12-04T10:00:01Z")).overdue);

        let notified = |at| {
            Deadline::of(
                found,
                GaranteNotification::Notified,
                Some(at),
                t("2026-12-09T00:00:00Z"),
            )
        };
        let on_time = notified(t("2026-12-04T09:59:00Z"));
        assert!(!on_time.notified_late && !on_time.overdue);
        assert!(!on_time.needs_reason(GaranteNotification::Notified));
        let late = notified(t("2026-12-04T11:00:00Z"));
        assert!(late.notified_late && !late.overdue);
        assert!(late.needs_reason(GaranteNotification::Notified));

        let waived = Deadline::of(
            found,
            GaranteNotification::NotRequired,
            None,
            t("2026-12-09T00:00:00Z"),
        );
        assert!(!waived.overdue && waived.needs_reason(GaranteNotification::NotRequired));
    }
}
