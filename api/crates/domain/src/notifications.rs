//! What people are told in their inbox and by e-mail: the kinds of notification, how each one
//! is e-mailed (per person and kind), and the message of each kind in Italian and English.
//!
//! A notification carries only ids, states, dates and a short name ("Mario R."): never a tax
//! code, a surname or special-category data, because the same words go out by e-mail.

use std::collections::BTreeMap;

use crate::i18n::Text;
use crate::text;

crate::string_enum! {
    /// Kinds of notification (notifica), each with its recipients.
    NotificationKind {
        /// The table decided a referral — accepted, rejected, redirected, deferred (to its referrer).
        ReferralDecided => "referral_decided",
        /// The table asked for more information on a referral (to its referrer).
        InfoRequested => "info_requested",
        /// A case was assigned to an agency (to the agency's operators).
        CaseAssigned => "case_assigned",
        /// A case's follow-up date passed (to the case's operator).
        FollowUpOverdue => "follow_up_overdue",
        /// An outcome check (3, 6, 12 months) fell due (to the case's operator).
        OutcomeCheckDue => "outcome_check_due",
        /// A meeting of the table was scheduled (to the coordinators).
        MeetingScheduled => "meeting_scheduled",
        /// A meeting's minutes were published at its close (to the coordinators and the agencies with cases on its agenda).
        MinutesPublished => "minutes_published",
        /// Less than 10% of a threshold (soglia) remains (to the agency and the coordinators).
        ThresholdLow => "threshold_low",
        /// A funded project's deadline (submission, start, end, reporting) is within 30 days,
        /// or passed with the step not taken (to the coordinators).
        ProjectDeadline => "project_deadline",
    }
}

crate::string_enum! {
    /// How a person is e-mailed about one kind of notification; the inbox always has it.
    EmailMode {
        /// One e-mail per notification, at once.
        Immediate => "immediate",
        /// One e-mail a day at 07:30 (Europe/Rome) with the previous day's notifications.
        DailyDigest => "daily_digest",
        /// No e-mail.
        Off => "off",
    }
}

crate::string_enum! {
    /// Where an e-mail stands.
    EmailStatus {
        /// Waiting for its (next) attempt.
        Pending => "pending",
        /// Accepted by the SMTP server.
        Sent => "sent",
        /// Given up after the last retry.
        Failed => "failed",
    }
}

/// Below this share of its cap left (in percent), a threshold is "low".
pub const THRESHOLD_LOW_PERCENT: i64 = 10;

/// The default mode of every kind a person has not chosen.
pub const DEFAULT_MODE: EmailMode = EmailMode::Immediate;

/// The values a notification's message is made of: ids, states, dates, a short name.
pub type Params = BTreeMap<String, String>;

/// "Mario R.": the first name and the initial of the surname — all of a person an e-mail says.
pub fn short_name(first_name: &str, last_name: &str) -> String {
    let first = first_name.split_whitespace().next().unwrap_or("");
    match last_name.trim().chars().next() {
        Some(c) => format!("{first} {}.", c.to_uppercase()),
        None => first.to_string(),
    }
}

fn p<'a>(params: &'a Params, key: &str) -> &'a str {
    params.get(key).map(String::as_str).unwrap_or("")
}

/// The title and the sentence of a notification, in Italian and English.
pub fn message(kind: NotificationKind, params: &Params) -> (Text, Text) {
    let person = p(params, "person");
    let date = p(params, "date");
    match kind {
        NotificationKind::ReferralDecided => {
            let it_state =
                crate::i18n::state_label("referral", p(params, "status"), crate::i18n::Lang::It);
            let en_state =
                crate::i18n::state_label("referral", p(params, "status"), crate::i18n::Lang::En);
            (
                text!("Segnalazione decisa", "Referral decided"),
                Text::owned(
                    format!("Il tavolo ha deciso la segnalazione di {person}: {it_state}."),
                    format!("The table decided the referral of {person}: {en_state}."),
                ),
            )
        }
        NotificationKind::InfoRequested => (
            text!("Richiesta di informazioni", "Information requested"),
            text!(
                "Il tavolo chiede altre informazioni sulla segnalazione di {person}.",
                "The table asks for more information on the referral of {person}."
            ),
        ),
        NotificationKind::CaseAssigned => (
            text!("Nuovo caso assegnato", "New case assigned"),
            text!(
                "Un caso è stato assegnato al vostro ente: {person}.",
                "A case was assigned to your agency: {person}."
            ),
        ),
        NotificationKind::FollowUpOverdue => (
            text!("Aggiornamento scaduto", "Follow-up overdue"),
            text!(
                "L'aggiornamento del caso di {person} era previsto per il {date}.",
                "The follow-up of {person}'s case was due on {date}."
            ),
        ),
        NotificationKind::OutcomeCheckDue => {
            let months = p(params, "months");
            (
                text!("Verifica degli esiti da fare", "Outcome check due"),
                text!(
                    "La verifica a {months} mesi del caso di {person} è da fare dal {date}.",
                    "The {months}-month outcome check of {person}'s case is due from {date}."
                ),
            )
        }
        NotificationKind::MeetingScheduled => (
            text!("Tavolo convocato", "Meeting scheduled"),
            text!(
                "Il tavolo è convocato per il {date}.",
                "The table meets on {date}."
            ),
        ),
        NotificationKind::MinutesPublished => (
            text!("Verbale pubblicato", "Minutes published"),
            text!(
                "Il verbale del tavolo del {date} è pubblicato.",
                "The minutes of the meeting of {date} are published."
            ),
        ),
        NotificationKind::ThresholdLow => {
            let (measure, left) = (p(params, "measure"), p(params, "remaining_percent"));
            (
                text!("Soglia quasi esaurita", "Threshold almost used up"),
                text!(
                    "Della soglia {measure} resta il {left}%.",
                    "{left}% of the {measure} threshold remains."
                ),
            )
        }
        NotificationKind::ProjectDeadline => {
            let project = p(params, "project");
            let kind = crate::projects::DeadlineKind::from_db(p(params, "deadline"))
                .unwrap_or(crate::projects::DeadlineKind::End);
            let (it, en) = kind.words();
            let (it, en) = (it.to_string(), en.to_string());
            if p(params, "overdue") == "true" {
                (
                    text!("Scadenza di progetto superata", "Project deadline passed"),
                    text!(
                        "Progetto {project}: la scadenza per {it} era il {date}.",
                        "Project {project}: the deadline for {en} was {date}."
                    ),
                )
            } else {
                (
                    text!("Scadenza di progetto vicina", "Project deadline coming"),
                    text!(
                        "Progetto {project}: la scadenza per {it} è il {date}.",
                        "Project {project}: the deadline for {en} is {date}."
                    ),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_name_is_a_first_name_and_an_initial() {
        assert_eq!(short_name("Mario Luigi", "rossi"), "Mario R.");
        assert_eq!(short_name("Anna", ""), "Anna");
    }

    #[test]
    fn every_kind_has_a_message_in_both_languages() {
        for k in NotificationKind::ALL {
            let (t, s) = message(*k, &Params::new());
            assert!(!t.get(crate::i18n::Lang::It).is_empty());
            assert_ne!(s.get(crate::i18n::Lang::It), s.get(crate::i18n::Lang::En));
        }
    }
}
